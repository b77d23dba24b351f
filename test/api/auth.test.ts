// Sign-in, sessions, throttling and the Origin check, through the real app against a real libSQL file.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { sessions } from "../../server/db/schema";
import { buildSession } from "../../server/features/auth/session";
import { openDatabase } from "../../server/node/database";
import { createFileBlobStore } from "../../server/node/file-blob-store";
import { createTestApp, type TestApp } from "../helpers/app";
import {
  makeAssociation,
  makeResident,
  makeStaff,
  type AssociationFixture,
  type MemberFixture,
} from "../helpers/factories";
import { client, errorOf, ORIGIN, sessionFrom, type Res } from "../helpers/http";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

let t: TestApp;
let assoc: AssociationFixture;

beforeAll(async () => {
  t = await createTestApp();
  assoc = await makeAssociation(t, { blocks: 1, perBlock: 3 });
});
afterAll(() => t.close());

// Each test signs in from its own client address, so the per-address limit of one test never reaches another.
let addressSeq = 0;
const newAddress = () => `198.51.100.${++addressSeq}`;

/** A client without a session, from the given address. */
const anon = (address: string, headers: Record<string, string> = {}) =>
  client(t, undefined, { "x-test-client": address, ...headers });

async function query(sql: string, args: (string | number)[] = []) {
  return (await t.client.execute({ sql, args })).rows;
}
async function countOf(sql: string, args: (string | number)[] = []): Promise<number> {
  const [row] = await query(sql, args);
  return Number(row?.n);
}
const failuresFor = (key: string) => countOf("SELECT count(*) AS n FROM auth_failures WHERE key = ?", [key]);
const totals = async () => ({
  sessions: await countOf("SELECT count(*) AS n FROM sessions"),
  failures: await countOf("SELECT count(*) AS n FROM auth_failures"),
  members: await countOf("SELECT count(*) AS n FROM members"),
});

const sha256 = (text: string) => createHash("sha256").update(text).digest();
const idOf = (token: string) => token.slice(0, token.indexOf("."));

function cookieParts(res: Res): string[] {
  const header = res.headers.get("set-cookie");
  expect(header).toBeTruthy();
  return header!.split(/;\s*/);
}

/** Another signed-in device of the same member, as a second sign-in would create. */
async function secondSession(member: MemberFixture, householdId: string | null = null): Promise<string> {
  const s = buildSession({
    memberId: member.id,
    householdId,
    role: member.role,
    userAgent: IPHONE_UA,
    now: t.clock.now(),
    config: t.config,
  });
  await t.db.insert(sessions).values(s.row);
  return s.token;
}

