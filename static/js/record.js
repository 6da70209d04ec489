// Record a contact: person → kind → outcome → when → (optional details) → Save.
//
// A kept home visit happening now is two taps once the person is chosen: "Home visit",
// then "Save" (kept and now are the defaults). Save never waits for the network: the
// contact, with the UUID this form was given when it opened, goes into the outbox
// first; the same id makes a double tap one record.

import { _, fromLondon, londonDay, londonTime, ngettext, pgettext } from "./i18n.js";
import { CONTACT_TYPES, OUTCOMES, h, replaceChildren, showErrorSummary } from "./dom.js";
import { sortedByName } from "./order.js";
import { lateWarning, weekToConfirm } from "./late.js";
import { chosenIds, picker as colleaguePicker } from "./colleagues.js";
import { details as optionalDetails } from "./record-details.js";

const QUICK_TIMES = [0, 15, 30, 60, 120]; // minutes before now

/**
 * The limits the server checks by (app/contacts/contract.py), as GET /api/v1/session sent them
 * and the phone kept them. Until the phone has heard from the server it checks nothing the
 * server would decide: the server still refuses, field by field, what does not fit.
 * Text lengths are Unicode code points, as the server counts them.
 */
export function checks(limits) {
  const known = limits || {};
  return {
    futureMs: known.future_tolerance_seconds != null ? known.future_tolerance_seconds * 1000 : Infinity,
    durationMax: known.duration_max != null ? known.duration_max : Infinity,
    notesMax: known.notes_max != null ? known.notes_max : Infinity,
    othersPresentMax: known.others_present_max != null ? known.others_present_max : Infinity,
  };
}

export function codePoints(text) {
  return [...text].length;
}

function quickTimeLabel(minutes) {
  if (minutes === 0) return pgettext("time of a contact", "Now");
  if (minutes < 60) return ngettext("%(num)d minute ago", "%(num)d minutes ago", minutes);
  return ngettext("%(num)d hour ago", "%(num)d hours ago", minutes / 60);
}

function radio(name, value, text, checked, extra = {}) {
  const id = `${name}-${value}`;
  return h(
    "div",
    { class: "choice" },
    h("input", { class: "choice__input", type: "radio", name, id, value, checked, ...extra }),
    h("label", { class: "choice__label", for: id }, text),
  );
}

function fieldset(legendText, className, ...children) {
  return h("fieldset", { class: `fieldset ${className || ""}` }, h("legend", { class: "fieldset__legend" }, legendText), ...children);
}

/**
 * ctx: state (caseload, language, clockOffset), save(contact, personName, {replaces}), cancelHref,
 *      formActive(bool).  params: {personId, row (a record to correct)}.
 */
