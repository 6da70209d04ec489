// What the officer sees of the lock (lock.js): the locked screen (the PIN, or signing in again),
// the offer to set a PIN after signing in, and what the sign-in screen says after a wipe.

import { _, ago, ngettext } from "./i18n.js";
import { h, replaceChildren } from "./dom.js";
import * as lock from "./lock.js";
import * as pin from "./pin.js";
import { SIGN_IN_URL } from "./chrome.js";

function problemText(problem) {
  switch (problem) {
    case "empty":
      return _("Enter your PIN.");
    case "digits":
      return _("Use digits only.");
    case "short":
      return ngettext("Use at least %(num)d digit.", "Use at least %(num)d digits.", pin.MIN_LENGTH);
    case "long":
      return ngettext("Use no more than %(num)d digit.", "Use no more than %(num)d digits.", pin.MAX_LENGTH);
    case "guessable":
      return _("That PIN is too easy to guess. Do not use one digit repeated, a run such as 123456, or a pattern such as 121212.");
    case "mismatch":
      return _("The two PINs are not the same. Type your PIN twice.");
    default:
      return _("The app is locked. Sign in again to set a PIN.");
  }
}

function pinInput(id, describedBy) {
  return h("input", {
    class: "input input--pin",
    id,
    type: "password",
    inputmode: "numeric",
    pattern: "[0-9]*",
    autocomplete: "off",
    maxlength: String(pin.MAX_LENGTH),
    "aria-describedby": describedBy,
  });
}

function showError(element, input, text) {
  replaceChildren(element, text || "");
  element.hidden = !text;
  for (const field of [].concat(input)) {
    if (text) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
  }
}

/** The screen while the app is locked: nothing of the caseload, only a way back in. */
export function mount(container, ctx, { hasPin }) {
  const userId = ctx.state.user.id;
  const parts = [
    h("h1", { tabindex: "-1" }, _("The app is locked")),
    h("p", {}, _("Nothing of your team's caseload is shown until you unlock the app.")),
  ];
  let input = null;
  if (hasPin) {
    const error = h("p", { class: "field__error", id: "pin-error", role: "alert", hidden: true });
    input = pinInput("pin", "pin-hint pin-error");
    const button = h("button", { class: "button", type: "submit" }, _("Unlock"));
    const form = h(
      "form",
      { class: "unlock", novalidate: true },
      h("div", { class: "field" },
        h("label", { for: "pin" }, _("Your PIN")),
        h("p", { class: "field__hint", id: "pin-hint" }, _("The PIN you set on this phone when you signed in.")),
        error,
        input),
      h("div", { class: "form-actions" }, button),
    );
    let busy = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return;
      if (!input.value) {
        showError(error, input, problemText("empty"));
        input.focus();
        return;
      }
      busy = true;
      button.disabled = true;
      showError(error, input, "");
      replaceChildren(button, _("Checking…"));
      const outcome = await lock.unlockWithPin(userId, input.value);
      busy = false;
      button.disabled = false;
      replaceChildren(button, _("Unlock"));
      if (outcome.ok || outcome.wiped) return; // the app shows the caseload, or the signed-out screen
      input.value = "";
      showError(error, input, ngettext(
        "That PIN is not right. %(num)d more wrong PIN removes your team's caseload from this phone.",
        "That PIN is not right. %(num)d more wrong PINs remove your team's caseload from this phone.",
        outcome.triesLeft));
      input.focus();
    });
    parts.push(form, h("p", {}, h("a", { href: SIGN_IN_URL }, _("Sign in with your password instead"))));
  } else {
    parts.push(
      h("p", {}, _("Sign in again to see your caseload. Without signal you can sign in once the signal returns: what you recorded stays on this phone and is sent then.")),
      h("p", {}, h("a", { class: "button", href: SIGN_IN_URL }, _("Sign in"))),
    );
  }
  // What is waiting to send says nothing of anyone: the officer still sees it (as on "This week").
  const waiting = h("p", { class: "note" });
  const showWaiting = () => {
    const rows = ctx.state.rows;
    replaceChildren(waiting, rows.length ? _("The oldest record waiting to send was saved %(when)s.", { when: ago(rows[0].saved_at) }) : "");
  };
  showWaiting();
  parts.splice(2, 0, waiting);
  replaceChildren(container, parts);
  return { title: _("The app is locked"), update: showWaiting };
}

