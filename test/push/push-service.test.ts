// The loopback push service (test/helpers/push-service.ts) accepts what web-push sends and refuses what a real
// push service refuses: a test that passes against it must be able to fail.
import { createPrivateKey, sign } from "node:crypto";
import webpush, { type RequestOptions, type VapidKeys } from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64u } from "../helpers/ece";
import { startPushService, webPushAgent, type PushService, type TestSubscription } from "../helpers/push-service";

const SUBJECT = "mailto:kairan-test@example.org";
const PAYLOAD = JSON.stringify({
  kind: "circular",
  circularId: "01JTEST",
  title: "【緊急】断水のお知らせ",
  association: "テスト町内会",
});

let push: PushService;
let vapid: VapidKeys;
const agent = webPushAgent();

beforeAll(async () => {
  push = await startPushService();
  vapid = webpush.generateVAPIDKeys();
});
afterAll(() => push.close());

function options(extra: RequestOptions = {}): RequestOptions {
  return {
    vapidDetails: { subject: SUBJECT, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    contentEncoding: "aes128gcm",
    TTL: 3600,
    agent,
    ...extra,
  };
}

/** Sends with web-push and returns the answer whether it is a success or a WebPushError. */
async function send(sub: TestSubscription, extra: RequestOptions = {}) {
  try {
    const r = await webpush.sendNotification(sub, PAYLOAD, options(extra));
    return { status: r.statusCode, headers: r.headers };
  } catch (e) {
    if (!(e instanceof webpush.WebPushError)) throw e;
    return { status: e.statusCode, headers: e.headers };
  }
}

/** Sends what web-push would, with headers changed (a header set to undefined is removed). */
async function sendAltered(sub: TestSubscription, headers: Record<string, string | undefined>) {
  const details = webpush.generateRequestDetails(sub, PAYLOAD, options());
  const h: Record<string, string> = { ...details.headers };
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) delete h[k];
    else h[k] = v;
  }
  const before = push.received.length;
  const res = await fetch(details.endpoint, { method: "POST", headers: h, body: new Uint8Array(details.body) });
  const msg = push.received[before];
  return { status: res.status, msg: msg! };
}

