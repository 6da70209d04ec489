// "Sent": each record this phone sent in the last fortnight, that the server holds it (the hash
// matched) and since when, its reference to quote, and — within the team's correction window —
// correct and void. Corrections and voids are queued like new records (corrections.js) and
// their state is shown here: waiting, done, or refused with the reason and the version held.

import { _, formatDate, fromLondon, londonDay, londonTime } from "./i18n.js";
import { CONTACT_TYPES, OUTCOMES, errorSummary, h, label, replaceChildren } from "./dom.js";
import * as receipts from "./receipts.js";
import { ATTENTION, DONE, WAITING } from "./corrections.js";
import { lateWarning, weekToConfirm } from "./late.js";

function changeText(change) {
  if (change.kind === "correct") {
    if (change.state === WAITING) return _("Correction saved on this phone — waiting to send");
    if (change.state === DONE) return _("Correction sent: the server holds the corrected version.");
  } else if (change.kind === "void") {
    if (change.state === WAITING) return _("Void saved on this phone — waiting to send");
    if (change.state === DONE) return _("Voided: the server holds it as void, and it no longer counts.");
  }
  return "";
}

function problemText(change) {
  const problem = change.problem || {};
  if (problem.code === "conflict") return _("Someone changed this record first, so your change was not made. This is the version held now: make your change again from it if it is still needed.");
  return _("The server did not make this change: %(reason)s", { reason: problem.message || "" });
}

function radio(name, value, text, checked) {
  const id = `${name}-${value}`;
  return h("div", { class: "choice" },
    h("input", { class: "choice__input", type: "radio", name, id, value, checked }),
    h("label", { class: "choice__label", for: id }, text));
}

function changesFor(receiptId, changes) {
  return changes.filter((c) => c.contact_id === receiptId && c.kind !== "discard");
}

function listScreen(container, ctx) {
  const list = h("ul", { class: "outbox sent" });
  let shown = null;
  function render() {
    const { receipts: kept, changes, teamRules } = ctx.state;
    const key = JSON.stringify([kept, changes]);
    if (key === shown) return;
    shown = key;
    const windowDays = teamRules ? teamRules.correction_window_days : null;
    replaceChildren(list, kept.map((receipt) => {
      const headingId = `sent-${receipt.id}`;
      const mine = changesFor(receipt.id, changes);
      const pending = mine.some((c) => c.state === WAITING);
      const parts = [
        h("h2", { class: "outbox__name", id: headingId }, receipt.person_name || _("Unknown person")),
        // A sealed record's receipt knows its kind, not its outcome (the outbox kept only a summary).
        h("p", {}, receipt.outcome ? `${label(CONTACT_TYPES, receipt.type)} · ${label(OUTCOMES, receipt.outcome)}` : label(CONTACT_TYPES, receipt.type)),
        h("p", {}, _("Contact on %(when)s", { when: formatDate(receipt.occurred_at, "date_time") })),
        h("p", { class: "sent__reference" }, _("Reference %(reference)s", { reference: receipt.reference })),
        h("p", { class: "sent__receipt" }, _("The server holds this record exactly as sent. It arrived on %(when)s.", { when: formatDate(receipt.received_at, "date_time") })),
      ];
      if (receipt.voided) parts.push(h("p", {}, h("strong", {}, _("Void: it no longer counts."))));
      for (const change of mine) {
        if (change.state === ATTENTION) {
          const stored = change.problem && change.problem.stored;
          parts.push(h("div", { class: "problem", role: "status" },
            h("p", {}, problemText(change)),
            stored && stored.type ? h("p", {}, `${label(CONTACT_TYPES, stored.type)} · ${label(OUTCOMES, stored.outcome)} · ${formatDate(stored.occurred_at, "date_time")}`) : null,
            h("button", { class: "link-button", type: "button", onclick: () => ctx.dismissChange(change.key) }, _("I have read this"))));
        } else {
          parts.push(h("p", { class: `outbox__state outbox__state--${change.state}` }, h("strong", {}, changeText(change))));
        }
      }
      if (!pending && receipts.changeable(receipt, windowDays)) {
        parts.push(h("div", { class: "outbox__actions" },
          h("a", { class: "button button--secondary", href: `#/sent/${receipt.id}/correct`, "aria-describedby": headingId }, _("Correct this record")),
          h("a", { class: "button button--secondary", href: `#/sent/${receipt.id}/void`, "aria-describedby": headingId }, _("Void this record"))));
      }
      return h("li", { class: "outbox__item", "data-record-id": receipt.id }, parts);
    }));
  }
  replaceChildren(container,
    h("h1", { tabindex: "-1" }, _("Sent from this phone")),
    h("p", {}, _("The records this phone sent in the last fortnight. Quote a record's reference to find it on the web.")),
    ctx.state.receipts.length ? null : h("p", {}, _("Nothing has been sent from this phone in the last fortnight.")),
    list);
  render();
  return { title: _("Sent from this phone"), update: render };
}

