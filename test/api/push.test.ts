// Web push: VAPID keys (generated and kept, or configured and checked), the public key route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { parseConfig } from "../../server/config";
import { openDatabase } from "../../server/node/database";
import { cutToBytes } from "../../server/features/push/payload";
import { generateVapidKeyPair, importVapidKeys, vapidKeys } from "../../server/features/push/vapid";
import { createTestApp, type TestApp } from "../helpers/app";
import { b64u, generateUaKeys } from "../helpers/ece";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { client, expectError } from "../helpers/http";

/** What PushSubscription.toJSON() gives a page, with real keys. */
async function browserSubscription(endpoint = `https://push.example.net/send/${crypto.randomUUID()}`) {
  const ua = await generateUaKeys();
  return { endpoint, keys: { p256dh: b64u.encode(ua.publicKey), auth: b64u.encode(ua.authSecret) } };
}

let t: TestApp;

beforeAll(async () => {
  // Outbox rows are looked at as written; sending is test/api/push-send.test.ts.
  t = await createTestApp({}, { sendPushes: false });
});
afterAll(() => t.close());

describe("VAPID keys", () => {
  it("are generated once, kept in the database, and served at /api/push/public-key", async () => {
    const res = await client(t).get("/api/push/public-key");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.publicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    const rows = await t.client.execute("SELECT public_key, private_key FROM push_vapid_keys");
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.public_key).toBe(res.body.publicKey);
    // Again: the same key.
    expect((await client(t).get("/api/push/public-key")).body.publicKey).toBe(res.body.publicKey);
  });

  it("survive a restart: a second app over the same database reads the stored pair", async () => {
    const stored = (await t.client.execute("SELECT public_key FROM push_vapid_keys")).rows[0]!.public_key;
    // A second handle on the same file (the cache is per handle): the stored pair, not a new one.
    const second = await openDatabase(`file:${join(t.dir, "test.db")}`);
    try {
      expect((await vapidKeys(second.db, t.config)).publicKey).toBe(stored);
      expect((await t.client.execute("SELECT count(*) FROM push_vapid_keys")).rows[0]![0]).toBe(1);
    } finally {
      second.close();
    }
  });

  it("can be configured: the configured pair is served and nothing is generated", async () => {
    const pair = await generateVapidKeyPair();
    const c = await createTestApp({
      VAPID_PUBLIC_KEY: pair.publicKey,
      VAPID_PRIVATE_KEY: pair.privateKey,
      VAPID_SUBJECT: "mailto:office@kairan.example.jp",
    });
    try {
      const res = await client(c).get("/api/push/public-key");
      expect(res.body.publicKey).toBe(pair.publicKey);
      expect((await c.client.execute("SELECT count(*) FROM push_vapid_keys")).rows[0]![0]).toBe(0);
      expect((await vapidKeys(c.db, c.config)).subject).toBe("mailto:office@kairan.example.jp");
    } finally {
      c.close();
    }
  });

  it("refuses a configured private key that does not belong to the public key", async () => {
    const a = await generateVapidKeyPair();
    const b = await generateVapidKeyPair();
    await expect(importVapidKeys(a.publicKey, b.privateKey, "mailto:a@b.jp")).rejects.toThrow(/does not belong/);
    await expect(importVapidKeys(a.publicKey, a.privateKey, "mailto:a@b.jp")).resolves.toBeTruthy();
  });

  it("signs ES256 that verifies with the public key", async () => {
    const keys = await vapidKeys(t.db, t.config);
    const data = new TextEncoder().encode("x");
    const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.signingKey, data);
    const pub = await crypto.subtle.importKey(
      "raw",
      Uint8Array.from(atob(keys.publicKey.replace(/-/g, "+").replace(/_/g, "/") + "="), (ch) => ch.charCodeAt(0)),
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    expect(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, pub, sig, data)).toBe(true);
  });
});

