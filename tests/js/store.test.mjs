// The phone's database: the schema made by its migrations, writes that last, a connection
// closed under the app reopened, and a database migrated by a newer version opened as it is.
import "fake-indexeddb/auto";

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.BroadcastChannel = undefined; // no other tabs here (and nothing to keep Node running)
const store = await import("../../static/js/store.js");

function open(version) {
  return new Promise((resolve, reject) => {
    const request = version === undefined ? indexedDB.open("cyswllt") : indexedDB.open("cyswllt", version);
    request.onupgradeneeded = () => request.result.createObjectStore(`added_in_${version}`);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

test("a new database is made by the migrations: outbox (by user), caseload and settings", async () => {
  await store.setSetting("lang", "cy");
  const database = await open();
  assert.equal(database.version, store.SCHEMA_VERSION);
  assert.deepEqual([...database.objectStoreNames].sort(), ["caseload", "outbox", "settings"]);
  assert.deepEqual([...database.transaction("outbox").objectStore("outbox").indexNames], ["user_id"]);
  database.close();
});

test("what is written is there when read again, and the outbox belongs to its user", async () => {
  await store.setSetting("user", { id: 7 });
  assert.deepEqual(await store.getSetting("user"), { id: 7 });
  assert.equal(await store.getSetting("nothing here", "fallback"), "fallback");
  await store.addOutboxRow({ id: "a", user_id: 7, state: "waiting", saved_at: "2026-11-18T10:00:00.000Z" });
  await store.addOutboxRow({ id: "b", user_id: 8, state: "waiting", saved_at: "2026-11-18T10:01:00.000Z" });
  assert.deepEqual((await store.outboxRows(7)).map((row) => row.id), ["a"]);
  assert.deepEqual((await store.allOutboxRows()).map((row) => row.id).sort(), ["a", "b"]);
});

test("after a newer version migrates the database, this page reopens it as it is and goes on", async () => {
  await store.setSetting("before", 1);
  const newer = await open(store.SCHEMA_VERSION + 1); // closes this page's connection (versionchange)
  newer.close();
  await store.setSetting("after", 2); // reopened, at the newer version, without failing
  assert.equal(await store.getSetting("before"), 1);
  assert.equal(await store.getSetting("after"), 2);
  const database = await open();
  assert.equal(database.version, store.SCHEMA_VERSION + 1);
  assert.ok(database.objectStoreNames.contains(`added_in_${store.SCHEMA_VERSION + 1}`));
  database.close();
});
