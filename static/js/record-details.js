// The record form's optional details: pathways (any kind of contact), how long it took
// (quick picks 15 · 30 · 45 · 60 or another number), who else was there, and the two flags
// (sensitive, concern). Kept out of record.js so that its shared code stays small.

import { _, ngettext, pgettext } from "./i18n.js";
import { PATHWAYS, h } from "./dom.js";

export const DURATION_PICKS = [15, 30, 45, 60];

function tile(type, name, value, text, checked, extra = {}) {
  const id = `${name}-${value}`;
  return h(
    "div",
    { class: type === "checkbox" ? "choice choice--check" : "choice" },
    h("input", { class: "choice__input", type, name, id, value, checked, ...extra }),
    h("label", { class: "choice__label", for: id }, text),
  );
}

/** The duration a form holds: a pick's minutes, or the text typed under "Other" ("" when none). */
export function durationText(picked, typed) {
  if (picked && picked !== "other") return picked;
  return (typed || "").trim();
}

/**
 * initial: the contact being corrected, or null.
 * Returns the elements to place in the form and readers of what they hold.
 */
export function details(initial) {
  const start = initial && initial.duration_minutes != null ? initial.duration_minutes : null;
  const startPick = start != null && DURATION_PICKS.includes(start) ? String(start) : start != null ? "other" : null;

  const pathways = h(
    "fieldset",
    { class: "fieldset choices choices--tiles pathways" },
    h("legend", { class: "fieldset__legend" }, _("Pathways (optional)")),
    PATHWAYS.map(([code, text]) => tile("checkbox", "pathway", code, text(), initial ? (initial.pathways || []).includes(code) : false)),
  );

  const durationError = h("p", { class: "field__error", id: "duration-error", hidden: true });
  const durationInput = h("input", {
    class: "input input--short",
    id: "duration",
    name: "duration",
    type: "text",
    inputmode: "numeric",
    autocomplete: "off",
    "aria-describedby": "duration-hint",
    value: startPick === "other" ? start : null,
  });
  const duration = h(
    "fieldset",
    { class: "fieldset choices choices--tiles duration-picks" },
    h("legend", { class: "fieldset__legend" }, _("How long it took (optional)")),
    durationError,
    DURATION_PICKS.map((minutes) => tile("radio", "duration-pick", String(minutes), ngettext("%(num)d minute", "%(num)d minutes", minutes), startPick === String(minutes))),
    tile("radio", "duration-pick", "other", pgettext("how long a contact took", "Other"), startPick === "other"),
    h(
      "div",
      { class: "field duration-picks__other" },
      h("label", { for: "duration" }, _("Other duration, in minutes")),
      h("p", { class: "hint", id: "duration-hint" }, _("A whole number, for example 20.")),
      durationInput,
    ),
  );

  const othersError = h("p", { class: "field__error", id: "others-present-error", hidden: true });
  const othersInput = h("input", { class: "input", id: "others-present", name: "others_present", type: "text", autocomplete: "off" });
  othersInput.value = initial && initial.others_present ? initial.others_present : "";
  const others = h("div", { class: "field" }, h("label", { for: "others-present" }, _("Who else was there (optional)")), othersError, othersInput);

  const flags = h(
    "div",
    { class: "flags" },
    tile("checkbox", "sensitive", "1", _("Sensitive: only you, the offender manager and the team's supervisors can read the notes"), Boolean(initial && initial.sensitive)),
    tile("checkbox", "concern", "1", _("A concern to raise with the supervisor"), Boolean(initial && initial.concern)),
  );

  function checked(name) {
    const input = duration.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  }

  return {
    pathways,
    duration,
    others,
    flags,
    durationInput,
    durationError,
    othersInput,
    othersError,
    hasValues: Boolean(initial && (initial.others_present || initial.sensitive || initial.concern)),
    /** The duration as typed or picked (text), for the form to check. */
    durationText: () => durationText(checked("duration-pick"), durationInput.value),
    pathwayCodes: () => [...pathways.querySelectorAll('input[name="pathway"]:checked')].map((input) => input.value),
    othersPresent: () => othersInput.value.normalize("NFC").trim(),
    sensitive: () => flags.querySelector('input[name="sensitive"]').checked,
    concern: () => flags.querySelector('input[name="concern"]').checked,
  };
}
