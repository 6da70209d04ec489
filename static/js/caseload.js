// The caseload on the phone: fetched from GET /api/v1/caseload, kept in IndexedDB for
// the signed-in user only, shown offline with its age. The server's counts are the
// truth, their order of names included (order.js); the phone only searches and words them.

import * as api from "./api.js";
import { fromAnswer, keepRecordedMeanwhile } from "./arrangements.js";
import * as device from "./device.js";
import * as store from "./store.js";
import { londonDay } from "./i18n.js";
import { byName } from "./order.js";

export function plainLetters(text) {
  return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
}

/** Contacts still to offer this week (required − offered, never below zero). */
export function stillNeeded(person) {
  return Math.max(0, person.required_this_week - person.offered_this_week);
}

/** "not_required", "met" or "short", as the server's WeekCount.status decides it. */
export function weekStatus(person) {
  if (person.required_this_week === 0) return "not_required";
  return person.offered_this_week >= person.required_this_week ? "met" : "short";
}

/**
 * People who still need contacts first, then by name in the server's order (see order.js).
 * `waiting` (person id → this week's contacts still on the phone) counts those as offered, as
 * the server will once they arrive: the list does not re-sort under a tap when they are sent.
 */
export function ordered(people, waiting = new Map()) {
  const needed = (person) => Math.max(0, stillNeeded(person) - (waiting.get(person.id) || 0));
  return [...people].sort((a, b) => needed(b) - needed(a) || byName(a, b));
}

function referenceText(text) {
  return plainLetters(text || "").replace(/[^0-9a-z]/g, "");
}

/** Every word of the query in the name, or the query in the CRN or Niche reference
 * (the server's app/collation.py matches_search: Siân finds "sian"). */
export function matches(person, query) {
  const words = plainLetters(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const name = plainLetters(person.display_name);
  if (words.every((word) => name.includes(word))) return true;
  const wanted = referenceText(query);
  return Boolean(wanted) && [person.delius_crn, person.niche_ref].some((ref) => ref && referenceText(ref).includes(wanted));
}

/** The people the user is offender manager for, and the rest of the team. */
export function mineFirst(people) {
  return [people.filter((person) => person.is_mine), people.filter((person) => !person.is_mine)];
}

/** True when the cached counts are for a week that has ended (London calendar). */
export function fromEarlierWeek(caseload, now = new Date()) {
  if (!caseload || !caseload.week_start) return false;
  const [year, month, day] = caseload.week_start.split("-").map(Number);
  const nextMonday = new Date(Date.UTC(year, month - 1, day + 7)).toISOString().slice(0, 10);
  return londonDay(now) >= nextMonday;
}

function validRow(row) {
  return (
    row && typeof row.id === "number" && typeof row.display_name === "string" &&
    ["required_this_week", "offered_this_week", "kept_this_week"].every((k) => Number.isInteger(row[k]))
  );
}

/** Fetch the caseload for `userId` and keep it; resolves with the API's classified answer. */
export async function refresh(userId) {
  const current = await store.getCaseload(userId);
  const result = await api.getCaseload(current && current.etag, await device.report());
  if (result.kind === "ok" && Array.isArray(result.json.people)) {
    // The officer's arranged contacts go in the same sealed row (the caseload's version changes
    // with every arrangement, so a 304 means they are unchanged too); if they cannot be fetched
    // now, the ones held are kept.
    const answer = await api.getArrangements();
    const fetched = answer.kind === "ok" ? fromAnswer(answer.json) : null;
    // Written over what is held by then (an outcome may have been recorded meanwhile), as a
    // change that a write in between makes start again: never over a stale copy.
    const fresh = (latest) => ({
      arrangements: (fetched && keepRecordedMeanwhile(fetched, current && current.arrangements, latest && latest.arrangements))
        || (latest && latest.arrangements) || [],
      user_id: userId,
      fetched_at: new Date().toISOString(),
      server_time: result.json.server_time || null,
      week_start: result.json.week_start || null,
      etag: result.headers.get("ETag"),
      people: result.json.people.filter(validRow),
    });
    if (await store.getCaseload(userId)) await store.updateCaseload(userId, fresh);
    else await store.putCaseload(fresh(null)); // none held yet: no outcome can have been recorded on it
  } else if (result.kind === "not_modified" && current) {
    // Only the time it was checked: an outcome recorded while the answer was on its way stays recorded.
    await store.updateCaseload(userId, (latest) => ({ ...latest, fetched_at: new Date().toISOString() }));
  }
  return result;
}