function changeScreen(container, ctx, receipt, kind) {
  const voiding = kind === "void";
  const heading = voiding ? _("Void this record") : _("Correct this record");
  const problems = h("div", { class: "problems" });
  const reason = h("textarea", { class: "input textarea", id: "reason", name: "reason", rows: "2" });
  const reasonField = h("div", { class: "field" },
    h("label", { for: "reason" }, voiding ? _("Why is this contact being voided?") : _("Why are you correcting this contact?")),
    reason);
  const fields = [];
  let dateInput = null;
  let timeInput = null;
  let duration = null;
  let notes = null;
  const at = new Date(receipt.occurred_at);
  if (!voiding) {
    dateInput = h("input", { class: "input input--date", type: "date", id: "when-date", value: londonDay(at) });
    timeInput = h("input", { class: "input input--time", type: "time", id: "when-time", value: londonTime(at) });
    duration = h("input", { class: "input input--short", id: "duration", type: "text", inputmode: "numeric", value: receipt.duration_minutes == null ? null : receipt.duration_minutes });
    notes = h("textarea", { class: "input textarea", id: "notes", rows: "3", "aria-describedby": "notes-hint" });
    fields.push(
      h("fieldset", { class: "fieldset choices choices--tiles" }, h("legend", { class: "fieldset__legend" }, _("Kind of contact")),
        CONTACT_TYPES.map(([code, text]) => radio("type", code, text(), receipt.type === code))),
      h("fieldset", { class: "fieldset choices choices--tiles" }, h("legend", { class: "fieldset__legend" }, _("Outcome")),
        OUTCOMES.map(([code, text]) => radio("outcome", code, text(), receipt.outcome === code))),
      h("div", { class: "field" }, h("label", { for: "when-date" }, _("Date")), dateInput),
      h("div", { class: "field" }, h("label", { for: "when-time" }, _("Time")), timeInput),
      h("div", { class: "field" }, h("label", { for: "duration" }, _("Duration in minutes")), duration),
      h("div", { class: "field" }, h("label", { for: "notes" }, _("New notes (optional)")),
        h("p", { class: "hint", id: "notes-hint" }, _("Leave this empty to keep the notes as they are.")), notes),
    );
  } else {
    fields.push(h("p", {}, _("A void record stays in the history, struck through with the reason, and no longer counts anywhere.")));
  }
  let confirmedWeek = null;
  const save = h("button", { class: "button button--save", type: "submit" }, voiding ? _("Void this record") : _("Save the correction"));
  const form = h("form", { class: "record-form", novalidate: true }, problems, fields, reasonField,
    h("div", { class: "form-actions" }, save, h("a", { class: "cancel", href: "#/sent" }, _("Cancel"))));
  form.addEventListener("input", () => ctx.formActive(true));

  function read() {
    const found = [];
    const why = reason.value.normalize("NFC").trim();
    if (!why) found.push(["reason", voiding ? _("Say why this contact is being voided.") : _("Say why this contact is being corrected.")]);
    if (voiding) return { found, why };
    const changes = {};
    const type = form.querySelector('input[name="type"]:checked');
    const outcome = form.querySelector('input[name="outcome"]:checked');
    if (type && type.value !== receipt.type) changes.type = type.value;
    if (outcome && outcome.value !== receipt.outcome) changes.outcome = outcome.value;
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateInput.value);
    const time = /^(\d{2}):(\d{2})/.exec(timeInput.value);
    if (!day || !time) found.push(["when-date", _("Give the date and time of the contact.")]);
    else {
      const moment = fromLondon(Number(day[1]), Number(day[2]), Number(day[3]), Number(time[1]), Number(time[2]));
      if (londonDay(moment) !== londonDay(at) || londonTime(moment) !== londonTime(at)) changes.occurred_at = moment.toISOString();
    }
    const minutes = duration.value.trim();
    const wanted = minutes === "" ? null : /^\d+$/.test(minutes) ? Number(minutes) : NaN;
    if (Number.isNaN(wanted) || wanted > 1440) found.push(["duration", _("The duration must be a whole number of minutes from 0 to 1440.")]);
    else if (wanted !== (receipt.duration_minutes == null ? null : receipt.duration_minutes)) changes.duration_minutes = wanted;
    const text = notes.value.normalize("NFC").trim();
    if (text) changes.notes = text;
    if (!found.length && !Object.keys(changes).length) found.push(["type-home_visit", _("Change at least one thing, or cancel.")]);
    return { found, why, changes };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { found, why, changes } = read();
    if (found.length) {
      const box = errorSummary(_("There is a problem"), found);
      replaceChildren(problems, box);
      box.focus();
      return;
    }
    if (!voiding && changes.occurred_at) {
      const rules = ctx.state.teamRules;
      const week = weekToConfirm(changes.occurred_at, new Date(), rules ? rules.late_entry_days : null);
      if (week && confirmedWeek !== week) {
        confirmedWeek = week;
        replaceChildren(problems, lateWarning(week));
        replaceChildren(save, _("Confirm and save"));
        return;
      }
    }
    if (voiding) await ctx.voidRecord(receipt, why);
    else await ctx.correctRecord(receipt, changes, why);
  });
  replaceChildren(container, h("h1", { tabindex: "-1" }, heading),
    h("p", {}, receipt.person_name || ""),
    h("p", {}, _("Reference %(reference)s", { reference: receipt.reference })), form);
  return { title: heading, keepsInput: true };
}

/** params: {id, kind ("correct" | "void" | null)}. */
export function mount(container, ctx, params) {
  if (params.id) {
    const receipt = ctx.state.receipts.find((r) => r.id === params.id);
    if (receipt && (params.kind === "correct" || params.kind === "void")) return changeScreen(container, ctx, receipt, params.kind);
  }
  return listScreen(container, ctx);
}