export function mount(container, ctx, params) {
  const correcting = params.row || null;
  const initial = correcting ? correcting.contact : null;
  // The server refuses an id it holds for another team: such a record goes again under a new one.
  const idRefused = Boolean(correcting && correcting.problem && correcting.problem.errors && "id" in correcting.problem.errors);
  const id = correcting && !idRefused ? correcting.id : crypto.randomUUID();
  const people = sortedByName(ctx.state.caseload ? ctx.state.caseload.people : []);
  const chosenId = initial ? initial.person_id : params.personId;
  const chosen = people.find((p) => p.id === chosenId) || null;
  let saving = false;
  let confirmedWeek = null; // the late entry's week the officer confirmed
  const limits = checks(ctx.state.limits);

  const now = () => new Date(Date.now() + (ctx.state.clockOffset || 0));

  // --- Person
  let personField;
  if (chosen) {
    personField = h(
      "div",
      { class: "field chosen-person" },
      h("p", { class: "chosen-person__label" }, _("Person")),
      h("p", { class: "chosen-person__name", id: "person" , tabindex: "-1"}, chosen.display_name),
      correcting ? null : h("a", { href: "#/record" }, _("Choose someone else")),
    );
  } else {
    personField = h(
      "div",
      { class: "field" },
      h("label", { for: "person" }, _("Person")),
      h("p", { class: "field__error", id: "person-error", hidden: true }),
      h(
        "select",
        { class: "input", id: "person", name: "person" },
        h("option", { value: "" }, _("Choose a person")),
        people.map((p) => h("option", { value: p.id, selected: initial && initial.person_id === p.id }, p.display_name)),
      ),
    );
  }

  // --- Kind, outcome, when
  const typeError = h("p", { class: "field__error", id: "type-error", hidden: true });
  const kinds = fieldset(
    _("Kind of contact"),
    "choices choices--tiles",
    typeError,
    CONTACT_TYPES.map(([code, text]) => radio("type", code, text(), initial ? initial.type === code : false)),
  );
  // Outcome and when are tiles too, two a row on a phone, so Save is within two screens.
  const outcomes = fieldset(
    _("Outcome"),
    "choices choices--tiles",
    OUTCOMES.map(([code, text]) => radio("outcome", code, text(), initial && initial.outcome ? initial.outcome === code : code === "kept")),
  );

  const startAt = initial ? new Date(initial.occurred_at) : now();
  const whenError = h("p", { class: "field__error", id: "when-error", hidden: true });
  const dateInput = h("input", { class: "input input--date", type: "date", id: "when-date", name: "when-date", value: londonDay(startAt) });
  const timeInput = h("input", { class: "input input--time", type: "time", id: "when-time", name: "when-time", value: londonTime(startAt) });
  const exact = h(
    "div",
    { class: "exact-time", id: "exact-time", hidden: !initial },
    h("div", { class: "field" }, h("label", { for: "when-date" }, _("Date")), dateInput),
    h("div", { class: "field" }, h("label", { for: "when-time" }, _("Time")), timeInput),
  );
  const when = fieldset(
    _("When"),
    "choices choices--tiles",
    whenError,
    QUICK_TIMES.map((minutes) => radio("when", String(minutes), quickTimeLabel(minutes), !initial && minutes === 0)),
    radio("when", "exact", _("Another date or time"), Boolean(initial), { "aria-controls": "exact-time" }),
    exact,
  );

  // --- Optional details (record-details.js): pathways, duration picks, who else, flags
  const extra = optionalDetails(initial);
  const pathways = extra.pathways;
  const duration = extra.durationInput;
  const durationError = extra.durationError;
  const notesError = h("p", { class: "field__error", id: "notes-error", hidden: true });
  const notes = h("textarea", { class: "input textarea", id: "notes", name: "notes", rows: "4", "aria-describedby": "notes-hint" });
  notes.value = initial && initial.notes ? initial.notes : "";
  const details = h(
    "details",
    { class: "details", open: Boolean(initial && (initial.notes || extra.hasValues)) },
    h("summary", { class: "details__summary" }, _("Notes, who else was there, sensitive or a concern (optional)")),
    h(
      "div",
      { class: "details__body" },
      extra.others,
      h("div", { class: "field" }, h("label", { for: "notes" }, _("Notes")), h("p", { class: "hint", id: "notes-hint" }, _("Notes are sealed as soon as you save: this phone keeps them until they are sent, and only the server can read them. Do not write anything you would not write in the case record.")), notesError, notes),
      extra.flags,
    ),
  );

  // Joint contacts: who from the team was there too (colleagues.js).
  const colleagues = colleaguePicker(ctx.state.colleagues, initial ? initial.colleague_ids || [] : []);

  const problemsBox = h("div", { class: "problems" });
  const saveButton = h("button", { class: "button button--save", type: "submit" }, correcting ? _("Save and send again") : _("Save"));
  const form = h(
    "form",
    { class: "record-form", novalidate: true, "data-contact-id": id },
    problemsBox,
    personField,
    kinds,
    outcomes,
    when,
    extra.duration,
    pathways,
    colleagues,
    details,
    h("div", { class: "form-actions" }, saveButton, h("a", { class: "cancel", href: ctx.cancelHref }, _("Cancel"))),
  );

  function selected(name) {
    const input = form.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  }

  function syncVisibility() {
    exact.hidden = selected("when") !== "exact";
  }

  form.addEventListener("change", () => {
    syncVisibility();
    ctx.formActive(true);
  });
  form.addEventListener("input", () => ctx.formActive(true));
  syncVisibility();

  function showError(element, input, message) {
    element.textContent = message;
    element.hidden = false;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const described = new Set((input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
      described.add(element.id);
      input.setAttribute("aria-describedby", [...described].join(" "));
    }
  }

  function clearErrors() {
    for (const element of form.querySelectorAll(".field__error")) {
      element.hidden = true;
      element.textContent = "";
    }
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    replaceChildren(problemsBox);
  }

  function occurredAt() {
    const choice = selected("when");
    if (choice === "exact") {
      const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateInput.value);
      const time = /^(\d{2}):(\d{2})/.exec(timeInput.value);
      if (!day || !time) return null;
      return fromLondon(Number(day[1]), Number(day[2]), Number(day[3]), Number(time[1]), Number(time[2]));
    }
    return new Date(now().getTime() - Number(choice || 0) * 60000);
  }

  function read() {
    const problems = [];
    const personId = chosen ? chosen.id : Number(form.querySelector("#person").value);
    const person = people.find((p) => p.id === personId) || chosen;
    if (!person) {
      problems.push(["person", _("Choose the person the contact was with.")]);
      showError(form.querySelector("#person-error"), form.querySelector("#person"), problems.at(-1)[1]);
    }
    const type = selected("type");
    if (!type) {
      problems.push(["type-home_visit", _("Choose the kind of contact.")]);
      showError(typeError, null, problems.at(-1)[1]);
    }
    const moment = occurredAt();
    if (!moment || Number.isNaN(moment.getTime())) {
      problems.push(["when-date", _("Give the date and time of the contact.")]);
      showError(whenError, dateInput, problems.at(-1)[1]);
    } else if (moment.getTime() > now().getTime() + limits.futureMs) {
      problems.push(["when-date", _("The time of the contact is in the future. Check the date and time, and the clock on your phone.")]);
      showError(whenError, dateInput, problems.at(-1)[1]);
    }
    let minutes = null;
    const durationText = extra.durationText();
    if (durationText) {
      minutes = /^\d+$/.test(durationText) ? Number(durationText) : NaN;
      if (!(minutes >= 0 && minutes <= limits.durationMax)) {
        problems.push(["duration", _("The duration must be a whole number of minutes from 0 to 1440.")]);
        showError(durationError, duration, problems.at(-1)[1]);
      }
    }
    const othersText = extra.othersPresent();
    if (codePoints(othersText) > limits.othersPresentMax) {
      problems.push(["others-present", _("Who else was there must be text of at most 500 characters.")]);
      showError(extra.othersError, extra.othersInput, problems.at(-1)[1]);
      details.open = true;
    }
    const noteText = notes.value.normalize("NFC").trim();
    if (codePoints(noteText) > limits.notesMax) {
      problems.push(["notes", _("Notes must be text of at most 4,000 characters.")]);
      showError(notesError, notes, problems.at(-1)[1]);
      details.open = true;
    }
    if (problems.length) return { problems };
    const pathwayCodes = extra.pathwayCodes();
    return {
      person,
      contact: {
        id,
        person_id: person.id,
        type,
        outcome: selected("outcome") || "kept",
        occurred_at: moment.toISOString(),
        recorded_at: new Date().toISOString(),
        duration_minutes: minutes,
        pathways: pathwayCodes,
        notes: noteText || null,
        sensitive: extra.sensitive(),
        concern: extra.concern(),
        others_present: othersText || null,
        colleague_ids: chosenIds(form),
      },
    };
  }

  function showProblems(title, problems) {
    showErrorSummary(problemsBox, title, problems);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (saving) return; // a second tap while the first is saving: still one record
    clearErrors();
    const answer = read();
    if (answer.problems) {
      showProblems(_("There is a problem"), answer.problems);
      return;
    }
    // A late entry is saved once the officer has confirmed the week it will count in.
    const rules = ctx.state.teamRules;
    const week = weekToConfirm(answer.contact.occurred_at, now(), rules ? rules.late_entry_days : null);
    if (week && confirmedWeek !== week) {
      confirmedWeek = week;
      const warning = lateWarning(week);
      replaceChildren(problemsBox, warning);
      replaceChildren(saveButton, _("Confirm and save"));
      warning.focus();
      return;
    }
    saving = true;
    saveButton.setAttribute("aria-disabled", "true");
    try {
      await ctx.save(answer.contact, answer.person.display_name, { replaces: correcting ? correcting.id : null });
    } catch (error) {
      saving = false;
      saveButton.removeAttribute("aria-disabled");
      const full = error && error.name === "QuotaExceededError";
      const noKey = error && error.name === "NoSealingKey"; // never kept unsealed (seal.js)
      showProblems(
        _("The contact has not been saved"),
        [[null, full
          ? _("This phone's storage is full. Free some space, then tap Save again. Nothing you entered has been lost.")
          : noKey
            ? _("This phone does not have the key it seals records with yet. Open the app once with a signal, then tap Save again. Nothing you entered has been lost.")
            : _("This phone could not save the contact. Tap Save again. Nothing you entered has been lost.")]],
      );
    }
  });

  const heading = correcting ? _("Correct and send again") : _("Record a contact");
  const intro = [];
  if (correcting && correcting.problem) intro.push(ctx.describeProblem(correcting));
  replaceChildren(container, h("h1", { tabindex: "-1" }, heading), intro, form);

  return { title: heading, keepsInput: true };
}