describe("POST /api/auth/login", () => {
  it("signs a staff member in with an HttpOnly, SameSite=Lax session cookie and stores only the secret's hash", async () => {
    const password = "かいらん-correct-horse-42";
    const staff = await makeStaff(t, assoc.id, { password });
    const before = await countOf("SELECT count(*) AS n FROM sessions WHERE member_id = ?", [staff.id]);

    const res = await anon(newAddress(), { "user-agent": IPHONE_UA }).post("/api/auth/login", {
      email: staff.email,
      password,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: staff.id,
      displayName: expect.any(String),
      role: "leader",
      email: staff.email,
      associationId: assoc.id,
      associationName: assoc.name,
      householdId: null,
      householdLabel: null,
      blockId: null,
      readOnlyUntil: null,
    });

    const parts = cookieParts(res);
    expect(parts[0]).toMatch(/^kairan_session=[^;]+$/);
    expect(parts).toContain("HttpOnly");
    expect(parts).toContain("SameSite=Lax");
    expect(parts).toContain("Path=/");
    expect(parts.some((p) => /^secure$/i.test(p))).toBe(false);
    expect(parts.some((p) => /^domain=/i.test(p))).toBe(false);
    // As long as the session: 30 days for staff.
    expect(parts).toContain(`Max-Age=${(30 * DAY) / 1000}`);

    // The token is "<id>.<secret>" with a secret of at least 128 bits (base32: 5 bits a character).
    const token = sessionFrom(res);
    expect(token).toMatch(/^[a-z0-9]+\.[a-z0-9]+$/);
    const [id, secret] = token.split(".") as [string, string];
    expect(secret.length * 5).toBeGreaterThanOrEqual(128);

    // The database keeps SHA-256(secret) as 32 bytes, and the secret appears in no column.
    expect(await countOf("SELECT count(*) AS n FROM sessions WHERE member_id = ?", [staff.id])).toBe(before + 1);
    const [row] = await query("SELECT * FROM sessions WHERE id = ?", [id]);
    expect(row).toBeDefined();
    const stored = Buffer.from(row!.secret_hash as ArrayBuffer);
    expect(stored.length).toBe(32);
    expect(stored.equals(sha256(secret))).toBe(true);
    for (const value of Object.values(row!)) {
      if (typeof value === "string") expect(value).not.toContain(secret);
      if (value instanceof ArrayBuffer) expect(Buffer.from(value).toString("latin1")).not.toContain(secret);
    }
    expect(row!.member_id).toBe(staff.id);
    expect(Number(row!.expires_at)).toBe(t.clock.now().getTime() + 30 * DAY);

    // The cookie signs the device in; the list of sessions shows both devices and marks this one.
    const me = await client(t, token).get("/api/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(staff.id);
    const list = await client(t, token).get("/api/auth/sessions");
    expect(list.status).toBe(200);
    const current = list.body.sessions.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ id, device: "Safari / iPhone" });
  });

  it("accepts the email in any letter case", async () => {
    const password = "another-long-password";
    const staff = await makeStaff(t, assoc.id, { password, email: `case-${Date.now()}@example.jp` });
    const res = await anon(newAddress()).post("/api/auth/login", { email: staff.email!.toUpperCase(), password });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(staff.id);
  });

  it("over https (PUBLIC_ORIGIN) names the cookie __Host-kairan_session and marks it Secure", async () => {
    const h = await createTestApp({ PUBLIC_ORIGIN: "https://kairan.example.jp" });
    try {
      const a = await makeAssociation(h, { blocks: 1, perBlock: 1 });
      const password = "secure-cookie-password";
      const staff = await makeStaff(h, a.id, { password });
      const res = await client(h, undefined, { origin: "https://kairan.example.jp" }).post("/api/auth/login", {
        email: staff.email,
        password,
      });
      expect(res.status).toBe(200);
      const parts = cookieParts(res);
      expect(parts[0]).toMatch(/^__Host-kairan_session=[^;]+$/);
      expect(parts).toContain("Secure");
      expect(parts).toContain("HttpOnly");
      expect(parts).toContain("SameSite=Lax");
      expect(parts).toContain("Path=/");
      expect(parts.some((p) => /^domain=/i.test(p))).toBe(false);

      const token = sessionFrom(res);
      const withHostCookie = await h.app.request("/api/auth/me", {
        headers: { cookie: `__Host-kairan_session=${token}` },
      });
      expect(withHostCookie.status).toBe(200);
      // Over https only the __Host- cookie counts: a plain-named one (settable by a sibling subdomain) does not.
      const plain = await h.app.request("/api/auth/me", { headers: { cookie: `kairan_session=${token}` } });
      expect(plain.status).toBe(401);
    } finally {
      await h.close();
    }
  });

  it("answers a wrong password and an unknown email alike: 401 unauthorized in Japanese, no session", async () => {
    const password = "the-right-password";
    const staff = await makeStaff(t, assoc.id, { password });
    const before = await totals();
    const api = anon(newAddress());

    const wrong = await api.post("/api/auth/login", { email: staff.email, password: "the-wrong-password" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const e1 = errorOf(wrong);
    expect(e1.code).toBe("unauthorized");
    expect(e1.message).toMatch(JAPANESE);
    expect(e1.requestId).toBeTruthy();

    const unknown = await api.post("/api/auth/login", { email: `nobody-${Date.now()}@example.jp`, password });
    expect(unknown.status).toBe(401);
    const e2 = errorOf(unknown);
    expect(e2.code).toBe("unauthorized");
    // The same words for both, so the answer does not reveal which emails have accounts.
    expect(e2.message).toBe(e1.message);
    expect(e2.messageEn).toBe(e1.messageEn);

    const after = await totals();
    expect(after.sessions).toBe(before.sessions);
    expect(after.failures).toBe(before.failures + 4); // one per account and one per address, for each attempt
  });

  it.each([
    ["missing email", { password: "x-password" }, "validation_failed"],
    ["not an email", { email: "not-an-email", password: "x-password" }, "validation_failed"],
    ["unknown field", { email: "a@example.jp", password: "x-password", role: "admin" }, "validation_failed"],
    ["empty password", { email: "a@example.jp", password: "" }, "validation_failed"],
    ["malformed JSON", '{"email": "a@example.jp", "password": ', "invalid_json"],
  ])("rejects an invalid body (%s) with 400 and writes nothing", async (_name, body, code) => {
    const before = await totals();
    const res = await anon(newAddress()).post("/api/auth/login", body);
    expect(res.status).toBe(400);
    const e = errorOf(res);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(JAPANESE);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await totals()).toEqual(before);
  });
});

