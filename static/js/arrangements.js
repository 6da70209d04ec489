// Arranged contacts on the phone: fetched with the caseload (GET /api/v1/arrangements) and kept
// in the same sealed caseload row (store.js, lock.js), so they are encrypted at rest like it.
// The rules are the server's (app/domain/arrangements.py): open while "arranged" or "moved";
// "outcome missing" a day after its time; today and this week in Europe/London.
// Recording an outcome is a contact record saved through the outbox with the arrangement's id
// in it (`arrangement_id`, not part of its content hash): once stored, the server marks the
// arrangement recorded.
//
// Arranging on the phone (arrange.js), with or without signal: the arrangement gets its UUID when
// the form opens and goes into the outbox (outbox.saveArrangement, a row of kind "arrangement"),
// SEALED to the server's key like a contact (seal.js, read by the server as {"arrangement": ...}),
// not encrypted with the caseload key. Where and with whom are free text about a person, and
// the caseload key ends with the sign-in: an arrangement saved offline must still be sent after
// signing out and in again, exactly as a contact is, so it has to live in the outbox the wipe
// keeps (wipe.js), readable by nobody but the server. The outbox shows its summary only (who,
// what kind, when). The sender (sync.js) sends these rows after the contacts, to
// POST /api/v1/arrangements/sync; a row leaves the outbox only on a receipt carrying the hash
// of its content (`arrangementHash`, as app/arrangements/operations.content_of computes it).
// Until then the home lists it as waiting to send (`pendingFromRows`) and counts it in the
// person's arranged figure (`arrangedThisWeek`); its outcome is offered once it has been sent.

import { canonicalHash } from "./canonical.js";
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

export const ARRANGEMENT = "arrangement"; // an outbox row's kind (the others are contacts)

export function isArrangementRow(row) {
  return Boolean(row) && row.kind === ARRANGEMENT;
}

function text(value) {
  const trimmed = (value || "").normalize("NFC").trim();
  return trimmed || null;
}

/** A new arrangement as the phone sends it (inside its seal): the officer is the one who arranges it. */
export function newArrangement({ id, personId, type, startsAt, place = null, withWhom = null, officerId }) {
  return {
    id,
    person_id: Number(personId),
    type,
    starts_at: new Date(startsAt).toISOString(),
    place: text(place),
    with_whom: text(withWhom),
    officer_id: Number(officerId),
  };
}

/** The content the server hashes (app/arrangements/operations.content_of): keys sorted, UTC to the millisecond. */
export function canonicalArrangement(arrangement) {
  return {
    id: String(arrangement.id).toLowerCase(),
    officer_id: Number(arrangement.officer_id),
    person_id: Number(arrangement.person_id),
    place: text(arrangement.place),
    starts_at: new Date(arrangement.starts_at).toISOString(),
    type: arrangement.type,
    with_whom: text(arrangement.with_whom),
  };
}

export function arrangementHash(arrangement) {
  return canonicalHash(canonicalArrangement(arrangement));
}

/**
 * The arrangements still in the outbox, as the home lists them: who, what kind and when (all the
 * outbox keeps readable), open, with `pending` the row's state ("waiting", "sending", "attention").
 */
export function pendingFromRows(rows) {
  return (rows || []).filter(isArrangementRow).map((row) => ({
    id: row.id,
    person: { id: row.arrangement.person_id, display_name: row.person_name },
    type: row.arrangement.type,
    starts_at: row.arrangement.starts_at,
    state: "arranged",
    pending: row.state,
  }));
}

/** The arrangements held from the server and those still on the phone, each once (the server's first). */
export function withPending(held, rows) {
  const known = new Set((held || []).map((a) => a.id));
  return [...(held || []), ...pendingFromRows(rows).filter((a) => !known.has(a.id))];
}

/**
 * A person's "arranged" figure on the phone: the server's this week, and those arranged on
 * this phone for this week that have not reached it yet.
 */
export function arrangedThisWeek(person, rows, now = new Date()) {
  const week = weekOf(now);
  const waiting = pendingFromRows(rows).filter((a) => a.person.id === person.id && weekOf(a.starts_at) === week).length;
  return (person.arranged_this_week || 0) + waiting;
}

/**
 * The caseload held, after the server's answer to arrangements sent from this phone: each one it
 * holds now is kept with the others (so the home offers its outcome at once), and a new one this
 * week counts in its person's arranged figure until the caseload is fetched again.
 */
export function afterSent(caseload, results) {
  const stored = (Array.isArray(results) ? results : []).filter(
    (r) => r && (r.status === "created" || r.status === "duplicate") && r.arrangement && validArrangement(r.arrangement),
  );
  if (!stored.length) return caseload;
  const byId = new Map((caseload.arrangements || []).map((a) => [a.id, a]));
  const counted = new Map();
  for (const result of stored) {
    const isNew = !byId.has(result.arrangement.id);
    byId.set(result.arrangement.id, result.arrangement);
    const inWeek = caseload.week_start && weekOf(result.arrangement.starts_at) === caseload.week_start;
    if (isNew && result.status === "created" && inWeek) {
      const personId = result.arrangement.person.id;
      counted.set(personId, (counted.get(personId) || 0) + 1);
    }
  }
  const people = (caseload.people || []).map((person) =>
    counted.has(person.id) ? { ...person, arranged_this_week: (person.arranged_this_week || 0) + counted.get(person.id) } : person,
  );
  return { ...caseload, people, arrangements: [...byId.values()] };
}

/**
 * The server's arrangements as fetched, keeping those whose outcome this phone recorded while the
 * answer was on its way (open when it left the server, recorded here since `before` was read):
 * an answer older than the tap must not offer the same outcome a second time.
 */
export function keepRecordedMeanwhile(fetched, before, latest) {
  const earlier = new Map((before || []).map((a) => [a.id, a.state]));
  const meanwhile = new Map(
    (latest || []).filter((a) => a.state === "recorded" && earlier.get(a.id) !== "recorded").map((a) => [a.id, a]),
  );
  return fetched.map((a) => (isOpen(a) && meanwhile.has(a.id) ? meanwhile.get(a.id) : a));
}
