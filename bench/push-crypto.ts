// Push encryption per core, beside the bare operations one message needs, all in the same run (issue 5's target:
// what the sender uses within 80% of the bare node:crypto ceiling without a signature).
//   (a) web-push generateRequestDetails: encryption + a freshly signed VAPID JWT on every call (web-push's default)
//   (b) web-push encrypt(p256dh, auth, payload, "aes128gcm") alone: what our sender does, with a cached JWT
//   (c) the bare RFC 8291 operations: ECDH key generation + shared secret, HKDF (HMAC-SHA256 extract/expand for
//       the IKM, then for the CEK and nonce), AES-128-GCM; with and without an ES256 signature; node:crypto and
//       Web Crypto.
// Single-threaded: one operation in flight at a time. Node runs Web Crypto jobs on its libuv thread pool, so the
// Web Crypto rows also pay a thread hop and a promise per step.
// Alone: `npx tsx bench/push-crypto.ts` (BENCH_PUSH_SECONDS, default 3 per row).
import {
  createCipheriv,
  createECDH,
  createHmac,
  createPrivateKey,
  randomBytes,
  sign,
  type JsonWebKey as NodeJwk,
  type KeyObject,
} from "node:crypto";
import { cpus } from "node:os";
import { pathToFileURL } from "node:url";
import webpush, { type PushSubscription } from "web-push";
import { b64u, concat as bytes, decryptPushBody, generateUaKeys } from "../test/helpers/ece";
import { sized } from "./smoke";

export interface PushCryptoRow {
  name: string;
  opsPerSec: number;
  usPerOp: number;
}

export interface PushCryptoResult {
  rows: PushCryptoRow[];
  /** (b) web-push encrypt / (c) bare node:crypto without signature: the target is >= 0.80. */
  ratio: number;
}

// A realistic message: what the sender puts in a push (kind, circular id, title, association name), ~250 octets.
const PAYLOAD = Buffer.from(
  JSON.stringify({
    kind: "circular",
    circularId: "01JD8Z7K3QW5R2N6M4T9V0XBCY",
    urgent: true,
    title: "【緊急】明日6月12日(木)9時〜15時 断水のお知らせ(配水管工事)",
    association: "さくら台三丁目町内会",
    url: "/c/01JD8Z7K3QW5R2N6M4T9V0XBCY",
  }),
);
const RECORD_SIZE = 4096;
const enc = new TextEncoder();

type Sync = () => unknown;
type Async = () => Promise<unknown>;

/** Runs `fn` for `seconds` (after a short warm-up), one call at a time, and counts the calls. */
async function measure(name: string, fn: Sync | Async, seconds: number, isAsync: boolean): Promise<PushCryptoRow> {
  const run = async (ms: number) => {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      if (isAsync) await fn();
      else fn();
      n++;
      t = performance.now();
    }
    return { n, elapsed: t - t0 };
  };
  await run(Math.min(500, seconds * 200));
  const { n, elapsed } = await run(seconds * 1000);
  return { name, opsPerSec: Math.round((n * 1000) / elapsed), usPerOp: Math.round((elapsed * 1000) / n) };
}

function concat(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}

const hmac = (key: Uint8Array, data: Uint8Array) => createHmac("sha256", key).update(data).digest();

/** The aes128gcm header: salt(16) | rs(4) | idlen(1) | keyid (the sender's public key). */
function header(salt: Uint8Array, asPublic: Uint8Array): Buffer {
  const h = Buffer.alloc(21);
  h.set(salt, 0);
  h.writeUInt32BE(RECORD_SIZE, 16);
  h[20] = asPublic.length;
  return concat(h, asPublic);
}

const CEK_INFO = enc.encode("Content-Encoding: aes128gcm\0");
const NONCE_INFO = enc.encode("Content-Encoding: nonce\0");
const ONE = new Uint8Array([1]);
const DELIMITER = new Uint8Array([2]);
const PLAINTEXT = bytes(PAYLOAD, DELIMITER);

/** RFC 8291 with node:crypto, HKDF written out as HMAC-SHA256 (each output is at most one hash long: one block). */
function encryptNode(uaPublic: Uint8Array, auth: Uint8Array): Buffer {
  const ecdh = createECDH("prime256v1");
  const asPublic = ecdh.generateKeys();
  const secret = ecdh.computeSecret(uaPublic);
  const salt = randomBytes(16);
  const keyInfo = concat(enc.encode("WebPush: info\0"), uaPublic, asPublic, ONE);
  const ikm = hmac(hmac(auth, secret), keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, concat(CEK_INFO, ONE)).subarray(0, 16);
  const nonce = hmac(prk, concat(NONCE_INFO, ONE)).subarray(0, 12);
  const gcm = createCipheriv("aes-128-gcm", cek, nonce);
  return concat(header(salt, asPublic), gcm.update(PLAINTEXT), gcm.final(), gcm.getAuthTag());
}

/** The claims part of a VAPID JWT, new each time as web-push makes it (exp moves with the clock). */
function jwtInput(aud: string): string {
  const part = (o: object) => b64u.encode(enc.encode(JSON.stringify(o)));
  return `${part({ typ: "JWT", alg: "ES256" })}.${part({ aud, exp: Math.floor(Date.now() / 1000) + 43200, sub: "mailto:bench@example.org" })}`;
}

function signNode(key: KeyObject, aud: string): string {
  const input = jwtInput(aud);
  return `${input}.${b64u.encode(sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }))}`;
}

