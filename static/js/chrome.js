// What every screen shows around it: the sync indicator, the sign-out link and the banners
// (offline or online again, signed out, an update ready, a wrong clock, storage not kept).
//
// Within one screen the banners' area never gets shorter: when the signal comes back (one bar
// in a valley comes and goes) or a banner is dismissed, what is below stays where it was, so a
// tap on "Record a contact" lands on it. The next screen lays itself out afresh (newScreen).

import { _, ngettext } from "./i18n.js";
import * as store from "./store.js";
import * as outbox from "./outbox.js";
import { h, keepingHeight, replaceChildren } from "./dom.js";
import { state } from "./state.js";
import { applyUpdate } from "./updates.js";

export const SIGN_IN_URL = "/login?next=/app";
const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;

const elements = {
  banners: document.getElementById("banners"),
  indicator: document.getElementById("sync-indicator"),
  signOutLink: document.getElementById("sign-out-link"),
};

export function renderChrome() {
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
  } else if (state.backOnline) {
    banners.push(banner("online", _("You are online again.")));
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
  keepingHeight(elements.banners, () => replaceChildren(elements.banners, banners));
}

/** A new screen: the banners take only the room they need, and "online again" has been seen. */
export function newScreen() {
  state.backOnline = false;
  elements.banners.style.minHeight = "";
}

function banner(kind, text, action = null) {
  return h("div", { class: `banner banner--${kind}`, "data-banner": kind }, h("p", { class: "banner__text" }, text), action);
}

async function dismissStorageNotice() {
  await store.setSetting("storage_notice_dismissed", true);
  state.storageNoticeDismissed = true;
  renderChrome();
}
