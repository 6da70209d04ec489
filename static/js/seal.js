// Sealing: a contact is encrypted to the server's public key before it touches IndexedDB.
//
// WebCrypto only (no crypto library): a key made for this record alone encrypts
//   {"contact": <the contact>, "seal_token": <this sign-in's seal token>}
// with AES-GCM-256, a random 12-byte IV and the additional data "<label>|<key id>|<record id>"
// (so a seal cannot be moved under another record). The server's public key comes from
// GET /api/v1/session (`sealing`); its kind decides how the AES key is made (app/sealing.py):
//   - P-256 ("ECDH-P256-HKDF-SHA256", label "cyswllt-seal-v2"): a fresh ECDH key pair per
//     record; the AES key is HKDF-SHA-256 of the ECDH secret with the server's key (empty
//     salt; info binding the label, the algorithm, the key id, the record id and the
//     ephemeral public key), and the ephemeral public key is sent as `epk` (as HPKE's
//     DHKEM(P-256, HKDF-SHA256) does). Opening costs the server one ECDH, not an RSA decryption.
//   - RSA ("RSA-OAEP-256", label "cyswllt-seal-v1"): a random AES key wrapped with the
//     server's RSA-OAEP (SHA-256) key, sent as `wrapped_key` (servers whose first key is
//     still one made before P-256 keys).
// The phone cannot open what it sealed: only the server holds the private key. What stays
// readable is the summary the outbox shows and sends alongside: id, person, kind, time, and
// the hash of the content (computed before sealing, so the phone can check the server's receipt).

export const RSA = "RSA-OAEP-256";
export const ECDH = "ECDH-P256-HKDF-SHA256";
const LABEL = { [RSA]: "cyswllt-seal-v1", [ECDH]: "cyswllt-seal-v2" };
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

export function additionalData(keyId, recordId, algorithm = RSA) {
  return new TextEncoder().encode(`${LABEL[algorithm]}|${keyId}|${recordId}`);
}

/** HKDF's info for a P-256 seal (app/sealing.py kdf_info). */
export function kdfInfo(keyId, recordId, epk) {
  return new TextEncoder().encode(`${LABEL[ECDH]}|${ECDH}|${keyId}|${recordId}|${epk}`);
}

function algorithmOf(publicKey) {
  if (publicKey && publicKey.kty === "EC" && publicKey.crv === "P-256") return ECDH;
  if (publicKey && publicKey.kty === "RSA") return RSA;
  return null;
}

/** Whether `sealing` (from the session answer) has what sealing needs. */
export function usable(sealing) {
  return Boolean(
    sealing && typeof sealing.key_id === "string" && sealing.key_id && typeof sealing.seal_token === "string" &&
      algorithmOf(sealing.public_key),
  );
}

// Only the members WebCrypto needs are imported: the server's other members cannot get in the way.

async function rsaContentKey(jwk) {
  const { kty, n, e } = jwk;
  const serverKey = await crypto.subtle.importKey("jwk", { kty, n, e, alg: RSA, ext: true }, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["wrapKey"]);
  const contentKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const wrapped = await crypto.subtle.wrapKey("raw", contentKey, serverKey, { name: "RSA-OAEP" });
  return { contentKey, fields: { wrapped_key: base64url(wrapped) } };
}

async function ecdhContentKey(jwk, keyId, recordId) {
  const { kty, crv, x, y } = jwk;
  const curve = { name: "ECDH", namedCurve: "P-256" };
  const serverKey = await crypto.subtle.importKey("jwk", { kty, crv, x, y, ext: true }, curve, false, []);
  const ephemeral = await crypto.subtle.generateKey(curve, false, ["deriveBits"]); // its private half never leaves WebCrypto
  const secret = await crypto.subtle.deriveBits({ name: "ECDH", public: serverKey }, ephemeral.privateKey, 256);
  const epk = base64url(await crypto.subtle.exportKey("raw", ephemeral.publicKey)); // uncompressed point, 65 bytes
  const hkdf = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
  const contentKey = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: kdfInfo(keyId, recordId, epk) },
    hkdf,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  return { contentKey, fields: { epk } };
}

/**
 * The seal of `contact`: {alg, key_id, epk | wrapped_key, iv, ciphertext}, base64url without padding.
 * `member` names the kind of record inside ("contact", or "arrangement" for an arranged contact),
 * so that the server never reads one kind as the other.
 */
export async function seal(contact, sealing, member = "contact") {
  if (!usable(sealing)) throw new NoSealingKey();
  const alg = algorithmOf(sealing.public_key);
  const { contentKey, fields } =
    alg === ECDH ? await ecdhContentKey(sealing.public_key, sealing.key_id, contact.id) : await rsaContentKey(sealing.public_key);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = new TextEncoder().encode(JSON.stringify({ [member]: contact, seal_token: sealing.seal_token }));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(sealing.key_id, contact.id, alg) },
    contentKey,
    plaintext,
  );
  return { alg, key_id: sealing.key_id, ...fields, iv: base64url(iv), ciphertext: base64url(ciphertext) };
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

/** What the outbox keeps and sends for an arrangement: its summary, the hash of its content, and the seal. */
export async function sealedArrangement(arrangement, hash, sealing) {
  return {
    id: arrangement.id,
    person_id: arrangement.person_id,
    type: arrangement.type,
    starts_at: arrangement.starts_at,
    content_sha256: hash,
    sealed: await seal(arrangement, sealing, "arrangement"),
  };
}
