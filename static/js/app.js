// The phone app: boots from the shell page (served by the service worker offline),
// shows the screens, and keeps the outbox moving. See DEVELOPERS.md, "The phone app".

import * as i18n from "./i18n.js";
import * as store from "./store.js";
import * as api from "./api.js";
import * as outbox from "./outbox.js";
import * as sync from "./sync.js";
import * as caseload from "./caseload.js";
import { h, replaceChildren } from "./dom.js";
import * as home from "./home.js";
import * as record from "./record.js";
import * as waiting from "./waiting.js";
import * as signout from "./signout.js";

const { _, ngettext } = i18n;

const SEND_TAG = "cyswllt-send";
const PERIODIC_MS = 30 * 1000;
const CASELOAD_STALE_MS = 5 * 60 * 1000;
const UPDATE_CHECK_MS = 30 * 60 * 1000;
const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;
const SIGN_IN_URL = "/login?next=/app";

const state = {
  language: document.documentElement.lang === "cy" ? "cy" : "en",
  user: null,
  signedOut: false,
  online: navigator.onLine,
  caseload: null,
  rows: [],
  sending: false,
  lastSend: null,
  clockOffset: 0,
  storageRefused: false,
  storageNoticeDismissed: false,
  update: null,
  formActive: false,
};

const elements = {
  screen: document.getElementById("screen"),
  banners: document.getElementById("banners"),
  flash: document.getElementById("flash"),
  indicator: document.getElementById("sync-indicator"),
  signOutLink: document.getElementById("sign-out-link"),
  main: document.getElementById("main"),
};

let screen = null;
let screenUser = undefined;
let pendingFlash = null;
let registration = null;
let reloadingForUpdate = false;
let lastSessionCheck = 0;

// --- Local state (IndexedDB) ------------------------------------------------------------

async function loadLocal() {
  state.user = await store.getSetting("user");
  state.signedOut = Boolean(await store.getSetting("signed_out"));
  state.clockOffset = (await store.getSetting("clock_offset")) || 0;
  state.storageNoticeDismissed = Boolean(await store.getSetting("storage_notice_dismissed"));
  state.caseload = state.user ? await store.getCaseload(state.user.id) : null;
  state.rows = state.user ? await outbox.rows(state.user.id) : [];
}

let refreshQueued = null;
function refreshLocal() {
  if (!refreshQueued) {
    refreshQueued = Promise.resolve().then(async () => {
      refreshQueued = null;
      await loadLocal();
      if ((state.user && state.user.id) !== screenUser) route();
      else if (screen && screen.update) screen.update();
      renderChrome();
    });
  }
  return refreshQueued;
}

// --- Talking to the server ------------------------------------------------------------

async function refreshSession() {
  lastSessionCheck = Date.now();
  const result = await api.getSession();
  if (result.kind === "ok") {
    const user = result.json.user;
    const offset = api.clockOffset(result);
    if (offset !== null) await store.setSetting("clock_offset", offset);
    const known = await store.getSetting("user");
    if (known && known.id !== user.id) {
      // Someone else has signed in on this phone: nothing of the last user's is shown or sent.
      await store.clearCaseloads();
    }
    await store.setSetting("user", { id: user.id, name: user.name, language: user.language });
    await store.deleteSetting("signed_out");
    await loadLocal();
    await reconcileLanguage(user.language);
  } else if (result.kind === "unauthenticated") {
    await store.setSetting("signed_out", true);
  }
  await refreshLocal();
  return result.kind;
}

async function reconcileLanguage(profileLanguage) {
  const pending = await store.getSetting("lang_pending");
  if (pending) {
    // Chosen on this phone while offline: tell the server now.
    if (pending !== profileLanguage) {
      try {
        await fetch(`/language/${pending}?next=/app`, { credentials: "same-origin", redirect: "manual", cache: "no-store" });
      } catch {
        return;
      }
    }
    await store.deleteSetting("lang_pending");
    return;
  }
  if ((profileLanguage === "en" || profileLanguage === "cy") && profileLanguage !== state.language) {
    await store.setSetting("lang", profileLanguage);
    if (!state.formActive) location.reload(); // the service worker serves the shell in that language
  }
}

