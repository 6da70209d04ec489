// "Waiting to send": every record the server has not yet accepted, its state, the
// server's reasons for a record it refused, "Send now", and for a refused record a way
// to correct and resend it (or, after a clear warning, to delete it).

import { _, ago, formatDate, ngettext } from "./i18n.js";
import { CONTACT_TYPES, OUTCOMES, h, label, replaceChildren } from "./dom.js";
import { ATTENTION, SENDING, WAITING } from "./outbox.js";
import { shortReference } from "./receipts.js";
import { isArrangementRow } from "./arrangements.js";

function stateText(row) {
  if (row.state === SENDING) return _("Sending");
  if (row.state === ATTENTION) return _("Needs attention");
  return _("Waiting to send");
}

function problemText(row) {
  const problem = row.problem || {};
  if (isArrangementRow(row)) return arrangementProblemText(problem);
  switch (problem.kind) {
    case "rejected":
      return _("The server did not accept this record. Correct it and send it again.");
    case "conflict":
      return _("The server already holds a different version of this record. Nothing was changed on the server.");
    case "mismatch":
      return _("The server's receipt does not match what this phone sent, so the record has been kept here. Send it again or ask your supervisor to check it.");
    case "refused":
      return _("The server could not take this record: %(reason)s", { reason: problem.message || "" });
    default:
      return "";
  }
}

// An arrangement's problems, in words about arranging: its details are sealed, so it is arranged
// again (a new one) rather than corrected.
function arrangementProblemText(problem) {
  switch (problem.kind) {
    case "rejected":
      return _("The server did not accept this arrangement. Arrange the contact again, then delete this one.");
    case "conflict":
      return _("The server already holds a different arrangement under this one's id. Nothing was changed on the server. Arrange the contact again, then delete this one.");
    case "mismatch":
      return _("The server's receipt does not match the arrangement this phone sent, so it has been kept here. Ask your supervisor to check it.");
    case "refused":
      return _("The server could not take this arrangement: %(reason)s", { reason: problem.message || "" });
    default:
      return "";
  }
}

/** What went wrong with a record, with the server's reasons (sentences in the user's language). */
export function describeProblem(row) {
  const reasons = row.problem && row.problem.errors ? Object.values(row.problem.errors).map(String) : [];
  return h(
    "div",
    { class: "problem" },
    h("p", {}, problemText(row)),
    reasons.length ? h("ul", { class: "problem__reasons" }, reasons.map((reason) => h("li", {}, reason))) : null,
  );
}

