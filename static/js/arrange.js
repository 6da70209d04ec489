// Arrange a contact: person → kind → date and time → (where, with whom) → Save.
//
// As the record form does (record.js): the arrangement gets its UUID when the form opens, and
// Save never waits for the network. It goes into the outbox sealed (outbox.saveArrangement, see
// arrangements.js), shows at once on the home as waiting to send, and the sender sends it once.

import { _, fromLondon, londonDay, londonTime } from "./i18n.js";
import { CONTACT_TYPES, h, replaceChildren, showErrorSummary } from "./dom.js";
import { sortedByName } from "./order.js";
import { newArrangement } from "./arrangements.js";
import { codePoints } from "./record.js";

export const TEXT_MAX = 500; // app/arrangements/contract.py PLACE_MAX and WITH_WHOM_MAX
const HOUR_MS = 60 * 60 * 1000;

/** The time the form offers first: the next whole hour (London), on the phone's corrected clock. */
export function nextWholeHour(now) {
  return new Date(Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS);
}

/** The instant a typed London date ("2026-12-02") and time ("14:30") mean, or null. */
export function typedMoment(dayText, timeText) {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dayText || "");
  const time = /^(\d{2}):(\d{2})/.exec(timeText || "");
  if (!day || !time) return null;
  const moment = fromLondon(Number(day[1]), Number(day[2]), Number(day[3]), Number(time[1]), Number(time[2]));
  return Number.isNaN(moment.getTime()) ? null : moment;
}

function radio(name, value, text) {
  const id = `${name}-${value}`;
  return h(
    "div",
    { class: "choice" },
    h("input", { class: "choice__input", type: "radio", name, id, value }),
    h("label", { class: "choice__label", for: id }, text),
  );
}

