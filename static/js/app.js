// The phone app: boots from the shell page (served by the service worker offline),
// routes between the screens, and keeps the outbox moving. What it knows is state.js;
// who is signed in, session.js; the indicator and banners, chrome.js; the service worker
// and its updates, updates.js. See DEVELOPERS.md, "The phone app".

import * as i18n from "./i18n.js";
import * as store from "./store.js";
import * as api from "./api.js";
import * as outbox from "./outbox.js";
import * as sync from "./sync.js";
import * as caseload from "./caseload.js";
import * as session from "./session.js";
import * as updates from "./updates.js";
import { h, replaceChildren } from "./dom.js";
import { SIGN_IN_URL, newScreen, renderChrome } from "./chrome.js";
import { changes, loadLocal, setOnline, state } from "./state.js";
import * as arrangementRules from "./arrangements.js";
import * as home from "./home.js";
import * as corrections from "./corrections.js";
import * as lock from "./lock.js";
import * as wipe from "./wipe.js";
import * as lockscreen from "./lockscreen.js";

// The screens other than "This week" load when first opened (and in the background once the
// app has started), so the first load carries only what the first screen needs.
const SCREENS = {
  record: () => import("./record.js"),
  arrange: () => import("./arrange.js"),
  waiting: () => import("./waiting.js"),
  signout: () => import("./signout.js"),
  sent: () => import("./sent.js"),
};
const loaded = {};
function screenModule(name) {
  if (!loaded[name]) loaded[name] = SCREENS[name]();
  return loaded[name];
}
function loadEveryScreen() {
  for (const name of Object.keys(SCREENS)) screenModule(name).catch(() => {});
}

const { _ } = i18n;

const PERIODIC_MS = 30 * 1000;
const CASELOAD_STALE_MS = 5 * 60 * 1000;

const elements = {
  screen: document.getElementById("screen"),
  flash: document.getElementById("flash"),
  main: document.getElementById("main"),
};

let screen = null;
const SCREENS_NEEDED = new Set(["record", "arrange", "outbox", "sign-out", "sent"]);
let screenUser = undefined;
let pendingFlash = null;

// --- Local state (IndexedDB) ------------------------------------------------------------

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
  const kind = await session.refresh();
  await refreshLocal();
  return kind;
}

async function refreshCaseload() {
  if (!state.user || state.signedOut || !lock.isOpen(state.user.id)) return; // locked: nothing to seal it with
  const result = await caseload.refresh(state.user.id);
  if (result.kind === "unauthenticated") await store.setSetting("signed_out", true);
  await refreshLocal();
}

async function send({ force = false } = {}) {
  if (force) sync.resetBackoff();
  const result = await sync.send({ force });
  if (result.status === "other_user") await refreshSession();
  if (result.status === "done" && result.caseloadChanged) await refreshCaseload(); // by ETag
  return result;
}

// --- Actions the screens call -------------------------------------------------------------

/**
 * Off the form once its work is stored, to `to` with `message`: unless the officer has already
 * gone to another screen meanwhile (the header's links work while a save finishes), then the
 * message is shown there and the officer stays where they went.
 */
function leaveForm(from, to, message) {
  pendingFlash = message;
  if (location.hash === from) {
    location.hash = to;
    return;
  }
  replaceChildren(elements.flash, pendingFlash);
  pendingFlash = null;
}

async function afterChange(message) {
  const from = location.hash;
  state.formActive = false;
  await loadLocal();
  leaveForm(from, "#/sent", message);
  send({ force: true });
}

