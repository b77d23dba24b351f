// RFC 8291 (Message Encryption for Web Push) decryption, the receiving side: what a browser does with a push
// message. Used by the test push service to check what the server sends. Web Crypto only, so the same helper
// runs on Node and inside workerd.
//
// Body (RFC 8188 aes128gcm): salt(16) | rs(uint32 BE) | idlen(1) | keyid = the sender's ECDH public key (65)
// | records. Web push messages fit in one record (RFC 8291 §4: at most 4096 octets of body).
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

const enc = new TextEncoder();

/** Joins byte arrays into one ArrayBuffer-backed view (the form Web Crypto's types want). */
export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const b64u = {
  decode: (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(decodeBase64urlIgnorePadding(s)),
  encode: (b: Uint8Array): string => encodeBase64urlNoPadding(b),
};

/** A user agent's subscription keys: the ECDH P-256 pair (public key uncompressed, 65 octets) and the auth secret. */
export interface UaKeys {
  privateKey: CryptoKey;
  /** Uncompressed point, 65 octets: the subscription's `p256dh`. */
  publicKey: Uint8Array<ArrayBuffer>;
  /** 16 octets: the subscription's `auth`. */
  authSecret: Uint8Array<ArrayBuffer>;
}

/** Imports a user agent key pair given as base64url: `d` (32 octets) and the uncompressed public point. */
export async function importUaKeys(privateD: string, publicPoint: string, authSecret: string): Promise<UaKeys> {
  const pub = b64u.decode(publicPoint);
  if (pub.length !== 65 || pub[0] !== 4) throw new Error("public key must be an uncompressed P-256 point");
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    d: privateD,
    x: b64u.encode(pub.subarray(1, 33)),
    y: b64u.encode(pub.subarray(33, 65)),
    ext: true,
  };
  const privateKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, false, [
    "deriveBits",
  ]);
  return { privateKey, publicKey: pub, authSecret: b64u.decode(authSecret) };
}

/** A fresh subscription key pair, as a browser makes on `PushManager.subscribe()`. */
export async function generateUaKeys(): Promise<UaKeys> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { privateKey: pair.privateKey, publicKey, authSecret: crypto.getRandomValues(new Uint8Array(16)) };
}

async function hkdf(
  salt: Uint8Array<ArrayBuffer>,
  ikm: Uint8Array<ArrayBuffer>,
  info: Uint8Array<ArrayBuffer>,
  bytes: number,
) {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8));
}

/** Every intermediate value, so a test can compare each one with RFC 8291 Appendix A. */
export interface Decrypted {
  plaintext: Uint8Array<ArrayBuffer>;
  salt: Uint8Array<ArrayBuffer>;
  recordSize: number;
  senderPublicKey: Uint8Array<ArrayBuffer>;
  ecdhSecret: Uint8Array<ArrayBuffer>;
  ikm: Uint8Array<ArrayBuffer>;
  cek: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array<ArrayBuffer>;
}

/** Decrypts one `Content-Encoding: aes128gcm` web push body. Throws on any malformed or unauthentic input. */
export async function decryptPushBody(body: Uint8Array, ua: UaKeys): Promise<Decrypted> {
  if (body.length < 21) throw new Error("body shorter than the aes128gcm header");
  const salt = body.slice(0, 16);
  const recordSize = new DataView(body.buffer, body.byteOffset + 16, 4).getUint32(0);
  const idlen = body[20]!;
  if (idlen !== 65) throw new Error(`keyid must be the sender's 65-octet public key, got ${idlen} octets`);
  const senderPublicKey = body.slice(21, 21 + idlen);
  const ciphertext = body.slice(21 + idlen);
  if (recordSize < 18) throw new Error("record size too small");
  if (ciphertext.length > recordSize) throw new Error("more than one record: not a web push message");
  if (ciphertext.length < 17) throw new Error("record shorter than the authentication tag plus a delimiter");

  const asPublic = await crypto.subtle.importKey(
    "raw",
    senderPublicKey,
    { name: "ECDH", namedCurve: "P-256" },
    false,
    [],
  );
  const ecdhSecret = new Uint8Array(
    await crypto.subtle.deriveBits({ name: "ECDH", public: asPublic }, ua.privateKey, 256),
  );
  // RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" 0x00 ua_public as_public, 32)
  const keyInfo = concat(enc.encode("WebPush: info\0"), ua.publicKey, senderPublicKey);
  const ikm = await hkdf(ua.authSecret, ecdhSecret, keyInfo, 32);
  // RFC 8188 §2.2, 2.3
  const cek = await hkdf(salt, ikm, enc.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, enc.encode("Content-Encoding: nonce\0"), 12);

  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const padded = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce }, key, ciphertext));
  // Padding: the plaintext, one delimiter octet (0x02 for the last record), then zero or more 0x00.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 2) throw new Error("missing last-record padding delimiter 0x02");
  return { plaintext: padded.slice(0, end), salt, recordSize, senderPublicKey, ecdhSecret, ikm, cek, nonce };
}
