// Household and staff invites: issuing (QR + short code, only hashes stored), previewing, the atomic single-use
// join, expiry, code throttling, cancelling, and who may do what. Real HTTP through the app, real libSQL file.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteExpiredInvites, EXPIRED_INVITE_KEPT_MS } from "../../server/features/invites/invites.service";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { client, errorOf, expectError, ORIGIN, sessionFrom } from "../helpers/http";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Each test joins from its own client address, so code throttling in one test never reaches another.
let addressSeq = 0;
const newAddress = () => `192.0.2.${++addressSeq}`;
/** A device with no session yet (a household tablet opening the invite), at its own address. */
const device = (address = newAddress()) => client(t, undefined, { "x-test-client": address });

async function query(sql: string, args: (string | number)[] = []) {
  return (await t.client.execute({ sql, args })).rows;
}
async function countOf(sql: string, args: (string | number)[] = []): Promise<number> {
  const [row] = await query(sql, args);
  return Number(row?.n);
}
const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

/** An association with its leader. */
async function setup(opts: { blocks?: number; perBlock?: number } = {}) {
  const assoc = await makeAssociation(t, { blocks: opts.blocks ?? 2, perBlock: opts.perBlock ?? 2 });
  const leader = await makeStaff(t, assoc.id);
  return { assoc, leader, api: client(t, leader.token) };
}

async function householdInvite(leaderToken: string, householdId: string) {
  const res = await client(t, leaderToken).post(`/api/households/${householdId}/invites`);
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string; code: string; codeDisplay: string; url: string; expiresAt: string };
}

/** A code of the right shape that is not `except`. */
function otherCode(except: string, n: number): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += ALPHABET[(n * 7 + i * 13 + 5) % ALPHABET.length];
  return code === except ? otherCode(except, n + 1) : code;
}

/** Full-width form of an ASCII code, lower case, with a full-width hyphen: 「ｋ７ｍｐ－３ｑｘｒ」. */
function fullWidth(code: string): string {
  const wide = (s: string) => [...s.toLowerCase()].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("");
  return `${wide(code.slice(0, 4))}－${wide(code.slice(4))}`;
}

