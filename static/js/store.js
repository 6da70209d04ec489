// The phone's own database (IndexedDB): the outbox, the cached caseload, settings.
//
// - The schema only ever migrates forward: MIGRATIONS[n] takes version n-1 to n, and
//   nothing is ever dropped. A page from an older app version that meets a newer
//   database opens it as it is rather than failing.
// - A connection the browser closed (iOS does this in the background) is reopened.
// - A write resolves only when its transaction has completed (durability "strict"
//   where the browser supports it), so "Saved on this phone" is true when shown.
// - Every committed write is announced to this page, other tabs and the service
//   worker (BroadcastChannel), so every screen stays current.

const NAME = "cyswllt";
export const SCHEMA_VERSION = 1;

const MIGRATIONS = {
  1(database) {
    const outbox = database.createObjectStore("outbox", { keyPath: "id" });
    outbox.createIndex("user_id", "user_id");
    database.createObjectStore("caseload", { keyPath: "user_id" });
    database.createObjectStore("settings", { keyPath: "key" });
  },
};

export const changes = new EventTarget();
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("cyswllt-store") : null;
if (channel) {
  channel.onmessage = (event) => changes.dispatchEvent(new CustomEvent(event.data.store, { detail: event.data }));
}

function announce(store, detail = {}) {
  const message = { store, ...detail };
  changes.dispatchEvent(new CustomEvent(store, { detail: message }));
  if (channel) channel.postMessage(message);
}

let connection = null;

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

function openDatabase(version) {
  return new Promise((resolve, reject) => {
    const opening = version === undefined ? indexedDB.open(NAME) : indexedDB.open(NAME, version);
    opening.onupgradeneeded = (event) => {
      for (let next = event.oldVersion + 1; next <= SCHEMA_VERSION; next += 1) {
        MIGRATIONS[next](opening.result, opening.transaction);
      }
    };
    opening.onsuccess = () => {
      const database = opening.result;
      database.onversionchange = () => {
        // A newer app version wants to migrate: let it, and reopen on the next use.
        database.close();
        connection = null;
        announce("versionchange");
      };
      database.onclose = () => {
        connection = null;
      };
      resolve(database);
    };
    opening.onerror = () => reject(opening.error);
  });
}

async function database() {
  if (!connection) {
    connection = openDatabase(SCHEMA_VERSION).catch((error) => {
      if (error && error.name === "VersionError") return openDatabase(); // migrated forward by a newer version
      throw error;
    });
    connection.catch(() => {
      connection = null;
    });
  }
  return connection;
}

const RETRYABLE = new Set(["InvalidStateError", "TransactionInactiveError", "UnknownError"]);

/**
 * Run `work(stores)` in one transaction; resolve with its result once committed.
 * `work` gets an object of object stores and must only await IndexedDB requests.
 */
export async function transact(names, mode, work) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await runTransaction(await database(), names, mode, work);
    } catch (error) {
      if (attempt === 0 && error && RETRYABLE.has(error.name)) {
        connection = null; // closed under us: reopen once and run it again (transactions are atomic)
        continue;
      }
      throw error;
    }
  }
}

function runTransaction(db, names, mode, work) {
  return new Promise((resolve, reject) => {
    const list = Array.isArray(names) ? names : [names];
    const transaction = db.transaction(list, mode, { durability: "strict" });
    const stores = {};
    for (const name of list) stores[name] = transaction.objectStore(name);
    let result;
    let failure = null;
    transaction.oncomplete = () => (failure ? reject(failure) : resolve(result));
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(failure || transaction.error || new DOMException("aborted", "AbortError"));
    Promise.resolve()
      .then(() => work(stores))
      .then(
        (value) => {
          result = value;
        },
        (error) => {
          failure = error;
          try {
            transaction.abort();
          } catch {
            /* already finished */
          }
        },
      );
  });
}

// --- Settings -------------------------------------------------------------------------

export async function getSetting(key, fallback = null) {
  const row = await transact("settings", "readonly", (s) => request(s.settings.get(key)));
  return row ? row.value : fallback;
}

export async function setSetting(key, value) {
  await transact("settings", "readwrite", (s) => request(s.settings.put({ key, value })));
  announce("settings", { key });
}

export async function deleteSetting(key) {
  await transact("settings", "readwrite", (s) => request(s.settings.delete(key)));
  announce("settings", { key });
}

