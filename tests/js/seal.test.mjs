// Sealing on the phone (static/js/seal.js, outbox.sealForOutbox): a contact's content is
// never stored in plaintext, and only the holder of the private key can open it.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

import { openSeal, testSealing } from "./sealing_key.mjs";

globalThis.BroadcastChannel = undefined;
const seal = await import("../../static/js/seal.js");
const store = await import("../../static/js/store.js");
const outbox = await import("../../static/js/outbox.js");
const { contentHash } = await import("../../static/js/canonical.js");

const { sealing, privateKey } = await testSealing();
const NOTE = "Distinctive note: Mr Davies spoke about the allotment on Heol y Wern";

function contact(overrides = {}) {
  const now = new Date().toISOString();
  return { id: crypto.randomUUID(), person_id: 4, type: "home_visit", outcome: "kept", occurred_at: now, recorded_at: now,
    duration_minutes: 20, pathways: ["health"], notes: NOTE, sensitive: true, concern: false, others_present: "Ei fam", ...overrides };
}

const rsa = await testSealing({ kind: "RSA" });

test("a sealed contact opens with the server's P-256 private key to exactly the contact and the seal token", async () => {
  const original = contact();
  const sealed = await seal.seal(original, sealing);
  assert.equal(sealed.alg, "ECDH-P256-HKDF-SHA256");
  assert.equal(sealed.key_id, sealing.key_id);
  assert.match(sealed.iv, /^[A-Za-z0-9_-]{16}$/);
  assert.match(sealed.epk, /^[A-Za-z0-9_-]{87}$/); // an uncompressed P-256 point
  assert.equal(sealed.wrapped_key, undefined);
  assert.ok(!JSON.stringify(sealed).includes("allotment"));
  assert.deepEqual(await openSeal(privateKey, original.id, sealed), { contact: original, seal_token: "test-seal-token" });
});

test("with a server key made before P-256, the record is sealed with RSA-OAEP as before", async () => {
  const original = contact();
  const sealed = await seal.seal(original, rsa.sealing);
  assert.equal(sealed.alg, "RSA-OAEP-256");
  assert.equal(sealed.epk, undefined);
  assert.match(sealed.wrapped_key, /^[A-Za-z0-9_-]{512}$/); // 384 bytes
  assert.deepEqual(await openSeal(rsa.privateKey, original.id, sealed), { contact: original, seal_token: "test-seal-token" });
});

test("a key of another kind or curve is not used: the phone says it has no key to seal with", async () => {
  const other = { ...sealing, public_key: { ...sealing.public_key, crv: "P-384" } };
  assert.equal(seal.usable(other), false);
  await assert.rejects(seal.seal(contact(), other), (error) => error.name === "NoSealingKey");
});

test("a seal moved under another record's id does not open", async () => {
  for (const keys of [sealing, rsa.sealing]) {
    const sealed = await seal.seal(contact(), keys);
    await assert.rejects(openSeal(keys === sealing ? privateKey : rsa.privateKey, crypto.randomUUID(), sealed));
  }
});

test("a seal whose ephemeral key was swapped for another does not open", async () => {
  const original = contact();
  const [first, second] = [await seal.seal(original, sealing), await seal.seal(contact(), sealing)];
  await assert.rejects(openSeal(privateKey, original.id, { ...first, epk: second.epk }));
});

test("each record gets its own key and IV: the same contact sealed twice looks different", async () => {
  const original = contact();
  const [first, second] = [await seal.seal(original, sealing), await seal.seal(original, sealing)];
  assert.notEqual(first.ciphertext, second.ciphertext);
  assert.notEqual(first.epk, second.epk);
  assert.notEqual(first.iv, second.iv);
});


