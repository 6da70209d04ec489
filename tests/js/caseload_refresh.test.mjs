// A caseload refresh (caseload.js) never writes back an older copy over an outcome the officer
// recorded while the answer was on its way: the arrangement would be offered again once its
// record had left the outbox, and a second tap would count one meeting twice.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined;
const store = await import("../../static/js/store.js");
const caseload = await import("../../static/js/caseload.js");

const USER = 9;
const OPEN = { id: "a-1", state: "arranged", person: { id: 1, display_name: "Rhys Evans" },
  starts_at: "2026-11-18T10:00:00Z", type: "home_visit" };

async function holdOpenArrangement() {
  await store.putCaseload({ user_id: USER, etag: '"v1"', fetched_at: "2026-11-18T09:00:00Z", week_start: "2026-11-16",
    people: [], arrangements: [OPEN] });
}

function recordOutcome() {
  return store.updateCaseload(USER, (held) => ({
    ...held, arrangements: held.arrangements.map((a) => ({ ...a, state: "recorded", contact_id: "c-1" })) }));
}

async function heldState() {
  return (await store.getCaseload(USER)).arrangements.map((a) => a.state);
}

test("an outcome recorded while an unchanged caseload (304) was being checked stays recorded", async () => {
  await holdOpenArrangement();
  globalThis.fetch = async () => {
    await recordOutcome(); // the officer's tap, while the request is out
    return new Response(null, { status: 304 });
  };
  const result = await caseload.refresh(USER);
  assert.equal(result.kind, "not_modified");
  assert.deepEqual(await heldState(), ["recorded"]);
});

test("an outcome recorded while a new caseload was on its way stays recorded, with the new counts", async () => {
  await holdOpenArrangement();
  globalThis.fetch = async (path) => {
    if (path === "/api/v1/caseload") {
      await recordOutcome();
      return Response.json({ week_start: "2026-11-16", server_time: "2026-11-18T10:05:00Z",
        people: [{ id: 1, display_name: "Rhys Evans", required_this_week: 3, offered_this_week: 1, kept_this_week: 1 }] },
      { headers: { ETag: '"v2"' } });
    }
    return Response.json({ arrangements: [OPEN] }); // the server has not had the record yet
  };
  await caseload.refresh(USER);
  const held = await store.getCaseload(USER);
  assert.deepEqual(await heldState(), ["recorded"]);
  assert.equal(held.etag, '"v2"');
  assert.equal(held.people[0].kept_this_week, 1);
});