describe("POST /api/households/{id}/invites", () => {
  it("issues a QR token and an 8-character code valid for 14 days, and stores only their hashes", async () => {
    const { assoc, leader } = await setup();
    const hh = assoc.households[0]!;
    const res = await client(t, leader.token).post(`/api/households/${hh.id}/invites`);
    expect(res.status).toBe(201);
    const inv = res.body;
    expect(inv).toMatchObject({
      kind: "household",
      householdId: hh.id,
      householdLabel: hh.label,
      associationName: assoc.name,
    });
    expect(inv.token.length).toBeGreaterThanOrEqual(32);
    expect(inv.token).toMatch(/^[A-Za-z0-9_-]+$/); // safe in a URL path as is
    expect(inv.code).toMatch(new RegExp(`^[${ALPHABET}]{8}$`));
    expect(inv.codeDisplay).toBe(`${inv.code.slice(0, 4)}-${inv.code.slice(4)}`);
    expect(inv.codeDisplay).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(inv.url).toBe(`${ORIGIN}/join/${inv.token}`);
    expect(inv.qrSvg.startsWith("<svg")).toBe(true);
    expect(new Date(inv.expiresAt).getTime()).toBe(t.clock.now().getTime() + 14 * DAY);

    const [row] = await query("SELECT * FROM invites WHERE id = ?", [inv.id]);
    expect(row).toBeDefined();
    expect(row!.token_hash).toBe(sha256Hex(inv.token));
    expect(row!.code_hash).toBe(sha256Hex(inv.code));
    for (const [column, value] of Object.entries(row!)) {
      const text = String(value ?? "");
      expect(text, column).not.toContain(inv.token);
      expect(text.toUpperCase(), column).not.toContain(inv.code);
    }
    // Nor in the audit log.
    for (const a of await query("SELECT detail FROM audit_log WHERE association_id = ?", [assoc.id])) {
      expect(String(a.detail)).not.toContain(inv.token);
      expect(String(a.detail).toUpperCase()).not.toContain(inv.code);
    }
    // Two invites never share a token or code.
    const again = await householdInvite(leader.token, hh.id);
    expect(again.token).not.toBe(inv.token);
    expect(again.code).not.toBe(inv.code);
  });

  it("uses PUBLIC_ORIGIN in the invite URL when configured", async () => {
    const h = await createTestApp({ PUBLIC_ORIGIN: "https://kairan.example.jp" });
    try {
      const a = await makeAssociation(h, { blocks: 1, perBlock: 1 });
      const leader = await makeStaff(h, a.id);
      const res = await h.app.request(`/api/households/${a.households[0]!.id}/invites`, {
        method: "POST",
        headers: { origin: "https://kairan.example.jp", cookie: `__Host-kairan_session=${leader.token}` },
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { url: string; token: string };
      expect(body.url).toBe(`https://kairan.example.jp/join/${body.token}`);
    } finally {
      await h.close();
    }
  });
});

describe("joining a household", () => {
  it("previews an invite without using it, then joins with the QR token exactly once", async () => {
    const { assoc, leader } = await setup();
    const hh = assoc.households[1]!;
    const inv = await householdInvite(leader.token, hh.id);

    const preview = await device().get(`/api/join/${inv.token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ kind: "household", associationName: assoc.name, householdLabel: hh.label });
    expect(preview.body.expiresAt).toBe(inv.expiresAt);
    // Previewing twice is fine: nothing is consumed.
    expect((await device().get(`/api/join/${inv.token}`)).status).toBe(200);
    const [unused] = await query("SELECT used_at, used_by FROM invites WHERE id = ?", [inv.id]);
    expect(unused!.used_at).toBeNull();

    const tablet = device();
    const joined = await tablet.post("/api/join", { token: inv.token });
    expect(joined.status).toBe(201);
    expect(joined.body.role).toBe("resident");
    const cookie = joined.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^kairan_session=[^;]+;/);
    expect(cookie.split(/;\s*/)).toEqual(
      expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", `Max-Age=${(180 * DAY) / 1000}`]),
    );
    expect(new Date(joined.body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 180 * DAY);
    const token = sessionFrom(joined);

    const me = await client(t, token).get("/api/auth/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: joined.body.memberId,
      role: "resident",
      associationId: assoc.id,
      householdId: hh.id,
      email: null,
    });
    expect((await client(t, token).get("/api/feed")).status).toBe(200);

    const [used] = await query("SELECT used_at, used_by FROM invites WHERE id = ?", [inv.id]);
    expect(used!.used_by).toBe(joined.body.memberId);
    expect(Number(used!.used_at)).toBe(t.clock.now().getTime());

    // Used: another device gets 410 for the join and the preview, and no member is added.
    const members = await countOf("SELECT count(*) AS n FROM members WHERE household_id = ?", [hh.id]);
    const reuse = await device().post("/api/join", { token: inv.token });
    expect(reuse.status).toBe(410);
    expect(errorOf(reuse).code).toBe("gone");
    expect(errorOf(reuse).message).toMatch(JAPANESE);
    expect(reuse.headers.get("set-cookie")).toBeNull();
    expect((await device().get(`/api/join/${inv.token}`)).status).toBe(410);
    expect(await countOf("SELECT count(*) AS n FROM members WHERE household_id = ?", [hh.id])).toBe(members);
  });

  it("answers 404 for a token that was never issued", async () => {
    const res = await device().post("/api/join", { token: "a".repeat(32) });
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe("not_found");
    expect((await device().get(`/api/join/${"b".repeat(32)}`)).status).toBe(404);
  });

  it.each([
    ["as issued", (c: string) => c],
    ["in lower case", (c: string) => c.toLowerCase()],
    ["with the printed hyphen", (c: string) => `${c.slice(0, 4)}-${c.slice(4)}`],
    ["with spaces and a hyphen", (c: string) => ` ${c.slice(0, 4).toLowerCase()} - ${c.slice(4)} `],
    ["in full-width characters", fullWidth],
    ["in full-width with an ideographic space", (c: string) => fullWidth(c).replace("－", "\u3000")],
  ])("joins with the short code typed %s, once", async (_how, typed) => {
    const { assoc, leader } = await setup();
    const hh = assoc.households[0]!;
    const inv = await householdInvite(leader.token, hh.id);
    const code = typed(inv.code);

    const joined = await device().post("/api/join", { code, displayName: "  山田のタブレット  " });
    expect(joined.status).toBe(201);
    const token = sessionFrom(joined);
    const me = await client(t, token).get("/api/auth/me");
    expect(me.body).toMatchObject({ role: "resident", householdId: hh.id, displayName: "山田のタブレット" });
    expect((await client(t, token).get("/api/feed")).status).toBe(200);

    const reuse = await device().post("/api/join", { code });
    expect(reuse.status).toBe(410);
    expect(errorOf(reuse).code).toBe("gone");
  });

  it("rejects a body with neither or both of token and code, or unknown fields (400)", async () => {
    const { assoc, leader } = await setup();
    const inv = await householdInvite(leader.token, assoc.households[0]!.id);
    for (const body of [{}, { token: inv.token, code: inv.code }, { token: inv.token, role: "leader" }]) {
      const res = await device().post("/api/join", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe("validation_failed");
    }
    const [row] = await query("SELECT used_at FROM invites WHERE id = ?", [inv.id]);
    expect(row!.used_at).toBeNull();
  });

  it("expires 14 days after issue", async () => {
    const { assoc, leader } = await setup();
    const early = await householdInvite(leader.token, assoc.households[0]!.id);
    const late = await householdInvite(leader.token, assoc.households[1]!.id);
    const byCode = await householdInvite(leader.token, assoc.households[2]!.id);

    t.clock.advance(14 * DAY - MINUTE);
    expect((await device().post("/api/join", { token: early.token })).status).toBe(201);

    t.clock.advance(2 * MINUTE); // 14 days + 1 minute
    const preview = await device().get(`/api/join/${late.token}`);
    expect(preview.status).toBe(410);
    const res = await device().post("/api/join", { token: late.token });
    expect(res.status).toBe(410);
    expect(errorOf(res).code).toBe("gone");
    const code = await device().post("/api/join", { code: byCode.code });
    expect(code.status).toBe(410);
    expect(
      await countOf("SELECT count(*) AS n FROM invites WHERE id IN (?, ?) AND used_at IS NOT NULL", [
        late.id,
        byCode.id,
      ]),
    ).toBe(0);
  });

  it("lets exactly one of 20 simultaneous joins with the same token win", async () => {
    const { assoc, leader } = await setup();
    const hh = assoc.households[0]!;
    const inv = await householdInvite(leader.token, hh.id);
    const members = await countOf("SELECT count(*) AS n FROM members WHERE household_id = ?", [hh.id]);
    const sessionsBefore = await countOf("SELECT count(*) AS n FROM sessions WHERE household_id = ?", [hh.id]);

    const results = await Promise.all(
      Array.from({ length: 20 }, () => device().post("/api/join", { token: inv.token })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 410)) expect(errorOf(r).code).toBe("gone");

    const winner = results.find((r) => r.status === 201)!;
    expect(await countOf("SELECT count(*) AS n FROM members WHERE household_id = ?", [hh.id])).toBe(members + 1);
    expect(await countOf("SELECT count(*) AS n FROM sessions WHERE household_id = ?", [hh.id])).toBe(
      sessionsBefore + 1,
    );
    expect(
      await countOf("SELECT count(*) AS n FROM audit_log WHERE action = 'invite.use' AND target_id = ?", [inv.id]),
    ).toBe(1);
    const [row] = await query("SELECT used_by FROM invites WHERE id = ?", [inv.id]);
    expect(row!.used_by).toBe(winner.body.memberId);
    expect((await client(t, sessionFrom(winner)).get("/api/auth/me")).status).toBe(200);
  });

  it("stops accepting codes from an address after 10 wrong ones, even the right code", async () => {
    const { assoc, leader } = await setup();
    const inv = await householdInvite(leader.token, assoc.households[0]!.id);
    const address = newAddress();
    for (let i = 0; i < 10; i++) {
      const res = await device(address).post("/api/join", { code: otherCode(inv.code, i) });
      expect(res.status).toBe(404);
    }
    const blocked = await device(address).post("/api/join", { code: inv.code });
    expect(blocked.status).toBe(429);
    expect(errorOf(blocked).code).toBe("rate_limited");
    expect(errorOf(blocked).message).toMatch(JAPANESE);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.headers.get("set-cookie")).toBeNull();
    const [row] = await query("SELECT used_at FROM invites WHERE id = ?", [inv.id]);
    expect(row!.used_at).toBeNull();

    // Another address is not affected.
    expect((await device().post("/api/join", { code: inv.code })).status).toBe(201);
  });
});

describe("why a join fails: a mistyped code (404) or an invite that has expired or been used (410)", () => {
  const ASK_LEADER = /役員/;

  it("answers a code that matches no invite with what was read, grouped as printed, and asks to check the typing", async () => {
    const { assoc, leader } = await setup();
    const inv = await householdInvite(leader.token, assoc.households[0]!.id);
    const typo = otherCode(inv.code, 400);
    const typed = ` ${typo.slice(0, 4).toLowerCase()} ${typo.slice(4).toLowerCase()} `;
    const res = await device().post("/api/join", { code: typed });
    const e = expectError(res, 404, "not_found");
    const shown = `${typo.slice(0, 4)}-${typo.slice(4)}`;
    expect(e.message).toContain(`「${shown}」`);
    expect(e.message).toMatch(/確かめ/);
    expect(e.message).not.toMatch(ASK_LEADER);
    expect(e.messageEn).toContain(shown);
    expect(e.messageEn).toMatch(/check what you typed/);
    // Characters that are never in a code (0, 1, I, L, O) are shown back too: that is where the typo is.
    const misread = await device().post("/api/join", { code: "abcd-ef0o" });
    expect(expectError(misread, 404, "not_found").message).toContain("「ABCD-EF0O」");
    // The staff join answers a mistyped code the same way.
    const staff = await device().post("/api/join/staff", {
      code: typed,
      displayName: "会長",
      email: `typo-${Date.now()}@example.jp`,
      password: "typo-password-2026",
    });
    expect(expectError(staff, 404, "not_found").message).toBe(e.message);
    expect(await countOf("SELECT count(*) AS n FROM invites WHERE id = ? AND used_at IS NULL", [inv.id])).toBe(1);
  });

  it("answers a link that matches no invite with 404 and the way to the code, never a word about other invites", async () => {
    const { assoc, leader } = await setup();
    await householdInvite(leader.token, assoc.households[0]!.id);
    const answers = [];
    for (const res of [
      await device().post("/api/join", { token: "a".repeat(32) }),
      await device().get(`/api/join/${"b".repeat(40)}`),
      await device().post("/api/join/staff", {
        token: "c".repeat(32),
        displayName: "偵察",
        email: leader.email,
        password: "probing-password",
      }),
    ]) {
      const e = expectError(res, 404, "not_found");
      answers.push({ message: e.message, messageEn: e.messageEn });
    }
    // One answer for every unknown link, whatever exists: nothing of the association, household or invite.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.message).toMatch(/QR コードをもう一度読み取る/);
    expect(answers[0]!.message).not.toMatch(ASK_LEADER);
    for (const text of [assoc.name, assoc.households[0]!.label, "期限"])
      expect(answers[0]!.message).not.toContain(text);
  });

  it("answers an expired, used or cancelled invite with 410 and the way to the leader, without showing the code", async () => {
    const { assoc, leader, api } = await setup();
    const [used, cancelled, expired] = [
      await householdInvite(leader.token, assoc.households[0]!.id),
      await householdInvite(leader.token, assoc.households[1]!.id),
      await householdInvite(leader.token, assoc.households[2]!.id),
    ];
    expect((await device().post("/api/join", { code: used.code })).status).toBe(201);
    expect((await api.delete(`/api/invites/${cancelled.id}`)).status).toBe(204);
    t.clock.advance(15 * DAY);
    for (const inv of [used, cancelled, expired]) {
      for (const res of [
        await device().post("/api/join", { code: inv.codeDisplay.toLowerCase() }),
        await device().post("/api/join", { token: inv.token }),
        await device().get(`/api/join/${inv.token}`),
      ]) {
        const e = expectError(res, 410, "gone");
        expect(e.message).toMatch(ASK_LEADER);
        expect(e.message).toMatch(/期限切れか、すでに使われています/);
        expect(e.message).not.toContain(inv.code.slice(0, 4));
        expect(e.messageEn).toMatch(/expired or was already used/);
      }
    }
  });

  it("keeps an expired invite a year through the hourly clean-up, so its code still says to ask the leader", async () => {
    const { assoc, leader } = await setup();
    const inv = await householdInvite(leader.token, assoc.households[0]!.id);
    t.clock.advance(14 * DAY + 30 * DAY);
    await deleteExpiredInvites(t.db, t.clock.now());
    expectError(await device().post("/api/join", { code: inv.code }), 410, "gone");
    t.clock.advance(EXPIRED_INVITE_KEPT_MS);
    await deleteExpiredInvites(t.db, t.clock.now());
    expect(await countOf("SELECT count(*) AS n FROM invites WHERE id = ?", [inv.id])).toBe(0);
    expectError(await device().post("/api/join", { code: inv.code }), 404, "not_found");
  });
});

describe("code throttling under concurrency", () => {
  it("counts wrong codes that arrive together: of 20 simultaneous guesses from one address, only 10 are checked", async () => {
    const { assoc, leader } = await setup();
    const inv = await householdInvite(leader.token, assoc.households[0]!.id);
    const address = newAddress();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => device(address).post("/api/join", { code: otherCode(inv.code, 100 + i) })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(await countOf("SELECT count(*) AS n FROM auth_failures WHERE key = ?", [`join-ip:${address}`])).toBe(10);
  });

  it("does not count a matching code as a wrong one", async () => {
    const { assoc, leader } = await setup();
    const inv = await householdInvite(leader.token, assoc.households[0]!.id);
    const address = newAddress();
    for (let i = 0; i < 9; i++)
      expect((await device(address).post("/api/join", { code: otherCode(inv.code, 200 + i) })).status).toBe(404);
    expect((await device(address).post("/api/join", { code: inv.code })).status).toBe(201);
    expect((await device(address).post("/api/join", { code: otherCode(inv.code, 300) })).status).toBe(404);
    expect((await device(address).post("/api/join", { code: otherCode(inv.code, 301) })).status).toBe(429);
  });
});

describe("staff invites", () => {
  it("invites a block leader who joins with email and password, then signs in as block leader of that block", async () => {
    const { assoc, api } = await setup();
    const blockId = assoc.blockIds[1]!;
    const issued = await api.post("/api/invites/staff", { kind: "block_leader", blockId });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ kind: "block_leader", householdId: null, associationName: assoc.name });
    expect(issued.body.code).toMatch(new RegExp(`^[${ALPHABET}]{8}$`));

    const preview = await device().get(`/api/join/${issued.body.token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ kind: "block_leader", associationName: assoc.name, blockName: "2班" });

    // A household join cannot use a staff invite.
    expect((await device().post("/api/join", { token: issued.body.token })).status).toBe(410);

    const email = `hancho-${Date.now()}@example.jp`;
    const password = "hancho-password-2班";
    const joined = await device().post("/api/join/staff", {
      token: issued.body.token,
      displayName: "佐藤 班長",
      email: email.toUpperCase(),
      password,
    });
    expect(joined.status).toBe(201);
    expect(joined.body.role).toBe("block_leader");
    const me = await client(t, sessionFrom(joined)).get("/api/auth/me");
    expect(me.body).toMatchObject({
      role: "block_leader",
      blockId,
      associationId: assoc.id,
      email,
      displayName: "佐藤 班長",
    });

    // The password is stored hashed, never as given.
    const [member] = await query("SELECT password_hash FROM members WHERE id = ?", [joined.body.memberId]);
    expect(String(member!.password_hash)).toMatch(/^pbkdf2-sha256(-chain)?\$/);
    expect(String(member!.password_hash)).not.toContain(password);

    const login = await device().post("/api/auth/login", { email, password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      id: joined.body.memberId,
      role: "block_leader",
      blockId,
      associationId: assoc.id,
    });

    // Single use.
    const again = await device().post("/api/join/staff", {
      token: issued.body.token,
      displayName: "別人",
      email: `other-${Date.now()}@example.jp`,
      password: "another-password",
    });
    expect(again.status).toBe(410);
  });

  it("refuses an email that is already registered (409) and leaves the invite usable", async () => {
    const { assoc, leader, api } = await setup();
    const issued = await api.post("/api/invites/staff", { kind: "leader" });
    expect(issued.status).toBe(201);
    const dup = await device().post("/api/join/staff", {
      code: issued.body.code,
      displayName: "重複",
      email: leader.email!.toUpperCase(),
      password: "duplicate-password",
    });
    expect(dup.status).toBe(409);
    expect(errorOf(dup).code).toBe("conflict");
    expect(errorOf(dup).message).toMatch(JAPANESE);
    const [row] = await query("SELECT used_at FROM invites WHERE id = ?", [issued.body.id]);
    expect(row!.used_at).toBeNull();
    expect(
      await countOf("SELECT count(*) AS n FROM members WHERE association_id = ? AND role = 'leader'", [assoc.id]),
    ).toBe(1);

    const ok = await device().post("/api/join/staff", {
      code: issued.body.codeDisplay,
      displayName: "新しい会長",
      email: `kaicho-${Date.now()}@example.jp`,
      password: "new-leader-password",
    });
    expect(ok.status).toBe(201);
    expect(ok.body.role).toBe("leader");
  });

  it("does not reveal whether an email is registered to someone without a valid invite", async () => {
    const { leader } = await setup();
    const res = await device().post("/api/join/staff", {
      token: "z".repeat(32),
      displayName: "偵察",
      email: leader.email,
      password: "probing-password",
    });
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe("not_found");
  });

  it("gives one of two simultaneous joins with the same email 201 and the other 409, never a 500", async () => {
    const { api } = await setup();
    const a = await api.post("/api/invites/staff", { kind: "leader" });
    const b = await api.post("/api/invites/staff", { kind: "leader" });
    const email = `race-${Date.now()}@example.jp`;
    const join = (token: string) =>
      device().post("/api/join/staff", { token, displayName: "同時", email, password: "simultaneous-password" });
    const results = await Promise.all([join(a.body.token), join(b.body.token)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(errorOf(loser).code).toBe("conflict");
    expect(await countOf("SELECT count(*) AS n FROM members WHERE email = ?", [email])).toBe(1);
    // The losing invite was not used up.
    expect(
      await countOf("SELECT count(*) AS n FROM invites WHERE id IN (?, ?) AND used_at IS NULL", [a.body.id, b.body.id]),
    ).toBe(1);
  });

  it("requires a block for a block leader invite (400) and one of this association (404)", async () => {
    const { assoc, api } = await setup();
    const other = await makeAssociation(t, { blocks: 1, perBlock: 1 });
    const before = await countOf("SELECT count(*) AS n FROM invites WHERE association_id = ?", [assoc.id]);

    const missing = await api.post("/api/invites/staff", { kind: "block_leader" });
    expect(missing.status).toBe(400);
    expect(errorOf(missing).code).toBe("validation_failed");
    expect(errorOf(missing).message).toMatch(JAPANESE);

    const foreign = await api.post("/api/invites/staff", { kind: "block_leader", blockId: other.blockIds[0] });
    expect(foreign.status).toBe(404);

    const badKind = await api.post("/api/invites/staff", { kind: "admin" });
    expect(badKind.status).toBe(400);
    expect(await countOf("SELECT count(*) AS n FROM invites WHERE association_id = ?", [assoc.id])).toBe(before);
  });
});

describe("cancelling", () => {
  it("end-sessions signs every device of the household out and cancels its unused invites", async () => {
    const { assoc, leader, api } = await setup();
    const [hh, neighbour] = [assoc.households[0]!, assoc.households[1]!];
    const tablet = await makeResident(t, assoc.id, hh.id);
    const phone = await makeResident(t, assoc.id, hh.id);
    const next = await makeResident(t, assoc.id, neighbour.id);
    const pending = await householdInvite(leader.token, hh.id);
    const neighbourInvite = await householdInvite(leader.token, neighbour.id);
    expect((await client(t, tablet.token).get("/api/feed")).status).toBe(200);

    const res = await api.post(`/api/households/${hh.id}/end-sessions`);
    expect(res.status).toBe(200);
    expect(res.body.ended).toBe(2);

    for (const r of [tablet, phone]) {
      const me = await client(t, r.token).get("/api/feed");
      expect(me.status).toBe(401);
      expect(errorOf(me).code).toBe("unauthorized");
    }
    expect(await countOf("SELECT count(*) AS n FROM sessions WHERE household_id = ?", [hh.id])).toBe(0);
    // The neighbours are untouched.
    expect((await client(t, next.token).get("/api/feed")).status).toBe(200);

    // The household's pending invite no longer works; the neighbour's still does.
    expect((await device().get(`/api/join/${pending.token}`)).status).toBe(410);
    expect((await device().post("/api/join", { token: pending.token })).status).toBe(410);
    expect((await device().post("/api/join", { code: pending.code })).status).toBe(410);
    const list = await api.get(`/api/invites?householdId=${hh.id}`);
    expect(list.status).toBe(200);
    expect(list.body.invites).toEqual([]);
    expect((await device().post("/api/join", { token: neighbourInvite.token })).status).toBe(201);
  });

  it("DELETE /api/invites/{id} cancels one invite; another association cannot", async () => {
    const { assoc, leader, api } = await setup();
    const hh = assoc.households[0]!;
    const cancel = await householdInvite(leader.token, hh.id);
    const keep = await householdInvite(leader.token, hh.id);

    const stranger = await setup();
    const foreign = await stranger.api.delete(`/api/invites/${cancel.id}`);
    expect(foreign.status).toBe(404);
    expect((await device().get(`/api/join/${cancel.token}`)).status).toBe(200);

    const listed = await api.get("/api/invites");
    expect(listed.body.invites.map((i: { id: string }) => i.id).sort()).toEqual([cancel.id, keep.id].sort());

    const res = await api.delete(`/api/invites/${cancel.id}`);
    expect(res.status).toBe(204);
    expect((await device().get(`/api/join/${cancel.token}`)).status).toBe(410);
    expect((await device().post("/api/join", { token: cancel.token })).status).toBe(410);
    const after = await api.get("/api/invites");
    expect(after.body.invites.map((i: { id: string }) => i.id)).toEqual([keep.id]);

    // A used invite cannot be cancelled.
    const joined = await device().post("/api/join", { token: keep.token });
    expect(joined.status).toBe(201);
    expect((await api.delete(`/api/invites/${keep.id}`)).status).toBe(404);
    expect((await client(t, sessionFrom(joined)).get("/api/feed")).status).toBe(200);
  });
});

describe("who may create invites", () => {
  it("a resident or block leader gets 403, a signed-out visitor 401, and nothing is written", async () => {
    const { assoc } = await setup();
    const hh = assoc.households[0]!;
    const resident = await makeResident(t, assoc.id, hh.id);
    const blockLeader = await makeStaff(t, assoc.id, { role: "block_leader", blockId: hh.blockId });
    const before = await countOf("SELECT count(*) AS n FROM invites WHERE association_id = ?", [assoc.id]);

    for (const who of [resident, blockLeader]) {
      const api = client(t, who.token);
      const h = await api.post(`/api/households/${hh.id}/invites`);
      expect(h.status, who.role).toBe(403);
      expect(errorOf(h).code).toBe("forbidden");
      expect(errorOf(h).message).toMatch(JAPANESE);
      const s = await api.post("/api/invites/staff", { kind: "leader" });
      expect(s.status, who.role).toBe(403);
      const e = await api.post(`/api/households/${hh.id}/end-sessions`);
      expect(e.status, who.role).toBe(403);
    }
    const anon = await client(t).post(`/api/households/${hh.id}/invites`);
    expect(anon.status).toBe(401);
    expect(errorOf(anon).code).toBe("unauthorized");

    expect(await countOf("SELECT count(*) AS n FROM invites WHERE association_id = ?", [assoc.id])).toBe(before);
    expect((await client(t, resident.token).get("/api/feed")).status).toBe(200);
  });

  it("a leader of another association gets 404 for this association's household", async () => {
    const { assoc } = await setup();
    const stranger = await setup();
    const hh = assoc.households[0]!;
    const resident = await makeResident(t, assoc.id, hh.id);

    const res = await stranger.api.post(`/api/households/${hh.id}/invites`);
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe("not_found");
    const end = await stranger.api.post(`/api/households/${hh.id}/end-sessions`);
    expect(end.status).toBe(404);

    expect(await countOf("SELECT count(*) AS n FROM invites WHERE household_id = ?", [hh.id])).toBe(0);
    expect((await client(t, resident.token).get("/api/feed")).status).toBe(200);
  });
});

describe("POST /api/invites/households (invite sheets for several households)", () => {
  it("issues one working invite per household, in the order asked for, each with its own QR and code", async () => {
    const { assoc, api } = await setup({ blocks: 2, perBlock: 2 });
    const asked = [assoc.households[3]!, assoc.households[0]!, assoc.households[2]!];
    const res = await api.post("/api/invites/households", { householdIds: asked.map((h) => h.id) });
    expect(res.status).toBe(201);
    const list = res.body.invites as {
      id: string;
      token: string;
      code: string;
      householdId: string;
      householdLabel: string;
      qrSvg: string;
      url: string;
      associationName: string;
      expiresAt: string;
    }[];
    expect(list.map((i) => i.householdId)).toEqual(asked.map((h) => h.id));
    expect(list.map((i) => i.householdLabel)).toEqual(asked.map((h) => h.label));
    expect(new Set(list.map((i) => i.token)).size).toBe(3);
    expect(new Set(list.map((i) => i.code)).size).toBe(3);
    for (const inv of list) {
      expect(inv.qrSvg.startsWith("<svg")).toBe(true);
      expect(inv.url).toBe(`${ORIGIN}/join/${inv.token}`);
      expect(inv.associationName).toBe(assoc.name);
      expect(new Date(inv.expiresAt).getTime()).toBe(t.clock.now().getTime() + 14 * DAY);
      const [row] = await query("SELECT token_hash, household_id FROM invites WHERE id = ?", [inv.id]);
      expect(row!.token_hash).toBe(sha256Hex(inv.token));
      expect(row!.household_id).toBe(inv.householdId);
    }
    expect(
      await countOf("SELECT count(*) AS n FROM audit_log WHERE association_id = ? AND action = 'invite.create'", [
        assoc.id,
      ]),
    ).toBe(3);

    // Each one joins its own household.
    const joined = await device().post("/api/join", { code: list[1]!.code });
    expect(joined.status).toBe(201);
    const me = await client(t, sessionFrom(joined)).get("/api/auth/me");
    expect(me.body.householdId).toBe(asked[1]!.id);
  });

  it("asks once per household when the same id is sent twice", async () => {
    const { assoc, api } = await setup();
    const hh = assoc.households[0]!;
    const res = await api.post("/api/invites/households", { householdIds: [hh.id, hh.id] });
    expect(res.status).toBe(201);
    expect(res.body.invites).toHaveLength(1);
  });

  it("writes nothing when a household is unknown (404), of another association (404) or has left (409)", async () => {
    const { assoc, api } = await setup();
    const other = await makeAssociation(t, { blocks: 1, perBlock: 1 });
    const [a, b] = [assoc.households[0]!, assoc.households[1]!];
    const before = await countOf("SELECT count(*) AS n FROM invites WHERE association_id = ?", [assoc.id]);

    const unknown = await api.post("/api/invites/households", { householdIds: [a.id, "no-such-household"] });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe("not_found");
    const foreign = await api.post("/api/invites/households", { householdIds: [a.id, other.households[0]!.id] });
    expect(foreign.status).toBe(404);

    expect((await api.patch(`/api/households/${b.id}`, { left: true })).status).toBe(200);
    const left = await api.post("/api/invites/households", { householdIds: [a.id, b.id] });
    expect(left.status).toBe(409);
    expect(errorOf(left).code).toBe("conflict");
    expect(errorOf(left).message).toMatch(JAPANESE);
    expect(errorOf(left).message).toContain(b.label);

    expect(await countOf("SELECT count(*) AS n FROM invites WHERE association_id = ?", [assoc.id])).toBe(before);
  });

  it("rejects an empty list, more than 200 households or unknown fields (400)", async () => {
    const { assoc, api } = await setup();
    const id = assoc.households[0]!.id;
    for (const body of [
      { householdIds: [] },
      { householdIds: Array.from({ length: 201 }, (_, i) => `h${i}`) },
      { householdIds: [id], kind: "leader" },
      {},
    ]) {
      const res = await api.post("/api/invites/households", body);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe("validation_failed");
    }
  });

  it("is for leaders only: a block leader or resident gets 403, a visitor 401", async () => {
    const { assoc } = await setup();
    const hh = assoc.households[0]!;
    const resident = await makeResident(t, assoc.id, hh.id);
    const blockLeader = await makeStaff(t, assoc.id, { role: "block_leader", blockId: hh.blockId });
    for (const who of [resident, blockLeader]) {
      const res = await client(t, who.token).post("/api/invites/households", { householdIds: [hh.id] });
      expect(res.status, who.role).toBe(403);
      expect(errorOf(res).code).toBe("forbidden");
    }
    expect((await client(t).post("/api/invites/households", { householdIds: [hh.id] })).status).toBe(401);
    expect(await countOf("SELECT count(*) AS n FROM invites WHERE household_id = ?", [hh.id])).toBe(0);
  });
});
