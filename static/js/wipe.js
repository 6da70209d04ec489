// Wiping what is readable on this phone: the one function every path uses (signing out, with
// or without signal; another user signing in; the server saying the account or the phone is
// revoked; five wrong PINs). See docs/deployment.md §11, "Locking".
//
// - `wipeReadable(reason)` empties every IndexedDB store but the outbox, and every setting
//   but KEPT_SETTINGS (nothing about anyone), forgets the keys held in memory (lock.js),
//   deletes every Cache Storage entry that could hold an answer of the API, and tells every
//   tab (BroadcastChannel): each one leaves its screen for a fresh, empty app. The outbox
//   stays: its records are sealed to the server's key and still have to be sent.
// - Signing out without signal cannot end the server's session (its cookie is httpOnly, and
//   the server never heard). The phone remembers it ("pending_sign_out") and ends it before
//   anything else the next time it reaches the server: api.getSession() waits for it, so no
//   request (the page's, the service worker's sender, the sign-in page's navigation) can
//   carry on the old session, and a new sign-in on this phone never meets it alive.

import * as api from "./api.js";
import * as store from "./store.js";

/** Settings a wipe leaves: none says anything about anyone. */
export const KEPT_SETTINGS = new Set([
  "lang", // the language of the app's shell
  "wiped", // why the app was wiped: the sign-in screen says so
  "pending_sign_out", // a sign-out the server has not heard of yet
  "storage_notice_dismissed",
  "device_id", // this phone's id in its device reports (app/devices)
]);
export const REASONS = Object.freeze(["signed_out", "other_user", "revoked", "pin"]);
const APP_CACHE_PREFIX = "cyswllt-app-"; // the service worker's cache of the app itself (sw.js)

export const events = new EventTarget(); // "wiped": {detail: {reason, here}}
const forgetters = [];
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("cyswllt-wipe") : null;
if (channel) {
  channel.onmessage = (event) => {
    if (event.data && event.data.type === "wiped") {
      for (const forget of forgetters) forget();
      events.dispatchEvent(new CustomEvent("wiped", { detail: { reason: event.data.reason, here: false } }));
    }
  };
}

/** Have `forget()` called on every wipe, in this tab and on a wipe in another (lock.js drops its key). */
export function forgetOnWipe(forget) {
  forgetters.push(forget);
}

/** Wipe everything readable on this phone but the (sealed) outbox; see the top of this file. */
export async function wipeReadable(reason) {
  for (const forget of forgetters) forget();
  await store.clearAllButOutbox(KEPT_SETTINGS);
  if (reason !== "other_user") await store.setSetting("wiped", { reason, at: new Date().toISOString() });
  await clearCaches();
  if (channel) channel.postMessage({ type: "wiped", reason });
  events.dispatchEvent(new CustomEvent("wiped", { detail: { reason, here: true } }));
}

/** Why the app was last wiped ({reason, at}), until the next sign-in; or null. */
export function lastWipe() {
  return store.getSetting("wiped");
}

/** Delete every cache that is not the app's own, and anything of the API's in those. */
export async function clearCaches() {
  if (typeof caches === "undefined") return;
  for (const name of await caches.keys()) {
    if (!name.startsWith(APP_CACHE_PREFIX)) {
      await caches.delete(name);
      continue;
    }
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (new URL(request.url).pathname.startsWith("/api/")) await cache.delete(request);
    }
  }
}

// --- A sign-out the server has not heard of yet ------------------------------------------

/** Remember to end this sign-in (its name from the last session answer: session.js) once the server is reached. */
export async function signOutLater() {
  const signIn = await store.getSetting("sign_in");
  return store.setSetting("pending_sign_out", { at: new Date().toISOString(), sign_in: signIn || null });
}

let completing = null;

/**
 * End the session a sign-out without signal left on the server. Resolves true when no such
 * sign-out is waiting (any more), false when the server could not be reached: then nothing
 * may use the session.
 */
export function completePendingSignOut() {
  if (!completing) {
    completing = finishSignOut().finally(() => {
      completing = null;
    });
  }
  return completing;
}

async function finishSignOut() {
  let pending;
  try {
    pending = await store.getSetting("pending_sign_out");
  } catch {
    return true; // no IndexedDB: nothing was remembered
  }
  if (!pending) return true;
  const session = await api.getSession({ unguarded: true }); // its CSRF token is what /logout needs
  let ended = session.kind === "unauthenticated"; // ended already (timed out, revoked, signed out elsewhere)
  // Someone has signed in on this phone since: that sign-in ended the old one (app/auth/operations.py
  // sign_in), and it is not the one to end.
  if (session.kind === "ok" && isNewerSignIn(pending, session.json)) ended = true;
  else if (session.kind === "ok") ended = (await api.signOut()) || (await endedMeanwhile());
  if (ended) await store.deleteSetting("pending_sign_out");
  return ended;
}

/**
 * A refused /logout (its CSRF token is the ended session's) can mean that another tab or the
 * service worker ended the same sign-in a moment before: ended, if the server now knows no session.
 */
async function endedMeanwhile() {
  return (await api.getSession({ unguarded: true })).kind === "unauthenticated";
}

/** Whether the session the server answered with is a sign-in made after the pending sign-out. */
export function isNewerSignIn(pending, answer) {
  return Boolean(pending.sign_in && answer.sign_in && pending.sign_in !== answer.sign_in);
}

api.guardSession(completePendingSignOut);

// --- Revoked by the server ------------------------------------------------------------------

let watching = false;

/** Wipe what is readable as soon as any API answer says the account or this phone is revoked. */
export function watchForRevocation() {
  if (watching) return;
  watching = true;
  api.connectivity.addEventListener("revoked", () => {
    wipeReadable("revoked").catch(() => {});
  });
}
