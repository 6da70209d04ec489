// What the phone app knows right now, in one object the screens read, and `loadLocal`
// to fill it again from IndexedDB. Whoever changes it in a way the page should show calls
// `announce()`; app.js redraws the chrome (chrome.js) on every announcement.

import * as store from "./store.js";
import * as outbox from "./outbox.js";
import * as receipts from "./receipts.js";
import * as corrections from "./corrections.js";

export const state = {
  language: document.documentElement.lang === "cy" ? "cy" : "en",
  user: null,
  signedOut: false,
  online: navigator.onLine,
  backOnline: false, // the signal came back while this screen was open (chrome.js)
  caseload: null,
  rows: [],
  sending: false,
  lastSend: null,
  clockOffset: 0,
  limits: null,
  teamRules: null, // {late_entry_days, correction_window_days}, from the last session check
  receipts: [], // sent in the last fortnight (receipts.js)
  changes: [], // corrections, voids and discard reports made on this phone (corrections.js)
  colleagues: [],
  storageRefused: false,
  storageNoticeDismissed: false,
  update: null,
  formActive: false,
};

export const changes = new EventTarget();

/** The signal is there or not. Coming back, the offline banner's place says so until the next screen. */
export function setOnline(online) {
  if (online && !state.online) state.backOnline = true;
  if (!online) state.backOnline = false;
  state.online = online;
}

export function announce() {
  changes.dispatchEvent(new Event("change"));
}

export async function loadLocal() {
  // Read everything first, then change the state at once: a redraw in between never shows one
  // user with what was read for none (the caseload is opened with WebCrypto, which takes a while).
  const user = await store.getSetting("user");
  const next = {
    user,
    signedOut: Boolean(await store.getSetting("signed_out")),
    clockOffset: (await store.getSetting("clock_offset")) || 0,
    limits: (await store.getSetting("limits")) || null,
    colleagues: (await store.getSetting("colleagues")) || [],
    storageNoticeDismissed: Boolean(await store.getSetting("storage_notice_dismissed")),
    caseload: user ? await store.getCaseload(user.id) : null,
    rows: user ? await outbox.rows(user.id) : [],
    teamRules: (await store.getSetting("team_rules")) || null,
    receipts: user ? await receipts.list(user.id) : [],
    changes: user ? await corrections.list(user.id) : [],
  };
  Object.assign(state, next);
}
