// The phone's report about itself, sent with each sync (body `device`) and each caseload
// fetch (header `Cyswllt-Device`), so supervisors know where every unsent record is. Its
// contract is the server's app/devices/contract.py (documented in the OpenAPI document as
// DeviceReport). No location, ever: an id made here, the app's version, the outbox's counts
// and the browser's storage.
//
// - The id is a random UUID made once and kept in IndexedDB (settings), mirrored in
//   localStorage where there is one (the page; the service worker has none), so it survives
//   the outbox and the caseload being wiped. `forget()` drops it: the next report is a new phone.
// - The counts are of the records held *besides* those in the request that carries the report
//   (`sending`): the server adds those of the batch it did not take.
// - Making a report never fails a sync: anything that goes wrong gives no report (null), and
//   the server serves a phone that sends none as before.

import * as store from "./store.js";

const ID_KEY = "device_id";
const LOCAL_KEY = "cyswllt-device-id";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^[A-Za-z0-9._+-]{1,40}$/;
const BYTES_MAX = Number.MAX_SAFE_INTEGER;
const ATTENTION = "attention";

function localStorageOrNull() {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled for the site
  }
}

function fromLocal() {
  try {
    const value = localStorageOrNull() && localStorageOrNull().getItem(LOCAL_KEY);
    return UUID.test(value || "") ? value : null;
  } catch {
    return null;
  }
}

function toLocal(id) {
  try {
    const local = localStorageOrNull();
    if (local) {
      if (id) local.setItem(LOCAL_KEY, id);
      else local.removeItem(LOCAL_KEY);
    }
  } catch {
    /* full or disabled: IndexedDB holds it */
  }
}

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

/** This phone's id: the one kept, else the localStorage copy, else a new one (in one transaction). */
export async function deviceId() {
  const mirrored = fromLocal();
  const id = await store.transact("settings", "readwrite", async (s) => {
    const kept = await request(s.settings.get(ID_KEY));
    if (kept && UUID.test(kept.value || "")) return kept.value;
    const made = mirrored || crypto.randomUUID();
    await request(s.settings.put({ key: ID_KEY, value: made }));
    return made;
  });
  if (id !== mirrored) toLocal(id);
  return id;
}

/** Forget this phone's id (after it was revoked and wiped): its next report is a new phone. */
export async function forget() {
  toLocal(null);
  await store.deleteSetting(ID_KEY);
}

/** The app's build: the content-hashed prefix this module was loaded from (app/assets.py), else the shell's. */
export function appVersion(url = import.meta.url) {
  const match = /\/static\/([0-9a-f]{16})\//.exec(url || "");
  if (match) return match[1];
  const shell = typeof document !== "undefined" && document.documentElement && document.documentElement.dataset.version;
  return shell && VERSION.test(shell) ? shell : null;
}

function bytes(value) {
  return Number.isFinite(value) && value >= 0 ? Math.min(Math.round(value), BYTES_MAX) : null;
}

/** Whether the browser keeps this site's data when space runs low, and how much it holds. */
export async function storageState(storage = typeof navigator === "undefined" ? undefined : navigator.storage) {
  const state = { storage_persisted: null, storage_usage: null, storage_quota: null };
  if (!storage) return state;
  try {
    if (storage.persisted) state.storage_persisted = Boolean(await storage.persisted());
  } catch {
    /* not in this browser, or not here (some workers) */
  }
  try {
    if (storage.estimate) {
      const estimate = await storage.estimate();
      state.storage_usage = bytes(estimate && estimate.usage);
      state.storage_quota = bytes(estimate && estimate.quota);
    }
  } catch {
    /* no estimate */
  }
  return state;
}

/** The counts of a set of outbox rows: how many, how many need attention, the oldest's saved time. */
export function counts(rows) {
  let oldest = null;
  let attention = 0;
  for (const row of rows) {
    if (row.state === ATTENTION) attention += 1;
    const saved = typeof row.saved_at === "string" && Number.isFinite(Date.parse(row.saved_at)) ? row.saved_at : null;
    if (saved && (oldest === null || Date.parse(saved) < Date.parse(oldest))) oldest = saved;
  }
  return { unsent: rows.length, oldest_unsent_at: rows.length ? oldest : null, attention };
}

/**
 * The report to send with a request, or null when one cannot be made. `sending`: the ids of
 * the records in that request (left out of the counts). Every user's records on the phone
 * count: supervisors need to know what the phone holds, whoever is signed in on it now.
 */
export async function report({ sending = [] } = {}) {
  try {
    const skip = new Set(sending);
    const rows = (await store.allOutboxRows()).filter((row) => row && !skip.has(row.id));
    return {
      id: await deviceId(),
      app_version: appVersion(),
      ...counts(rows),
      ...(await storageState()),
      reported_at: new Date().toISOString(),
    };
  } catch {
    return null;
  }
}