const actions = {
  state,
  formActive(active) {
    if (state.formActive !== active) {
      state.formActive = active;
      renderChrome();
    }
  },
  /** An arranged contact's outcome (two taps from home): a contact record through the outbox,
   * with the arrangement's id in it; the arrangement is marked recorded on the phone at once. */
  async recordArranged(arrangement, outcome) {
    const user = state.user;
    const contact = arrangementRules.contactFor(arrangement, outcome, { id: crypto.randomUUID() });
    await outbox.save(user.id, contact, arrangement.person.display_name);
    await store.updateCaseload(user.id, (held) => ({
      ...held,
      arrangements: (held.arrangements || []).map((a) => (a.id === arrangement.id ? { ...a, state: "recorded", contact_id: contact.id } : a)),
    }));
    await loadLocal();
    replaceChildren(elements.flash, _("Saved on this phone — waiting to send"));
    updates.askBackgroundSync();
    send({ force: true });
  },
  /** A contact arranged on this phone: sealed into the outbox, on the home at once, sent once. */
  async arrange(arrangement, personName) {
    const from = location.hash;
    await outbox.saveArrangement(state.user.id, arrangement, personName);
    state.formActive = false;
    await loadLocal();
    leaveForm(from, "#/", _("Arrangement saved on this phone — waiting to send"));
    updates.askBackgroundSync();
    send({ force: true });
  },
  async save(contact, personName, { replaces }) {
    const user = state.user;
    const from = location.hash;
    let applied = true;
    if (replaces) applied = await outbox.resubmit(user.id, replaces, contact, personName);
    else await outbox.save(user.id, contact, personName);
    state.formActive = false;
    await loadLocal();
    // The write has completed: only now say so.
    leaveForm(from, replaces ? "#/outbox" : "#/", applied
      ? _("Saved on this phone — waiting to send")
      : _("This record was being sent as you saved, so your correction was not made. Once it has arrived, correct it from Sent from this phone."));
    updates.askBackgroundSync();
    send({ force: true });
  },
  async sendNow() {
    if (state.signedOut || session.sinceLastCheck() > CASELOAD_STALE_MS) await refreshSession();
    await send({ force: true });
  },
  async discard(ids, reason) {
    // The only way a record leaves the phone unsent: reported to the server (audited), with why.
    const user = state.user;
    // (An arrangement deleted unsent is not a contact: there is no contact to report.)
    const contacts = state.rows.filter((r) => ids.includes(r.id) && !arrangementRules.isArrangementRow(r));
    for (const row of contacts) await corrections.discarded(user.id, row, reason);
    await outbox.discard(user.id, ids);
    await loadLocal();
    send({ force: true });
  },
  async correctRecord(receipt, changes, reason) {
    await corrections.correct(state.user.id, receipt, changes, reason);
    await afterChange(_("Correction saved on this phone — waiting to send"));
  },
  async voidRecord(receipt, reason) {
    await corrections.voidRecord(state.user.id, receipt, reason);
    await afterChange(_("Void saved on this phone — waiting to send"));
  },
  async dismissChange(changeKey) {
    await corrections.dismiss(state.user.id, changeKey);
    await refreshLocal();
  },
  describeProblem: (row) => waitingScreen.describeProblem(row),
  async sendThenSignOut() {
    await send({ force: true });
    await loadLocal();
    if (!state.rows.length) return actions.signOut({ discard: false });
    return { stage: "choose", message: _("Not everything could be sent. Choose what to do with the records that are left.") };
  },
  async signOut({ discard }) {
    if (discard) {
      // Reported while the sign-in lasts, so the server's trail names each record deleted unsent.
      // Without signal the reports go with the wipe below (the records themselves were never sent).
      const reason = _("Deleted when signing out");
      for (const row of state.rows.filter((r) => !arrangementRules.isArrangementRow(r))) {
        await corrections.discarded(state.user.id, row, reason);
      }
      await outbox.discard(state.user.id, state.rows.map((row) => row.id));
      await sync.send({ force: true });
    }
    let done = await api.signOut();
    if (!done) done = (await api.getSession()).kind === "unauthenticated";
    // Without signal the server's sign-in is ended the next time the phone reaches it (wipe.js).
    if (!done) await wipe.signOutLater();
    leaving = true;
    await wipe.wipeReadable("signed_out");
    location.assign(done ? "/login" : "/app");
    return null;
  },
};

// --- Screens -------------------------------------------------------------------------------

function signInScreen(container, notice, pending) {
  replaceChildren(
    container,
    h("h1", { tabindex: "-1" }, _("Sign in to start")),
    notice,
    h("p", {}, _("Sign in once while you have a signal. After that the app works on this phone with or without signal.")),
    h("p", {}, h("a", { class: "button", href: SIGN_IN_URL }, _("Sign in"))),
  );
  return {
    title: _("Sign in to start"),
    async update() {
      // The sign-out the server had not heard of has reached it: say so.
      if (notice && pending !== Boolean(await store.getSetting("pending_sign_out"))) route();
    },
  };
}

function parseRoute() {
  const hash = location.hash || "#/";
  if (!hash.startsWith("#/")) return null;
  const parts = hash.slice(2).split("/").filter(Boolean);
  return { name: parts[0] || "home", arg: parts[1] || null, kind: parts[2] || null };
}

let waitingScreen = null; // the outbox screen's module, once loaded (record.js asks it to word problems)
let routing = 0;

async function modulesFor(wanted) {
  if (!state.user) return {};
  if (wanted.name === "record" || (wanted.name === "outbox" && wanted.arg)) {
    const [record, waiting] = await Promise.all([screenModule("record"), screenModule("waiting")]);
    waitingScreen = waiting;
    return { record, waiting };
  }
  if (wanted.name === "outbox") {
    waitingScreen = await screenModule("waiting");
    return { waiting: waitingScreen };
  }
  if (wanted.name === "arrange") return { arrange: await screenModule("arrange") };
  if (wanted.name === "sign-out") return { signout: await screenModule("signout") };
  if (wanted.name === "sent") return { sent: await screenModule("sent") };
  return {};
}

