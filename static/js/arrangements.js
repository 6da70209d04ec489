// Arranged contacts on the phone: fetched with the caseload (GET /api/v1/arrangements) and kept
// in the same sealed caseload row (store.js, lock.js), so they are encrypted at rest like it.
// The rules are the server's (app/domain/arrangements.py): open while "arranged" or "moved";
// "outcome missing" a day after its time; today and this week in Europe/London.
// Recording an outcome is a contact record saved through the outbox with the arrangement's id
// in it (`arrangement_id`, not part of its content hash): once stored, the server marks the
// arrangement recorded.

import { londonDay } from "./i18n.js";
import { weekOf } from "./late.js";

export const OUTCOME_GRACE_MS = 24 * 60 * 60 * 1000;
const OPEN = new Set(["arranged", "moved"]);

export function isOpen(arrangement) {
  return OPEN.has(arrangement.state);
}

export function outcomeMissing(arrangement, now = new Date()) {
  return isOpen(arrangement) && now.getTime() - new Date(arrangement.starts_at).getTime() >= OUTCOME_GRACE_MS;
}

export function isToday(arrangement, now = new Date()) {
  return londonDay(new Date(arrangement.starts_at)) === londonDay(now);
}

/**
 * What the home shows: the open arrangements whose outcome the officer still has to record,
 * in time order, as {today, later, missing}: today's, the rest of this week's, and earlier
 * ones whose outcome is missing. Those recorded on this phone (`recordedHere`, ids) are left out.
 */
export function forHome(arrangements, now = new Date(), recordedHere = new Set()) {
  const week = weekOf(now);
  const open = (arrangements || [])
    .filter((a) => isOpen(a) && !recordedHere.has(a.id))
    .sort((a, b) => new Date(a.starts_at) - new Date(b.starts_at));
  const today = [];
  const later = [];
  const missing = [];
  for (const arrangement of open) {
    if (isToday(arrangement, now)) today.push(arrangement);
    else if (outcomeMissing(arrangement, now)) missing.push(arrangement);
    else if (weekOf(arrangement.starts_at) === week) later.push(arrangement);
  }
  return { today, later, missing };
}

/**
 * The contact record an arrangement becomes: its person and kind, at its time (or now, when
 * its outcome is recorded before that time), with `outcome`, and the arrangement's id.
 */
export function contactFor(arrangement, outcome, { id, now = new Date() }) {
  const starts = new Date(arrangement.starts_at);
  const when = starts.getTime() <= now.getTime() ? starts : now;
  return {
    id,
    person_id: arrangement.person.id,
    type: arrangement.type,
    outcome,
    occurred_at: when.toISOString(),
    recorded_at: now.toISOString(),
    duration_minutes: null,
    pathways: [],
    notes: null,
    sensitive: false,
    concern: false,
    others_present: null,
    colleague_ids: [],
    arrangement_id: arrangement.id,
  };
}

/** The arrangement ids that records still on the phone (outbox rows) are the outcome of. */
export function recordedOnPhone(rows) {
  return new Set((rows || []).map((row) => row.arrangement_id).filter(Boolean));
}

function validArrangement(row) {
  return (
    row && typeof row.id === "string" && row.person && typeof row.person.id === "number" &&
    typeof row.starts_at === "string" && typeof row.state === "string" && typeof row.type === "string"
  );
}

/** The arrangements of an answer of GET /api/v1/arrangements worth keeping, or null. */
export function fromAnswer(json) {
  if (!json || !Array.isArray(json.arrangements)) return null;
  return json.arrangements.filter(validArrangement);
}