async function refreshCaseload() {
  if (!state.user || state.signedOut) return;
  const result = await caseload.refresh(state.user.id);
  if (result.kind === "unauthenticated") await store.setSetting("signed_out", true);
  await refreshLocal();
}

async function send({ force = false } = {}) {
  if (force) sync.resetBackoff();
  const result = await sync.send({ force });
  if (result.status === "other_user") await refreshSession();
  return result;
}

function askBackgroundSync() {
  if (registration && registration.sync) registration.sync.register(SEND_TAG).catch(() => {});
}

// --- Actions the screens call -------------------------------------------------------------

const actions = {
  state,
  formActive(active) {
    if (state.formActive !== active) {
      state.formActive = active;
      renderChrome();
    }
  },
  async save(contact, personName, { replaces }) {
    const user = state.user;
    if (replaces) await outbox.resubmit(user.id, replaces, contact, personName);
    else await outbox.save(user.id, contact, personName);
    // The write has completed: only now say so.
    pendingFlash = _("Saved on this phone — waiting to send");
    state.formActive = false;
    await loadLocal();
    location.hash = replaces ? "#/outbox" : "#/";
    askBackgroundSync();
    send({ force: true });
  },
  async sendNow() {
    if (state.signedOut || Date.now() - lastSessionCheck > CASELOAD_STALE_MS) await refreshSession();
    await send({ force: true });
  },
  async discard(ids) {
    await outbox.discard(state.user.id, ids);
  },
  describeProblem: waiting.describeProblem,
  async sendThenSignOut() {
    await send({ force: true });
    await loadLocal();
    if (!state.rows.length) return actions.signOut({ discard: false });
    return { stage: "choose", message: _("Not everything could be sent. Choose what to do with the records that are left.") };
  },
  async signOut({ discard }) {
    let done = await api.signOut();
    if (!done) done = (await api.getSession()).kind === "unauthenticated";
    if (!done) {
      return { stage: "start", message: _("You need a signal to sign out. Nothing has been deleted from this phone.") };
    }
    if (discard) await outbox.discard(state.user.id, state.rows.map((row) => row.id));
    await store.clearCaseloads();
    await store.deleteSetting("user");
    await store.deleteSetting("signed_out");
    await store.deleteSetting("clock_offset");
    location.assign("/login");
    return null;
  },
};

// --- Screens -------------------------------------------------------------------------------

function signInScreen(container) {
  replaceChildren(
    container,
    h("h1", { tabindex: "-1" }, _("Sign in to start")),
    h("p", {}, _("Sign in once while you have a signal. After that the app works on this phone with or without signal.")),
    h("p", {}, h("a", { class: "button", href: SIGN_IN_URL }, _("Sign in"))),
  );
  return { title: _("Sign in to start") };
}

function parseRoute() {
  const hash = location.hash || "#/";
  if (!hash.startsWith("#/")) return null;
  const parts = hash.slice(2).split("/").filter(Boolean);
  return { name: parts[0] || "home", arg: parts[1] || null };
}

