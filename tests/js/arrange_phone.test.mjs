// Arranging on the phone (arrangements.js, outbox.saveArrangement, arrange.js): an arrangement is
// sealed into the outbox with the hash the server computes, listed on the home as waiting to send,
// counted in its person's arranged figure, and sent by its own kind.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

import { openSeal, testSealing } from "./sealing_key.mjs";

globalThis.BroadcastChannel = undefined;
const arrangements = await import("../../static/js/arrangements.js");
const store = await import("../../static/js/store.js");
const outbox = await import("../../static/js/outbox.js");

const { sealing, privateKey } = await testSealing();
const ID = "0B6F3C1E-2F4A-4C8E-9D2B-7A1E5C3F9B10";

function arrangement(fields = {}) {
  return arrangements.newArrangement({
    id: crypto.randomUUID(), personId: 7, type: "home_visit", startsAt: "2026-11-20T10:30:00Z",
    place: "Caffi'r Bont, Llanidloes", withWhom: "Gweithiwr tai — Siân", officerId: 3, ...fields,
  });
}

test("an arrangement hashes byte for byte as app/arrangements/operations.py content_hash does", async () => {
  // The hashes printed by content_hash(content_of(...)) for the same arrangements.
  const full = arrangement({ id: ID, place: "  Caffi'r Bont, Llanidloes ", withWhom: "Gweithiwr tai — Siân" });
  assert.equal(await arrangements.arrangementHash(full), "7f42f02f173156dab4f990c7e0b003b2cc7566f5f99beffa4195dc96c48f04de");
  const bare = arrangement({ id: ID, type: "office", place: "", withWhom: "   " });
  assert.deepEqual([bare.place, bare.with_whom], [null, null]);
  assert.equal(await arrangements.arrangementHash(bare), "d8a4ca59d492ad107a1ecf121e38618ce37a170586717c8e950bc03cc639613a");
});

test("an arrangement is sealed into the outbox: where and with whom are readable by the server's key only", async () => {
  await store.setSetting("sealing", sealing);
  await store.setSetting("user", { id: 3, name: "Swyddog", team_id: 2 });
  const made = arrangement();
  const row = await outbox.saveArrangement(3, made, "Rhys Evans");
  await outbox.saveArrangement(3, made, "Rhys Evans"); // a double tap: still one row
  const held = await store.outboxRow(made.id);
  assert.equal(held.kind, "arrangement");
  assert.equal(held.state, outbox.WAITING);
  assert.equal((await store.allOutboxRows()).filter((r) => r.id === made.id).length, 1);
  const atRest = JSON.stringify(held);
  assert.ok(!atRest.includes("Caffi") && !atRest.includes("Gweithiwr"), "where or with whom readable at rest");
  assert.equal(held.hash, await arrangements.arrangementHash(made));
  assert.deepEqual(
    await openSeal(privateKey, made.id, held.arrangement.sealed),
    { arrangement: made, seal_token: "test-seal-token" },
  );
  assert.equal(row.arrangement.content_sha256, held.hash);
});

test("the sender takes contacts and arrangements apart, each to its own endpoint", async () => {
  await store.setSetting("sealing", sealing);
  await store.setSetting("user", { id: 5, name: "Swyddog", team_id: 4 });
  const made = arrangement();
  await outbox.saveArrangement(5, made, "Rhys Evans");
  const now = new Date().toISOString();
  const contact = { id: crypto.randomUUID(), person_id: 7, type: "phone", outcome: "kept", occurred_at: now, recorded_at: now,
    duration_minutes: null, pathways: [], notes: null, sensitive: false, concern: false, others_present: null };
  await outbox.save(5, contact, "Rhys Evans");
  assert.deepEqual((await outbox.sendable(5, 4)).map((r) => r.id), [contact.id]);
  assert.deepEqual((await outbox.sendable(5, 4, "arrangement")).map((r) => r.id), [made.id]);
  // The receipt lets it go only with the hash that was sent, as for a contact.
  const [sent] = await outbox.sendable(5, 4, "arrangement");
  await outbox.markSending([sent.id]);
  const counts = await outbox.applyResults([sent], [{ id: sent.id, status: "created", sha256: sent.hash }]);
  assert.equal(counts.accepted, 1);
  assert.equal(await store.outboxRow(made.id), null);
});

test("an arrangement the server refuses needs attention and stays on the phone", async () => {
  await store.setSetting("sealing", sealing);
  await store.setSetting("user", { id: 6, name: "Swyddog", team_id: 4 });
  const made = arrangement();
  const row = await outbox.saveArrangement(6, made, "Rhys Evans");
  await outbox.markSending([row.id]);
  await outbox.applyResults([row], [{ id: row.id, status: "rejected", errors: { person_id: "This person is not on your caseload." } }]);
  const held = await store.outboxRow(row.id);
  assert.equal(held.state, outbox.ATTENTION);
  assert.deepEqual(arrangements.pendingFromRows([held]).map((a) => a.pending), ["attention"]);
});

