// Receipts: for each record this phone sent in the last fortnight, that the server holds it
// (its receipt carried the hash of exactly what was sent) and when it arrived, with the short
// reference an officer can quote. Kept in settings ("receipts:<user id>"), without the notes:
// a receipt says what was sent, not what it said. A correction or void of a sent record starts
// from its receipt (corrections.js).

import * as store from "./store.js";

export const KEEP_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The reference an officer quotes: the id's first eight hex digits as a ten-digit number (app/contacts/reference.py). */
export function shortReference(id) {
  // Digits only, so that it reads out the same in Welsh and in English.
  const digits = String(parseInt(String(id).replace(/-/g, "").slice(0, 8), 16)).padStart(10, "0");
  return `${digits.slice(0, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
}

function key(userId) {
  return `receipts:${userId}`;
}

/** The receipts held for this user, newest first, none older than KEEP_DAYS. */
export async function list(userId, now = new Date()) {
  if (userId == null) return [];
  const kept = (await store.getSetting(key(userId))) || [];
  return kept
    .filter((r) => now.getTime() - Date.parse(r.received_at) <= KEEP_DAYS * DAY_MS)
    .sort((a, b) => (a.occurred_at < b.occurred_at ? 1 : a.occurred_at > b.occurred_at ? -1 : 0));
}

export async function find(userId, id) {
  return (await list(userId)).find((r) => r.id === id) || null;
}

/** A summary of a sent contact, as a receipt keeps it. */
function summary(contact) {
  return {
    person_id: contact.person_id,
    type: contact.type,
    outcome: contact.outcome,
    occurred_at: contact.occurred_at,
    duration_minutes: contact.duration_minutes == null ? null : contact.duration_minutes,
    pathways: contact.pathways || [],
  };
}

/**
 * Keep a receipt for every sent row the server's results accepted (created or duplicate with the
 * hash of what was sent): the same test outbox.applyResults lets a row go by.
 */
export async function keep(userId, sentRows, results, now = new Date()) {
  const byId = new Map();
  for (const result of Array.isArray(results) ? results : []) {
    if (result && typeof result.id === "string") byId.set(result.id.toLowerCase(), result);
  }
  const fresh = [];
  for (const row of sentRows) {
    const result = byId.get(row.id.toLowerCase());
    if (!result || !(result.status === "created" || result.status === "duplicate") || result.sha256 !== row.hash) continue;
    const contact = row.contact || row.summary || {};
    fresh.push({
      id: row.id,
      reference: shortReference(row.id),
      person_name: row.person_name || null,
      ...summary(contact),
      sha256: result.current_sha256 || result.sha256, // the version held now (another's correction included)
      received_at: result.server_received_at || now.toISOString(),
      checked_at: now.toISOString(),
      corrected: Boolean(result.corrected),
      voided: Boolean(result.voided),
    });
  }
  if (fresh.length) await update(userId, (kept) => [...kept.filter((r) => !fresh.some((f) => f.id === r.id)), ...fresh]);
  return fresh.length;
}

/** Change this user's receipts in one go (`change` takes the list and returns the new one). */
export async function update(userId, change, now = new Date()) {
  const kept = (await store.getSetting(key(userId))) || [];
  const next = change(kept).filter((r) => now.getTime() - Date.parse(r.received_at) <= KEEP_DAYS * DAY_MS);
  await store.setSetting(key(userId), next);
  return next;
}

/** After the server answered a correction or void: the receipt follows the version held now. */
export function follow(userId, stored) {
  if (!stored || typeof stored.id !== "string") return Promise.resolve();
  return update(userId, (kept) =>
    kept.map((r) => (r.id === stored.id
      ? { ...r, ...summary(stored), sha256: stored.sha256 || r.sha256, voided: Boolean(stored.voided), corrected: true }
      : r)),
  );
}

/** Whether the team's correction window (days) is still open for this receipt. */
export function changeable(receipt, windowDays, now = new Date()) {
  if (receipt.voided) return false;
  const days = windowDays == null ? 7 : windowDays;
  return now.getTime() - Date.parse(receipt.received_at) <= days * DAY_MS;
}