/** The offer to set a PIN, shown on "This week" after signing in until it is set or put off. */
export function pinOffer(ctx, { done }) {
  const userId = ctx.state.user.id;
  const error = h("p", { class: "field__error", id: "new-pin-error", role: "alert", hidden: true });
  const first = pinInput("new-pin", "new-pin-hint new-pin-error");
  const second = pinInput("new-pin-again", "new-pin-error");
  const save = h("button", { class: "button", type: "submit" }, _("Set PIN"));
  const form = h(
    "form",
    { class: "pin-offer__form", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "new-pin" }, _("Choose a PIN")),
      h("p", { class: "field__hint", id: "new-pin-hint" }, ngettext(
        "At least %(num)d digit. It never leaves this phone.",
        "At least %(num)d digits. It never leaves this phone.", pin.MIN_LENGTH)),
      error,
      first),
    h("div", { class: "field" }, h("label", { for: "new-pin-again" }, _("Type the PIN again")), second),
    h("div", { class: "form-actions" },
      save,
      h("button", { class: "button button--secondary", type: "button", onclick: async () => {
        await lock.putOffPin(userId);
        done(null);
      } }, _("Not now"))),
  );
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    let problem = pin.problem(first.value);
    if (!problem && first.value !== second.value) problem = "mismatch";
    if (problem) {
      showError(error, problem === "mismatch" ? [first, second] : first, problemText(problem));
      (problem === "mismatch" ? second : first).focus();
      return;
    }
    busy = true;
    save.disabled = true;
    problem = await lock.setPin(userId, first.value);
    busy = false;
    save.disabled = false;
    if (problem) {
      showError(error, first, problemText(problem));
      return;
    }
    done(_("PIN set. When the app locks, your PIN opens it, with or without signal."));
  });
  return h(
    "section",
    { class: "pin-offer", "aria-labelledby": "pin-offer-title" },
    h("h2", { id: "pin-offer-title" }, _("Set a PIN for this phone")),
    h("p", {}, _("The app locks when it is left alone. With a PIN you can open it again without signal; without one, you sign in again when you have a signal.")),
    form,
  );
}

/** What the sign-in screen says after a wipe: why, and what is left on the phone. */
export function wipedNotice(wiped, { unsent, pending }) {
  if (!wiped) return null;
  const lines = [];
  if (wiped.reason === "revoked") {
    lines.push(_("Access from this phone has been withdrawn, so your team's caseload has been removed from it. Ask your supervisor if you do not know why."));
  } else if (wiped.reason === "pin") {
    lines.push(ngettext(
      "A wrong PIN was entered %(num)d time, so your team's caseload has been removed from this phone.",
      "A wrong PIN was entered %(num)d times, so your team's caseload has been removed from this phone.",
      pin.MAX_TRIES));
  } else {
    lines.push(_("You have signed out. Your team's caseload has been removed from this phone."));
  }
  if (pending) lines.push(_("Your sign-in will be ended on the server as soon as this phone has a signal."));
  if (unsent) {
    lines.push(ngettext(
      "%(num)d record not yet sent is kept on this phone, sealed, and is sent after the next sign-in.",
      "%(num)d records not yet sent are kept on this phone, sealed, and are sent after the next sign-in.",
      unsent));
  }
  return h("div", { class: "notice", "data-wiped": wiped.reason, role: "status" }, lines.map((line) => h("p", {}, line)));
}