describe("login throttling (kept in the database)", () => {
  it("locks an account after 10 failures, even for the right password, and lets it in again after 10 minutes", async () => {
    const password = "throttled-account-password";
    const staff = await makeStaff(t, assoc.id, { password });
    // Every attempt from a different address: only the per-account limit is at work here.
    for (let i = 0; i < 10; i++) {
      const res = await anon(newAddress()).post("/api/auth/login", {
        email: staff.email,
        password: `wrong-${i}-password`,
      });
      expect(res.status).toBe(401);
    }
    const before = await totals();
    const locked = await anon(newAddress()).post("/api/auth/login", { email: staff.email, password });
    expect(locked.status).toBe(429);
    expect(errorOf(locked).code).toBe("rate_limited");
    expect(errorOf(locked).message).toMatch(JAPANESE);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(locked.headers.get("set-cookie")).toBeNull();
    // The refusal itself is not a failure, and no session was made.
    expect(await totals()).toEqual(before);

    // The email in another letter case is the same account.
    const upper = await anon(newAddress()).post("/api/auth/login", { email: staff.email!.toUpperCase(), password });
    expect(upper.status).toBe(429);

    // The count lives in the database: a second app over its own connection to the same file sees it.
    const second = await openDatabase(`file:${join(t.dir, "test.db")}`);
    try {
      const app2 = createApp({
        config: t.config,
        db: second.db,
        blobs: createFileBlobStore(join(t.dir, "files")),
        now: t.clock.now,
        clientAddress: () => "203.0.113.250",
      });
      const res = await app2.request("/api/auth/login", {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ email: staff.email, password }),
      });
      expect(res.status).toBe(429);
    } finally {
      second.close();
    }

    t.clock.advance(10 * MINUTE + 1000);
    const ok = await anon(newAddress()).post("/api/auth/login", { email: staff.email, password });
    expect(ok.status).toBe(200);
    expect(ok.body.id).toBe(staff.id);
  });

  it("locks a client address after 10 failures across different emails; another address still signs in", async () => {
    const password = "per-address-password";
    const staff = await makeStaff(t, assoc.id, { password });
    const busy = newAddress();
    for (let i = 0; i < 10; i++) {
      const res = await anon(busy).post("/api/auth/login", {
        email: `guess-${i}-${Date.now()}@example.jp`,
        password: "guess-password",
      });
      expect(res.status).toBe(401);
    }
    expect(await failuresFor(`ip:${busy}`)).toBe(10);

    const blocked = await anon(busy).post("/api/auth/login", { email: staff.email, password });
    expect(blocked.status).toBe(429);
    expect(errorOf(blocked).code).toBe("rate_limited");
    expect(blocked.headers.get("retry-after")).toBeTruthy();
    // The account itself is not locked by someone else's guessing.
    expect(await failuresFor(`account:${staff.email}`)).toBe(0);

    const elsewhere = await anon(newAddress()).post("/api/auth/login", { email: staff.email, password });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.id).toBe(staff.id);
  });
});

