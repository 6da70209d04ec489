// Concerns on the home screen: the offender manager and the team's supervisors see each
// contact marked "concern" until one of them acknowledges it (GET /api/v1/concerns).
// Needs a signal: offline, the last list this page heard of is shown, and acknowledging
// waits until the server answers (nothing is queued: an acknowledgement is not a record).

import { _, formatDate, ngettext } from "./i18n.js";
import { CONTACT_TYPES, h, label, replaceChildren } from "./dom.js";
import { getConcerns, postAcknowledgeConcern } from "./api.js";

let last = null; // {concerns, total} as last heard

export function render(section, answer, { onAcknowledge, problem = null } = {}) {
  if (!answer || !answer.concerns || !answer.concerns.length) {
    replaceChildren(section);
    section.hidden = true;
    return;
  }
  section.hidden = false;
  replaceChildren(
    section,
    h("h2", { id: "concerns-heading" }, ngettext("%(num)d concern to acknowledge", "%(num)d concerns to acknowledge", answer.total)),
    problem ? h("p", { class: "field__error", role: "alert" }, problem) : null,
    h(
      "ul",
      { class: "concerns__list" },
      answer.concerns.map((concern) =>
        h(
          "li",
          { class: "concerns__item", "data-contact-id": concern.contact_id },
          h(
            "p",
            { class: "concerns__what" },
            _("%(officer)s raised a concern about %(name)s after a contact on %(when)s (%(kind)s).", {
              officer: concern.recorded_by.name,
              name: concern.person.display_name,
              when: formatDate(concern.occurred_at, "recent_time"),
              kind: label(CONTACT_TYPES, concern.type),
            }),
          ),
          h("button", { class: "button button--secondary", type: "button", onclick: () => onAcknowledge(concern.contact_id) }, _("Acknowledge this concern")),
        ),
      ),
    ),
  );
}

/** Fill ``section`` with this user's open concerns, and keep it up to date as they are acknowledged. */
export async function mount(section) {
  section.classList.add("concerns");
  section.setAttribute("aria-labelledby", "concerns-heading");
  const show = (problem = null) => render(section, last, { onAcknowledge: acknowledge, problem });

  async function refresh() {
    const result = await getConcerns();
    if (result.kind === "ok") last = result.json;
    show();
  }

  async function acknowledge(contactId) {
    const result = await postAcknowledgeConcern(contactId);
    if (result.kind === "ok" || result.status === 404) {
      await refresh();
      return;
    }
    show(_("The concern could not be acknowledged now. Try again when you have a signal."));
  }

  show();
  await refresh();
  return { refresh };
}
