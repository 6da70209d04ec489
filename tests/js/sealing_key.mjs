// A server key pair for the phone's tests, made with WebCrypto as the server's would be:
// P-256 (ECDH) by default, as `flask keys generate` makes now, or RSA-OAEP-256 of 3072 bits,
// as servers made before. `sealing` is what GET /api/v1/session's `sealing` holds.

export async function testSealing({ sealToken = "test-seal-token", kind = "EC" } = {}) {
  if (kind === "RSA") {
    const pair = await crypto.subtle.generateKey(
      { name: "RSA-OAEP", modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["wrapKey", "unwrapKey"],
    );
    const { kty, n, e } = await crypto.subtle.exportKey("jwk", pair.publicKey);
    const keyId = `test-key-${n.slice(0, 8)}`;
    return {
      privateKey: pair.privateKey,
      sealing: { key_id: keyId, algorithm: "RSA-OAEP-256", public_key: { kty, n, e, alg: "RSA-OAEP-256", kid: keyId, use: "enc" }, seal_token: sealToken },
    };
  }
  const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const keyId = `test-key-${x.slice(0, 8)}`;
  return {
    privateKey: pair.privateKey,
    sealing: { key_id: keyId, algorithm: "ECDH-P256-HKDF-SHA256", public_key: { kty, crv, x, y, kid: keyId, use: "enc", ext: true }, seal_token: sealToken },
  };
}

export function fromBase64url(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

async function contentKey(privateKey, recordId, sealed) {
  if (sealed.alg === "ECDH-P256-HKDF-SHA256") {
    const curve = { name: "ECDH", namedCurve: "P-256" };
    const ephemeral = await crypto.subtle.importKey("raw", fromBase64url(sealed.epk), curve, false, []);
    const secret = await crypto.subtle.deriveBits({ name: "ECDH", public: ephemeral }, privateKey, 256);
    const hkdf = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
    const info = new TextEncoder().encode(`cyswllt-seal-v2|ECDH-P256-HKDF-SHA256|${sealed.key_id}|${recordId}|${sealed.epk}`);
    const key = await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info }, hkdf,
      { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    return { key, label: "cyswllt-seal-v2" };
  }
  const key = await crypto.subtle.unwrapKey(
    "raw", fromBase64url(sealed.wrapped_key), privateKey, { name: "RSA-OAEP" }, { name: "AES-GCM" }, false, ["decrypt"],
  );
  return { key, label: "cyswllt-seal-v1" };
}

/** Open a seal as the server does (app/sealing.py), to check what the phone sealed. */
export async function openSeal(privateKey, recordId, sealed) {
  const { key, label } = await contentKey(privateKey, recordId, sealed);
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64url(sealed.iv), additionalData: new TextEncoder().encode(`${label}|${sealed.key_id}|${recordId}`) },
    key,
    fromBase64url(sealed.ciphertext),
  );
  return JSON.parse(new TextDecoder().decode(plaintext));
}
