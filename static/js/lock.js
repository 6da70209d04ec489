// The lock: the offline caseload is sealed at rest, and the app locks when left alone.
//
// How the caseload is protected on the phone (docs/deployment.md §11, "Locking"):
// - The caseload in IndexedDB is sealed with AES-GCM (a fresh IV per write, the user's id as
//   associated data) under a random 256-bit *caseload key*. That key is held in this page's
//   memory only. What is stored is the key *wrapped*, in up to two ways ("vault" setting):
//   1. under the sign-in's own key, which the server derives from the sign-in (HMAC of its
//      token under the server's secret) and hands out in GET /api/v1/session while the
//      sign-in lasts: reopening the app with signal needs nothing more; once the sign-in
//      ends (sign-out, timeout, revoked) that wrapping can never be opened again;
//   2. under the officer's PIN, if one was set at sign-in (pin.js: PBKDF2, 600,000
//      iterations): reopening or unlocking without signal. 5 wrong PINs in a row wipe what is
//      readable (the count is kept before each try, so closing the app does not reset it).
//   With no PIN, nothing on the phone opens the caseload once the sign-in has ended: offline,
//   the officer signs in again when the signal returns (what they recorded stays in the
//   outbox, sealed to the server's key, and is sent then).
// - The app locks after `lock_after_seconds` (the session answer; the server's idle timeout at
//   most) without a touch or a key press, in every tab: the key leaves memory, the screen
//   shows nothing of the caseload, and the sign-in is ended on the server (at once, or when
//   the phone next reaches it: wipe.js). Unlocking is signing in again, or the PIN.

import * as store from "./store.js";
import * as pin from "./pin.js";
import { forgetOnWipe, wipeReadable } from "./wipe.js";

const VAULT = "vault";
const LAST_ACTIVE = "last_active_at";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let key = null; // the caseload key, in memory only
let keyUser = null;
let idleLocked = false;
let vaultCache = undefined; // the vault setting as last read (undefined: not read yet)

export const events = new EventTarget(); // "change": locked or unlocked
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("cyswllt-lock") : null;
if (channel) {
  channel.onmessage = (event) => {
    if (event.data && event.data.type === "lock") lockHere();
    if (event.data && event.data.type === "active") lastActive = Math.max(lastActive, event.data.at);
  };
}

function changed() {
  events.dispatchEvent(new Event("change"));
}

function forget() {
  key = null;
  keyUser = null;
  idleLocked = false; // nothing is left to unlock
  vaultCache = undefined;
}
forgetOnWipe(forget);

// --- Sealing the caseload -----------------------------------------------------------------

function aad(userId) {
  return encoder.encode(`cyswllt caseload ${userId}`);
}

async function seal(caseload) {
  if (!key || keyUser !== caseload.user_id) throw new DOMException("the caseload key is not open", "InvalidStateError");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(caseload.user_id) }, key,
    encoder.encode(JSON.stringify(caseload)));
  return { user_id: caseload.user_id, sealed: { iv, data: new Uint8Array(data) } };
}

async function open(row) {
  if (!key || keyUser !== row.user_id || idleLocked) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: row.sealed.iv, additionalData: aad(row.user_id) }, key, row.sealed.data);
    return JSON.parse(decoder.decode(plain));
  } catch {
    return null; // sealed under another key (an earlier sign-in): the next fetch replaces it
  }
}

/** Seal the caseload from now on (the page calls this once). */
export function install() {
  store.useCaseloadCipher({ seal, open });
}

// --- The vault: the caseload key, wrapped ---------------------------------------------------

async function vault() {
  if (vaultCache === undefined) vaultCache = await store.getSetting(VAULT);
  return vaultCache;
}

async function saveVault(value) {
  vaultCache = value;
  await store.setSetting(VAULT, value);
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function sessionWrapping(secret) {
  const raw = fromBase64Url(secret);
  const tag = new Uint8Array(await crypto.subtle.digest("SHA-256", raw)).slice(0, 8).join(".");
  const wrapping = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["wrapKey", "unwrapKey"]);
  return { tag, wrapping };
}

async function wrapForSession(userId, secret) {
  const { tag, wrapping } = await sessionWrapping(secret);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.wrapKey("raw", key, wrapping, { name: "AES-GCM", iv, additionalData: aad(userId) });
  return { tag, iv, wrapped: new Uint8Array(wrapped) };
}

/** True when there is a caseload key for this user that is not open here (the lock screen shows). */
export async function isLocked(userId) {
  if (userId == null) return false;
  if (idleLocked) return true;
  if (key && keyUser === userId) return false;
  const held = await vault();
  return Boolean(held && held.user_id === userId);
}

/** True when the caseload can be read and written now. */
export function isOpen(userId) {
  return Boolean(key) && keyUser === userId && !idleLocked;
}

export async function hasPin(userId) {
  const held = await vault();
  return Boolean(held && held.user_id === userId && held.pin);
}

/** Whether to offer setting a PIN: the caseload is open, no PIN is set, and it was not put off. */
export async function offerPin(userId) {
  const held = await vault();
  return isOpen(userId) && Boolean(held) && held.user_id === userId && !held.pin && !held.pin_put_off;
}

/**
 * The session answered for `userId`, with this sign-in's key (`secret`, base64url; null from a
 * server that gives none). Open the caseload key with it, or wrap the open one under it, or
 * make a new one (the caseload sealed under an older key cannot be read: it is fetched again).
 */
