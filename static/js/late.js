// Late entries on the phone: the rule of app/domain/late.py, kept here because the phone must
// ask offline. A contact dated outside the current week (Monday to Sunday, Europe/London), or
// longer ago than the team's late-entry age, is saved only once the officer has confirmed the
// week it will count in.

import { _, formatDay, londonDay } from "./i18n.js";
import { h } from "./dom.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Monday ("2026-11-16") of the London week an instant falls in. */
export function weekOf(moment) {
  const [year, month, day] = londonDay(new Date(moment)).split("-").map(Number);
  const noon = Date.UTC(year, month - 1, day, 12);
  const weekday = (new Date(noon).getUTCDay() + 6) % 7; // Monday 0
  return new Date(noon - weekday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The Monday of the week a contact at `occurredAt` will count in, when saving it needs the
 * officer's confirmation; null when it needs none. `lateEntryDays` null: the team's age is not
 * known yet (never signed in with a signal), so only the week is checked.
 */
export function weekToConfirm(occurredAt, now, lateEntryDays) {
  const week = weekOf(occurredAt);
  const tooOld = lateEntryDays != null && now.getTime() - new Date(occurredAt).getTime() > lateEntryDays * DAY_MS;
  return week !== weekOf(now) || tooOld ? week : null;
}

/** How many of these outbox rows are contacts of this week, not yet sent, for each person id. */
export function notSentThisWeek(rows, now) {
  const thisWeek = weekOf(now);
  const counts = new Map();
  for (const row of rows) {
    const summary = row.contact || row.summary || {};
    if (summary.occurred_at && weekOf(summary.occurred_at) === thisWeek) {
      counts.set(summary.person_id, (counts.get(summary.person_id) || 0) + 1);
    }
  }
  return counts;
}

/** The question the record and correction forms ask: the week it will count in, in a whole sentence. */
export function lateWarning(week) {
  return h("div", { class: "warning", role: "alert", tabindex: "-1", id: "late-entry" },
    h("p", {}, h("strong", {}, _("This is a late entry: it will count in the week beginning %(date)s.", { date: formatDay(week, "full_date_in_sentence") }))),
    h("p", {}, _("Check the date and time. If they are right, save again to confirm.")));
}
