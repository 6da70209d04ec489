// The lock: the PIN's rules and key, the caseload sealed at rest, the count of wrong PINs,
// and a wipe that leaves nothing readable but the outbox.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined; // no other tabs here (and nothing to keep Node running)
const store = await import("../../static/js/store.js");
const pin = await import("../../static/js/pin.js");
const wipe = await import("../../static/js/wipe.js");
const lock = await import("../../static/js/lock.js");

const GOOD_PIN = "250491";
const SIGN_IN_KEY = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
const ANOTHER_SIGN_IN_KEY = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

function rawRows(name) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("cyswllt");
    opening.onsuccess = () => {
      const all = opening.result.transaction(name).objectStore(name).getAll();
      all.onsuccess = () => {
        opening.result.close();
        resolve(all.result);
      };
      all.onerror = () => reject(all.error);
    };
    opening.onerror = () => reject(opening.error);
  });
}

function readable(rows) {
  return JSON.stringify(rows, (key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString("latin1") : value));
}

test("a PIN is 6 to 12 digits and not one of the first a guesser tries", () => {
  assert.equal(pin.problem(GOOD_PIN), null);
  assert.equal(pin.problem("8302917465"), null);
  assert.equal(pin.problem("25049"), "short");
  assert.equal(pin.problem("2504912504911"), "long");
  assert.equal(pin.problem("25o491"), "digits");
  assert.equal(pin.problem(" 250491"), "digits");
  for (const guess of ["000000", "111111", "123456", "654321", "987654", "234567", "121212", "123123", "12341234"]) {
    assert.equal(pin.problem(guess), "guessable", guess);
  }
});

test("the PIN's key is PBKDF2-SHA-256 with at least 310,000 iterations and a fresh salt; a wrong PIN opens nothing", async () => {
  assert.ok(pin.PBKDF2_ITERATIONS >= 310000);
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const first = await pin.wrap(key, GOOD_PIN, { label: "x" });
  const second = await pin.wrap(key, GOOD_PIN, { label: "x" });
  assert.equal(first.iterations, pin.PBKDF2_ITERATIONS);
  assert.equal(first.salt.length, 16);
  assert.notDeepEqual(first.salt, second.salt);
  assert.notDeepEqual(first.wrapped, second.wrapped);

  const opened = await pin.unwrap(first, GOOD_PIN, { label: "x" });
  assert.deepEqual(new Uint8Array(await crypto.subtle.exportKey("raw", opened)), new Uint8Array(await crypto.subtle.exportKey("raw", key)));
  assert.equal(await pin.unwrap(first, "250492", { label: "x" }), null);
  assert.equal(await pin.unwrap(first, GOOD_PIN, { label: "another user's" }), null);
});

const CASELOAD = {
  user_id: 7, fetched_at: "2026-11-18T10:00:00.000Z", week_start: "2026-11-16", etag: '"v1"',
  people: [{ id: 1, display_name: "Siân Prydderch", delius_crn: "X123456" }],
};

test("the caseload is sealed at rest and read only while its key is open", async () => {
  lock.install();
  await store.setSetting("user", { id: 7, name: "Nia Rowlands" });
  await lock.onSession(7, SIGN_IN_KEY);
  assert.equal(lock.isOpen(7), true);
  await store.putCaseload(CASELOAD);
  const [row] = await rawRows("caseload");
  assert.ok(row.sealed, "stored sealed");
  assert.doesNotMatch(readable(await rawRows("caseload")), /Prydderch|X123456/);
  assert.doesNotMatch(readable(await rawRows("settings")), /Prydderch|X123456/);
  assert.deepEqual(await store.getCaseload(7), CASELOAD);

  const updated = await store.updateCaseload(7, (caseload) => ({ ...caseload, etag: '"v2"' }));
  assert.equal(updated.etag, '"v2"');
  assert.equal((await store.getCaseload(7)).etag, '"v2"');
  assert.equal(await store.getCaseload(8), null); // another user's: nothing
});

test("a page opened again during the same sign-in reads the caseload; after another sign-in it cannot", async () => {
  const again = await import("../../static/js/lock.js?opened-again"); // a new page: no key in memory
  again.install();
  assert.equal(await again.isLocked(7), true);
  assert.equal(await store.getCaseload(7), null);
  await again.onSession(7, SIGN_IN_KEY);
  assert.equal((await store.getCaseload(7)).people[0].display_name, "Siân Prydderch");

  const later = await import("../../static/js/lock.js?signed-in-again");
  later.install();
  await later.onSession(7, ANOTHER_SIGN_IN_KEY);
  assert.equal(later.isOpen(7), true);
  assert.equal(await store.getCaseload(7), null); // sealed under a key no sign-in gives any more: gone
  assert.deepEqual(await rawRows("caseload"), []);
  lock.install(); // back to the first page's lock for the tests below
});