export async function onSession(userId, secret) {
  const held = await vault();
  const ours = held && held.user_id === userId ? held : null;
  const tag = secret ? (await sessionWrapping(secret)).tag : null;
  const sameSignIn = Boolean(tag) && Boolean(ours && ours.session) && ours.session.tag === tag;
  if (idleLocked) {
    if (!tag || sameSignIn) return; // left alone: only a new sign-in (or the PIN) opens it again
  } else if (key && keyUser === userId) {
    if (tag && !sameSignIn) await saveVault({ ...ours, user_id: userId, session: await wrapForSession(userId, secret) });
    return;
  } else if (sameSignIn) {
    try {
      const { wrapping } = await sessionWrapping(secret);
      key = await crypto.subtle.unwrapKey("raw", ours.session.wrapped, wrapping,
        { name: "AES-GCM", iv: ours.session.iv, additionalData: aad(userId) }, { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
      keyUser = userId;
      changed();
      return;
    } catch {
      /* not this sign-in's after all: a new key below */
    }
  }
  key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  keyUser = userId;
  idleLocked = false;
  await store.clearCaseloads(); // sealed under a key nobody holds any more
  await saveVault({ user_id: userId, session: tag ? await wrapForSession(userId, secret) : null, pin: null, pin_failures: 0 });
  await noteActivity(true);
  changed();
}

/** Set the PIN (the caseload key must be open): resolves with null, or the problem with the PIN. */
export async function setPin(userId, chosen) {
  const wrong = pin.problem(chosen);
  if (wrong) return wrong;
  if (!isOpen(userId)) return "locked";
  const wrapped = await pin.wrap(key, chosen, { label: `cyswllt pin ${userId}` });
  await saveVault({ ...(await vault()), user_id: userId, pin: wrapped, pin_failures: 0, pin_put_off: false });
  return null;
}

export async function putOffPin(userId) {
  const held = await vault();
  if (held && held.user_id === userId) await saveVault({ ...held, pin_put_off: true });
}

/**
 * Try a PIN. Resolves {ok: true}; or {ok: false, triesLeft}; or {ok: false, wiped: true} after
 * the MAX_TRIES-th wrong one in a row (what is readable has been wiped).
 */
export async function unlockWithPin(userId, typed) {
  vaultCache = undefined; // another tab may have counted a try
  const held = await vault();
  if (!held || held.user_id !== userId || !held.pin) return { ok: false, triesLeft: 0, noPin: true };
  const failures = (held.pin_failures || 0) + 1;
  await saveVault({ ...held, pin_failures: failures }); // counted before the try: closing the app does not undo it
  const opened = typeof typed === "string" && /^[0-9]+$/.test(typed)
    ? await pin.unwrap(held.pin, typed, { label: `cyswllt pin ${userId}` })
    : null;
  if (!opened) {
    if (failures >= pin.MAX_TRIES) {
      await wipeReadable("pin");
      return { ok: false, wiped: true };
    }
    return { ok: false, triesLeft: pin.MAX_TRIES - failures };
  }
  key = opened;
  keyUser = userId;
  idleLocked = false;
  await saveVault({ ...held, pin_failures: 0 });
  await noteActivity(true);
  changed();
  return { ok: true };
}

// --- Locking when left alone ------------------------------------------------------------------

let lastActive = Date.now();
let lastSaved = 0;
let lockAfterMs = null;
let timer = null;
let onLock = null;

function lockHere() {
  if (idleLocked || !key) return;
  key = null;
  keyUser = null;
  idleLocked = true;
  store.deleteSetting(LAST_ACTIVE).catch(() => {}); // the lock has ended the sign-in: the next one starts afresh
  if (onLock) onLock();
  changed();
}

/** Lock every tab now: the caseload key leaves memory. */
export function lockNow() {
  if (channel) channel.postMessage({ type: "lock" });
  lockHere();
}

export function isIdleLocked() {
  return idleLocked;
}

async function noteActivity(force = false) {
  const now = Date.now();
  lastActive = now;
  if (force || now - lastSaved > 15000) {
    lastSaved = now;
    if (channel) channel.postMessage({ type: "active", at: now });
    try {
      await store.setSetting(LAST_ACTIVE, now); // a page opened later knows how long the phone was left
    } catch {
      /* the next touch tries again */
    }
  }
}

function check() {
  clearTimeout(timer);
  if (!lockAfterMs) return;
  const left = lastActive + lockAfterMs - Date.now();
  if (left <= 0 && key) lockNow();
  else timer = setTimeout(check, Math.max(250, Math.min(left, 60000)));
}

/** How long without a touch before the app locks (from the session answer). */
export function setLockAfter(seconds) {
  lockAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
  check();
}

/**
 * Watch for the officer's touches and key presses; `locked()` is called when the app locks.
 * A page opened after the phone was left longer than the lock time starts locked.
 */
export async function watch({ lockAfterSeconds, locked }) {
  onLock = locked;
  const saved = await store.getSetting(LAST_ACTIVE);
  if (typeof saved === "number") lastActive = Math.min(Date.now(), saved);
  for (const type of ["pointerdown", "keydown", "touchstart", "wheel"]) {
    document.addEventListener(type, () => noteActivity(), { passive: true, capture: true });
  }
  document.addEventListener("visibilitychange", check);
  window.addEventListener("pageshow", check);
  setLockAfter(lockAfterSeconds);
  if (lockAfterMs && Date.now() - lastActive > lockAfterMs && (await vault())) {
    idleLocked = true; // left alone too long before this page opened
    store.deleteSetting(LAST_ACTIVE).catch(() => {});
    if (onLock) onLock();
    changed();
  } else {
    await noteActivity(true);
  }
}