/** ctx: state, arrange(arrangement, personName), formActive(bool).  params: {personId}. */
export function mount(container, ctx, params) {
  const id = crypto.randomUUID();
  const people = sortedByName(ctx.state.caseload ? ctx.state.caseload.people : []);
  const chosen = people.find((p) => p.id === params.personId) || null;
  const now = () => new Date(Date.now() + (ctx.state.clockOffset || 0));
  let saving = false;

  let personField;
  if (chosen) {
    personField = h(
      "div",
      { class: "field chosen-person" },
      h("p", { class: "chosen-person__label" }, _("Person")),
      h("p", { class: "chosen-person__name", id: "person", tabindex: "-1" }, chosen.display_name),
      h("a", { href: "#/arrange" }, _("Choose someone else")),
    );
  } else {
    personField = h(
      "div",
      { class: "field" },
      h("label", { for: "person" }, _("Person")),
      h("p", { class: "field__error", id: "person-error", hidden: true }),
      h("select", { class: "input", id: "person", name: "person" },
        h("option", { value: "" }, _("Choose a person")),
        people.map((p) => h("option", { value: p.id }, p.display_name))),
    );
  }

  const typeError = h("p", { class: "field__error", id: "type-error", hidden: true });
  const kinds = h(
    "fieldset",
    { class: "fieldset choices choices--tiles" },
    h("legend", { class: "fieldset__legend" }, _("Kind of contact")),
    typeError,
    CONTACT_TYPES.map(([code, text]) => radio("type", code, text())),
  );

  const first = nextWholeHour(now());
  const whenError = h("p", { class: "field__error", id: "when-error", hidden: true });
  const dateInput = h("input", { class: "input input--date", type: "date", id: "arrange-date", name: "arrange-date", value: londonDay(first) });
  const timeInput = h("input", { class: "input input--time", type: "time", id: "arrange-time", name: "arrange-time", value: londonTime(first) });
  const when = h(
    "fieldset",
    { class: "fieldset" },
    h("legend", { class: "fieldset__legend" }, _("When")),
    whenError,
    h("div", { class: "exact-time" },
      h("div", { class: "field" }, h("label", { for: "arrange-date" }, _("Date")), dateInput),
      h("div", { class: "field" }, h("label", { for: "arrange-time" }, _("Time")), timeInput)),
  );

  const placeError = h("p", { class: "field__error", id: "place-error", hidden: true });
  const place = h("input", { class: "input", type: "text", id: "place", name: "place", autocomplete: "off", "aria-describedby": "place-hint" });
  const withWhomError = h("p", { class: "field__error", id: "with-whom-error", hidden: true });
  const withWhom = h("input", { class: "input", type: "text", id: "with-whom", name: "with-whom", autocomplete: "off" });
  const optional = h(
    "div",
    { class: "arrange-optional" },
    h("div", { class: "field" },
      h("label", { for: "place" }, _("Where (optional)")),
      h("p", { class: "hint", id: "place-hint" }, _("Where is sealed as soon as you save, and is never shown on a list.")),
      placeError, place),
    h("div", { class: "field" }, h("label", { for: "with-whom" }, _("With whom (optional)")), withWhomError, withWhom),
  );

  const problemsBox = h("div", { class: "problems" });
  const saveButton = h("button", { class: "button button--save", type: "submit" }, _("Save"));
  const form = h(
    "form",
    { class: "record-form arrange-form", novalidate: true, "data-arrangement-id": id },
    problemsBox,
    personField,
    kinds,
    when,
    optional,
    h("div", { class: "form-actions" }, saveButton, h("a", { class: "cancel", href: "#/" }, _("Cancel"))),
  );
  form.addEventListener("change", () => ctx.formActive(true));
  form.addEventListener("input", () => ctx.formActive(true));

  function showError(element, input, message) {
    element.textContent = message;
    element.hidden = false;
    if (input) input.setAttribute("aria-invalid", "true");
  }

  function clearErrors() {
    for (const element of form.querySelectorAll(".field__error")) {
      element.hidden = true;
      element.textContent = "";
    }
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    replaceChildren(problemsBox);
  }

  function read() {
    const problems = [];
    const personId = chosen ? chosen.id : Number(form.querySelector("#person").value);
    const person = people.find((p) => p.id === personId) || null;
    if (!person) {
      problems.push(["person", _("Choose the person the contact is arranged with.")]);
      showError(form.querySelector("#person-error"), form.querySelector("#person"), problems.at(-1)[1]);
    }
    const checked = form.querySelector('input[name="type"]:checked');
    if (!checked) {
      problems.push(["type-home_visit", _("Choose the kind of contact.")]);
      showError(typeError, null, problems.at(-1)[1]);
    }
    const moment = typedMoment(dateInput.value, timeInput.value);
    if (!moment) {
      problems.push(["arrange-date", _("Give the date and time of the arranged contact.")]);
      showError(whenError, dateInput, problems.at(-1)[1]);
    }
    if (codePoints(place.value.normalize("NFC").trim()) > TEXT_MAX) {
      problems.push(["place", _("Where must be text of at most 500 characters.")]);
      showError(placeError, place, problems.at(-1)[1]);
    }
    if (codePoints(withWhom.value.normalize("NFC").trim()) > TEXT_MAX) {
      problems.push(["with-whom", _("With whom must be text of at most 500 characters.")]);
      showError(withWhomError, withWhom, problems.at(-1)[1]);
    }
    if (problems.length) return { problems };
    return {
      person,
      arrangement: newArrangement({
        id, personId: person.id, type: checked.value, startsAt: moment, place: place.value, withWhom: withWhom.value,
        officerId: ctx.state.user.id,
      }),
    };
  }

  function showProblems(title, problems) {
    showErrorSummary(problemsBox, title, problems);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (saving) return; // a second tap while the first is saving: still one arrangement
    clearErrors();
    const answer = read();
    if (answer.problems) {
      showProblems(_("There is a problem"), answer.problems);
      return;
    }
    saving = true;
    saveButton.setAttribute("aria-disabled", "true");
    try {
      await ctx.arrange(answer.arrangement, answer.person.display_name);
    } catch (error) {
      saving = false;
      saveButton.removeAttribute("aria-disabled");
      const full = error && error.name === "QuotaExceededError";
      const noKey = error && error.name === "NoSealingKey"; // never kept unsealed (seal.js)
      showProblems(_("The arrangement has not been saved"), [[null, full
        ? _("This phone's storage is full. Free some space, then tap Save again. Nothing you entered has been lost.")
        : noKey
          ? _("This phone does not have the key it seals records with yet. Open the app once with a signal, then tap Save again. Nothing you entered has been lost.")
          : _("This phone could not save the arrangement. Tap Save again. Nothing you entered has been lost.")]]);
    }
  });

  const heading = _("Arrange a contact");
  replaceChildren(container, h("h1", { tabindex: "-1" }, heading), form);
  return { title: heading, keepsInput: true };
}