export function mount(container, ctx) {
  const status = h("div", { class: "send-status" });
  const list = h("ul", { class: "outbox" });
  const sendButton = h("button", { class: "button", type: "button", onclick: () => ctx.sendNow() }, _("Send now"));
  let confirming = null; // id of the record whose deletion is being confirmed

  function renderStatus() {
    const { rows, online, signedOut, sending, lastSend } = ctx.state;
    const waiting = rows.filter((r) => r.state !== ATTENTION).length;
    const attention = rows.length - waiting;
    const lines = [];
    if (!rows.length) lines.push(_("Everything recorded on this phone has been sent."));
    if (waiting) lines.push(ngettext("%(num)d record is waiting to send.", "%(num)d records are waiting to send.", waiting));
    if (attention) lines.push(ngettext("%(num)d record needs your attention.", "%(num)d records need your attention.", attention));
    if (sending) lines.push(_("Sending now…"));
    else if (signedOut && waiting) lines.push(ngettext("Sign in to send %(num)d record.", "Sign in to send %(num)d records.", waiting));
    else if (!online && waiting) lines.push(ngettext(
      "You are offline. %(num)d record will be sent when you have a signal.",
      "You are offline. %(num)d records will be sent when you have a signal.", waiting));
    else if (lastSend && lastSend.status === "failed" && waiting) {
      lines.push(_("The last attempt to send did not work. The app will try again by itself, or you can send now."));
    }
    if (rows.some((r) => r.sealed)) {
      lines.push(_("The details of a record are sealed as soon as it is saved: only the server can open them, so this phone shows who, what kind and when, but never the notes."));
    }
    replaceChildren(status, lines.map((line) => h("p", {}, line)));
    sendButton.hidden = waiting === 0;
  }

  function arrangementItem(row) {
    const a = row.arrangement;
    const headingId = `record-${row.id}`;
    const parts = [
      h("h2", { class: "outbox__name", id: headingId }, row.person_name || _("Unknown person")),
      h("p", {}, label(CONTACT_TYPES, a.type)),
      h("p", {}, _("Contact arranged for %(when)s", { when: formatDate(a.starts_at, "date_time") })),
      h("p", { class: "outbox__saved" }, _("Saved on this phone %(when)s", { when: ago(row.saved_at) })),
      h("p", { class: `outbox__state outbox__state--${row.state}` }, h("strong", {}, stateText(row))),
    ];
    if (row.state === ATTENTION) {
      parts.push(describeProblem(row));
      parts.push(h("div", { class: "outbox__actions" },
        h("a", { class: "button button--secondary", href: `#/arrange/${a.person_id}`, "aria-describedby": headingId }, _("Arrange it again")),
        discardControls(row, headingId)));
    } else if (row.state === WAITING) {
      parts.push(h("div", { class: "outbox__actions" }, discardControls(row, headingId)));
    }
    return h("li", { class: `outbox__item outbox__item--${row.state}`, "data-record-id": row.id, "data-arrangement-id": row.id }, parts);
  }

  function recordItem(row) {
    if (isArrangementRow(row)) return arrangementItem(row);
    const c = row.contact;
    const headingId = `record-${row.id}`;
    const parts = [
      h("h2", { class: "outbox__name", id: headingId }, row.person_name || _("Unknown person")),
      h("p", {}, c.outcome ? `${label(CONTACT_TYPES, c.type)} · ${label(OUTCOMES, c.outcome)}` : label(CONTACT_TYPES, c.type)),
      h("p", {}, _("Contact on %(when)s", { when: formatDate(c.occurred_at, "date_time") })),
      h("p", { class: "outbox__saved" }, _("Saved on this phone %(when)s", { when: ago(row.saved_at) })),
      h("p", { class: `outbox__state outbox__state--${row.state}` }, h("strong", {}, stateText(row))),
    ];
    parts.push(h("p", { class: "outbox__reference" }, _("Reference %(reference)s", { reference: shortReference(row.id) })));
    if (row.state === WAITING) {
      // Corrected before it is sent: what will be sent changes, and it stays one record.
      parts.push(h("div", { class: "outbox__actions" },
        h("a", { class: "button button--secondary", href: `#/outbox/${row.id}`, "aria-describedby": headingId }, _("Correct before it is sent")),
        discardControls(row, headingId)));
    }
    if (row.state === ATTENTION) {
      parts.push(describeProblem(row));
      if (row.sealed) parts.push(h("p", {}, _("Its details are sealed on this phone: to correct it, give the outcome and any notes again.")));
      const actions = h("div", { class: "outbox__actions" });
      if (row.problem && row.problem.kind !== "conflict") {
        actions.append(h("a", { class: "button button--secondary", href: `#/outbox/${row.id}`, "aria-describedby": headingId }, _("Correct and send again")));
      }
      actions.append(discardControls(row, headingId));
      parts.push(actions);
    }
    return h("li", { class: `outbox__item outbox__item--${row.state}`, "data-record-id": row.id }, parts);
  }

  /** Discard, after a clear warning and with a reason: the server is told (audited). */
  function discardControls(row, headingId) {
    if (confirming !== row.id) {
      return h("button", { class: "link-button link-button--danger", type: "button", "aria-describedby": headingId, onclick: () => { confirming = row.id; renderList(); } }, _("Delete this record"));
    }
    const reasonId = `discard-reason-${row.id}`;
    const error = h("p", { class: "field__error", id: `${reasonId}-error`, hidden: true });
    const reason = h("textarea", { class: "input textarea", id: reasonId, rows: "2" });
    return h(
      "div",
      { class: "warning", role: "alert" },
      h("p", {}, h("strong", {}, _("This record has not reached the server. If you delete it, it is gone for good and cannot be recovered."))),
      h("div", { class: "field" }, h("label", { for: reasonId }, _("Why are you deleting it? Your team's audit trail will show this.")), error, reason),
      h("button", { class: "button button--danger", type: "button", onclick: () => {
        const why = reason.value.normalize("NFC").trim();
        if (!why) {
          error.textContent = _("Say why this record is being discarded.");
          error.hidden = false;
          reason.setAttribute("aria-invalid", "true");
          reason.focus();
          return;
        }
        ctx.discard([row.id], why);
      } }, _("Delete this record for good")),
      h("button", { class: "button button--secondary", type: "button", onclick: () => { confirming = null; renderList(); } }, _("Keep it")),
    );
  }

  let shown = null;
  function renderList() {
    // Redraw only what changed: a redraw would take the keyboard focus away from a button.
    const key = JSON.stringify([confirming, ctx.state.rows.map((r) => [r.id, r.state, r.problem, r.person_name, r.hash])]);
    if (key === shown) return;
    shown = key;
    replaceChildren(list, ctx.state.rows.map(recordItem));
  }

  replaceChildren(container, h("h1", { tabindex: "-1" }, _("Waiting to send")), status, h("p", {}, sendButton), list);
  renderStatus();
  renderList();
  return {
    title: _("Waiting to send"),
    update() {
      renderStatus();
      renderList();
    },
  };
}
