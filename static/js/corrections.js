// Corrections, voids and discards made on the phone: queued offline like new records, each sent
// exactly once under its own idempotency key (the server keeps the key with the change, so a
// change whose answer was lost is answered as done when sent again), and their state shown.
//
// A change's states: waiting → (sending) → done, or attention when the server refused it for
// good (someone changed the contact first, the window closed...): the officer sees why, with
// the version held now, and can make the change again from it or let it go. The queue lives in
// settings ("changes:<user id>"); only the sender (sync.js, under its lock) sends it.

import * as api from "./api.js";
import * as receipts from "./receipts.js";
import * as store from "./store.js";

export const WAITING = "waiting";
export const DONE = "done";
export const ATTENTION = "attention";

function key(userId) {
  return `changes:${userId}`;
}

export async function list(userId) {
  if (userId == null) return [];
  return (await store.getSetting(key(userId))) || [];
}

async function update(userId, change) {
  const next = change(await list(userId));
  await store.setSetting(key(userId), next);
  return next;
}

function queue(userId, item) {
  const change = { key: crypto.randomUUID(), state: WAITING, problem: null, saved_at: new Date().toISOString(), ...item };
  return update(userId, (items) => [...items, change]).then(() => change);
}

/** Correct a sent record: only the fields that changed, from the version its receipt holds. */
export function correct(userId, receipt, changes, reason) {
  return queue(userId, {
    kind: "correct", contact_id: receipt.id, reference: receipt.reference, person_name: receipt.person_name,
    changes, reason, expected_sha256: receipt.sha256,
  });
}

/** Void a sent record (recorded in error). */
export function voidRecord(userId, receipt, reason) {
  return queue(userId, {
    kind: "void", contact_id: receipt.id, reference: receipt.reference, person_name: receipt.person_name,
    reason, expected_sha256: receipt.sha256,
  });
}

/** Report a record discarded before it was ever sent (the outbox row goes; this report stays until sent). */
export function discarded(userId, row, reason) {
  const summary = row.contact || row.summary || {};
  return queue(userId, {
    kind: "discard", contact_id: row.id, reference: receipts.shortReference(row.id), person_name: row.person_name,
    person_id: summary.person_id, type: summary.type, occurred_at: summary.occurred_at, reason,
  });
}

export async function waiting(userId) {
  return (await list(userId)).filter((c) => c.state === WAITING);
}

/** Let a change that needs attention go (the officer read why, and made it again or not). */
export function dismiss(userId, changeKey) {
  return update(userId, (items) => items.filter((c) => c.key !== changeKey || c.state !== ATTENTION));
}

function request(change) {
  if (change.kind === "discard") {
    return api.post("/api/v1/contacts/discarded", {
      id: change.contact_id, person_id: change.person_id, type: change.type, occurred_at: change.occurred_at,
      reason: change.reason,
    });
  }
  const path = `/api/v1/contacts/${change.contact_id}/${change.kind === "void" ? "void" : "correction"}`;
  const body = { reason: change.reason, expected_sha256: change.expected_sha256, idempotency_key: change.key };
  if (change.kind === "correct") body.changes = change.changes;
  return api.post(path, body);
}

/**
 * Send every waiting change, oldest first. Resolves with {sent, attention, failed}: `failed`
 * is the answer that stopped it (offline, signed out...), after which the rest wait.
 */
export async function sendWaiting(userId) {
  let sent = 0;
  let attention = 0;
  for (const change of await waiting(userId)) {
    const result = await request(change);
    let after = null;
    if (result.kind === "ok") {
      after = { state: DONE, done_at: new Date().toISOString() };
      if (result.json && result.json.contact) await receipts.follow(userId, result.json.contact);
      sent += 1;
    } else if (result.kind === "refused" || result.kind === "whole_request") {
      const error = result.error || {};
      after = { state: ATTENTION, problem: { code: error.code || null, message: error.message || "", errors: error.errors || null, stored: error.contact || null } };
      attention += 1;
    } else {
      return { sent, attention, failed: result };
    }
    await update(userId, (items) => items.map((c) => (c.key === change.key ? { ...c, ...after } : c)));
  }
  // Done changes are kept a fortnight, so the phone can show that they were made.
  const cutoff = Date.now() - receipts.KEEP_DAYS * 24 * 60 * 60 * 1000;
  await update(userId, (items) => items.filter((c) => c.state !== DONE || Date.parse(c.done_at) >= cutoff));
  return { sent, attention, failed: null };
}
