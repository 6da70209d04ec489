// "This week": the team's caseload, people who still need contacts first, with a search.

import { _, ago, formatDate, formatDay, londonDay, ngettext } from "./i18n.js";
import { notSentThisWeek } from "./late.js";
import { CONTACT_TYPES, OUTCOMES, h, keepingHeight, label, replaceChildren } from "./dom.js";
import { arrangedThisWeek, forHome, isArrangementRow, recordedOnPhone, withPending } from "./arrangements.js";
import { fromEarlierWeek, matches, mineFirst, ordered, stillNeeded, weekStatus } from "./caseload.js";
import * as concerns from "./concerns.js";

function statusText(person) {
  switch (weekStatus(person)) {
    case "not_required":
      return _("Not required this week");
    case "met":
      return _("Met");
    default:
      return ngettext("Short by %(num)d contact", "Short by %(num)d contacts", stillNeeded(person));
  }
}

// A person's next plan actions (the caseload row's next_actions: what, by when, whose; never a
// pathway's need or what is being done on it).
function nextActions(person, today) {
  const actions = Array.isArray(person.next_actions) ? person.next_actions : [];
  if (!actions.length) return null;
  const headingId = `person-${person.id}-actions`;
  return h(
    "div",
    { class: "caseload__actions" },
    h("h3", { id: headingId }, _("Next plan actions")),
    h("ul", { "aria-labelledby": headingId }, actions.map((action) => {
      const overdue = typeof action.due_on === "string" && action.due_on < today;
      const when = formatDay(action.due_on, "short_date");
      return h(
        "li",
        { class: overdue ? "caseload__action caseload__action--overdue" : "caseload__action" },
        h("span", { class: "caseload__action-what" }, action.description),
        " ",
        h("span", { class: "caseload__action-due" }, overdue
          ? _("Overdue since %(date)s · Owner: %(owner)s", { date: when, owner: action.owner || "" })
          : _("Due by %(date)s · Owner: %(owner)s", { date: when, owner: action.owner || "" })),
      );
    })),
  );
}

/**
 * One person's row. `waitingRoom` is the height the row's "not yet sent" line had earlier on this
 * screen: once those records are sent the line keeps that room, empty, so the row's buttons do
 * not move up under a tap (the next screen lays the row out afresh).
 */
function personRow(person, waitingCount, arranged, today, waitingRoom = 0) {
  const nameId = `person-${person.id}-name`;
  return h(
    "li",
    { class: `caseload__row caseload__row--${weekStatus(person)}`, "data-person-id": person.id },
    h("h2", { class: "caseload__name", id: nameId }, person.display_name),
    h("p", { class: "caseload__status" }, statusText(person)),
    h(
      "p",
      { class: "caseload__counts" },
      _("Offered: %(offered)d · Kept: %(kept)d · Required: %(required)d", {
        offered: person.offered_this_week,
        kept: person.kept_this_week,
        required: person.required_this_week,
      }),
    ),
    h("p", { class: "caseload__arranged" }, _("Arranged this week: %(arranged)d", { arranged })),
    h(
      "p",
      { class: "caseload__last" },
      person.last_contact_at
        ? _("Last contact: %(when)s", { when: formatDate(person.last_contact_at, "recent_time") })
        : _("No contacts yet"),
    ),
    waitingCount
      ? h("p", { class: "caseload__waiting" }, ngettext("%(num)d contact this week, not yet sent", "%(num)d contacts this week, not yet sent", waitingCount))
      : waitingRoom ? emptyRoom(waitingRoom) : null,
    nextActions(person, today),
    h("p", { class: "caseload__links" },
      h("a", { class: "button caseload__record", href: `#/record/${person.id}`, "aria-describedby": nameId }, _("Record a contact")),
      " ",
      h("a", { class: "button button--secondary caseload__arrange", href: `#/arrange/${person.id}`, "aria-describedby": nameId }, _("Arrange a contact"))),
  );
}

function emptyRoom(height) {
  const room = h("p", { class: "caseload__waiting", "aria-hidden": "true" });
  room.style.minHeight = `${height}px`;
  return room;
}