describe("login throttling under concurrency", () => {
  it("counts attempts that arrive together: of 20 simultaneous wrong passwords, only 10 are checked", async () => {
    const staff = await makeStaff(t, assoc.id, { password: "concurrent-right-password" });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        anon(newAddress()).post("/api/auth/login", { email: staff.email, password: `concurrent-wrong-${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    // Refusals are not failures: exactly the 10 checked attempts are on record.
    expect(await failuresFor(`account:${staff.email}`)).toBe(10);
  });

  it("does not count a successful sign-in as a failure", async () => {
    const password = "success-not-failure";
    const staff = await makeStaff(t, assoc.id, { password });
    const address = newAddress();
    for (let i = 0; i < 9; i++) {
      expect(
        (await anon(address).post("/api/auth/login", { email: staff.email, password: `nope-${i}-password` })).status,
      ).toBe(401);
    }
    for (let i = 0; i < 3; i++) {
      expect((await anon(address).post("/api/auth/login", { email: staff.email, password })).status).toBe(200);
    }
    expect(await failuresFor(`account:${staff.email}`)).toBe(9);
    expect(await failuresFor(`ip:${address}`)).toBe(9);
  });
});

describe("sessions", () => {
  it("/api/auth/me answers 401 without a session", async () => {
    const res = await anon(newAddress()).get("/api/auth/me");
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe("unauthorized");
    expect(errorOf(res).message).toMatch(JAPANESE);
  });

  it("/api/auth/me describes the signed-in member", async () => {
    const hh = assoc.households[0]!;
    const resident = await makeResident(t, assoc.id, hh.id);
    const res = await client(t, resident.token).get("/api/auth/me");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: resident.id,
      role: "resident",
      email: null,
      associationId: assoc.id,
      householdId: hh.id,
    });
  });

  it("lists my own sessions, marks the current one, and ends one on request", async () => {
    const staff = await makeStaff(t, assoc.id);
    const other = await makeStaff(t, assoc.id);
    const phone = await secondSession(staff);

    const list = await client(t, staff.token).get("/api/auth/sessions");
    expect(list.status).toBe(200);
    const ids = list.body.sessions.map((s: { id: string }) => s.id).sort();
    expect(ids).toEqual([idOf(staff.token), idOf(phone)].sort());
    expect(list.body.sessions.find((s: { id: string }) => s.id === idOf(staff.token)).current).toBe(true);
    expect(list.body.sessions.find((s: { id: string }) => s.id === idOf(phone))).toMatchObject({
      current: false,
      device: "Safari / iPhone",
    });
    // Never another member's session.
    expect(ids).not.toContain(idOf(other.token));

    // Another member's session is not mine to end: 404, and it keeps working.
    const foreign = await client(t, staff.token).delete(`/api/auth/sessions/${idOf(other.token)}`);
    expect(foreign.status).toBe(404);
    expect(errorOf(foreign).code).toBe("not_found");
    expect((await client(t, other.token).get("/api/auth/me")).status).toBe(200);

    // Signing the phone out from this device.
    const ended = await client(t, staff.token).delete(`/api/auth/sessions/${idOf(phone)}`);
    expect(ended.status).toBe(204);
    expect(ended.headers.get("set-cookie")).toBeNull(); // not this device's cookie
    const phoneMe = await client(t, phone).get("/api/auth/me");
    expect(phoneMe.status).toBe(401);
    expect(errorOf(phoneMe).code).toBe("unauthorized");
    expect((await client(t, staff.token).get("/api/auth/me")).status).toBe(200);

    // Ending the current session clears the cookie.
    const self = await client(t, staff.token).delete(`/api/auth/sessions/${idOf(staff.token)}`);
    expect(self.status).toBe(204);
    expect(self.headers.get("set-cookie")).toMatch(/^kairan_session=;/);
    expect((await client(t, staff.token).get("/api/auth/me")).status).toBe(401);
    expect(await countOf("SELECT count(*) AS n FROM sessions WHERE member_id = ?", [staff.id])).toBe(0);
  });

  it("does not list sessions that have expired", async () => {
    const staff = await makeStaff(t, assoc.id);
    const forgotten = await secondSession(staff);
    t.clock.advance(29 * DAY);
    expect((await client(t, staff.token).get("/api/auth/me")).status).toBe(200);
    t.clock.advance(2 * DAY); // the second device: unused for 31 days
    expect((await client(t, forgotten).get("/api/auth/me")).status).toBe(401);
    const list = await client(t, staff.token).get("/api/auth/sessions");
    expect(list.status).toBe(200);
    expect(list.body.sessions.map((s: { id: string }) => s.id)).toEqual([idOf(staff.token)]);
  });

  it("logout ends the session and clears the cookie", async () => {
    const staff = await makeStaff(t, assoc.id);
    const phone = await secondSession(staff);
    const res = await client(t, staff.token).post("/api/auth/logout");
    expect(res.status).toBe(204);
    const parts = cookieParts(res);
    expect(parts[0]).toBe("kairan_session=");
    expect(parts).toContain("Max-Age=0");
    expect(await countOf("SELECT count(*) AS n FROM sessions WHERE id = ?", [idOf(staff.token)])).toBe(0);
    expect((await client(t, staff.token).get("/api/auth/me")).status).toBe(401);
    // Only this device: the other one stays signed in.
    expect((await client(t, phone).get("/api/auth/me")).status).toBe(200);
  });

  it("keeps a resident's session alive while it is used at least every 180 days", async () => {
    const hh = assoc.households[1]!;
    const resident = await makeResident(t, assoc.id, hh.id);
    const api = client(t, resident.token);

    t.clock.advance(179 * DAY);
    const used = await api.get("/api/auth/me");
    expect(used.status).toBe(200);
    // The cookie slides with the session (Lucia's design), or the browser would drop it 180 days after joining.
    const renewed = cookieParts(used);
    expect(renewed[0]).toBe(`kairan_session=${resident.token}`);
    expect(renewed).toContain("HttpOnly");
    expect(renewed).toContain("SameSite=Lax");
    expect(renewed).toContain(`Max-Age=${(180 * DAY) / 1000}`);
    // Within the hour nothing is rewritten, so no new cookie either.
    expect((await api.get("/api/auth/me")).headers.get("set-cookie")).toBeNull();
    const [row] = await query("SELECT last_used_at, expires_at FROM sessions WHERE id = ?", [idOf(resident.token)]);
    expect(Number(row!.last_used_at)).toBe(t.clock.now().getTime());
    expect(Number(row!.expires_at)).toBe(t.clock.now().getTime() + 180 * DAY);

    t.clock.advance(179 * DAY); // 358 days after sign-in: still valid, because it was used
    expect((await api.get("/api/auth/me")).status).toBe(200);
    expect((await api.get("/api/feed")).status).toBe(200);

    t.clock.advance(180 * DAY + MINUTE); // unused for longer than 180 days
    const res = await api.get("/api/auth/me");
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe("unauthorized");
  });

  it("ends a staff session unused for 31 days, but slides one used within 30", async () => {
    const idle = await makeStaff(t, assoc.id);
    const busy = await makeStaff(t, assoc.id);

    t.clock.advance(29 * DAY);
    expect((await client(t, busy.token).get("/api/auth/me")).status).toBe(200);
    t.clock.advance(2 * DAY); // idle: 31 days unused; busy: used 2 days ago
    const res = await client(t, idle.token).get("/api/auth/me");
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe("unauthorized");
    expect((await client(t, busy.token).get("/api/auth/me")).status).toBe(200);
  });

  it("refuses a tampered or malformed token without harming the real session", async () => {
    const staff = await makeStaff(t, assoc.id);
    const [id, secret] = staff.token.split(".") as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    for (const bad of [`${id}.${flipped}`, `${id}.${secret}x`, `${id}.`, id, `.${secret}`, `${id}x.${secret}`]) {
      const res = await client(t, bad).get("/api/auth/me");
      expect(res.status, bad).toBe(401);
      expect(errorOf(res).code).toBe("unauthorized");
    }
    // Also as a Bearer token.
    const bearer = await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${id}.${flipped}` } });
    expect(bearer.status).toBe(401);
    expect((await client(t, staff.token).get("/api/auth/me")).status).toBe(200);
  });
});