/** A VAPID Authorization header signed by hand, for what web-push itself refuses to produce. */
function vapidHeader(
  claims: Record<string, unknown>,
  keys: VapidKeys = vapid,
  header: object = { typ: "JWT", alg: "ES256" },
) {
  const pub = b64u.decode(keys.publicKey);
  const key = createPrivateKey({
    format: "jwk",
    key: {
      kty: "EC",
      crv: "P-256",
      d: keys.privateKey,
      x: b64u.encode(pub.subarray(1, 33)),
      y: b64u.encode(pub.subarray(33)),
    },
  });
  const part = (o: object) => b64u.encode(new TextEncoder().encode(JSON.stringify(o)));
  const input = `${part(header)}.${part(claims)}`;
  const sig = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
  return `vapid t=${input}.${b64u.encode(sig)}, k=${keys.publicKey}`;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe("loopback push service", () => {
  it("accepts a message from web-push, decrypts it and records its headers and VAPID claims", async () => {
    const sub = await push.subscription("ok");
    const r = await send(sub, { urgency: "high", topic: "circular01JTEST", TTL: 86400 });
    expect(r.status).toBe(201);
    const [msg] = await push.waitFor(1);
    expect(msg).toMatchObject({
      name: "ok",
      endpoint: sub.endpoint,
      status: 201,
      reason: null,
      payload: PAYLOAD,
      headers: { ttl: 86400, urgency: "high", topic: "circular01JTEST" },
      vapidPublicKey: vapid.publicKey,
    });
    expect(msg!.claims).toMatchObject({ aud: push.origin, sub: SUBJECT });
    expect(msg!.claims!.exp).toBeGreaterThan(Date.now() / 1000);
    expect(push.rejected).toEqual([]);
  });

  it("refuses a JWT for another origin, an expired or too long-lived one, a bad signature, a bad subject", async () => {
    const sub = await push.subscription("refused");
    const otherOrigin = webpush.getVapidHeaders(
      "https://fcm.googleapis.com",
      SUBJECT,
      vapid.publicKey,
      vapid.privateKey,
      "aes128gcm",
    );
    const expired = webpush.getVapidHeaders(
      push.origin,
      SUBJECT,
      vapid.publicKey,
      vapid.privateKey,
      "aes128gcm",
      Math.floor(Date.now() / 1000) - 60,
    );
    // Signed by another key while claiming ours.
    const other = webpush.generateVAPIDKeys();
    const forged = vapidHeader({ aud: push.origin, exp: inAnHour(), sub: SUBJECT }, other).replace(
      other.publicKey,
      vapid.publicKey,
    );
    const cases: [string, string, RegExp][] = [
      ["aud of another origin", otherOrigin.Authorization, /aud .* is not this service's origin/],
      ["expired", expired.Authorization, /expired/],
      ["bad signature", forged, /signature/],
      ["exp 25 h ahead", vapidHeader({ aud: push.origin, exp: inAnHour() + 24 * 3600, sub: SUBJECT }), /24 h/],
      [
        "subject with a space and <>",
        vapidHeader({ aud: push.origin, exp: inAnHour(), sub: "mailto: <a@example.org>" }),
        /sub must be/,
      ],
      [
        "subject over http:",
        vapidHeader({ aud: push.origin, exp: inAnHour(), sub: "http://example.org" }),
        /sub must be/,
      ],
      [
        "alg none",
        vapidHeader({ aud: push.origin, exp: inAnHour(), sub: SUBJECT }, vapid, { typ: "JWT", alg: "none" }),
        /ES256/,
      ],
      [
        "WebPush scheme (aesgcm era)",
        otherOrigin.Authorization.replace(/^vapid t=([^,]+),.*$/, "WebPush $1"),
        /not vapid/,
      ],
    ];
    for (const [what, authorization, reason] of cases) {
      const { status, msg } = await sendAltered(sub, { Authorization: authorization });
      expect(status, what).toBe(401);
      expect(msg.reason, what).toMatch(reason);
      expect(msg.payload, what).toBeNull();
    }
    // The hand signer itself is right: the same claims with the right key go through.
    const good = await sendAltered(sub, {
      Authorization: vapidHeader({ aud: push.origin, exp: inAnHour(), sub: SUBJECT }),
    });
    expect(good.status).toBe(201);
    expect(good.msg.payload).toBe(PAYLOAD);
  });

  it("refuses a missing or bad TTL, Urgency, Topic or Content-Encoding, and a body for other keys", async () => {
    const sub = await push.subscription("headers");
    const cases: [string, Record<string, string | undefined>, number, RegExp][] = [
      ["no TTL", { TTL: undefined }, 400, /missing TTL/],
      ["negative TTL", { TTL: "-1" }, 400, /TTL must be/],
      ["Urgency urgent", { Urgency: "urgent" }, 400, /Urgency/],
      ["Topic too long", { Topic: "a".repeat(33) }, 400, /Topic/],
      ["Topic with a colon", { Topic: "circular:1" }, 400, /Topic/],
      ["aesgcm", { "Content-Encoding": "aesgcm" }, 400, /aes128gcm/],
      ["no Authorization", { Authorization: undefined }, 401, /missing Authorization/],
    ];
    for (const [what, headers, status, reason] of cases) {
      const r = await sendAltered(sub, headers);
      expect(r.status, what).toBe(status);
      expect(r.msg.reason, what).toMatch(reason);
    }
    // Encrypted for another subscription's keys, sent to this one.
    const other = await push.subscription();
    const details = webpush.generateRequestDetails(other, PAYLOAD, options());
    const res = await fetch(sub.endpoint, {
      method: "POST",
      headers: details.headers,
      body: new Uint8Array(details.body),
    });
    expect(res.status).toBe(400);
    expect(push.received.at(-1)!.reason).toMatch(/cannot decrypt/);
  });

  it("answers 404 for an unknown endpoint and 403 for a VAPID key the subscription was not made with", async () => {
    const known = await push.subscription();
    const unknown = { ...known, endpoint: push.endpoint("nobody") };
    expect((await send(unknown)).status).toBe(404);
    const pinned = await push.subscription("pinned", { applicationServerKey: webpush.generateVAPIDKeys().publicKey });
    expect((await send(pinned)).status).toBe(403);
    expect(push.received.at(-1)!.reason).toMatch(/applicationServerKey/);
  });

  it("plays scripted answers in order, with Retry-After, then 201; a refused message does not use one", async () => {
    const sub = await push.subscription("scripted");
    const date = new Date(Date.now() + 120_000).toUTCString();
    push.respondWith("scripted", { status: 429, retryAfter: 30 }, { status: 503, retryAfter: date }, 500);
    push.respondWith("scripted", 410);
    expect((await sendAltered(sub, { TTL: undefined })).status).toBe(400);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await send(sub));
    expect(answers.map((a) => [a.status, a.headers["retry-after"]])).toEqual([
      [429, "30"],
      [503, date],
      [500, undefined],
      [410, undefined],
      [201, undefined],
    ]);
    const mine = push.received.filter((m) => m.name === "scripted");
    expect(mine.map((m) => [m.status, m.reason === null])).toEqual([
      [400, false],
      [429, true],
      [503, true],
      [500, true],
      [410, true],
      [201, true],
    ]);
    expect(mine.slice(1).every((m) => m.payload === PAYLOAD)).toBe(true);
  });

  it("waitFor times out naming what came; delay and clock options apply", async () => {
    await expect(push.waitFor(push.received.length + 1, 50)).rejects.toThrow(/messages after 50 ms/);

    // Its clock 13 h ahead: web-push's JWT (exp = now + 12 h) has expired there.
    const late = await startPushService({ delayMs: 150, now: () => new Date(Date.now() + 13 * 3600_000) });
    try {
      const sub = await late.subscription();
      const t0 = performance.now();
      expect((await send(sub)).status).toBe(401);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      expect(late.rejected[0]!.reason).toMatch(/expired/);
    } finally {
      await late.close();
    }
  });

  it("with decrypt: false, checks only the body's shape (for benchmarks)", async () => {
    const fast = await startPushService({ decrypt: false });
    try {
      const sub = await fast.subscription();
      expect((await send(sub)).status).toBe(201);
      expect(fast.received[0]).toMatchObject({ status: 201, reason: null, payload: null });
      const details = webpush.generateRequestDetails(sub, PAYLOAD, options());
      const { "Content-Length": _, ...headers } = details.headers;
      const res = await fetch(sub.endpoint, { method: "POST", headers, body: "not an aes128gcm body" });
      expect(res.status).toBe(400);
    } finally {
      await fast.close();
    }
  });
});
