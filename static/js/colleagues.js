// "With a colleague": the record form's picker for a joint contact.
//
// The colleagues are the active users of the officer's team, as GET /api/v1/session sent
// them (the other agency's officers first, then by name in the officer's language: the
// server's order, kept as it came) and the phone kept them for offline use. The contact
// carries the ids chosen as `colleague_ids`; the server counts a joint contact once, and
// links the colleague's own record of the same meeting to it.

import { _ } from "./i18n.js";
import { h } from "./dom.js";

const AGENCIES = {
  police: () => _("Police"),
  probation: () => _("Probation"),
  partner: () => _("Partner agency"),
};

/** "Name (Agency)", as the web form writes it. */
export function colleagueLabel(colleague) {
  const agency = AGENCIES[colleague.agency];
  return _("%(name)s (%(agency)s)", { name: colleague.name, agency: agency ? agency() : colleague.agency });
}

/** The ids chosen, as numbers, each once, in the order of the list. */
export function chosenIds(form) {
  const ids = [...form.querySelectorAll('input[name="colleague"]:checked')].map((input) => Number(input.value));
  return [...new Set(ids)].filter((id) => Number.isInteger(id) && id > 0);
}

/**
 * The picker (a <details> of check boxes), or null when the team has no one else to name.
 * `chosen`: the ids already on the record (a correction); those no longer offered are kept
 * offered, so that a correction never drops a colleague silently.
 */
export function picker(colleagues, chosen = []) {
  const offered = [...(colleagues || [])];
  for (const id of chosen || []) {
    if (!offered.some((colleague) => colleague.id === id)) offered.push({ id, name: `#${id}`, agency: "" });
  }
  if (!offered.length) return null;
  const selected = new Set(chosen || []);
  return h(
    "details",
    { class: "details colleagues", open: selected.size > 0 },
    h("summary", { class: "details__summary" }, _("With a colleague (optional)")),
    h(
      "fieldset",
      { class: "fieldset choices details__body" },
      h("legend", { class: "fieldset__legend" }, _("Who from the team was there with you")),
      h("p", { class: "field__error", id: "colleagues-error", hidden: true }),
      offered.map((colleague) => {
        const inputId = `colleague-${colleague.id}`;
        return h(
          "div",
          { class: "choice choice--check" },
          h("input", { class: "choice__input", type: "checkbox", name: "colleague", id: inputId, value: String(colleague.id), checked: selected.has(colleague.id) }),
          h("label", { class: "choice__label", for: inputId }, colleagueLabel(colleague)),
        );
      }),
    ),
  );
}
