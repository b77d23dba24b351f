// VAPID (RFC 8292): the server's P-256 key pair that identifies it to push services. Either configured
// (VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY, checked to be a matching pair) or generated on first use and kept in
// push_vapid_keys, so every process and every restart uses the same pair. Web Crypto only: Node and workerd alike.
// If the public key changes, browsers' subscriptions stop working: the PWA re-subscribes on its next visit when
// the key it subscribed with differs from GET /api/push/public-key.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { pushVapidKeys } from "../../db/schema";

export interface VapidKeys {
  /** base64url uncompressed point (65 octets): the applicationServerKey browsers subscribe with. */
  publicKey: string;
  /** ECDSA P-256 signing key for the ES256 JWT. */
  signingKey: CryptoKey;
  subject: string;
}

const ROW_ID = "current";
const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;

function toJwk(publicKey: string, privateKey: string): JsonWebKey {
  const pub = decodeBase64urlIgnorePadding(publicKey);
  const d = decodeBase64urlIgnorePadding(privateKey);
  if (pub.length !== 65 || pub[0] !== 4) throw new Error("VAPID public key: not an uncompressed P-256 point");
  if (d.length !== 32) throw new Error("VAPID private key: not 32 octets");
  return {
    kty: "EC",
    crv: "P-256",
    x: encodeBase64urlNoPadding(pub.subarray(1, 33)),
    y: encodeBase64urlNoPadding(pub.subarray(33, 65)),
    d: encodeBase64urlNoPadding(d),
  };
}

/** Imports a pair and proves it is one: a signature by the private key verifies with the public key. */
export async function importVapidKeys(publicKey: string, privateKey: string, subject: string): Promise<VapidKeys> {
  const jwk = toJwk(publicKey, privateKey);
  const mismatch = () => new Error("VAPID keys: the private key does not belong to the public key");
  // Node's importKey already refuses a d that does not match x/y; the signature probe covers runtimes that do not.
  const signingKey = await crypto.subtle.importKey("jwk", jwk, ECDSA, false, ["sign"]).catch(() => {
    throw mismatch();
  });
  const { d: _d, ...pubJwk } = jwk;
  const verifyKey = await crypto.subtle.importKey("jwk", pubJwk, ECDSA, false, ["verify"]);
  const probe = new TextEncoder().encode("kairan vapid key check");
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, signingKey, probe);
  if (!(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, verifyKey, sig, probe))) throw mismatch();
  return { publicKey, signingKey, subject };
}

/** A new pair as base64url strings (public: uncompressed point; private: d). */
export async function generateVapidKeyPair(): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const x = decodeBase64urlIgnorePadding(jwk.x!);
  const y = decodeBase64urlIgnorePadding(jwk.y!);
  const point = new Uint8Array(65);
  point[0] = 4;
  point.set(x, 1);
  point.set(y, 33);
  return { publicKey: encodeBase64urlNoPadding(point), privateKey: jwk.d! };
}

async function loadOrCreate(db: Db, config: Config): Promise<VapidKeys> {
  const { vapidKeys: configured, subject } = config.push;
  if (configured) return importVapidKeys(configured.publicKey, configured.privateKey, subject);
  const read = () => db.select().from(pushVapidKeys).where(eq(pushVapidKeys.id, ROW_ID)).get();
  let row = await read();
  if (!row) {
    // Two processes starting at once: both insert, one wins, both read the winner.
    const fresh = await generateVapidKeyPair();
    await db
      .insert(pushVapidKeys)
      .values({ id: ROW_ID, ...fresh })
      .onConflictDoNothing()
      .run();
    row = await read();
    if (!row) throw new Error("VAPID keys: could not store the generated pair");
  }
  return importVapidKeys(row.publicKey, row.privateKey, subject);
}

const cache = new WeakMap<Db, Promise<VapidKeys>>();

/** The server's VAPID keys, loaded (or generated) once per database handle. */
export function vapidKeys(db: Db, config: Config): Promise<VapidKeys> {
  let keys = cache.get(db);
  if (!keys) {
    keys = loadOrCreate(db, config);
    // A failure (database down) is not cached: the next call tries again.
    keys.catch(() => cache.delete(db));
    cache.set(db, keys);
  }
  return keys;
}

/** A VAPID JWT is valid for at most 24 h; ours live 12 h and are renewed when less than an hour is left. */
const JWT_LIFETIME_S = 12 * 60 * 60;
const JWT_RENEW_S = 60 * 60;
const jwtCache = new WeakMap<VapidKeys, Map<string, { header: string; exp: number }>>();

function b64uJson(value: unknown): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * The `Authorization: vapid t=<JWT>, k=<public key>` header for a push service (RFC 8292). The JWT names the push
 * service's origin as `aud`, so one signature serves every push to that service until it nears expiry: signing is
 * the most expensive step of a push, and a whole-city fan-out goes to a handful of push-service origins.
 */
export async function vapidAuthorization(keys: VapidKeys, endpoint: string, now: Date): Promise<string> {
  const aud = new URL(endpoint).origin;
  const nowS = Math.floor(now.getTime() / 1000);
  let perOrigin = jwtCache.get(keys);
  if (!perOrigin) jwtCache.set(keys, (perOrigin = new Map()));
  const cached = perOrigin.get(aud);
  // Renewed near expiry, and also if the clock went back (exp must stay within 24 h of the push service's now).
  if (cached && cached.exp - nowS > JWT_RENEW_S && cached.exp - nowS <= JWT_LIFETIME_S) return cached.header;
  const exp = nowS + JWT_LIFETIME_S;
  const signingInput = `${b64uJson({ typ: "JWT", alg: "ES256" })}.${b64uJson({ aud, exp, sub: keys.subject })}`;
  // Web Crypto's ECDSA signature is already the raw r||s form JWS wants (not DER).
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    keys.signingKey,
    new TextEncoder().encode(signingInput),
  );
  const header = `vapid t=${signingInput}.${encodeBase64urlNoPadding(new Uint8Array(signature))}, k=${keys.publicKey}`;
  perOrigin.set(aud, { header, exp });
  return header;
}
