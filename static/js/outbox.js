// The outbox: every contact recorded on this phone until the server has accepted it.
//
// A row's state: "waiting" → "sending" → (removed when accepted) or "attention".
// - A row is removed only when the server's receipt names its id with status created
//   or duplicate AND carries the hash of exactly what was sent.
// - Nothing expires. Rows belong to the user who recorded them: another user of the
//   same phone never sees or sends them.
// - Only the sender holding the lock moves rows to "sending", so any row found
//   "sending" by a new lock holder was left by a send that never finished (the app
//   was closed, the tab crashed) and goes back to "waiting".

import { contentHash } from "./canonical.js";
import * as store from "./store.js";

export const WAITING = "waiting";
export const SENDING = "sending";
export const ATTENTION = "attention";

function byAge(rows) {
  return rows.sort((a, b) => (a.saved_at < b.saved_at ? -1 : a.saved_at > b.saved_at ? 1 : 0));
}

/** Save a new contact: resolves once it is safely stored on the phone. Saving the same id twice stores it once. */
export async function save(userId, contact, personName) {
  const hash = await contentHash(contact);
  const row = {
    id: contact.id,
    user_id: userId,
    state: WAITING,
    contact,
    hash,
    person_name: personName,
    saved_at: new Date().toISOString(),
    attempts: 0,
    problem: null,
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
  if (!original || original.user_id !== userId || original.state !== ATTENTION) return false;
  const hash = await contentHash(contact);
  const row = { ...original, id: contact.id, contact, hash, person_name: personName, state: WAITING, problem: null, attempts: 0 };
  if (contact.id === originalId) await store.changeOutbox([originalId], (r) => (r && r.state === ATTENTION ? row : undefined));
  else await store.replaceOutboxRow(originalId, row);
  return true;
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

/** Rows left "sending" by a send that never finished go back to "waiting". Call with the send lock held. */
export async function releaseStale() {
  const stale = (await store.allOutboxRows()).filter((r) => r.state === SENDING).map((r) => r.id);
  if (stale.length) await store.changeOutbox(stale, (r) => (r && r.state === SENDING ? { ...r, state: WAITING } : undefined));
}

export function markSending(ids) {
  return store.changeOutbox(ids, (r) =>
    r && r.state === WAITING ? { ...r, state: SENDING, attempts: (r.attempts || 0) + 1, last_attempt_at: new Date().toISOString() } : undefined,
  );
}

export function markWaiting(ids) {
  return store.changeOutbox(ids, (r) => (r && r.state === SENDING ? { ...r, state: WAITING } : undefined));
}

export function markAttention(ids, problem) {
  return store.changeOutbox(ids, (r) => (r ? { ...r, state: ATTENTION, problem } : undefined));
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
      decision = { state: WAITING };
    } else if (result.status === "created" || result.status === "duplicate") {
      decision =
        result.sha256 === sent.hash
          ? { remove: true }
          : { state: ATTENTION, problem: { kind: "mismatch" } };
    } else if (result.status === "conflict") {
      decision = { state: ATTENTION, problem: { kind: "conflict", stored: result.stored || null } };
    } else if (result.status === "rejected") {
      decision = { state: ATTENTION, problem: { kind: "rejected", errors: result.errors || {} } };
    } else {
      decision = { state: WAITING };
    }
    decisions.set(sent.id, decision);
    if (decision.remove) counts.accepted += 1;
    else if (decision.state === ATTENTION) counts.attention += 1;
    else counts.waiting += 1;
  }
  await store.changeOutbox([...decisions.keys()], (r) => {
    if (!r) return undefined;
    const decision = decisions.get(r.id);
    // Only the version that was sent can be settled by this receipt.
    const sent = sentRows.find((s) => s.id === r.id);
    if (sent && sent.hash !== r.hash) return r.state === SENDING ? { ...r, state: WAITING } : undefined;
    if (decision.remove) return null;
    return { ...r, state: decision.state, problem: decision.problem || null };
  });
  return counts;
}

/** Delete a row for good (the officer confirmed it after a clear warning). */
export function discard(userId, ids) {
  return store.changeOutbox(ids, (r) => (r && r.user_id === userId && r.state !== SENDING ? null : undefined));
}
