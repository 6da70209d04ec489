// Sealing: a contact is encrypted to the server's public key before it touches IndexedDB.
//
// WebCrypto only (no crypto library): a fresh AES-GCM-256 key for each record encrypts
//   {"contact": <the contact>, "seal_token": <this sign-in's seal token>}
// with a random 12-byte IV and the additional data "cyswllt-seal-v1|<key id>|<record id>"
// (so a seal cannot be moved under another record), and that key is wrapped with the
// server's RSA-OAEP (SHA-256) public key from GET /api/v1/session (`sealing`). The phone
// cannot open what it sealed: only the server holds the private key (app/sealing.py).
// What stays readable is the summary the outbox shows and sends alongside: id, person,
// kind, time, and the hash of the content (computed before sealing, so the phone can check
// the server's receipt).

const AAD_PREFIX = "cyswllt-seal-v1";
const IV_BYTES = 12;

/** Thrown when there is no server key to seal with: the phone never keeps a record in plaintext instead. */
export class NoSealingKey extends Error {
  constructor() {
    super("no sealing key");
    this.name = "NoSealingKey";
  }
}

export function base64url(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function additionalData(keyId, recordId) {
  return new TextEncoder().encode(`${AAD_PREFIX}|${keyId}|${recordId}`);
}

/** Whether `sealing` (from the session answer) has what sealing needs. */
export function usable(sealing) {
  return Boolean(
    sealing && typeof sealing.key_id === "string" && sealing.key_id && typeof sealing.seal_token === "string" &&
      sealing.public_key && sealing.public_key.kty === "RSA",
  );
}

function importServerKey(jwk) {
  const { kty, n, e } = jwk; // only what WebCrypto needs: the server's other members cannot get in the way
  return crypto.subtle.importKey("jwk", { kty, n, e, alg: "RSA-OAEP-256", ext: true }, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["wrapKey"]);
}

/** The seal of `contact`: {key_id, wrapped_key, iv, ciphertext}, base64url without padding. */
export async function seal(contact, sealing) {
  if (!usable(sealing)) throw new NoSealingKey();
  const serverKey = await importServerKey(sealing.public_key);
  const contentKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = new TextEncoder().encode(JSON.stringify({ contact, seal_token: sealing.seal_token }));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(sealing.key_id, contact.id) },
    contentKey,
    plaintext,
  );
  const wrapped = await crypto.subtle.wrapKey("raw", contentKey, serverKey, { name: "RSA-OAEP" });
  return { key_id: sealing.key_id, wrapped_key: base64url(wrapped), iv: base64url(iv), ciphertext: base64url(ciphertext) };
}

/** What the outbox keeps and sends for a contact: its summary, the hash of its content, and the seal. */
export async function sealedContact(contact, hash, sealing) {
  return {
    id: contact.id,
    person_id: contact.person_id,
    type: contact.type,
    occurred_at: contact.occurred_at,
    content_sha256: hash,
    sealed: await seal(contact, sealing),
  };
}
