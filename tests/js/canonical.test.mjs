// The phone hashes a contact byte for byte as the server does (app/contacts/canonical.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { canonicalContent, contentHash } from "../../static/js/canonical.js";

// The same contact hashed by app.contacts.canonical.content_hash on the server gives this.
const CONTACT = {
  id: "6F1C2A4E-8B3D-4C5E-9F70-1A2B3C4D5E6F",
  person_id: "42",
  type: "home_visit",
  outcome: "kept",
  occurred_at: "2026-11-18T09:30:15.123Z",
  duration_minutes: 30,
  pathways: ["health", "accommodation"],
  notes: "Siaradwyd am dai — ‘tŷ’ newydd",
  sensitive: false,
  concern: true,
  others_present: "",
};
const SERVER_HASH = "72ff3a05ba3d393a3d00550712e9abb56f57dc9d3dabc296b89389dcddbd8c1d";

test("the hash of a contact is the server's, Welsh letters, sorted pathways and all", async () => {
  assert.equal(await contentHash(CONTACT), SERVER_HASH);
});

test("the canonical content sorts keys and pathways, lower-cases the id and writes UTC milliseconds", () => {
  const content = canonicalContent(CONTACT);
  assert.deepEqual(Object.keys(content), [...Object.keys(content)].sort());
  assert.equal(content.id, "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f");
  assert.deepEqual(content.pathways, ["accommodation", "health"]);
  assert.equal(content.person_id, 42);
  assert.equal(content.others_present, null);
  assert.equal(canonicalContent({ ...CONTACT, occurred_at: "2026-11-18T09:30:15+00:00" }).occurred_at,
    "2026-11-18T09:30:15.000Z");
});

test("any change to what was recorded changes the hash", async () => {
  assert.notEqual(await contentHash({ ...CONTACT, outcome: "refused" }), SERVER_HASH);
});

// The same contact naming two colleagues (a joint contact): app.contacts.canonical gives this.
const JOINT_HASH = "8a6605cb4a8da28bf372a4b343f38b0b2bcf29db0930cc731ee1fd3cc572b329";

test("a joint contact's colleagues are hashed as the server hashes them, sorted as numbers", async () => {
  assert.equal(await contentHash({ ...CONTACT, colleague_ids: [12, 3] }), JOINT_HASH);
  assert.equal(await contentHash({ ...CONTACT, colleague_ids: ["3", 12, 3] }), JOINT_HASH);
  assert.deepEqual(canonicalContent({ ...CONTACT, colleague_ids: [12, 3] }).colleague_ids, [3, 12]);
});

test("a contact with no colleagues hashes as it did before joint contacts existed", async () => {
  assert.equal(await contentHash({ ...CONTACT, colleague_ids: [] }), SERVER_HASH);
  assert.equal(await contentHash({ ...CONTACT, colleague_ids: null }), SERVER_HASH);
  assert.ok(!("colleague_ids" in canonicalContent({ ...CONTACT, colleague_ids: [] })));
});