// Arranged contacts: today's, the rest of the week's, and those whose outcome is missing. Tapping
// one offers its outcomes; tapping an outcome saves the contact record (two taps from home).
function arrangedSection(ctx) {
  const section = h("section", { id: "arranged", class: "arranged", "aria-labelledby": "arranged-heading" });
  let open = null; // the arrangement whose outcomes are shown
  let saving = false;
  let shown = null;

  // One arranged on this phone and not yet accepted by the server: its outcome waits until it has been sent.
  function pendingItem(arrangement) {
    const when = formatDate(arrangement.starts_at, "recent_time");
    const kind = label(CONTACT_TYPES, arrangement.type);
    const attention = arrangement.pending === "attention";
    return h(
      "li",
      { class: "arranged__item arranged__item--pending", "data-arrangement-id": arrangement.id },
      h("p", { class: "arranged__summary" },
        h("span", { class: "arranged__person" }, arrangement.person.display_name),
        " ",
        h("span", { class: "arranged__when" }, when),
        " ",
        h("span", { class: "arranged__kind" }, kind)),
      attention
        ? h("p", { class: "arranged__pending arranged__pending--attention" },
          h("a", { href: "#/outbox" }, _("Not accepted by the server: needs your attention")))
        : h("p", { class: "arranged__pending" }, _("Arranged on this phone — waiting to send")),
    );
  }

  function item(arrangement) {
    if (arrangement.pending) return pendingItem(arrangement);
    const expanded = open === arrangement.id;
    const outcomesId = `arranged-${arrangement.id}-outcomes`;
    const when = formatDate(arrangement.starts_at, "recent_time");
    const kind = label(CONTACT_TYPES, arrangement.type);
    return h(
      "li",
      { class: "arranged__item", "data-arrangement-id": arrangement.id },
      h(
        "button",
        {
          class: "arranged__open",
          type: "button",
          "aria-expanded": String(expanded),
          "aria-controls": outcomesId,
          onclick: () => {
            open = expanded ? null : arrangement.id;
            render(true);
          },
        },
        h("span", { class: "arranged__person" }, arrangement.person.display_name),
        " ",
        h("span", { class: "arranged__when" }, when),
        " ",
        h("span", { class: "arranged__kind" }, kind),
      ),
      h(
        "div",
        { class: "arranged__outcomes", id: outcomesId, hidden: !expanded, role: "group", "aria-label": _("Record the outcome") },
        OUTCOMES.map(([code, words]) =>
          h("button", {
            class: code === "kept" ? "button" : "button button--secondary",
            type: "button",
            "data-outcome": code,
            onclick: async () => {
              if (saving) return; // a second tap while the first saves: still one record
              saving = true;
              try {
                await ctx.recordArranged(arrangement, code);
                open = null;
              } finally {
                saving = false;
                render(true);
              }
            },
          }, words()),
        ),
      ),
    );
  }

  function list(heading, arrangements) {
    if (!arrangements.length) return [];
    return [h("h3", {}, heading), h("ul", { class: "arranged__list" }, arrangements.map(item))];
  }

  function render(force = false) {
    const { caseload, rows } = ctx.state;
    const held = (caseload && caseload.arrangements) || [];
    const key = JSON.stringify([held, rows.map((r) => [r.id, r.state, r.arrangement_id]), open]);
    if (key === shown && !force) return;
    shown = key;
    const { today, later, missing } = forHome(withPending(held, rows), new Date(), recordedOnPhone(rows));
    section.hidden = !today.length && !later.length && !missing.length;
    replaceChildren(
      section,
      h("h2", { id: "arranged-heading" }, _("Arranged contacts")),
      ...list(_("Today"), today),
      ...list(_("Later this week"), later),
      ...list(_("Outcome missing"), missing),
    );
  }

  return { section, render };
}

