// The PIN an officer may set at sign-in, and the key it unlocks. Only WebCrypto: no library.
//
// - A PIN is 6 to 12 digits, and not one anyone would guess first (one digit repeated, a
//   run such as 123456 or 987654, a short block repeated such as 121212 or 123123).
// - It never leaves the phone and is never stored: PBKDF2-HMAC-SHA-256 (PBKDF2_ITERATIONS,
//   a random 16-byte salt per PIN) turns it into an AES-GCM key that wraps the caseload key
//   (lock.js). A wrong PIN fails AES-GCM's check, so nothing needs storing to compare with.
// - The number of iterations is kept with each wrapped key, so it can be raised later.
//
// Written by hand because it is a few WebCrypto calls; the rules for tries are in lock.js.

export const MIN_LENGTH = 6;
export const MAX_LENGTH = 12;
export const MAX_TRIES = 5; // wrong PINs in a row before what is readable is wiped
// OWASP's figure for PBKDF2-HMAC-SHA-256 (2023): 600,000. About half a second on a mid-range phone.
export const PBKDF2_ITERATIONS = 600000;

const encoder = new TextEncoder();

/** Why this PIN cannot be used ("digits", "short", "long", "guessable"), or null if it can. */
export function problem(pin) {
  if (typeof pin !== "string" || !/^[0-9]*$/.test(pin)) return "digits";
  if (pin.length < MIN_LENGTH) return "short";
  if (pin.length > MAX_LENGTH) return "long";
  if (guessable(pin)) return "guessable";
  return null;
}

function guessable(pin) {
  const steps = new Set();
  for (let i = 1; i < pin.length; i += 1) steps.add((Number(pin[i]) - Number(pin[i - 1]) + 10) % 10);
  if (steps.size === 1 && [0, 1, 9].includes([...steps][0])) return true; // 000000, 123456, 987654 (and 890123)
  for (let size = 1; size <= pin.length / 2; size += 1) {
    if (pin.length % size === 0 && pin.slice(0, size).repeat(pin.length / size) === pin) return true; // 121212, 123123
  }
  return false;
}

/** The AES-GCM key this PIN and salt make; it can only wrap and unwrap keys. */
export async function derive(pin, salt, iterations = PBKDF2_ITERATIONS) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["wrapKey", "unwrapKey"],
  );
}

/** `key` (an extractable AES-GCM key) wrapped under the PIN: what may be stored on the phone. */
export async function wrap(key, pin, { iterations = PBKDF2_ITERATIONS, label = "" } = {}) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapping = await derive(pin, salt, iterations);
  const wrapped = await crypto.subtle.wrapKey("raw", key, wrapping, { name: "AES-GCM", iv, additionalData: encoder.encode(label) });
  return { salt, iv, iterations, wrapped: new Uint8Array(wrapped) };
}

/** The key wrapped under this PIN, or null when the PIN is wrong. */
export async function unwrap(record, pin, { label = "" } = {}) {
  const wrapping = await derive(pin, record.salt, record.iterations);
  try {
    return await crypto.subtle.unwrapKey(
      "raw", record.wrapped, wrapping, { name: "AES-GCM", iv: record.iv, additionalData: encoder.encode(label) },
      { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"],
    );
  } catch (error) {
    if (error && error.name === "OperationError") return null; // the tag does not match: a wrong PIN
    throw error;
  }
}
