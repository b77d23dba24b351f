// Web push: VAPID keys (generated and kept, or configured and checked), the public key route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { parseConfig } from "../../server/config";
import { openDatabase } from "../../server/node/database";
import { generateVapidKeyPair, importVapidKeys, vapidKeys } from "../../server/features/push/vapid";
import { createTestApp, type TestApp } from "../helpers/app";
import { client } from "../helpers/http";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
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
    expect(parseConfig({ ...base, VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey }).push.vapidKeys)
      .toEqual(pair);
  });
});
