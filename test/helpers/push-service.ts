// A web push service for tests, on loopback: what FCM, Mozilla autopush or Apple do with a message, strictly.
// It checks the VAPID header (RFC 8292), the Web Push protocol headers (RFC 8030), decrypts the body (RFC 8291,
// with the same helper that decrypts the RFC's own vectors) and records every request, refused ones included,
// so a test can assert both what arrived and that nothing invalid got through. Answers can be scripted per
// endpoint (404, 410, 429 with Retry-After, 500...) to drive the sender's pruning and retry rules.
//
// Node only (node:http). It speaks plain HTTP, so `origin` is http://127.0.0.1:PORT: the server must allow http:
// endpoints in tests, and web-push's sendNotification (which always uses node:https) needs `webPushAgent()`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { createConnection } from "node:net";
import type { AddressInfo } from "node:net";
import { b64u, decryptPushBody, generateUaKeys, type UaKeys } from "./ece";
import { scaled } from "./timeouts";

export type Urgency = "very-low" | "low" | "normal" | "high";

/** What a browser's `PushSubscription.toJSON()` gives, for a subscription of this service. */
export interface TestSubscription {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
  [claim: string]: unknown;
}

/** One request to the service, as recorded. */
export interface PushMessage {
  /** The last path segment of the endpoint. */
  name: string;
  endpoint: string;
  /** The status the service answered. */
  status: number;
  /** Why the service refused the message (400, 401, 403, 404, 405, 413); null when it was valid. A valid message
   * can still be answered 404/410/429/5xx by a scripted answer: those have `reason` null. */
  reason: string | null;
  headers: { ttl: number | null; urgency: Urgency | null; topic: string | null };
  /** The VAPID JWT claims, once the JWT could be decoded (even if it then failed a check). */
  claims: VapidClaims | null;
  /** `k` of the Authorization header: the sender's VAPID public key, base64url. */
  vapidPublicKey: string | null;
  /** The decrypted payload; null when refused, or when the service was started with `decrypt: false`. */
  payload: string | null;
  /** Arrival time, epoch ms (the `now` option's clock). */
  at: number;
}

/** A scripted answer: a status, or a status with Retry-After (seconds, or an HTTP-date string). */
export type ScriptedAnswer = number | { status: number; retryAfter?: number | string };

export interface PushServiceOptions {
  /** Latency added before every answer, in ms (default 0). */
  delayMs?: number;
  /** Decrypt each body (default true). `false` checks only the aes128gcm header's shape: for benchmarks, where
   * decryption in the same process would be counted against the sender. */
  decrypt?: boolean;
  /** The service's clock, for the JWT `exp` checks and `at`: pass the test app's clock when it is moved by hand. */
  now?: () => Date | number;
}

