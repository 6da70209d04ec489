// The phone's report (device.js): a lasting id, the outbox's counts besides what is being
// sent, the browser's storage, and that the sync and the caseload fetch carry it.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined;
const device = await import("../../static/js/device.js");
const store = await import("../../static/js/store.js");
const outbox = await import("../../static/js/outbox.js");
const sync = await import("../../static/js/sync.js");
const caseload = await import("../../static/js/caseload.js");
const { testSealing } = await import("./sealing_key.mjs");

function contact(id = crypto.randomUUID()) {
  const now = new Date().toISOString();
  return { id, person_id: 1, type: "phone", outcome: "kept", occurred_at: now, recorded_at: now,
    duration_minutes: null, pathways: [], notes: null, sensitive: false, concern: false, others_present: null };
}

async function emptyOutbox() {
  const rows = await store.allOutboxRows();
  await store.changeOutbox(rows.map((row) => row.id), () => null);
}

test("the phone's id is made once and kept", async () => {
  const first = await device.deviceId();
  assert.match(first, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(await device.deviceId(), first);
  await device.forget();
  assert.notEqual(await device.deviceId(), first);
});

test("the counts are every record on the phone, attention included, the oldest by its saved time", () => {
  const rows = [
    { id: "a", state: "waiting", saved_at: "2026-11-18T10:00:00.000Z" },
    { id: "b", state: "attention", saved_at: "2026-11-15T09:00:00.000Z" },
    { id: "c", state: "sending", saved_at: "not a time" },
  ];
  assert.deepEqual(device.counts(rows), { unsent: 3, oldest_unsent_at: "2026-11-15T09:00:00.000Z", attention: 1 });
  assert.deepEqual(device.counts([]), { unsent: 0, oldest_unsent_at: null, attention: 0 });
});

test("the storage state reads persisted() and estimate(), and is null where the browser has neither", async () => {
  const storage = { persisted: async () => true, estimate: async () => ({ usage: 1234.4, quota: 5e9 }) };
  assert.deepEqual(await device.storageState(storage),
    { storage_persisted: true, storage_usage: 1234, storage_quota: 5e9 });
  const broken = { persisted: async () => { throw new Error("no"); } };
  assert.deepEqual(await device.storageState(broken), { storage_persisted: null, storage_usage: null, storage_quota: null });
});

test("the app's version is the build prefix the module came from", () => {
  assert.equal(device.appVersion("https://x.example/static/0123456789abcdef/js/device.js"), "0123456789abcdef");
  assert.equal(device.appVersion("file:///work/static/js/device.js"), null);
});

test("a sync carries the report, counting what stays on the phone besides the batch", async () => {
  await emptyOutbox();
  await store.setSetting("user", { id: 7 });
  await store.deleteSetting("signed_out");
  await store.setSetting("sealing", (await testSealing()).sealing);
  const kept = await outbox.save(7, contact(), "Rhys Evans");
  await store.changeOutbox([kept.id], (row) => ({ ...row, state: "attention" })); // not sent again
  const sent = await outbox.save(7, contact(), "Rhys Evans");
  const bodies = [];
  globalThis.fetch = async (path, options) => {
    if (path === "/api/v1/session") {
      return Response.json({ user: { id: 7 }, csrf_token: "t" });
    }
    const body = JSON.parse(options.body);
    bodies.push(body);
    return Response.json({ results: body.contacts.map((c) => ({ id: c.id, status: "rejected", errors: { notes: "x" } })),
      week_start: "2026-11-16", tallies: [], caseload: null, server_time: new Date().toISOString(),
      device: { status: "recorded" } });
  };
  await sync.send({ force: true });
  assert.equal(bodies.length, 1);
  assert.deepEqual(bodies[0].contacts.map((c) => c.id), [sent.id]);
  const report = bodies[0].device;
  assert.equal(report.id, await device.deviceId());
  assert.deepEqual([report.unsent, report.attention, report.oldest_unsent_at], [1, 1, kept.saved_at]);
  assert.ok(Date.parse(report.reported_at) >= Date.parse(kept.saved_at));
});

test("a caseload fetch carries the report in the Cyswllt-Device header", async () => {
  await emptyOutbox();
  let header = null;
  globalThis.fetch = async (path, options) => {
    if (path === "/api/v1/caseload") header = options.headers["Cyswllt-Device"]; // not the arrangements' fetch after it
    return Response.json({ week_start: "2026-11-16", people: [], arrangements: [], server_time: new Date().toISOString() });
  };
  await caseload.refresh(7);
  const report = JSON.parse(header);
  assert.equal(report.id, await device.deviceId());
  assert.deepEqual([report.unsent, report.oldest_unsent_at], [0, null]);
});