test("after the lock, the PIN opens the caseload; wrong PINs are counted, even across pages", async () => {
  await lock.onSession(7, SIGN_IN_KEY);
  await store.putCaseload(CASELOAD);
  assert.equal(await lock.setPin(7, "123456"), "guessable");
  assert.equal(await lock.setPin(7, GOOD_PIN), null);
  assert.equal(await lock.hasPin(7), true);
  assert.doesNotMatch(readable(await rawRows("settings")), new RegExp(GOOD_PIN));

  lock.lockNow();
  assert.equal(lock.isOpen(7), false);
  assert.equal(await lock.isLocked(7), true);
  assert.equal(await store.getCaseload(7), null);
  await lock.onSession(7, SIGN_IN_KEY); // the same sign-in does not open a locked app
  assert.equal(lock.isOpen(7), false);

  assert.deepEqual(await lock.unlockWithPin(7, "250490"), { ok: false, triesLeft: 4 });
  assert.deepEqual(await lock.unlockWithPin(7, "not digits"), { ok: false, triesLeft: 3 });
  assert.equal((await store.getSetting("vault")).pin_failures, 2); // kept, not in memory only
  assert.deepEqual(await lock.unlockWithPin(7, GOOD_PIN), { ok: true });
  assert.equal((await store.getSetting("vault")).pin_failures, 0);
  assert.equal((await store.getCaseload(7)).people[0].display_name, "Siân Prydderch");
});

test("the fifth wrong PIN in a row wipes what is readable and leaves the outbox", async () => {
  await store.addOutboxRow({ id: "r1", user_id: 7, state: "waiting", saved_at: "2026-11-18T10:05:00.000Z", sealed: "…" });
  await store.setSetting("lang", "cy");
  await store.setSetting("device_id", "phone-1");
  await store.setSetting("limits", { notes_max: 4000 });
  lock.lockNow();
  for (let tries = 4; tries >= 1; tries -= 1) {
    assert.deepEqual(await lock.unlockWithPin(7, "000001"), { ok: false, triesLeft: tries });
  }
  const wiped = [];
  wipe.events.addEventListener("wiped", (event) => wiped.push(event.detail), { once: true });
  assert.deepEqual(await lock.unlockWithPin(7, "000001"), { ok: false, wiped: true });

  assert.deepEqual(wiped, [{ reason: "pin", here: true }]);
  assert.deepEqual(await rawRows("caseload"), []);
  const settings = Object.fromEntries((await rawRows("settings")).map((row) => [row.key, row.value]));
  assert.deepEqual(Object.keys(settings).sort(), ["device_id", "lang", "wiped"]);
  assert.equal(settings.wiped.reason, "pin");
  assert.deepEqual((await store.allOutboxRows()).map((row) => row.id), ["r1"]);
  assert.equal(await lock.isLocked(7), false); // nothing left to unlock: the user is gone too
  assert.equal(await lock.hasPin(7), false);
});

test("wipeReadable empties every store but the outbox, whatever stores there are", async () => {
  await store.setSetting("user", { id: 9, name: "Gwen Lloyd" });
  await store.setSetting("pending_sign_out", { at: "2026-11-18T11:00:00.000Z" });
  await wipe.wipeReadable("signed_out");
  const keys = (await rawRows("settings")).map((row) => row.key).sort();
  assert.deepEqual(keys, ["device_id", "lang", "pending_sign_out", "wiped"]);
  assert.deepEqual((await store.allOutboxRows()).map((row) => row.id), ["r1"]);
});

test("a sign-out the server has not heard of is finished before the session is used again", async () => {
  const api = await import("../../static/js/api.js");
  const asked = [];
  globalThis.fetch = async (url, options = {}) => {
    asked.push(`${options.method || "GET"} ${url}`);
    if (url === "/api/v1/session") {
      return new Response(JSON.stringify({ user: { id: 9 }, csrf_token: "t" }), { status: 200, headers: { "Content-Type": "application/json" } });
    }
    return new Response("", { status: 200 });
  };
  await store.setSetting("pending_sign_out", { at: "2026-11-18T11:00:00.000Z" });
  const session = await api.getSession();
  assert.deepEqual(asked, ["GET /api/v1/session", "POST /logout", "GET /api/v1/session"]);
  assert.equal(session.kind, "ok");
  assert.equal(await store.getSetting("pending_sign_out"), null);

  asked.length = 0;
  await store.setSetting("pending_sign_out", { at: "2026-11-18T11:00:00.000Z" });
  globalThis.fetch = async (url) => {
    asked.push(url);
    throw new TypeError("Failed to fetch"); // no signal
  };
  assert.equal((await api.getSession()).reason, "sign_out_pending"); // the old session is never carried on
  assert.ok(await store.getSetting("pending_sign_out"));
});

test("a 401 'revoked' answer is a sign-out that wipes", async () => {
  const api = await import("../../static/js/api.js");
  await store.deleteSetting("pending_sign_out");
  await store.setSetting("user", { id: 9, name: "Gwen Lloyd" });
  wipe.watchForRevocation();
  const wiped = new Promise((resolve) => wipe.events.addEventListener("wiped", (event) => resolve(event.detail), { once: true }));
  globalThis.fetch = async () => new Response(JSON.stringify({ error: { code: "revoked", message: "Revoked", revoked: "device" } }),
    { status: 401, headers: { "Content-Type": "application/json" } });
  const answer = await api.getCaseload();
  assert.equal(answer.kind, "unauthenticated");
  assert.equal(answer.revoked, true);
  assert.deepEqual(await wiped, { reason: "revoked", here: true });
  assert.equal(await store.getSetting("user"), null);
  assert.deepEqual((await store.allOutboxRows()).map((row) => row.id), ["r1"]);

  globalThis.fetch = async () => new Response(JSON.stringify({ error: { code: "unauthenticated", message: "Sign in" } }),
    { status: 401, headers: { "Content-Type": "application/json" } });
  assert.equal((await api.getCaseload()).revoked, undefined); // plainly signed out: nothing wiped
});