export function mount(container, ctx) {
  let query = "";
  const arranged = arrangedSection(ctx);
  let showRest = false;
  const summary = h("div", { class: "summary-notes" });
  const list = h("ul", { class: "caseload", "aria-label": _("Your team's caseload") });
  // "My caseload" first (the people I am offender manager for), the rest of the team a tap away.
  const mineHeading = h("h2", {}, _("My caseload"));
  const restHeading = h("h2", {}, _("The rest of the team"));
  const restList = h("ul", { class: "caseload", id: "rest-of-team", "aria-label": _("The rest of the team") });
  const restToggle = h("button", {
    class: "button button--secondary",
    type: "button",
    "aria-controls": "rest-of-team",
    onclick: () => {
      showRest = !showRest;
      shown = null;
      renderList();
    },
  });
  const results = h("p", { class: "search-results", role: "status" });
  const search = h("input", {
    class: "input",
    id: "search",
    type: "search",
    autocomplete: "off",
    spellcheck: "false",
    oninput: () => {
      query = search.value;
      renderList();
    },
  });
  const lead = h("p", { class: "lead" });
  const concernsSection = h("section", { id: "concerns", hidden: true });

  function renderSummary() {
    const { caseload, rows, online } = ctx.state;
    const notes = [];
    if (caseload && caseload.fetched_at) {
      notes.push(
        online
          ? _("Caseload updated %(when)s.", { when: ago(caseload.fetched_at) })
          : _("You are offline. This caseload was last updated %(when)s.", { when: ago(caseload.fetched_at) }),
      );
    }
    if (fromEarlierWeek(caseload)) {
      notes.push(_("These counts are from an earlier week. They will be brought up to date when you have a signal."));
    }
    if (rows.length) {
      // Nothing expires from the outbox: say how long the oldest record has waited.
      notes.push(_("The oldest record waiting to send was saved %(when)s.", { when: ago(rows[0].saved_at) }));
    }
    // Shorter notes (the signal back, the records sent) keep their room on this screen (dom.js).
    keepingHeight(summary, () => replaceChildren(summary, notes.map((note) => h("p", { class: "note" }, note))));
    replaceChildren(lead, caseload && caseload.week_start ? _("Week beginning %(date)s", { date: formatDay(caseload.week_start, "full_date_in_sentence") }) : "");
  }

  let shown = null;
  const waitingRooms = new Map(); // person id → the height of their "not yet sent" line on this screen
  function renderList() {
    const { caseload, rows, language } = ctx.state;
    // Redraw only what changed: a redraw would take the keyboard focus away from a row.
    const key = JSON.stringify([query, language, caseload && caseload.people, rows.map((r) => r.id), londonDay(new Date())]);
    if (key === shown) return;
    shown = key;
    // Records still on the phone count as this week's, not yet sent: the visit is not recorded twice.
    const contactRows = rows.filter((r) => !isArrangementRow(r));
    const waitingByPerson = notSentThisWeek(contactRows, new Date());
    const today = londonDay(new Date());
    const people = caseload ? ordered(caseload.people, waitingByPerson).filter((person) => matches(person, query)) : [];
    const [mine, rest] = mineFirst(people);
    const split = Boolean(caseload) && caseload.people.some((person) => person.is_mine);
    const restOpen = !split || showRest || Boolean(query.trim());
    for (const line of container.querySelectorAll(".caseload__waiting")) {
      const personId = line.closest(".caseload__row").dataset.personId;
      waitingRooms.set(personId, Math.max(waitingRooms.get(personId) || 0, line.offsetHeight));
    }
    const row = (person) => personRow(person, waitingByPerson.get(person.id) || 0, arrangedThisWeek(person, rows), today,
      waitingRooms.get(String(person.id)) || 0);
    replaceChildren(list, (split ? mine : people).map(row));
    replaceChildren(restList, split && restOpen ? rest.map(row) : []);
    mineHeading.hidden = !split;
    restHeading.hidden = !split || !restOpen;
    restList.hidden = !split || !restOpen;
    restToggle.hidden = !split || Boolean(query.trim());
    restToggle.setAttribute("aria-expanded", String(restOpen));
    replaceChildren(restToggle, restOpen ? _("Hide the rest of the team") : _("Show the rest of the team"));
    if (!caseload) {
      replaceChildren(results, _("Your caseload has not been downloaded to this phone yet. It will be when you have a signal."));
    } else if (query.trim()) {
      replaceChildren(
        results,
        people.length
          ? ngettext("%(num)d person matches your search.", "%(num)d people match your search.", people.length)
          : _("Nobody on the caseload matches your search."),
      );
    } else if (!caseload.people.length) {
      replaceChildren(results, _("There is nobody on your team's caseload."));
    } else {
      replaceChildren(results);
    }
  }

  replaceChildren(
    container,
    h("h1", { tabindex: "-1" }, _("This week")),
    lead,
    // Above everything a sync can change (concerns, arrangements, the notes): it stays put.
    h("p", {}, h("a", { class: "button button--secondary", href: "#/record" }, _("Record a contact")), " ",
      h("a", { href: "#/sent" }, _("Sent from this phone"))),
    concernsSection,
    arranged.section,
    summary,
    h("div", { class: "field search" }, h("label", { for: "search" }, _("Search by name, CRN or Niche reference")), search),
    results,
    mineHeading,
    list,
    restToggle,
    restHeading,
    restList,
  );
  renderSummary();
  renderList();
  arranged.render();
  concerns.mount(concernsSection);

  return {
    title: _("This week"),
    update() {
      renderSummary();
      renderList();
      arranged.render();
    },
  };
}