export interface PushService {
  /** http://127.0.0.1:PORT: the `aud` every VAPID JWT must carry. */
  origin: string;
  /** An endpoint URL `${origin}/push/<name>`; a random name when none is given. Messages to a name that has no
   * `subscription()` are answered 404, like an unknown subscription. */
  endpoint(name?: string): string;
  /** A new subscription whose keys the service keeps to decrypt what is sent to it. With
   * `applicationServerKey` (base64url), a message signed with another VAPID key is answered 403, as a browser's
   * push service does for a subscription made with `PushManager.subscribe({ applicationServerKey })`. */
  subscription(name?: string, opts?: { applicationServerKey?: string }): Promise<TestSubscription>;
  /** Queues answers for the next valid messages to `name`; 201 once the queue is empty. */
  respondWith(name: string, ...answers: ScriptedAnswer[]): void;
  /** Every request, in arrival order (a live array). */
  readonly received: PushMessage[];
  /** Valid messages (reason null), whatever the answer. */
  readonly accepted: PushMessage[];
  /** Refused messages, with their reasons. */
  readonly rejected: PushMessage[];
  /** Resolves with `received` once it holds at least `count` requests (valid or not); rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<PushMessage[]>;
  close(): Promise<void>;
}

/** RFC 8030 §7.2: a push service must accept 4096 octets of body and may refuse more. */
const MAX_BODY = 4096;
const DAY_S = 24 * 60 * 60;
const URGENCIES: readonly string[] = ["very-low", "low", "normal", "high"];

/** A message the service refuses: the status it answers and the reason it records. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * web-push's sendNotification always opens a TLS connection (node:https) and ignores the URL's scheme, so it
 * cannot reach an http: endpoint. It accepts an `agent` only if it is an https.Agent: this one opens plain TCP.
 * Pass `{ agent: webPushAgent() }` in its options, in tests only.
 */
export function webPushAgent(): HttpsAgent {
  return new (class extends HttpsAgent {
    override createConnection(options: any) {
      return createConnection(options);
    }
  })();
}

function parseAuthorization(header: string | undefined): { jwt: string; k: string } {
  if (!header) throw new Refused(401, "missing Authorization header");
  const m = /^vapid\s+(.+)$/i.exec(header.trim());
  if (!m) throw new Refused(401, `Authorization scheme is not vapid: ${header.slice(0, 20)}`);
  const params = new Map<string, string>();
  for (const part of m[1]!.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    params.set(
      part.slice(0, eq).trim().toLowerCase(),
      part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1"),
    );
  }
  const jwt = params.get("t");
  const k = params.get("k");
  if (!jwt || !k) throw new Refused(401, "Authorization must carry t=<JWT> and k=<public key>");
  return { jwt, k };
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(b64u.decode(part)));
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Refused(401, `JWT ${what} is not base64url JSON`);
}

// Signature checks are cached per (JWT, key): a sender that signs once and reuses its JWT (as ours does) pays one
// ECDSA verification in the service, so a fan-out benchmark measures the sender, not this service.
const verified = new Map<string, Promise<boolean>>();

async function verifySignature(jwt: string, k: string): Promise<boolean> {
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const key = await crypto.subtle.importKey("raw", b64u.decode(k), { name: "ECDSA", namedCurve: "P-256" }, false, [
    "verify",
  ]);
  const sig = b64u.decode(signature);
  // JWS ES256 (RFC 7518 §3.4) is r || s, 64 octets, which is also Web Crypto's format; a DER signature is invalid.
  if (sig.length !== 64) return false;
  return crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    sig,
    new TextEncoder().encode(`${header}.${payload}`),
  );
}

/**
 * Checks a VAPID Authorization header (RFC 8292) for a push service at `origin`. Returns the claims and the key;
 * throws `Refused` (status 401, the reason as message) otherwise. `onClaims` sees the claims once decoded.
 */
export async function verifyVapid(
  authorization: string | undefined,
  origin: string,
  nowMs: number,
  onClaims?: (claims: VapidClaims, k: string) => void,
): Promise<{ claims: VapidClaims; k: string }> {
  const { jwt, k } = parseAuthorization(authorization);
  const parts = jwt.split(".");
  if (parts.length !== 3) throw new Refused(401, "JWT must have three parts");
  const header = decodeJson(parts[0]!, "header");
  const claims = decodeJson(parts[1]!, "claims") as VapidClaims;
  onClaims?.(claims, k);
  if (header.typ !== "JWT" || header.alg !== "ES256") {
    throw new Refused(401, `JWT header must be {typ:"JWT",alg:"ES256"}, got ${JSON.stringify(header)}`);
  }
  let pub: Uint8Array;
  try {
    pub = b64u.decode(k);
  } catch {
    throw new Refused(401, "k is not base64url");
  }
  if (pub.length !== 65 || pub[0] !== 4) throw new Refused(401, "k must be an uncompressed P-256 point (65 octets)");

  const cacheKey = `${k} ${jwt}`;
  let ok = verified.get(cacheKey);
  if (!ok) {
    if (verified.size > 10_000) verified.clear();
    ok = verifySignature(jwt, k).catch(() => false);
    verified.set(cacheKey, ok);
  }
  if (!(await ok)) throw new Refused(401, "JWT signature does not verify with k");

  if (claims.aud !== origin)
    throw new Refused(401, `aud ${JSON.stringify(claims.aud)} is not this service's origin ${origin}`);
  const now = nowMs / 1000;
  if (typeof claims.exp !== "number" || !Number.isInteger(claims.exp)) throw new Refused(401, "exp must be an integer");
  if (claims.exp <= now) throw new Refused(401, `JWT expired ${Math.round(now - claims.exp)} s ago`);
  if (claims.exp > now + DAY_S)
    throw new Refused(401, `exp is more than 24 h ahead (${Math.round(claims.exp - now)} s)`);
  // Apple refuses a subject with spaces or angle brackets ("mailto: <a@b>"); the spec asks for mailto: or https:.
  if (typeof claims.sub !== "string" || !/^(mailto:|https:)[^\s<>]+$/.test(claims.sub)) {
    throw new Refused(
      401,
      `sub must be a mailto: or https: URI without spaces or <>, got ${JSON.stringify(claims.sub)}`,
    );
  }
  return { claims, k };
}

