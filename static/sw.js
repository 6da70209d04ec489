// The service worker: the app shell, pages and assets for both languages, offline.
//
// - Served at /sw.js with Cache-Control: no-cache. The server writes this build's
//   version (a hash of the app's files) and precache list into BUILD below.
// - One cache per version ("cyswllt-app-<version>"); older ones are deleted once a new
//   version is active. A new version installs and WAITS: the page offers "reload" and
//   asks it to take over, so it never replaces the app in the middle of a form.
// - Personal data is never put in Cache Storage: /api/ is never touched here, and the
//   shell pages hold no data (the caseload and the outbox live in IndexedDB).
// - Writes (POST) are never intercepted, rewritten or replayed. Background Sync, where
//   the browser has it, asks an open page to send; with none open it runs the page's own
//   sender (sync.js), which builds fresh requests from the outbox under the same lock.
// - A sign-out made without signal is completed before any page is fetched (wipe.js): the
//   sign-in page never meets the old sign-in alive. A "revoked" answer to its sender wipes.

import * as store from "/static/js/store.js";
import * as sync from "/static/js/sync.js";
import * as wipe from "/static/js/wipe.js";

const BUILD = { version: "development", precache: [] };
const CACHE_PREFIX = "cyswllt-app-";
const CACHE = CACHE_PREFIX + BUILD.version;
const LANGUAGES = ["en", "cy"];
const SEND_TAG = "cyswllt-send";
const PRECACHED = new Set(BUILD.precache);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // Fresh from the server, without cookies: nothing personal can end up in the cache.
      cache.addAll(BUILD.precache.map((url) => new Request(url, { cache: "reload", credentials: "omit" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "activate-update") self.skipWaiting();
  // A page that loaded while this worker was activating missed clients.claim(): take it now.
  if (type === "claim") event.waitUntil(self.clients.claim());
});

async function preferredLanguage() {
  try {
    const chosen = await store.getSetting("lang");
    if (LANGUAGES.includes(chosen)) return chosen;
  } catch {
    /* no IndexedDB: fall back to the browser's language */
  }
  return (self.navigator.language || "").toLowerCase().startsWith("cy") ? "cy" : "en";
}

async function shell(request) {
  const cached = await caches.match(`/app/shell/${await preferredLanguage()}`, { cacheName: CACHE });
  return cached || fetch(request);
}

// Pages the app can stand in for when there is no network.
function offlineTarget(url) {
  const next = url.searchParams.get("next") || "";
  if (url.pathname.startsWith("/language/") && /^\/app(#|$)/.test(next)) return next; // the language was saved first
  const person = url.pathname === "/contacts/new" && /^\d+$/.test(url.searchParams.get("person") || "");
  return person ? `/app#/record/${url.searchParams.get("person")}` : "/app";
}

async function navigation(request, url) {
  if (url.pathname === "/app" || url.pathname === "/app/") return shell(request);
  try {
    // A sign-out made without signal is finished first. Until the server has heard of it no page
    // is fetched, since the page would open on the old sign-in: the app stands in for it.
    if (!(await wipe.completePendingSignOut())) throw new Error("the sign-out has not reached the server");
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(`/app/shell/${await preferredLanguage()}`, { cacheName: CACHE });
    if (!cached) throw error;
    return Response.redirect(offlineTarget(url), 302);
  }
}

async function asset(request, url) {
  const cached = await caches.match(url.pathname, { cacheName: CACHE });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // never touch writes
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(navigation(request, url));
  } else if (PRECACHED.has(url.pathname) && !url.search) {
    event.respondWith(asset(request, url));
  }
});

// Background Sync: while the app is open, its page sends (it has its own back-off); when it
// is closed, this worker runs the same sender. A failure is retried by the browser later.
async function backgroundSend() {
  const pages = await self.clients.matchAll({ type: "window" });
  if (pages.length) {
    for (const page of pages) page.postMessage({ type: "send-now" });
    return;
  }
  const result = await sync.send({ force: true });
  if (result.status === "failed") throw new Error("sending failed; the browser will retry");
}

wipe.watchForRevocation();

self.addEventListener("sync", (event) => {
  if (event.tag === SEND_TAG) event.waitUntil(backgroundSend());
});
