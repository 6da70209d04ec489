// The outbox: every contact recorded on this phone until the server has accepted it.
//
// A row's states and what moves it are the table TRANSITIONS below; every change of a row's
// state goes through `move`, which follows it (tests/js/outbox_states.test.mjs walks it).
// - A row is removed only when the server's receipt names its id with status created
//   or duplicate AND carries the hash of exactly what was sent ("accepted"), or when the
//   officer discards it after a clear warning.
// - Nothing expires: "attention" waits for the officer. Rows belong to the user who
//   recorded them: another user of the same phone never sees them, and sends only the
//   sealed ones (see below), which stay the recorder's.
// - Only the sender holding the lock moves rows to "sending", so any row found
//   "sending" by a new lock holder was left by a send that never finished (the app
//   was closed, the tab crashed) and goes back to "waiting" ("stale").
// - A row never holds a contact's content in plaintext. `sealForOutbox` is the ONE way
//   content goes into the outbox (saving, resubmitting, and replacing a waiting row all call
//   it): it hashes the contact (the hash the server's receipt must carry), seals it to the
//   server's key (seal.js), and returns the row's fields. `row.contact` is then what is sent:
//   the summary the outbox shows (id, person_id, type, occurred_at), `content_sha256` and
//   `sealed`. Without a server key (never signed in online) nothing is saved: NoSealingKey.
//   Rows made before sealing (a plain `row.contact`) are sealed by `sealPlainRows` as soon as
//   the session answer brings the key (session.js).
// - Sealed rows carry their recorder's seal token inside the seal, so the server stores them
//   as that officer's whoever sends them: `sendable` lets the signed-in user send the sealed
//   rows another officer of their team left waiting on this phone (a leaver's too); they are
//   still neither readable nor shown to them.
// - Arrangements made on the phone are rows of this outbox too (`kind: "arrangement"`, the sealed
//   form in `row.arrangement`, see arrangements.js): the same states, the same receipts by hash,
//   kept by the wipe and counted wherever unsent records are. `sendable(…, kind)` keeps the two
//   kinds apart, as each goes to its own endpoint; a row without a kind is a contact.

import { ARRANGEMENT, arrangementHash, isArrangementRow } from "./arrangements.js";
import { contentHash } from "./canonical.js";
import { NoSealingKey, sealedArrangement, sealedContact } from "./seal.js";
import * as store from "./store.js";

export { NoSealingKey };

export const NEW = "new"; // not stored yet
export const WAITING = "waiting";
export const SENDING = "sending";
export const ATTENTION = "attention";
export const GONE = "gone"; // deleted from the outbox

/** [state, event, next state]: the only ways a row's state changes. */
export const TRANSITIONS = Object.freeze([
  [NEW, "save", WAITING],
  [WAITING, "send", SENDING], // the sender took it into a batch
  [SENDING, "accepted", GONE], // created or duplicate, with the hash of what was sent
  [SENDING, "mismatch", ATTENTION], // created or duplicate, but with another hash
  [SENDING, "conflict", ATTENTION], // the server holds other content under this id
  [SENDING, "rejected", ATTENTION], // refused field by field
  [SENDING, "unsettled", WAITING], // no result names it, an unknown status, or the row changed meanwhile
  [SENDING, "failed", WAITING], // no answer that is a receipt: offline, 5xx, a captive portal, 401, CSRF
  [SENDING, "stale", WAITING], // left "sending" by a send that never finished
  [WAITING, "refused", ATTENTION], // a whole request of this record alone was refused (400/413)
  [ATTENTION, "resubmit", WAITING], // corrected by the officer, to send again
  [WAITING, "edit", WAITING], // corrected by the officer before it was sent: what will be sent changes (one record)
  [WAITING, "discard", GONE], // the officer deleted it after the warning
  [ATTENTION, "discard", GONE],
]);

const NEXT = new Map(TRANSITIONS.map(([state, event, after]) => [`${state} ${event}`, after]));

/** The state after `event` in `state`, or undefined when the table has no such move. */
export function next(state, event) {
  return NEXT.get(`${state} ${event}`);
}

