// The sender's back-off: doubling from 5 s to 5 min with jitter, and never sooner than the
// server's Retry-After.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined;
const sync = await import("../../static/js/sync.js");
const store = await import("../../static/js/store.js");
const outbox = await import("../../static/js/outbox.js");
const { testSealing } = await import("./sealing_key.mjs");

test("the back-off doubles from 5 s up to 5 minutes, with half of it jittered", () => {
  const lowest = (count) => sync.backoffDelay(count, () => 0);
  const highest = (count) => sync.backoffDelay(count, () => 1);
  assert.deepEqual([1, 2, 3, 4].map(highest), [5000, 10000, 20000, 40000]);
  assert.deepEqual([1, 2, 3, 4].map(lowest), [2500, 5000, 10000, 20000]);
  assert.equal(highest(20), 300000);
  assert.equal(lowest(20), 150000);
});

test("a 503 with Retry-After keeps the record and waits at least that long before trying again", async () => {
  await store.setSetting("user", { id: 7 });
  await store.setSetting("sealing", (await testSealing()).sealing);
  const now = new Date().toISOString();
  await outbox.save(7, { id: crypto.randomUUID(), person_id: 1, type: "phone", outcome: "kept", occurred_at: now,
    recorded_at: now, duration_minutes: null, pathways: [], notes: null, sensitive: false, concern: false,
    others_present: null }, "Rhys Evans");
  const asked = [];
  globalThis.fetch = async (path) => {
    asked.push(path);
    return new Response(JSON.stringify({ error: { code: "unavailable", message: "Later" } }),
      { status: 503, headers: { "Content-Type": "application/json", "Retry-After": "600" } });
  };
  const before = Date.now();
  const result = await sync.send({ force: true });
  assert.equal(result.status, "failed");
  assert.ok(result.retryAt >= before + 600 * 1000, `retry at ${result.retryAt - before} ms, not after Retry-After`);
  assert.deepEqual((await store.outboxRows(7)).map((row) => row.state), ["waiting"]);
  assert.equal((await sync.send()).status, "backoff"); // not forced: waits
  assert.deepEqual(asked, ["/api/v1/session"]);
});