function route() {
  const wanted = parseRoute();
  if (!wanted) return; // an in-page link such as the skip link
  const firstRender = screen === null;
  state.formActive = false;
  screenUser = state.user && state.user.id;
  const container = elements.screen;
  if (!state.user) {
    screen = signInScreen(container);
  } else if (wanted.name === "record") {
    const personId = wanted.arg ? Number(wanted.arg) : null;
    screen = record.mount(container, { ...actions, cancelHref: "#/" }, { personId });
  } else if (wanted.name === "outbox" && wanted.arg) {
    const row = state.rows.find((r) => r.id === wanted.arg && r.state === outbox.ATTENTION);
    if (!row) {
      location.replace("#/outbox");
      return;
    }
    screen = record.mount(container, { ...actions, cancelHref: "#/outbox" }, { row });
  } else if (wanted.name === "outbox") {
    screen = waiting.mount(container, actions);
  } else if (wanted.name === "sign-out") {
    screen = signout.mount(container, actions);
  } else {
    screen = home.mount(container, actions);
  }
  document.title = _("%(screen)s – Cyswllt", { screen: screen.title });
  replaceChildren(elements.flash, pendingFlash || "");
  pendingFlash = null;
  renderChrome();
  if (!firstRender) {
    const heading = container.querySelector("h1");
    if (heading) heading.focus();
  }
}

// --- What every screen shows: the sync indicator and the banners -------------------------------

function renderChrome() {
  const { user, rows, sending } = state;
  elements.indicator.hidden = !user;
  elements.signOutLink.hidden = !user;
  if (user) {
    const attention = rows.filter((r) => r.state === outbox.ATTENTION).length;
    const waitingCount = rows.length - attention;
    const parts = [];
    if (sending) parts.push(h("span", {}, _("Sending…")));
    else if (!rows.length) parts.push(h("span", {}, _("All sent")));
    if (waitingCount && !sending) parts.push(h("span", {}, ngettext("%(num)d waiting to send", "%(num)d waiting to send", waitingCount)));
    if (attention) parts.push(h("span", { class: "sync-indicator__attention" }, ngettext("%(num)d needs attention", "%(num)d need attention", attention)));
    replaceChildren(elements.indicator, parts);
    elements.indicator.classList.toggle("sync-indicator--waiting", rows.length > 0);
  }
  const banners = [];
  if (!state.online) {
    banners.push(banner("offline", _("You are offline. Contacts you record are saved on this phone and sent when you have a signal.")));
  }
  if (user && state.signedOut) {
    banners.push(banner("signed-out", _("You are signed out. Contacts you record are kept on this phone and sent after you sign in again."),
      h("a", { class: "button button--small", href: SIGN_IN_URL }, _("Sign in"))));
  }
  if (state.update && !state.formActive) {
    banners.push(banner("update", _("A new version of the app is ready."),
      h("button", { class: "button button--small", type: "button", onclick: applyUpdate }, _("Reload to update"))));
  }
  if (Math.abs(state.clockOffset) > CLOCK_TOLERANCE_MS) {
    banners.push(banner("clock", _("This phone's clock is wrong by more than 10 minutes. Check its date and time settings. Times you record are worked out from the server's clock.")));
  }
  if (user && !state.signedOut && state.storageRefused && !state.storageNoticeDismissed) { // only once signed in
    banners.push(banner("storage", _("This browser has not agreed to keep what is saved on this phone if it runs short of space. Send your records as soon as you can."),
      h("button", { class: "button button--small button--secondary", type: "button", onclick: dismissStorageNotice }, _("I understand"))));
  }
  replaceChildren(elements.banners, banners);
}

function banner(kind, text, action = null) {
  return h("div", { class: `banner banner--${kind}`, "data-banner": kind }, h("p", { class: "banner__text" }, text), action);
}

async function dismissStorageNotice() {
  await store.setSetting("storage_notice_dismissed", true);
  state.storageNoticeDismissed = true;
  renderChrome();
}

// --- Service worker: install, updates offered (never forced), Background Sync --------------------

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadingForUpdate) reloadOnce();
    else if (hadController) {
      state.update = { activated: true }; // updated from another tab: reload when it suits
      renderChrome();
    }
  });
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "send-now") send({ force: true }); // Background Sync fired
  });
  try {
    registration = await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/", updateViaCache: "none" });
  } catch {
    return; // the app still works online without it
  }
  navigator.serviceWorker.ready.then((ready) => {
    if (!navigator.serviceWorker.controller && ready.active) ready.active.postMessage({ type: "claim" });
  });
  const offer = (worker) => {
    state.update = { worker };
    renderChrome();
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
  setInterval(() => registration.update().catch(() => {}), UPDATE_CHECK_MS);
}