/**
 * A row after `event`, as store.changeOutbox takes it: the changed row, null to delete it,
 * or undefined to leave it as it is (the event does not apply in its state).
 */
export function move(row, event, changes = {}) {
  if (!row) return undefined;
  const after = next(row.state, event);
  if (after === undefined) return undefined;
  if (after === GONE) return null;
  return { ...row, ...changes, state: after };
}

function byAge(rows) {
  return rows.sort((a, b) => (a.saved_at < b.saved_at ? -1 : a.saved_at > b.saved_at ? 1 : 0));
}

/**
 * The fields of an outbox row for `contact`: {id, contact: its sealed form, hash, person_name,
 * sealed: true}. The content hash is of the plaintext, computed before sealing; the plaintext
 * is kept nowhere. Every path that stores a contact in the outbox goes through here.
 */
export async function sealForOutbox(contact, personName) {
  const sealing = await store.getSetting("sealing");
  const hash = await contentHash(contact);
  return { id: contact.id, contact: await sealedContact(contact, hash, sealing), hash, person_name: personName, sealed: true };
}

/**
 * Seal the rows `userId` saved before this phone sealed records (a plain `row.contact`), now
 * that the server's key and this user's seal token are here. Only the signed-in user's own
 * rows: another user's token would make them that user's. Rows being sent are left alone.
 */
export async function sealPlainRows(userId) {
  const plain = (await store.outboxRows(userId)).filter((r) => !r.sealed && !isArrangementRow(r) && r.state !== SENDING);
  for (const original of plain) {
    const fields = await sealForOutbox(original.contact, original.person_name);
    await store.changeOutbox([original.id], (r) =>
      r && !r.sealed && r.state !== SENDING && r.hash === original.hash && r.user_id === userId ? { ...r, ...fields } : undefined,
    );
  }
}

/**
 * Save a new arrangement (arrangements.newArrangement): sealed, the plaintext kept nowhere. Resolves
 * once it is safely stored on the phone; saving the same id twice stores it once.
 */
export async function saveArrangement(userId, arrangement, personName) {
  const sealing = await store.getSetting("sealing");
  const hash = await arrangementHash(arrangement);
  const user = await store.getSetting("user");
  const row = {
    id: arrangement.id,
    kind: ARRANGEMENT,
    arrangement: await sealedArrangement(arrangement, hash, sealing),
    hash,
    person_name: personName,
    sealed: true,
    user_id: userId,
    team_id: user && user.id === userId && user.team_id != null ? user.team_id : null,
    state: next(NEW, "save"),
    saved_at: new Date().toISOString(),
    attempts: 0,
    problem: null,
  };
  await store.addOutboxRow(row);
  return row;
}

/** Save a new contact: resolves once it is safely stored on the phone. Saving the same id twice stores it once. */
export async function save(userId, contact, personName) {
  const user = await store.getSetting("user");
  const row = {
    ...(await sealForOutbox(contact, personName)),
    user_id: userId,
    team_id: user && user.id === userId && user.team_id != null ? user.team_id : null, // who else may send it
    state: next(NEW, "save"),
    saved_at: new Date().toISOString(),
    attempts: 0,
    problem: null,
    // The arrangement it is the outcome of (an id only): the home stops offering it at once.
    arrangement_id: contact.arrangement_id || null,
  };
  await store.addOutboxRow(row);
  return row;
}

/**
 * A corrected version of a row that needs attention, ready to send again. It keeps its id,
 * unless the server cannot store anything under that id: then it goes under `contact.id`.
 */
export async function resubmit(userId, originalId, contact, personName) {
  const original = await store.outboxRow(originalId);
  // A record still waiting is corrected in place ("edit"); one being sent cannot be (the table has no such move).
  const event = original && original.state === WAITING ? "edit" : "resubmit";
  if (!original || original.user_id !== userId || next(original.state, event) === undefined) return false;
  // Through the one path that stores a contact in the outbox: sealed, the plaintext kept nowhere.
  const row = move(original, event, { ...(await sealForOutbox(contact, personName)), problem: null, attempts: 0 });
  let applied = true;
  if (contact.id === originalId) {
    // Only if it has not moved meanwhile (the sender took it): then the officer is told, and nothing is lost.
    applied = false;
    await store.changeOutbox([originalId], (r) => {
      applied = Boolean(r && r.state === original.state);
      return applied ? row : undefined;
    });
  } else await store.replaceOutboxRow(originalId, row);
  return applied;
}