function pendingRow(id, startsAt, fields = {}) {
  return { id, kind: "arrangement", state: "waiting", person_name: "Rhys Evans", saved_at: startsAt,
    arrangement: { id, person_id: 7, type: "office", starts_at: startsAt, content_sha256: "x", sealed: {} }, ...fields };
}

const WEDNESDAY_NOON = new Date("2026-11-18T12:00:00Z");

test("arrangements still on the phone are on the home at once, today's and later this week's", () => {
  const rows = [
    pendingRow("today", "2026-11-18T15:00:00.000Z"),
    pendingRow("friday", "2026-11-20T09:00:00.000Z", { state: "attention" }),
    pendingRow("next-week", "2026-11-24T09:00:00.000Z"),
    { id: "a-contact", state: "waiting", contact: { person_id: 7, occurred_at: "2026-11-18T11:00:00.000Z" } },
  ];
  const held = [{ id: "from-server", person: { id: 7, display_name: "Rhys Evans" }, type: "phone",
    starts_at: "2026-11-18T16:00:00.000Z", state: "arranged" }];
  const { today, later } = arrangements.forHome(arrangements.withPending(held, rows), WEDNESDAY_NOON);
  assert.deepEqual(today.map((a) => [a.id, a.pending || null]), [["today", "waiting"], ["from-server", null]]);
  assert.deepEqual(later.map((a) => [a.id, a.pending]), [["friday", "attention"]]);
  // Once the server holds it too, it is listed once, as the server's.
  const both = arrangements.withPending([{ ...held[0], id: "today" }], rows);
  assert.equal(both.filter((a) => a.id === "today").length, 1);
  assert.equal(both.find((a) => a.id === "today").pending, undefined);
});

test("a person's arranged figure is the server's and those waiting to send this week", () => {
  const person = { id: 7, arranged_this_week: 2 };
  const rows = [pendingRow("a", "2026-11-18T15:00:00.000Z"), pendingRow("b", "2026-11-19T15:00:00.000Z"),
    pendingRow("next-week", "2026-11-24T15:00:00.000Z")];
  assert.equal(arrangements.arrangedThisWeek(person, rows, WEDNESDAY_NOON), 4);
  assert.equal(arrangements.arrangedThisWeek({ id: 8, arranged_this_week: 0 }, rows, WEDNESDAY_NOON), 0);
});

test("the server's answer puts each arrangement it holds on the phone, a new one counted once", () => {
  const caseload = { week_start: "2026-11-16", people: [{ id: 7, arranged_this_week: 1 }, { id: 8, arranged_this_week: 0 }], arrangements: [] };
  const answer = (id, status, startsAt = "2026-11-19T10:00:00.000Z") => ({
    id, status, sha256: "x",
    arrangement: { id, person: { id: 7, display_name: "Rhys Evans" }, type: "office", starts_at: startsAt, state: "arranged" },
  });
  const after = arrangements.afterSent(caseload, [answer("new", "created"), answer("again", "duplicate"),
    answer("next-week", "created", "2026-11-24T10:00:00.000Z"), { id: "bad", status: "rejected", errors: {} }]);
  assert.deepEqual(after.arrangements.map((a) => a.id), ["new", "again", "next-week"]);
  assert.equal(after.people[0].arranged_this_week, 2); // the duplicate was counted when it was first stored
  assert.equal(after.people[1].arranged_this_week, 0);
  assert.equal(arrangements.afterSent(after, [answer("new", "created")]).people[0].arranged_this_week, 2);
});

test("a caseload answer older than an outcome recorded on the phone does not offer that outcome again", () => {
  const open = (id) => ({ id, person: { id: 7, display_name: "Rhys Evans" }, type: "office", starts_at: "2026-11-18T09:00:00.000Z", state: "arranged" });
  const before = [open("tapped"), open("untouched"), { ...open("done-before"), state: "recorded" }];
  const latest = [{ ...open("tapped"), state: "recorded", contact_id: "c1" }, open("untouched"), { ...open("done-before"), state: "recorded" }];
  // The server's answer left before the tap: it still says "tapped" is open. "done-before" it reopened (moved): believed.
  const fetched = [open("tapped"), open("untouched"), { ...open("done-before"), state: "moved" }, open("new")];
  const kept = arrangements.keepRecordedMeanwhile(fetched, before, latest);
  assert.deepEqual(kept.map((a) => [a.id, a.state]), [["tapped", "recorded"], ["untouched", "arranged"], ["done-before", "moved"], ["new", "arranged"]]);
});