let reloading = false;
function reloadOnce() {
  if (!reloading) {
    reloading = true;
    location.reload();
  }
}

function applyUpdate() {
  if (state.update && state.update.worker) {
    reloadingForUpdate = true;
    state.update.worker.postMessage({ type: "activate-update" });
    setTimeout(reloadOnce, 3000); // in case the new version took over before we listened
  } else {
    reloadOnce();
  }
}

async function askForPersistentStorage() {
  if (!navigator.storage || !navigator.storage.persist) return;
  try {
    if (await navigator.storage.persisted()) return;
    state.storageRefused = !(await navigator.storage.persist());
  } catch {
    state.storageRefused = true;
  }
  renderChrome();
}

// --- Start ---------------------------------------------------------------------------------------

function wireEvents() {
  window.addEventListener("hashchange", route);
  for (const kind of ["outbox", "caseload", "settings"]) store.changes.addEventListener(kind, () => refreshLocal());
  store.changes.addEventListener("versionchange", () => {
    state.update = state.update || { activated: true };
    renderChrome();
  });
  sync.events.addEventListener("state", (event) => {
    state.sending = Boolean(event.detail.sending);
    if (event.detail.result) state.lastSend = event.detail.result;
    refreshLocal();
  });
  api.connectivity.addEventListener("reached", (event) => {
    const online = event.detail.reached;
    if (state.online !== online) {
      state.online = online;
      if (screen && screen.update && !state.formActive) screen.update();
      renderChrome();
    }
  });
  window.addEventListener("online", async () => {
    state.online = true;
    renderChrome();
    await refreshSession();
    await send({ force: true });
    await refreshCaseload();
  });
  window.addEventListener("offline", () => {
    state.online = false;
    renderChrome();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") periodic();
  });
  setInterval(periodic, PERIODIC_MS);

  document.addEventListener("click", async (event) => {
    const target = event.target.closest("a");
    if (!target) return;
    if (target.hasAttribute("data-skip-link")) {
      event.preventDefault();
      elements.main.focus();
    } else if (target.dataset.focus) {
      event.preventDefault();
      const field = document.getElementById(target.dataset.focus);
      if (field) field.focus();
    } else if (target.dataset.languageSwitch) {
      // Remember the choice on the phone first, so the app is in that language offline too.
      event.preventDefault();
      await store.setSetting("lang", target.dataset.languageSwitch);
      await store.setSetting("lang_pending", target.dataset.languageSwitch);
      const switchTo = new URL(target.href);
      switchTo.searchParams.set("next", location.pathname + location.hash); // back to this screen
      location.assign(switchTo.href);
    }
  });
}

async function periodic() {
  if (screen && screen.update && !state.formActive) screen.update(); // ages ("5 minutes ago") move on
  if (!navigator.onLine) return;
  if (state.signedOut && Date.now() - lastSessionCheck > PERIODIC_MS) await refreshSession();
  await send();
  if (state.caseload && Date.now() - Date.parse(state.caseload.fetched_at) > CASELOAD_STALE_MS) await refreshCaseload();
}

async function boot() {
  document.documentElement.classList.add("js");
  try {
    await i18n.load(state.language);
  } catch {
    /* no catalogue (offline before the first install): the words fall back to English */
  }
  // The shell's language is the officer's choice: the service worker serves it offline.
  if (!(await store.getSetting("lang_pending")) && (await store.getSetting("lang")) !== state.language) {
    await store.setSetting("lang", state.language);
  }
  await loadLocal();
  wireEvents();
  route();
  registerServiceWorker();
  askForPersistentStorage();
  if (navigator.onLine) {
    await refreshSession();
    await refreshCaseload();
  }
  await send({ force: true });
}

boot();