export async function rows(userId) {
  if (userId == null) return [];
  return byAge(await store.outboxRows(userId));
}

export async function row(userId, id) {
  const found = await store.outboxRow(id);
  return found && found.user_id === userId ? found : null;
}

export async function waiting(userId) {
  return (await rows(userId)).filter((r) => r.state === WAITING);
}

/**
 * What the signed-in user sends: their own waiting rows, and the sealed ones another officer of
 * their team left on this phone (the server would refuse another team's).
 */
export async function sendable(userId, teamId = null, kind = "contact") {
  if (userId == null) return [];
  const all = byAge(await store.allOutboxRows());
  const colleagues = (r) => r.sealed === true && teamId != null && r.team_id === teamId;
  const ofKind = (r) => (kind === ARRANGEMENT) === isArrangementRow(r);
  return all.filter((r) => r.state === WAITING && ofKind(r) && (r.user_id === userId || colleagues(r)));
}

/** Rows left "sending" by a send that never finished go back to "waiting". Call with the send lock held. */
export async function releaseStale() {
  const stale = (await store.allOutboxRows()).filter((r) => r.state === SENDING).map((r) => r.id);
  if (stale.length) await store.changeOutbox(stale, (r) => move(r, "stale"));
}

export function markSending(ids) {
  return store.changeOutbox(ids, (r) =>
    move(r, "send", { attempts: ((r && r.attempts) || 0) + 1, last_attempt_at: new Date().toISOString() }),
  );
}

/** The batch was not answered with a receipt: its rows wait to go again. */
export function markWaiting(ids) {
  return store.changeOutbox(ids, (r) => move(r, "failed"));
}

/** The server refused a request holding only these (waiting) rows. */
export function markAttention(ids, problem) {
  return store.changeOutbox(ids, (r) => move(r, "refused", { problem }));
}

/**
 * Apply the server's receipt to the rows that were sent. Returns counts by outcome.
 * A result that is missing, or names another id, leaves its row waiting.
 */
export async function applyResults(sentRows, results) {
  const byId = new Map();
  for (const result of Array.isArray(results) ? results : []) {
    if (result && typeof result.id === "string") byId.set(result.id.toLowerCase(), result);
  }
  const decisions = new Map();
  const counts = { accepted: 0, attention: 0, waiting: 0 };
  for (const sent of sentRows) {
    const result = byId.get(sent.id.toLowerCase());
    let decision;
    if (!result) {
      decision = { event: "unsettled" };
    } else if (result.status === "created" || result.status === "duplicate") {
      decision = result.sha256 === sent.hash ? { event: "accepted" } : { event: "mismatch", problem: { kind: "mismatch" } };
    } else if (result.status === "conflict") {
      decision = { event: "conflict", problem: { kind: "conflict", stored: result.stored || null } };
    } else if (result.status === "rejected") {
      decision = { event: "rejected", problem: { kind: "rejected", errors: result.errors || {} } };
    } else {
      decision = { event: "unsettled" };
    }
    decisions.set(sent.id, decision);
    const after = next(SENDING, decision.event);
    if (after === GONE) counts.accepted += 1;
    else if (after === ATTENTION) counts.attention += 1;
    else counts.waiting += 1;
  }
  await store.changeOutbox([...decisions.keys()], (r) => {
    if (!r) return undefined;
    const decision = decisions.get(r.id);
    // Only the version that was sent can be settled by this receipt.
    const sent = sentRows.find((s) => s.id === r.id);
    if (sent && sent.hash !== r.hash) return move(r, "unsettled");
    return move(r, decision.event, { problem: decision.problem || null });
  });
  return counts;
}

/** Delete a row for good (the officer confirmed it after a clear warning). */
export function discard(userId, ids) {
  return store.changeOutbox(ids, (r) => (r && r.user_id === userId ? move(r, "discard") : undefined));
}
