// The sender: moves the outbox to the server, one sender at a time across every tab
// and the service worker (Web Locks), with exponential back-off and jitter.
//
// It runs on save, when the browser comes back online, when the app starts, every so
// often while the app is open, and from the service worker's Background Sync where
// the browser has it. It works the same without Background Sync (iOS Safari).

import * as api from "./api.js";
import { ARRANGEMENT, afterSent } from "./arrangements.js";
import * as device from "./device.js";
import * as corrections from "./corrections.js";
import * as outbox from "./outbox.js";
import * as receipts from "./receipts.js";
import * as store from "./store.js";

const LOCK_NAME = "cyswllt-send";
const MAX_BATCH = 100; // the API takes up to 200; smaller batches finish sooner on a weak signal
const BASE_DELAY_MS = 5000;
const MAX_DELAY_MS = 5 * 60 * 1000;

let failures = 0;
let notBefore = 0;
let batchSize = MAX_BATCH;
let running = null;
let again = false;
let retryTimer = null;

export const events = new EventTarget();

function emit(detail) {
  events.dispatchEvent(new CustomEvent("state", { detail }));
}

/** Back-off after `count` failures in a row: doubling from 5 s up to 5 min, with "equal jitter". */
export function backoffDelay(count, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, count - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function nextAttemptAt() {
  return notBefore;
}

function withLock(work) {
  if (typeof navigator !== "undefined" && navigator.locks && navigator.locks.request) {
    return navigator.locks.request(LOCK_NAME, work);
  }
  return work(); // no Web Locks (old browsers): the server's idempotency still makes one record
}

/**
 * Send everything waiting for the signed-in device user.
 * `force` ignores the back-off (the officer tapped "Send now", the network came back).
 * Resolves with {status: "done" | "nothing" | "signed_out" | "no_user" | "failed" | "backoff", ...}.
 */
export function send({ force = false } = {}) {
  if (!force && Date.now() < notBefore) return Promise.resolve({ status: "backoff", retryAt: notBefore });
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    let result;
    try {
      do {
        again = false;
        result = await withLock(() => sendAll());
      } while (again && result.status === "done");
    } finally {
      running = null;
      emit({ sending: false, result });
    }
    return result;
  })();
  return running;
}

async function sendAll() {
  await outbox.releaseStale();
  const user = await store.getSetting("user");
  if (!user) return { status: "no_user" };
  if (await store.getSetting("signed_out")) return { status: "signed_out" };
  const anything = (await outbox.sendable(user.id, user.team_id)).length +
    (await outbox.sendable(user.id, user.team_id, ARRANGEMENT)).length + (await corrections.waiting(user.id)).length;
  if (!anything) return { status: "nothing" };

  emit({ sending: true });
  const session = await api.getSession();
  const refused = await sessionProblem(session, user);
  if (refused) return refused;

  let accepted = 0;
  let caseloadChanged = false;
  let csrfRetried = false;
  for (;;) {
    const rows = (await outbox.sendable(user.id, user.team_id)).slice(0, batchSize);
    if (!rows.length) break;
    const ids = rows.map((r) => r.id);
    await outbox.markSending(ids);
    const result = await api.postSync(rows.map((r) => r.contact), await device.report({ sending: ids }));

    if (result.kind === "ok" && Array.isArray(result.json.results)) {
      // The receipt first: a record never leaves the outbox without the phone keeping that the server holds it.
      await receipts.keep(user.id, rows, result.json.results);
      const counts = await outbox.applyResults(rows, result.json.results);
      if (!(await applyTallies(user.id, result.json))) caseloadChanged = true;
      accepted += counts.accepted;
      if (counts.waiting === 0) {
        failures = 0;
        notBefore = 0;
        continue;
      }
      return failed({ reason: "incomplete" }); // an answer that does not settle what was sent: not a receipt
    }

    await outbox.markWaiting(ids);
    if (result.kind === "unauthenticated") {
      await store.setSetting("signed_out", true);
      return { status: "signed_out" };
    }
    if (result.kind === "csrf" && !csrfRetried) {
      csrfRetried = true;
      const problem = await sessionProblem(await api.getSession(), user);
      if (problem) return problem;
      continue;
    }
    if (result.kind === "whole_request") {
      if (rows.length > 1) {
        batchSize = Math.max(1, Math.floor(rows.length / 2)); // find the one the server cannot take
        continue;
      }
      await outbox.markAttention(ids, { kind: "refused", message: result.error.message || "" });
      continue;
    }
    return failed(result);
  }
  batchSize = MAX_BATCH;
  // Then the arrangements made on this phone, each exactly once by its id (arrangements.js).
  const arranged = await sendArrangements(user);
  if (arranged.failed) {
    if (arranged.failed.kind === "unauthenticated") {
      await store.setSetting("signed_out", true);
      return { status: "signed_out" };
    }
    return failed(arranged.failed);
  }
  if (arranged.accepted) caseloadChanged = true; // the arranged figures changed: fetched again by ETag
  accepted += arranged.accepted;
  // Then the corrections, voids and discards made on this phone, each once by its key.
  const changes = await corrections.sendWaiting(user.id);
  if (changes.failed) {
    if (changes.failed.kind === "unauthenticated") {
      await store.setSetting("signed_out", true);
      return { status: "signed_out" };
    }
    return failed(changes.failed);
  }
  if (changes.sent) caseloadChanged = true; // a correction or void can change the counts
  return { status: "done", accepted, caseloadChanged };
}

