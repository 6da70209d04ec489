// The outbox's states and transitions (static/js/outbox.js, TRANSITIONS) walked as a graph:
// the promises the phone makes about a record hold for every path through the table.
// Runs with plain Node: node --test tests/js/outbox_states.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";

// store.js opens a BroadcastChannel when there is one; under Node it would keep the process alive.
delete globalThis.BroadcastChannel;
const outbox = await import("../../static/js/outbox.js");
const { TRANSITIONS, NEW, WAITING, SENDING, ATTENTION, GONE, next, move } = outbox;

const STATES = [NEW, WAITING, SENDING, ATTENTION, GONE];
const EVENTS = [...new Set(TRANSITIONS.map(([, event]) => event))];

function reachable(from) {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const state = queue.shift();
    for (const [before, , after] of TRANSITIONS) {
      if (before === state && !seen.has(after)) {
        seen.add(after);
        queue.push(after);
      }
    }
  }
  return seen;
}

test("each state and event pair appears at most once, between known states", () => {
  const pairs = TRANSITIONS.map(([state, event]) => `${state} ${event}`);
  assert.equal(new Set(pairs).size, pairs.length);
  for (const [state, event, after] of TRANSITIONS) {
    assert.ok(STATES.includes(state) && STATES.includes(after), `${state} --${event}--> ${after}`);
    assert.notEqual(state, GONE, "nothing moves a deleted row");
    assert.notEqual(after, NEW);
  }
});

test("a saved record can reach every state, and from every state it can still leave the outbox", () => {
  assert.deepEqual([...reachable(NEW)].sort(), [...STATES].sort());
  for (const state of [WAITING, SENDING, ATTENTION]) {
    assert.ok(reachable(state).has(GONE), `${state} can never leave the outbox`);
  }
});

test("a record leaves the outbox only when accepted with its hash, or discarded by the officer", () => {
  const leaving = TRANSITIONS.filter(([, , after]) => after === GONE).map(([state, event]) => `${state} ${event}`);
  assert.deepEqual(leaving.sort(), [`${ATTENTION} discard`, `${SENDING} accepted`, `${WAITING} discard`].sort());
});

test("a record being sent cannot be discarded, and nothing but the sender moves it", () => {
  assert.equal(next(SENDING, "discard"), undefined);
  assert.deepEqual(
    TRANSITIONS.filter(([, , after]) => after === SENDING).map(([state, event]) => `${state} ${event}`),
    [`${WAITING} send`],
  );
});

test("every way a send can end settles a record that was being sent", () => {
  for (const event of ["accepted", "mismatch", "conflict", "rejected", "unsettled", "failed", "stale"]) {
    assert.notEqual(next(SENDING, event), undefined, `a record being sent has no way out on ${event}`);
  }
  // A failure never loses a record, nor asks the officer about it.
  for (const event of ["unsettled", "failed", "stale"]) assert.equal(next(SENDING, event), WAITING);
});

test("a record needing attention waits for the officer: nothing moves it on its own", () => {
  const leaving = TRANSITIONS.filter(([state]) => state === ATTENTION).map(([, event]) => event);
  assert.deepEqual(leaving.sort(), ["discard", "resubmit"]);
});

test("move follows the table for every state and event, and leaves a row alone otherwise", () => {
  for (const state of STATES.filter((s) => s !== NEW && s !== GONE)) {
    for (const event of EVENTS) {
      const row = { id: "r1", state, problem: null };
      const after = next(state, event);
      const moved = move(row, event, { problem: { kind: "x" } });
      if (after === undefined) assert.equal(moved, undefined, `${state} ${event}`);
      else if (after === GONE) assert.equal(moved, null, `${state} ${event}`);
      else assert.deepEqual(moved, { id: "r1", state: after, problem: { kind: "x" } });
    }
  }
  assert.equal(move(null, "send"), undefined);
});

test("the paths a record takes in the field end where the officer expects", () => {
  const walk = (events) => events.reduce((state, event) => next(state, event), NEW);
  assert.equal(walk(["save", "send", "accepted"]), GONE);
  assert.equal(walk(["save", "send", "failed", "send", "stale", "send", "accepted"]), GONE);
  assert.equal(walk(["save", "send", "rejected", "resubmit", "send", "accepted"]), GONE);
  assert.equal(walk(["save", "send", "conflict"]), ATTENTION);
  assert.equal(walk(["save", "refused"]), ATTENTION);
  assert.equal(walk(["save", "send", "mismatch", "discard"]), GONE);
});

test("a record still waiting can be corrected on the phone, and it stays one record until it is sent", () => {
  const walk = (events) => events.reduce((state, event) => next(state, event), NEW);
  assert.equal(walk(["save", "edit", "edit", "send", "accepted"]), GONE);
  assert.equal(next(SENDING, "edit"), undefined, "a record being sent is not changed under the sender");
  assert.equal(next(ATTENTION, "edit"), undefined, "a refused record is corrected by resubmitting it");
  const edits = TRANSITIONS.filter(([, event]) => event === "edit");
  assert.deepEqual(edits, [[WAITING, "edit", WAITING]]);
});
