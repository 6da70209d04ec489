// Signing out: offer to send what is waiting first. Signing out removes the caseload
// from the phone. Records not yet sent stay on the phone for this user (nobody else
// who signs in here sees them) unless the officer deletes them after a clear warning.

import { _, ngettext } from "./i18n.js";
import { h, replaceChildren } from "./dom.js";

export function mount(container, ctx) {
  const body = h("div", { class: "sign-out" });
  let stage = "start"; // start → (sending) → choose → confirm-delete; or failed
  let message = null;

  async function run(action) {
    message = null;
    stage = "busy";
    render();
    const outcome = await action();
    if (outcome && outcome.stage) {
      stage = outcome.stage;
      message = outcome.message || null;
      render();
    }
  }

  let shown = null;
  function render() {
    const unsent = ctx.state.rows.length;
    const key = JSON.stringify([stage, message, unsent, ctx.state.rows.filter((r) => r.state !== "attention").length]);
    if (key === shown) return; // a redraw would take the keyboard focus away from a button
    shown = key;
    const parts = [];
    if (message) parts.push(h("div", { class: "warning", role: "alert" }, h("p", {}, message)));
    if (stage === "busy") {
      parts.push(h("p", {}, _("Please wait…")));
    } else if (!unsent) {
      parts.push(
        h("p", {}, _("Signing out removes your team's caseload from this phone.")),
        h("div", { class: "form-actions" },
          h("button", { class: "button", type: "button", onclick: () => run(() => ctx.signOut({ discard: false })) }, _("Sign out")),
          h("a", { class: "cancel", href: "#/" }, _("Cancel"))),
      );
    } else if (stage === "confirm-delete") {
      parts.push(
        h("div", { class: "warning", role: "alert" },
          h("h2", {}, _("Delete records that have not been sent?")),
          h("p", {}, h("strong", {}, ngettext(
            "%(num)d record has not reached the server. If you delete it, it is gone for good: nobody will be able to recover it.",
            "%(num)d records have not reached the server. If you delete them, they are gone for good: nobody will be able to recover them.",
            unsent)))),
        h("div", { class: "form-actions" },
          h("button", { class: "button button--danger", type: "button", onclick: () => run(() => ctx.signOut({ discard: true })) },
            ngettext("Delete %(num)d record and sign out", "Delete %(num)d records and sign out", unsent)),
          h("button", { class: "button button--secondary", type: "button", onclick: () => { stage = "choose"; render(); } }, _("Do not delete anything"))),
      );
    } else {
      const waiting = ctx.state.rows.filter((r) => r.state !== "attention").length;
      parts.push(h("p", {}, ngettext(
        "%(num)d record on this phone has not been sent yet.",
        "%(num)d records on this phone have not been sent yet.",
        unsent)));
      const actions = h("div", { class: "form-actions form-actions--stacked" });
      if (waiting && stage === "start") {
        actions.append(h("button", { class: "button", type: "button", onclick: () => run(() => ctx.sendThenSignOut()) }, ngettext("Send %(num)d record, then sign out", "Send %(num)d records, then sign out", waiting)));
      }
      actions.append(
        h("button", { class: "button button--secondary", type: "button", onclick: () => run(() => ctx.signOut({ discard: false })) }, ngettext("Sign out and keep %(num)d record on this phone", "Sign out and keep %(num)d records on this phone", unsent)),
        h("p", { class: "hint" }, ngettext(
          "%(num)d record will be sent when you sign in again on this phone. Nobody else who signs in here can see it.",
          "%(num)d records will be sent when you sign in again on this phone. Nobody else who signs in here can see them.",
          unsent)),
        h("button", { class: "link-button link-button--danger", type: "button", onclick: () => { stage = "confirm-delete"; render(); } }, ngettext("Sign out and delete %(num)d record", "Sign out and delete %(num)d records", unsent)),
        h("a", { class: "cancel", href: "#/" }, _("Cancel")),
      );
      parts.push(actions);
    }
    replaceChildren(body, parts);
  }

  replaceChildren(container, h("h1", { tabindex: "-1" }, _("Sign out")), body);
  render();
  return {
    title: _("Sign out"),
    update() {
      if (stage !== "busy") render();
    },
  };
}
