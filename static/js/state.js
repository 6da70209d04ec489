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

export function announce() {
  changes.dispatchEvent(new Event("change"));
}

export async function loadLocal() {
  state.user = await store.getSetting("user");
  state.signedOut = Boolean(await store.getSetting("signed_out"));
  state.clockOffset = (await store.getSetting("clock_offset")) || 0;
  state.limits = (await store.getSetting("limits")) || null;
  state.colleagues = (await store.getSetting("colleagues")) || [];
  state.storageNoticeDismissed = Boolean(await store.getSetting("storage_notice_dismissed"));
  state.caseload = state.user ? await store.getCaseload(state.user.id) : null;
  state.rows = state.user ? await outbox.rows(state.user.id) : [];
  state.teamRules = (await store.getSetting("team_rules")) || null;
  state.receipts = state.user ? await receipts.list(state.user.id) : [];
  state.changes = state.user ? await corrections.list(state.user.id) : [];
}
