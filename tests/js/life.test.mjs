// A record's life on the phone: late entries (late.js), receipts and references (receipts.js),
// and corrections, voids and discards queued offline and sent once by their key (corrections.js).
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined;
const late = await import("../../static/js/late.js");
const receipts = await import("../../static/js/receipts.js");
const corrections = await import("../../static/js/corrections.js");
const api = await import("../../static/js/api.js");

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

test("the week is Monday to Sunday in London time, British Summer Time included", () => {
  assert.equal(late.weekOf("2026-11-18T12:00:00Z"), "2026-11-16");
  assert.equal(late.weekOf("2026-11-15T23:30:00Z"), "2026-11-09"); // Sunday night in November (GMT)
  assert.equal(late.weekOf("2026-06-14T23:30:00Z"), "2026-06-15"); // 00:30 on a BST Monday
});

test("a contact outside this week or older than the team's age asks to confirm, naming its week", () => {
  const now = new Date("2026-11-18T12:00:00Z");
  assert.equal(late.weekToConfirm("2026-11-16T09:00:00Z", now, 14), null);
  assert.equal(late.weekToConfirm("2026-11-12T09:00:00Z", now, 14), "2026-11-09");
  assert.equal(late.weekToConfirm("2026-11-17T09:00:00Z", now, 0), "2026-11-16"); // the team's age: none
  assert.equal(late.weekToConfirm("2026-11-12T09:00:00Z", now, null), "2026-11-09");
});

test("records still on the phone count as this week's, not yet sent, for their person", () => {
  const now = new Date("2026-11-18T12:00:00Z");
  const rows = [
    { contact: { person_id: 1, occurred_at: "2026-11-17T10:00:00Z" } },
    { summary: { person_id: 1, occurred_at: "2026-11-18T10:00:00Z" } },
    { contact: { person_id: 2, occurred_at: "2026-11-10T10:00:00Z" } },
  ];
  assert.deepEqual([...late.notSentThisWeek(rows, now)], [[1, 2]]);
});

test("the short reference is the same as the web's: the id's first eight hex digits as ten digits", () => {
  assert.equal(receipts.shortReference("0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10"), "0191-839-262");
  assert.equal(receipts.shortReference("ffffffff-2f4a-4c8e-9d2b-7a1e5c3f9b10"), "4294-967-295");
});

test("a receipt is kept only for a record the server holds with exactly the hash sent, for a fortnight", async () => {
  const rows = [
    { id: "a1", hash: "h1", person_name: "Rhys", contact: { person_id: 1, type: "phone", outcome: "kept", occurred_at: "2026-11-18T10:00:00.000Z", notes: "secret" } },
    { id: "b2", hash: "h2", person_name: "Lowri", contact: { person_id: 2, type: "phone", outcome: "kept", occurred_at: "2026-11-18T10:00:00.000Z" } },
  ];
  const now = new Date();
  await receipts.keep(11, rows, [
    { id: "a1", status: "created", sha256: "h1", server_received_at: now.toISOString() },
    { id: "b2", status: "created", sha256: "other" },
  ]);
  const kept = await receipts.list(11);
  assert.deepEqual(kept.map((r) => [r.id, r.reference, r.sha256]), [["a1", "A1-", "h1"]].map(([id, , h]) => [id, receipts.shortReference(id), h]));
  assert.equal("notes" in kept[0], false, "a receipt never holds the notes");
  assert.equal((await receipts.list(11, new Date(now.getTime() + 15 * 24 * 3600 * 1000))).length, 0);
  assert.equal(receipts.changeable(kept[0], 7, now), true);
  assert.equal(receipts.changeable(kept[0], 7, new Date(now.getTime() + 8 * 24 * 3600 * 1000)), false);
});

test("a correction queued offline waits, then is sent once under its own key and the receipt follows", async () => {
  const now = new Date().toISOString();
  const receipt = { id: "c3", reference: "C3", person_name: "Rhys", sha256: "base", received_at: now };
  await corrections.correct(21, receipt, { outcome: "refused" }, "Refused at the door");
  await corrections.voidRecord(21, { ...receipt, id: "d4" }, "Wrong person");
  globalThis.fetch = async () => { throw new TypeError("offline"); };
  let result = await corrections.sendWaiting(21);
  assert.equal(result.failed.kind, "transient");
  assert.deepEqual((await corrections.list(21)).map((c) => c.state), ["waiting", "waiting"]);

  const sent = [];
  globalThis.fetch = async (path, init) => {
    const body = JSON.parse(init.body);
    sent.push([path, body.idempotency_key, body.expected_sha256]);
    if (path.endsWith("/void")) return json(409, { error: { code: "conflict", message: "Someone changed it first", contact: { id: "d4", outcome: "kept" } } });
    return json(200, { contact: { id: "c3", sha256: "new", outcome: "refused", voided: false } });
  };
  result = await corrections.sendWaiting(21);
  assert.deepEqual([result.sent, result.attention, result.failed], [1, 1, null]);
  const [correction, voiding] = await corrections.list(21);
  assert.equal(correction.state, "done");
  assert.equal(voiding.state, "attention");
  assert.equal(voiding.problem.message, "Someone changed it first");
  assert.deepEqual(voiding.problem.stored, { id: "d4", outcome: "kept" });
  assert.deepEqual(sent.map(([path]) => path), ["/api/v1/contacts/c3/correction", "/api/v1/contacts/d4/void"]);
  assert.equal(sent[0][1], correction.key);
  assert.equal(sent[0][2], "base");
  await corrections.sendWaiting(21);
  assert.equal(sent.length, 2, "nothing done or refused is sent again");
  await corrections.dismiss(21, voiding.key);
  assert.deepEqual((await corrections.list(21)).map((c) => c.kind), ["correct"]);
});

test("a discard is reported with the record's person, kind, time and the reason", async () => {
  await corrections.discarded(31, { id: "e5", person_name: "Rhys", contact: { person_id: 4, type: "phone", occurred_at: "2026-11-18T10:00:00.000Z" } }, "Recorded twice");
  let body = null;
  globalThis.fetch = async (path, init) => {
    body = [path, JSON.parse(init.body)];
    return json(200, { id: "e5", status: "discarded" });
  };
  await corrections.sendWaiting(31);
  assert.deepEqual(body, ["/api/v1/contacts/discarded", { id: "e5", person_id: 4, type: "phone", occurred_at: "2026-11-18T10:00:00.000Z", reason: "Recorded twice" }]);
  assert.equal(typeof api.post, "function");
});
