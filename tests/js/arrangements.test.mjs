// Arranged contacts on the phone (arrangements.js): what the home offers, and the contact an
// arrangement becomes in two taps, with its id so that the server marks it recorded.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined;
const arrangements = await import("../../static/js/arrangements.js");
const { contentHash } = await import("../../static/js/canonical.js");

function arranged(id, startsAt, fields = {}) {
  return { id, person: { id: 7, display_name: "Rhys Evans" }, type: "home_visit", starts_at: startsAt, state: "arranged",
           with_whom: null, ...fields };
}

const WEDNESDAY_NOON = new Date("2026-11-18T12:00:00Z");

test("an open arrangement's outcome is missing once its time has passed by a day", () => {
  const tuesday = arranged("a", "2026-11-17T12:00:00.000Z");
  assert.equal(arrangements.outcomeMissing(tuesday, new Date("2026-11-18T11:59:00Z")), false);
  assert.equal(arrangements.outcomeMissing(tuesday, WEDNESDAY_NOON), true);
  assert.equal(arrangements.outcomeMissing({ ...tuesday, state: "recorded" }, WEDNESDAY_NOON), false);
  assert.equal(arrangements.outcomeMissing({ ...tuesday, state: "cancelled" }, WEDNESDAY_NOON), false);
  assert.equal(arrangements.outcomeMissing({ ...tuesday, state: "moved" }, WEDNESDAY_NOON), true);
});

test("the home offers today's, the rest of this week's, and those whose outcome is missing, in time order", () => {
  const held = [
    arranged("friday", "2026-11-20T10:00:00.000Z"),
    arranged("today-late", "2026-11-18T16:00:00.000Z"),
    arranged("today-early", "2026-11-18T09:00:00.000Z"),
    arranged("last-thursday", "2026-11-12T10:00:00.000Z"),
    arranged("next-week", "2026-11-24T10:00:00.000Z"),
    arranged("cancelled", "2026-11-19T10:00:00.000Z", { state: "cancelled" }),
    arranged("recorded", "2026-11-19T10:00:00.000Z", { state: "recorded" }),
  ];
  const { today, later, missing } = arrangements.forHome(held, WEDNESDAY_NOON);
  assert.deepEqual(today.map((a) => a.id), ["today-early", "today-late"]);
  assert.deepEqual(later.map((a) => a.id), ["friday"]);
  assert.deepEqual(missing.map((a) => a.id), ["last-thursday"]);
});

test("today and this week are London's, British Summer Time included", () => {
  // 23:30 UTC on Sunday 29 March 2026 is 00:30 BST on Monday 30 March: that Monday's week, and its today.
  const monday = new Date("2026-03-30T08:00:00Z");
  const held = [arranged("half-past-midnight", "2026-03-29T23:30:00.000Z"), arranged("sunday", "2026-03-29T22:30:00.000Z")];
  assert.equal(arrangements.isToday(held[0], monday), true);
  const { today, missing } = arrangements.forHome(held, monday);
  assert.deepEqual(today.map((a) => a.id), ["half-past-midnight"]);
  assert.deepEqual(missing.map((a) => a.id), []); // Sunday 23:30 BST was not yet a day ago
});

test("an arrangement whose outcome is saved on this phone is no longer offered", () => {
  const held = [arranged("a", "2026-11-18T09:00:00.000Z")];
  const rows = [{ id: "c1", arrangement_id: "a" }, { id: "c2", arrangement_id: null }];
  assert.deepEqual(arrangements.forHome(held, WEDNESDAY_NOON, arrangements.recordedOnPhone(rows)).today, []);
});

test("the contact an arrangement becomes: its person, kind and time, the outcome, and the arrangement's id", async () => {
  const arrangement = arranged("0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10", "2026-11-18T09:00:00.000Z", { type: "office" });
  const contact = arrangements.contactFor(arrangement, "did_not_attend", { id: "c1", now: WEDNESDAY_NOON });
  assert.equal(contact.person_id, 7);
  assert.equal(contact.type, "office");
  assert.equal(contact.outcome, "did_not_attend");
  assert.equal(contact.occurred_at, "2026-11-18T09:00:00.000Z");
  assert.equal(contact.recorded_at, WEDNESDAY_NOON.toISOString());
  assert.equal(contact.arrangement_id, arrangement.id);
  // The arrangement's id is not part of the content: the hash is the one the server computes without it.
  const { arrangement_id: _ignored, ...plain } = contact;
  assert.equal(await contentHash(contact), await contentHash(plain));
});

test("an outcome recorded before the arranged time is dated now, never in the future", () => {
  const later = arranged("a", "2026-11-18T15:00:00.000Z");
  assert.equal(arrangements.contactFor(later, "kept", { id: "c", now: WEDNESDAY_NOON }).occurred_at, WEDNESDAY_NOON.toISOString());
});

test("only well-formed arrangements of an answer are kept", () => {
  const good = arranged("a", "2026-11-18T09:00:00.000Z");
  assert.deepEqual(arrangements.fromAnswer({ arrangements: [good, { id: 3 }, null] }), [good]);
  assert.equal(arrangements.fromAnswer({}), null);
});