describe("VAPID configuration", () => {
  const base = { SEED_DEMO: "false" };
  it("accepts mailto: and https: subjects", () => {
    expect(parseConfig({ ...base, VAPID_SUBJECT: "mailto:office@kairan.example.jp" }).push.subject).toBe(
      "mailto:office@kairan.example.jp",
    );
    expect(parseConfig({ ...base, VAPID_SUBJECT: "https://kairan.example.jp" }).push.subject).toBe(
      "https://kairan.example.jp",
    );
  });

  it("rejects subjects with spaces or angle brackets, or another scheme (Apple refuses those)", () => {
    for (const s of [
      "mailto: office@kairan.example.jp",
      "mailto:<office@kairan.example.jp>",
      "https://kairan.example.jp/a b",
      "http://kairan.example.jp",
      "office@kairan.example.jp",
    ]) {
      expect(() => parseConfig({ ...base, VAPID_SUBJECT: s }), s).toThrow(/VAPID_SUBJECT/);
    }
  });

  it("defaults the subject to the https public origin, else a placeholder", () => {
    expect(parseConfig({ ...base, PUBLIC_ORIGIN: "https://kairan.example.jp/x" }).push.subject).toBe(
      "https://kairan.example.jp",
    );
    expect(parseConfig(base).push.subject).toMatch(/^mailto:/);
  });

  it("wants both keys or neither, each in the right shape", async () => {
    const pair = await generateVapidKeyPair();
    expect(() => parseConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey })).toThrow(/together/);
    expect(() => parseConfig({ ...base, VAPID_PRIVATE_KEY: pair.privateKey })).toThrow(/together/);
    expect(() => parseConfig({ ...base, VAPID_PUBLIC_KEY: "abc", VAPID_PRIVATE_KEY: pair.privateKey })).toThrow(
      /VAPID_PUBLIC_KEY/,
    );
    expect(
      parseConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey }).push.vapidKeys,
    ).toEqual(pair);
  });
});