async function route() {
  const wanted = parseRoute();
  if (!wanted) return; // an in-page link such as the skip link
  const ticket = ++routing;
  let modules = {};
  const userId = state.user && state.user.id;
  const locked = wanted.name !== "sign-out" && (await lock.isLocked(userId)); // signing out needs no key
  const lockedWithPin = locked && (await lock.hasPin(userId));
  const offerPin = !locked && wanted.name === "home" && (await lock.offerPin(userId));
  const pending = Boolean(await store.getSetting("pending_sign_out"));
  const notice = state.user ? null : lockscreen.wipedNotice(await wipe.lastWipe(), {
    unsent: (await store.allOutboxRows()).length,
    pending,
  });
  if (state.user && !locked && SCREENS_NEEDED.has(wanted.name)) {
    try {
      modules = await modulesFor(wanted);
    } catch {
      location.replace("#/"); // offline before the app was first installed: stay on "This week"
      return;
    }
  }
  if (ticket !== routing) return; // another screen was asked for while this one loaded
  if ((state.user && state.user.id) !== userId) return route(); // signed in or out meanwhile: decide again
  const { record, arrange, waiting, signout, sent } = modules;
  const firstRender = screen === null;
  state.formActive = false;
  screenUser = state.user && state.user.id;
  const container = elements.screen;
  if (!state.user) {
    screen = signInScreen(container, notice, pending);
  } else if (locked) {
    screen = lockscreen.mount(container, actions, { hasPin: lockedWithPin });
  } else if (wanted.name === "record") {
    const personId = wanted.arg ? Number(wanted.arg) : null;
    screen = record.mount(container, { ...actions, cancelHref: "#/" }, { personId });
  } else if (wanted.name === "arrange") {
    screen = arrange.mount(container, actions, { personId: wanted.arg ? Number(wanted.arg) : null });
  } else if (wanted.name === "outbox" && wanted.arg) {
    // A record needing attention is corrected to send again; one still waiting, corrected in place.
    const row = state.rows.find((r) => r.id === wanted.arg && (r.state === outbox.ATTENTION || r.state === outbox.WAITING));
    if (row && arrangementRules.isArrangementRow(row)) {
      location.replace(`#/arrange/${row.arrangement.person_id}`); // sealed: arranged again as a new one
      return;
    }
    if (!row) {
      location.replace("#/outbox");
      return;
    }
    screen = record.mount(container, { ...actions, cancelHref: "#/outbox" }, { row });
  } else if (wanted.name === "outbox") {
    screen = waiting.mount(container, actions);
  } else if (wanted.name === "sent") {
    screen = sent.mount(container, { ...actions }, { id: wanted.arg, kind: wanted.kind });
  } else if (wanted.name === "sign-out") {
    screen = signout.mount(container, actions);
  } else {
    screen = home.mount(container, actions);
    if (offerPin) {
      container.querySelector("h1").after(lockscreen.pinOffer(actions, {
        done(message) {
          if (message) pendingFlash = message;
          route();
        },
      }));
    }
  }
  newScreen();
  document.title = _("%(screen)s – Cyswllt", { screen: screen.title });
  replaceChildren(elements.flash, pendingFlash || "");
  pendingFlash = null;
  renderChrome();
  if (!firstRender) {
    const heading = container.querySelector("h1");
    if (heading) heading.focus();
  }
}

// --- Start ---------------------------------------------------------------------------------------

let leaving = false; // signing out: the sign-out goes on to the next page itself

/** Locked or wiped: nothing of the caseload stays on the screen or in this page's memory. */
function forgetScreen() {
  state.caseload = null;
  state.formActive = false;
  replaceChildren(elements.screen);
  replaceChildren(elements.flash);
}

function wireLock() {
  wipe.watchForRevocation();
  wipe.events.addEventListener("wiped", (event) => {
    const hadUser = Boolean(state.user);
    forgetScreen();
    state.user = null;
    state.rows = [];
    if (event.detail.here && event.detail.reason === "other_user") return; // the new user's session goes on
    if (leaving) return;
    if (hadUser) location.replace("/app"); // a new page: nothing of the old one left in memory
    // Already drawn signed out (the wiped settings reached this page first): draw it again, with why.
    else route();
  });
  lock.events.addEventListener("change", async () => {
    await refreshLocal();
    route(); // locked or opened: another screen
  });
}

async function lockedByIdle() {
  forgetScreen();
  await wipe.signOutLater(); // the sign-in ends too: unlocking is signing in again, or the PIN
  route();
  wipe.completePendingSignOut().then(() => refreshSession()).catch(() => {});
}

function wireEvents() {
  window.addEventListener("hashchange", route);
  for (const kind of ["outbox", "caseload", "settings"]) store.changes.addEventListener(kind, () => refreshLocal());
  changes.addEventListener("change", renderChrome);
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
      setOnline(online);
      if (screen && screen.update && !state.formActive) screen.update();
      renderChrome();
    }
  });
  window.addEventListener("online", async () => {
    setOnline(true);
    renderChrome();
    await refreshSession();
    await send({ force: true });
    await refreshCaseload();
  });
  window.addEventListener("offline", () => {
    setOnline(false);
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
  if (state.signedOut && session.sinceLastCheck() > PERIODIC_MS) await refreshSession();
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
  lock.install();
  wireLock();
  await lock.watch({ lockAfterSeconds: await store.getSetting("lock_after_seconds"), locked: lockedByIdle });
  await loadLocal();
  wireEvents();
  await route();
  loadEveryScreen();
  updates.registerServiceWorker({ onSendNow: () => send({ force: true }) });
  updates.askForPersistentStorage();
  if (navigator.onLine) {
    await refreshSession();
    await refreshCaseload();
  }
  await send({ force: true });
}

boot();