/** RFC 8291 with Web Crypto, as a Worker would write it (HKDF natively: one extract+expand per derived value). */
async function encryptWeb(uaPublic: Uint8Array<ArrayBuffer>, auth: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const s = crypto.subtle;
  const pair = (await s.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const asPublic = new Uint8Array(await s.exportKey("raw", pair.publicKey));
  const ua = await s.importKey("raw", uaPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const secret = await s.deriveBits({ name: "ECDH", public: ua }, pair.privateKey, 256);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const keyInfo = bytes(enc.encode("WebPush: info\0"), uaPublic, asPublic);
  const ikm = await s.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: auth, info: keyInfo },
    await s.importKey("raw", secret, "HKDF", false, ["deriveBits"]),
    256,
  );
  const prk = await s.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const cek = await s.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: CEK_INFO }, prk, 128);
  const nonce = await s.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info: NONCE_INFO }, prk, 96);
  const key = await s.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const ct = await s.encrypt({ name: "AES-GCM", iv: nonce }, key, PLAINTEXT);
  return concat(header(salt, asPublic), new Uint8Array(ct));
}

async function signWeb(key: CryptoKey, aud: string): Promise<string> {
  const input = jwtInput(aud);
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, enc.encode(input));
  return `${input}.${b64u.encode(new Uint8Array(sig))}`;
}

export async function benchPushCrypto(opts: { seconds?: number } = {}): Promise<PushCryptoResult> {
  const seconds = opts.seconds ?? 3;
  const ua = await generateUaKeys();
  const sub: PushSubscription = {
    endpoint: "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABbench",
    keys: { p256dh: b64u.encode(ua.publicKey), auth: b64u.encode(ua.authSecret) },
  };
  const aud = new URL(sub.endpoint).origin;
  const vapid = webpush.generateVAPIDKeys();
  const vapidPublic = b64u.decode(vapid.publicKey);
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    d: vapid.privateKey,
    x: b64u.encode(vapidPublic.subarray(1, 33)),
    y: b64u.encode(vapidPublic.subarray(33)),
  };
  const nodeKey = createPrivateKey({ format: "jwk", key: jwk as NodeJwk });
  const webKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const options = {
    vapidDetails: { subject: "mailto:bench@example.org", publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    contentEncoding: "aes128gcm" as const,
    TTL: 86400,
    urgency: "high" as const,
    topic: "circular01JD8Z7K3QW5R2N6M4T9V0X",
  };

  // Every path must produce a body the browser-side helper decrypts: the bare rows are the real work, not less.
  const payload = PAYLOAD.toString();
  const check = async (what: string, body: Uint8Array) => {
    const got = Buffer.from((await decryptPushBody(body, ua)).plaintext).toString();
    if (got !== payload) throw new Error(`${what}: decrypted payload differs`);
  };
  await check("generateRequestDetails", webpush.generateRequestDetails(sub, PAYLOAD, options).body);
  await check("web-push encrypt", webpush.encrypt(sub.keys.p256dh, sub.keys.auth, PAYLOAD, "aes128gcm").cipherText);
  await check("node:crypto", encryptNode(ua.publicKey, ua.authSecret));
  await check("Web Crypto", await encryptWeb(ua.publicKey, ua.authSecret));
  for (const jwt of [signNode(nodeKey, aud), await signWeb(webKey, aud)]) {
    const [h, c, sig] = jwt.split(".") as [string, string, string];
    const pub = await crypto.subtle.importKey("raw", vapidPublic, { name: "ECDSA", namedCurve: "P-256" }, false, [
      "verify",
    ]);
    if (
      !(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, pub, b64u.decode(sig), enc.encode(`${h}.${c}`)))
    ) {
      throw new Error("ES256 signature does not verify");
    }
  }

  const rows: PushCryptoRow[] = [];
  const add = async (name: string, fn: Sync | Async, isAsync = false) =>
    rows.push(await measure(name, fn, seconds, isAsync));
  await add("(a) web-push generateRequestDetails (encrypt + new JWT)", () =>
    webpush.generateRequestDetails(sub, PAYLOAD, options),
  );
  await add("(b) web-push encrypt (aes128gcm), cached JWT", () =>
    webpush.encrypt(sub.keys.p256dh, sub.keys.auth, PAYLOAD, "aes128gcm"),
  );
  await add("(c) bare node:crypto, no signature (ceiling)", () => encryptNode(ua.publicKey, ua.authSecret));
  await add("(c) bare node:crypto + ES256 sign", () => {
    encryptNode(ua.publicKey, ua.authSecret);
    signNode(nodeKey, aud);
  });
  await add("(c) bare Web Crypto, no signature", () => encryptWeb(ua.publicKey, ua.authSecret), true);
  await add(
    "(c) bare Web Crypto + ES256 sign",
    async () => {
      await encryptWeb(ua.publicKey, ua.authSecret);
      await signWeb(webKey, aud);
    },
    true,
  );

  const ceiling = rows[2]!.opsPerSec;
  const ratio = rows[1]!.opsPerSec / ceiling;
  console.log(
    `\nPush encryption per core (${PAYLOAD.length}-octet JSON payload, ${seconds} s per row, one operation in flight; ` +
      `${cpus()[0]?.model ?? "cpu"}, Node ${process.version})`,
  );
  console.table(
    Object.fromEntries(
      rows.map((r) => [
        r.name,
        { "ops/s": r.opsPerSec, "µs/op": r.usPerOp, "vs ceiling": (r.opsPerSec / ceiling).toFixed(2) },
      ]),
    ),
  );
  console.log(`   (b) / bare ceiling = ${ratio.toFixed(2)} (target: >= 0.80)`);
  return { rows, ratio };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPushCrypto({ seconds: Number(process.env.BENCH_PUSH_SECONDS ?? sized(3, 0.1)) });
}