describe("Origin check", () => {
  it("refuses a state-changing request from a foreign Origin (403 csrf_rejected) and changes nothing", async () => {
    const staff = await makeStaff(t, assoc.id);
    const evil = client(t, staff.token, { origin: "https://evil.example" });

    const logout = await evil.post("/api/auth/logout");
    expect(logout.status).toBe(403);
    expect(errorOf(logout).code).toBe("csrf_rejected");
    expect(errorOf(logout).message).toMatch(JAPANESE);

    const end = await evil.delete(`/api/auth/sessions/${idOf(staff.token)}`);
    expect(end.status).toBe(403);
    expect(errorOf(end).code).toBe("csrf_rejected");

    const before = await totals();
    const address = newAddress();
    const login = await anon(address, { origin: "https://evil.example" }).post("/api/auth/login", {
      email: staff.email,
      password: "whatever-password",
    });
    expect(login.status).toBe(403);
    expect(errorOf(login).code).toBe("csrf_rejected");
    expect(await totals()).toEqual(before);
    expect(await failuresFor(`ip:${address}`)).toBe(0);

    // Still signed in.
    expect((await client(t, staff.token).get("/api/auth/me")).status).toBe(200);
  });

  it("refuses a form-encoded POST without Origin (a cross-site form) with 403 and changes nothing", async () => {
    const staff = await makeStaff(t, assoc.id);
    const before = await totals();
    const logout = await t.app.request("/api/auth/logout", {
      method: "POST",
      headers: { cookie: `kairan_session=${staff.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: "x=1",
    });
    expect(logout.status).toBe(403);
    const body = (await logout.json()) as { error: { code: string } };
    expect(body.error.code).toBe("csrf_rejected");

    const login = await t.app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-test-client": newAddress() },
      body: new URLSearchParams({ email: staff.email!, password: "whatever-password" }).toString(),
    });
    expect(login.status).toBe(403);
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe("csrf_rejected");

    expect(await totals()).toEqual(before);
    expect((await client(t, staff.token).get("/api/auth/me")).status).toBe(200);
  });
});