describe("subscriptions", () => {
  it("subscribe a device (201), upsert by endpoint, list own devices only, unsubscribe", async () => {
    const a = await makeAssociation(t);
    const r1 = await makeResident(t, a.id, a.households[0]!.id);
    const r2 = await makeResident(t, a.id, a.households[1]!.id);
    const api1 = client(t, r1.token);
    const sub = await browserSubscription();
    const res = await api1.post("/api/push/subscriptions", { ...sub, userAgentLabel: "iPad" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ userAgentLabel: "iPad", lastSuccessAt: null });
    const row = (await t.client.execute({ sql: "SELECT * FROM push_subscriptions WHERE id = ?", args: [res.body.id] }))
      .rows[0]!;
    expect(row).toMatchObject({
      association_id: a.id,
      member_id: r1.id,
      household_id: a.households[0]!.id,
      p256dh: sub.keys.p256dh,
    });

    // A second device of the same member.
    const other = await api1.post("/api/push/subscriptions", await browserSubscription());
    expect(other.status).toBe(201);
    expect((await api1.get("/api/push/subscriptions")).body.subscriptions).toHaveLength(2);

    // The same endpoint again, with new keys: the same row, updated.
    const renewed = await browserSubscription(sub.endpoint);
    const again = await api1.post("/api/push/subscriptions", renewed);
    expect(again.body.id).toBe(res.body.id);
    const keys = (
      await t.client.execute({ sql: "SELECT p256dh, auth FROM push_subscriptions WHERE id = ?", args: [res.body.id] })
    ).rows[0]!;
    expect(keys).toMatchObject({ p256dh: renewed.keys.p256dh, auth: renewed.keys.auth });

    // Another member cannot see or remove it (404, as for an unknown id).
    const api2 = client(t, r2.token);
    expect((await api2.get("/api/push/subscriptions")).body.subscriptions).toHaveLength(0);
    expectError(await api2.delete(`/api/push/subscriptions/${res.body.id}`), 404, "not_found");

    // A shared tablet: another member subscribes the same browser; the device moves to them.
    const moved = await api2.post("/api/push/subscriptions", await browserSubscription(sub.endpoint));
    expect(moved.body.id).toBe(res.body.id);
    expect((await api1.get("/api/push/subscriptions")).body.subscriptions).toHaveLength(1);
    expect((await api2.get("/api/push/subscriptions")).body.subscriptions).toHaveLength(1);

    const del = await api2.delete(`/api/push/subscriptions/${res.body.id}`);
    expect(del.status).toBe(204);
    expect((await api2.get("/api/push/subscriptions")).body.subscriptions).toHaveLength(0);
    expectError(await api2.delete(`/api/push/subscriptions/${res.body.id}`), 404, "not_found");
  });

  it("staff subscribe too; signed-out requests are refused", async () => {
    const a = await makeAssociation(t);
    const leader = await makeStaff(t, a.id);
    expect((await client(t, leader.token).post("/api/push/subscriptions", await browserSubscription())).status).toBe(
      201,
    );
    expectError(await client(t).post("/api/push/subscriptions", await browserSubscription()), 401, "unauthorized");
    expectError(await client(t).get("/api/push/preferences"), 401, "unauthorized");
  });

  it("rejects bad input with Japanese messages and stores nothing", async () => {
    const a = await makeAssociation(t);
    const r = await makeResident(t, a.id, a.households[0]!.id);
    const api = client(t, r.token);
    const good = await browserSubscription();
    const before = (await t.client.execute("SELECT count(*) FROM push_subscriptions")).rows[0]![0];
    for (const body of [
      { ...good, endpoint: "not a url" },
      { ...good, endpoint: "http://push.example.net/x" },
      { ...good, endpoint: "https://user:pw@push.example.net/x" },
      { ...good, keys: { ...good.keys, p256dh: "short" } },
      { ...good, keys: { ...good.keys, auth: "AAAA" } },
      { endpoint: good.endpoint },
      { ...good, userAgentLabel: "x".repeat(61) },
    ]) {
      const res = await api.post("/api/push/subscriptions", body);
      expectError(res, 400, "validation_failed");
      expect(res.body.error.message).toMatch(/^入力内容を確認してください。/);
    }
    const res = await api.post("/api/push/subscriptions", { ...good, endpoint: "http://push.example.net/x" });
    expect(res.body.error.message).toContain("https:");
    expect((await t.client.execute("SELECT count(*) FROM push_subscriptions")).rows[0]![0]).toBe(before);
  });

  it("accept http: endpoints only when PUSH_ALLOW_HTTP_ENDPOINTS is set (tests on loopback)", async () => {
    const c = await createTestApp({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
    try {
      const a = await makeAssociation(c);
      const r = await makeResident(c, a.id, a.households[0]!.id);
      const res = await client(c, r.token).post(
        "/api/push/subscriptions",
        await browserSubscription("http://127.0.0.1:9/push/1"),
      );
      expect(res.status).toBe(201);
    } finally {
      c.close();
    }
  });
});

describe("preferences", () => {
  it("default to all, can be set to urgent or off, per member", async () => {
    const a = await makeAssociation(t);
    const r1 = await makeResident(t, a.id, a.households[0]!.id);
    const r2 = await makeResident(t, a.id, a.households[0]!.id);
    const api1 = client(t, r1.token);
    expect((await api1.get("/api/push/preferences")).body).toEqual({ mode: "all" });
    expect((await api1.put("/api/push/preferences", { mode: "urgent" })).body).toEqual({ mode: "urgent" });
    expect((await api1.get("/api/push/preferences")).body).toEqual({ mode: "urgent" });
    expect((await api1.put("/api/push/preferences", { mode: "off" })).body).toEqual({ mode: "off" });
    expect((await client(t, r2.token).get("/api/push/preferences")).body).toEqual({ mode: "all" });
    const bad = await api1.put("/api/push/preferences", { mode: "sometimes" });
    expectError(bad, 400, "validation_failed");
    expect(bad.body.error.message).toContain("通知の受け取り方");
    expect((await api1.get("/api/push/preferences")).body).toEqual({ mode: "off" });
  });
});

describe("outbox on publish", () => {
  async function outbox(circularId: string) {
    const r = await t.client.execute({
      sql: "SELECT subscription_id, household_id, kind, urgent, status, attempts FROM push_outbox WHERE circular_id = ? ORDER BY subscription_id",
      args: [circularId],
    });
    return r.rows.map((row) => ({ ...row }));
  }

  async function publish(token: string, input: Record<string, unknown>) {
    const api = client(t, token);
    const d = await api.post("/api/circulars", { title: "回覧", body: "本文", ...input });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const p = await api.post(`/api/circulars/${d.body.id}/publish`);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    return d.body.id as string;
  }

  it("writes one row per device of the targeted households, respecting preferences and the audience", async () => {
    const a = await makeAssociation(t, { blocks: 2, perBlock: 2, name: "桜町内会" });
    const leader = await makeStaff(t, a.id);
    const [h1, h2, h3] = a.households; // h1, h2 in block 1; h3 in block 2
    const r1 = await makeResident(t, a.id, h1!.id);
    const r1b = await makeResident(t, a.id, h1!.id);
    const r2 = await makeResident(t, a.id, h2!.id);
    const r3 = await makeResident(t, a.id, h3!.id);
    const subs: Record<string, string> = {};
    for (const [name, m, n] of [
      ["r1", r1, 2],
      ["r1b", r1b, 1],
      ["r2", r2, 1],
      ["r3", r3, 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const res = await client(t, m.token).post("/api/push/subscriptions", await browserSubscription());
        subs[`${name}-${i}`] = res.body.id;
      }
    }
    await client(t, r1b.token).put("/api/push/preferences", { mode: "off" });
    await client(t, r2.token).put("/api/push/preferences", { mode: "urgent" });

    // Normal, to everyone: r1's two devices and r3's; r1b is off, r2 wants urgent only.
    const normal = await publish(leader.token, { title: "ごみ当番のお知らせ" });
    const rows = await outbox(normal);
    expect(rows.map((r) => r.subscription_id).sort()).toEqual([subs["r1-0"], subs["r1-1"], subs["r3-0"]].sort());
    expect(
      rows.every((r) => r.status === "pending" && r.attempts === 0 && r.urgent === 0 && r.kind === "circular"),
    ).toBe(true);
    // Urgent: r2 (urgent only) is included; r1b still off.
    const urgent = await publish(leader.token, { title: "断水", priority: "urgent" });
    expect((await outbox(urgent)).map((r) => r.subscription_id).sort()).toEqual(
      [subs["r1-0"], subs["r1-1"], subs["r2-0"], subs["r3-0"]].sort(),
    );
    expect((await outbox(urgent)).every((r) => r.urgent === 1)).toBe(true);

    // Block 2 only: r3's device.
    const block2 = await publish(leader.token, { title: "2班だけ", audience: "blocks", blockIds: [a.blockIds[1]] });
    expect((await outbox(block2)).map((r) => r.subscription_id)).toEqual([subs["r3-0"]]);
  });

  it("publishing without any subscription writes receipts and no outbox rows", async () => {
    const a = await makeAssociation(t, { blocks: 1, perBlock: 2 });
    const leader = await makeStaff(t, a.id);
    const id = await publish(leader.token, {});
    expect(await outbox(id)).toEqual([]);
    expect(
      (await t.client.execute({ sql: "SELECT count(*) FROM receipts WHERE circular_id = ?", args: [id] })).rows[0]![0],
    ).toBe(2);
  });
});

describe("cutToBytes", () => {
  it("cuts on code point boundaries and marks the cut", () => {
    expect(cutToBytes("abc", 3)).toBe("abc");
    expect(cutToBytes("abcd", 3)).toBe("…");
    expect(cutToBytes("あいうえお", 9)).toBe("あい…");
    expect(cutToBytes("𠮷𠮷𠮷", 9)).toBe("𠮷…");
    for (let n = 3; n < 40; n++)
      expect(new TextEncoder().encode(cutToBytes("𠮷あa".repeat(10), n)).length).toBeLessThanOrEqual(n);
  });
});