// --- Caseload: one per user, never mixed, sealed at rest -----------------------------------
//
// The page installs a cipher (lock.js) that seals each caseload with a key held in memory
// only; a sealed row is opened only while that key is there. Without a cipher (the service
// worker, unit tests) a sealed row is never opened or changed: it reads as no caseload.

let caseloadCipher = null;

/** `cipher`: {seal(caseload) → row, open(row) → caseload | null}; seal throws when it cannot. */
export function useCaseloadCipher(cipher) {
  caseloadCipher = cipher;
}

async function opened(row) {
  if (!row) return null;
  if (!row.sealed) return caseloadCipher ? null : row; // a plain row from before sealing is never shown
  return caseloadCipher ? caseloadCipher.open(row) : null;
}

function sealed(caseload) {
  return caseloadCipher ? caseloadCipher.seal(caseload) : caseload;
}

export async function getCaseload(userId) {
  return opened(await transact("caseload", "readonly", (s) => request(s.caseload.get(userId))));
}

export async function putCaseload(caseload) {
  const row = await sealed(caseload); // WebCrypto outside the transaction (it would end it)
  await transact("caseload", "readwrite", (s) => request(s.caseload.put(row)));
  announce("caseload");
}

/** Change the caseload held for `userId`; a write that another one overtook is done again on the new one. */
export async function updateCaseload(userId, change) {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = await transact("caseload", "readonly", (s) => request(s.caseload.get(userId)));
    const current = await opened(before);
    if (!current) return null;
    const next = change(current);
    const row = await sealed(next);
    const written = await transact("caseload", "readwrite", async (s) => {
      const now = await request(s.caseload.get(userId));
      if (!sameRow(now, before)) return false;
      await request(s.caseload.put(row));
      return true;
    });
    if (written) {
      announce("caseload");
      return next;
    }
  }
  return null;
}

function sameRow(a, b) {
  if (!a || !b) return a === b;
  if (a.sealed && b.sealed) return a.sealed.iv.join(",") === b.sealed.iv.join(",");
  return !a.sealed && !b.sealed && a.fetched_at === b.fetched_at && a.etag === b.etag;
}

export async function clearCaseloads() {
  await transact("caseload", "readwrite", (s) => request(s.caseload.clear()));
  announce("caseload");
}

/** Empty every store but the outbox, and every setting but `keptSettings`, in one transaction (wipe.js). */
export async function clearAllButOutbox(keptSettings) {
  const db = await database();
  const names = [...db.objectStoreNames].filter((name) => name !== "outbox");
  await transact(names, "readwrite", async (s) => {
    for (const name of names) {
      if (name !== "settings") {
        await request(s[name].clear());
        continue;
      }
      for (const key of await request(s.settings.getAllKeys())) {
        if (!keptSettings.has(key)) await request(s.settings.delete(key));
      }
    }
  });
  for (const name of names) announce(name);
}

// --- Outbox rows (the rules for them are in outbox.js) -----------------------------------

export function outboxRows(userId) {
  return transact("outbox", "readonly", (s) => request(s.outbox.index("user_id").getAll(userId)));
}

export function allOutboxRows() {
  return transact("outbox", "readonly", (s) => request(s.outbox.getAll()));
}

export function outboxRow(id) {
  return transact("outbox", "readonly", (s) => request(s.outbox.get(id))).then((row) => row || null);
}

/** Change outbox rows in one transaction: `change(row)` returns the new row, null to delete, or undefined to leave it. */
export async function changeOutbox(ids, change) {
  const changed = await transact("outbox", "readwrite", async (s) => {
    let count = 0;
    for (const id of ids) {
      const row = await request(s.outbox.get(id));
      const next = change(row || null);
      if (next === undefined) continue;
      if (next === null) {
        if (row) await request(s.outbox.delete(id));
      } else {
        await request(s.outbox.put(next));
      }
      count += 1;
    }
    return count;
  });
  if (changed) announce("outbox");
  return changed;
}

/** Add a row unless one with its id is there already; true if it was added. */
export async function addOutboxRow(row) {
  const added = await transact("outbox", "readwrite", async (s) => {
    const existing = await request(s.outbox.get(row.id));
    if (existing) return false;
    await request(s.outbox.add(row));
    return true;
  });
  if (added) announce("outbox");
  return added;
}

/** Put `row` in place of the row `oldId` in one transaction (a record that must go under a new id). */
export async function replaceOutboxRow(oldId, row) {
  await transact("outbox", "readwrite", async (s) => {
    await request(s.outbox.delete(oldId));
    await request(s.outbox.put(row));
  });
  announce("outbox");
}