test("the outbox keeps the summary, the hash of the plaintext and the seal, never the notes", async () => {
  await store.setSetting("sealing", sealing);
  const original = contact();
  const row = await outbox.save(7, original, "Gareth Davies");
  const stored = await store.outboxRow(original.id);
  assert.deepEqual(stored, row);
  const text = JSON.stringify(await store.allOutboxRows());
  for (const secret of ["allotment", "Ei fam", "health"]) assert.ok(!text.includes(secret), `${secret} is readable in the outbox`);
  assert.equal(stored.hash, await contentHash(original));
  assert.equal(stored.contact.content_sha256, stored.hash);
  assert.deepEqual(
    { id: stored.contact.id, person_id: stored.contact.person_id, type: stored.contact.type, occurred_at: stored.contact.occurred_at },
    { id: original.id, person_id: 4, type: "home_visit", occurred_at: original.occurred_at },
  );
  assert.equal(stored.contact.outcome, undefined);
  assert.equal(stored.sealed, true);
  assert.deepEqual((await openSeal(privateKey, original.id, stored.contact.sealed)).contact, original);
});

test("a replacement goes through the same sealing: a resubmitted record is sealed too", async () => {
  await store.setSetting("sealing", sealing);
  const original = contact();
  await outbox.save(7, original, "Gareth Davies");
  await store.changeOutbox([original.id], (r) => ({ ...r, state: outbox.ATTENTION, problem: { kind: "rejected", errors: {} } }));
  const corrected = contact({ id: original.id, notes: "Corrected: the second allotment" });
  assert.equal(await outbox.resubmit(7, original.id, corrected, "Gareth Davies"), true);
  const stored = await store.outboxRow(original.id);
  assert.ok(!JSON.stringify(stored).includes("allotment"));
  assert.equal(stored.hash, await contentHash(corrected));
  assert.equal((await openSeal(privateKey, original.id, stored.contact.sealed)).contact.notes, "Corrected: the second allotment");
});

test("without a server key nothing is saved: the phone never keeps a record unsealed", async () => {
  await store.deleteSetting("sealing");
  const original = contact();
  await assert.rejects(outbox.save(7, original, "Gareth Davies"), (error) => error.name === "NoSealingKey");
  assert.equal(await store.outboxRow(original.id), null);
  await store.setSetting("sealing", sealing);
});

test("a team colleague who signs in next sends another officer's sealed records; never their plain ones, nor another team", async () => {
  await store.setSetting("sealing", sealing);
  await store.setSetting("user", { id: 31, name: "Leaver", team_id: 2 });
  const leaver = contact();
  await outbox.save(31, leaver, "Gareth Davies");
  const plain = contact();
  await store.addOutboxRow({ id: plain.id, user_id: 31, team_id: 2, state: outbox.WAITING, contact: plain, hash: "x", saved_at: new Date().toISOString() });
  const ids = (await outbox.sendable(8, 2)).map((row) => row.id);
  assert.ok(ids.includes(leaver.id));
  assert.ok(!ids.includes(plain.id));
  assert.ok(!(await outbox.sendable(9, 5)).some((row) => row.id === leaver.id), "offered to another team");
  assert.ok(!(await outbox.rows(8)).some((row) => row.id === leaver.id), "shown to the colleague");
});

test("records saved in plaintext before sealing are sealed for their own user only, keeping their hash", async () => {
  await store.setSetting("sealing", sealing);
  const mine = contact();
  const theirs = contact();
  const hash = await contentHash(mine);
  await store.addOutboxRow({ id: mine.id, user_id: 7, state: outbox.WAITING, contact: mine, hash, person_name: "Gareth Davies", saved_at: new Date().toISOString() });
  await store.addOutboxRow({ id: theirs.id, user_id: 12, state: outbox.WAITING, contact: theirs, hash: await contentHash(theirs), saved_at: new Date().toISOString() });
  await outbox.sealPlainRows(7);
  const sealedRow = await store.outboxRow(mine.id);
  assert.equal(sealedRow.sealed, true);
  assert.equal(sealedRow.hash, hash);
  assert.equal(sealedRow.state, outbox.WAITING);
  assert.ok(!JSON.stringify(sealedRow).includes("allotment"));
  assert.deepEqual((await openSeal(privateKey, mine.id, sealedRow.contact.sealed)).contact, mine);
  assert.equal((await store.outboxRow(theirs.id)).sealed, undefined, "another user's row sealed under this user's token");
});
