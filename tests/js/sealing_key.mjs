// A server key pair for the phone's tests, made with WebCrypto as the server's would be:
// RSA-OAEP-256, 3072 bits. `sealing` is what GET /api/v1/session's `sealing` holds.

export async function testSealing({ sealToken = "test-seal-token" } = {}) {
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

export function fromBase64url(text) {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

/** Open a seal as the server does (app/sealing.py), to check what the phone sealed. */
export async function openSeal(privateKey, recordId, sealed) {
  const contentKey = await crypto.subtle.unwrapKey(
    "raw", fromBase64url(sealed.wrapped_key), privateKey, { name: "RSA-OAEP" }, { name: "AES-GCM" }, false, ["decrypt"],
  );
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64url(sealed.iv), additionalData: new TextEncoder().encode(`cyswllt-seal-v1|${sealed.key_id}|${recordId}`) },
    contentKey,
    fromBase64url(sealed.ciphertext),
  );
  return JSON.parse(new TextDecoder().decode(plaintext));
}