/**
 * Send the waiting arrangements, in batches, after the contacts: the same rows and receipts as
 * contacts (outbox.applyResults: gone only on created/duplicate with the hash sent; conflict and
 * rejected need attention). {accepted} or {failed: the answer that was not a receipt}.
 */
async function sendArrangements(user) {
  let accepted = 0;
  let size = MAX_BATCH;
  for (;;) {
    const rows = (await outbox.sendable(user.id, user.team_id, ARRANGEMENT)).slice(0, size);
    if (!rows.length) return { accepted };
    const ids = rows.map((r) => r.id);
    await outbox.markSending(ids);
    const result = await api.postArrangements(rows.map((r) => r.arrangement));
    if (result.kind === "ok" && Array.isArray(result.json.results)) {
      await store.updateCaseload(user.id, (caseload) => afterSent(caseload, result.json.results));
      const counts = await outbox.applyResults(rows, result.json.results);
      accepted += counts.accepted;
      if (counts.waiting === 0) continue;
      return { failed: { reason: "incomplete" } };
    }
    await outbox.markWaiting(ids);
    if (result.kind === "whole_request") {
      if (rows.length > 1) {
        size = Math.max(1, Math.floor(rows.length / 2));
        continue;
      }
      await outbox.markAttention(ids, { kind: "refused", message: result.error.message || "" });
      continue;
    }
    return { failed: result };
  }
}

async function sessionProblem(session, user) {
  if (session.kind === "unauthenticated") {
    await store.setSetting("signed_out", true);
    return { status: "signed_out" };
  }
  if (session.kind !== "ok") return failed(session);
  if (session.json.user.id !== user.id) {
    // Someone else is signed in on this phone now: never send this user's records as theirs.
    return { status: "other_user" };
  }
  return null;
}

function failed(result) {
  failures += 1;
  const retryAfterMs = result.retryAfter ? result.retryAfter * 1000 : 0;
  notBefore = Date.now() + Math.max(backoffDelay(failures), retryAfterMs);
  scheduleRetry();
  return { status: "failed", reason: result.reason || result.kind, httpStatus: result.status || null, retryAt: notBefore };
}

function scheduleRetry() {
  if (typeof window === "undefined") return; // the service worker relies on Background Sync's own retries
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => send(), Math.max(0, notBefore - Date.now()) + 50);
}

function laterOf(a, b) {
  if (!a) return b || null;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * Put a sync answer's tallies into the caseload held for `userId` (a sync never changes a
 * required level: the phone keeps the one it holds). Resolves true when the caseload held is
 * now the server's (it held the ETag from before this sync), false when it should be asked
 * for again by its ETag.
 */
export async function applyTallies(userId, answer) {
  const tallies = Array.isArray(answer.tallies) ? answer.tallies.filter((t) => t && typeof t.id === "number") : [];
  const versions = answer.caseload || null;
  let current = versions === null;
  await store.updateCaseload(userId, (caseload) => {
    if (caseload.week_start !== answer.week_start) {
      current = false; // counts from another week: the next fetch replaces them
      return caseload;
    }
    const fresh = new Map(tallies.map((t) => [t.id, t]));
    const people = caseload.people.map((person) => {
      const tally = fresh.get(person.id);
      if (!tally) return person;
      return {
        ...person,
        offered_this_week: tally.offered_this_week,
        kept_this_week: tally.kept_this_week,
        last_contact_at: laterOf(person.last_contact_at, tally.last_contact_at),
      };
    });
    if (versions) current = Boolean(caseload.etag) && caseload.etag === versions.previous_etag;
    return { ...caseload, people, etag: current && versions ? versions.etag : caseload.etag };
  });
  return current;
}

/** Forget the back-off (the officer asked, or the network came back). */
export function resetBackoff() {
  failures = 0;
  notBefore = 0;
}