/** A request header as one string (Node types custom headers as string | string[]). */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

export async function startPushService(opts: PushServiceOptions = {}): Promise<PushService> {
  const clock = () => {
    const t = opts.now?.() ?? Date.now();
    return typeof t === "number" ? t : t.getTime();
  };
  const subscriptions = new Map<string, { keys: UaKeys; applicationServerKey: string | undefined }>();
  const scripts = new Map<string, ScriptedAnswer[]>();
  const received: PushMessage[] = [];
  const waiters = new Set<() => void>();
  let messageId = 0;
  let origin = "";

  async function check(req: IncomingMessage, body: Uint8Array, msg: PushMessage): Promise<void> {
    if (req.method !== "POST") throw new Refused(405, `method ${req.method} not allowed`);
    const sub = subscriptions.get(msg.name);
    if (!sub) throw new Refused(404, `no subscription at ${msg.endpoint}`);

    const ttl = headerOf(req, "ttl");
    if (ttl === undefined) throw new Refused(400, "missing TTL header");
    if (!/^\d+$/.test(ttl)) throw new Refused(400, `TTL must be a non-negative integer, got ${JSON.stringify(ttl)}`);
    const urgency = headerOf(req, "urgency");
    if (urgency !== undefined && !URGENCIES.includes(urgency))
      throw new Refused(400, `unknown Urgency ${JSON.stringify(urgency)}`);
    const topic = headerOf(req, "topic");
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) {
      throw new Refused(400, `Topic must be 1-32 base64url characters, got ${JSON.stringify(topic)}`);
    }

    const { k } = await verifyVapid(headerOf(req, "authorization"), origin, msg.at, (claims, key) => {
      msg.claims = claims;
      msg.vapidPublicKey = key;
    });
    if (sub.applicationServerKey && k !== sub.applicationServerKey) {
      throw new Refused(403, "VAPID key differs from the applicationServerKey the subscription was made with");
    }

    const encoding = headerOf(req, "content-encoding")?.toLowerCase();
    if (encoding !== "aes128gcm")
      throw new Refused(400, `Content-Encoding must be aes128gcm, got ${JSON.stringify(encoding ?? null)}`);
    // Kairan always sends a payload; an empty push is legal in RFC 8030 but would show a blank notification here.
    if (body.length === 0) throw new Refused(400, "empty body");
    if (body.length > MAX_BODY) throw new Refused(413, `body of ${body.length} octets is over ${MAX_BODY}`);
    if (opts.decrypt === false) {
      if (body.length < 21 + 65 + 17 || body[20] !== 65)
        throw new Refused(400, "body is not an aes128gcm message with a 65-octet keyid");
      return;
    }
    try {
      msg.payload = new TextDecoder("utf-8", { fatal: true }).decode((await decryptPushBody(body, sub.keys)).plaintext);
    } catch (e) {
      throw new Refused(400, `cannot decrypt: ${(e as Error).message}`);
    }
  }

  function answer(res: ServerResponse, status: number, retryAfter: number | string | undefined, message: string) {
    const headers: Record<string, string> = {};
    if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
    if (status === 201) {
      headers.location = `${origin}/message/${++messageId}`;
      res.writeHead(201, headers).end();
      return;
    }
    headers["content-type"] = "application/json";
    // The error body real services send (autopush: code, errno, error, message); senders should only log it.
    res.writeHead(status, headers).end(JSON.stringify({ code: status, error: message }));
  }

  const server = createServer(async (req, res) => {
    const at = clock();
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const m = /^\/push\/([^/]+)$/.exec(path);
    const name = m ? decodeURIComponent(m[1]!) : "";
    const msg: PushMessage = {
      name,
      endpoint: `${origin}${path}`,
      status: 0,
      reason: null,
      headers: {
        ttl: /^\d+$/.test(headerOf(req, "ttl") ?? "") ? Number(headerOf(req, "ttl")) : null,
        urgency: URGENCIES.includes(headerOf(req, "urgency") ?? "") ? (headerOf(req, "urgency") as Urgency) : null,
        topic: headerOf(req, "topic") ?? null,
      },
      claims: null,
      vapidPublicKey: null,
      payload: null,
      at,
    };
    let status = 201;
    let retryAfter: number | string | undefined;
    try {
      const body = await readBody(req);
      await check(req, body, msg);
      // Scripted answers apply to valid messages only: an invalid one is refused whatever the script says.
      const next = scripts.get(name)?.shift() ?? 201;
      ({ status, retryAfter } = typeof next === "number" ? { status: next, retryAfter: undefined } : next);
    } catch (e) {
      // Anything else is a bug here or an aborted request; still answered and recorded, never left hanging.
      status = e instanceof Refused ? e.status : 500;
      msg.reason = e instanceof Refused ? e.message : `push service error: ${String(e)}`;
    }
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    msg.status = status;
    // Recorded before answering, so a sender that has its answer finds its message already here.
    received.push(msg);
    for (const w of waiters) w();
    answer(res, status, retryAfter, msg.reason ?? "scripted answer");
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const endpoint = (name: string = crypto.randomUUID()) => `${origin}/push/${encodeURIComponent(name)}`;

  return {
    origin,
    endpoint,
    async subscription(name = crypto.randomUUID(), subOpts = {}) {
      if (subscriptions.has(name)) throw new Error(`subscription ${name} already exists`);
      const keys = await generateUaKeys();
      subscriptions.set(name, { keys, applicationServerKey: subOpts.applicationServerKey });
      return {
        endpoint: endpoint(name),
        expirationTime: null,
        keys: { p256dh: b64u.encode(keys.publicKey), auth: b64u.encode(keys.authSecret) },
      };
    },
    respondWith(name, ...answers) {
      scripts.set(name, [...(scripts.get(name) ?? []), ...answers]);
    },
    received,
    get accepted() {
      return received.filter((r) => r.reason === null);
    },
    get rejected() {
      return received.filter((r) => r.reason !== null);
    },
    waitFor(count, timeoutMs = scaled(5000)) {
      return new Promise((resolve, reject) => {
        const done = () => {
          if (received.length < count) return;
          waiters.delete(done);
          clearTimeout(timer);
          resolve(received);
        };
        const timer = setTimeout(() => {
          waiters.delete(done);
          const seen = received.map((r) => `${r.status} ${r.name}${r.reason ? ` (${r.reason})` : ""}`).join("; ");
          reject(new Error(`push service: ${received.length} of ${count} messages after ${timeoutMs} ms: ${seen}`));
        }, timeoutMs);
        waiters.add(done);
        done();
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
