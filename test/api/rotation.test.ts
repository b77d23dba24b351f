// 班長 rotation (輪番): the leader saves a block's order with 免除 marks; 「次の班長へ」 moves the role to a member of the
// next household that is still a member, not paper and not exempt, wrapping around; a household with nobody yet
// gets an invite to print and takes its turn once someone joins; the periodic job rotates once across 31 March →
// 1 April (JST) and not again on a re-run; two presses rotate once; the new 班長 gets 「班長になりました」 (push and
// guide); scopes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPeriodicJobs, runPushJobs } from "../../server/jobs";
import { GuideSchema, RotateResult, RotationSchema } from "../../server/features/rotation/rotation.schemas";
import { currentTerm } from "../../server/features/handover/term";
import { notificationFor, parsePayload, targetPath } from "../../web/sw/notification";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { world, type World } from "../helpers/flows";
import { client, errorOf } from "../helpers/http";
import { startPushService, type PushService } from "../helpers/push-service";

let t: TestApp;
let ps: PushService;

beforeAll(async () => {
  t = await createTestApp({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
  t.clock.current = new Date("2027-02-01T10:00:00+09:00");
  ps = await startPushService({ now: t.clock.now });
});
afterAll(async () => {
  await ps.close();
  await t.close();
});

async function roleOf(memberId: string): Promise<{ role: string; blockId: string | null }> {
  const r = await t.client.execute({ sql: "SELECT role, block_id FROM members WHERE id = ?", args: [memberId] });
  return { role: String(r.rows[0]![0]), blockId: (r.rows[0]![1] as string | null) ?? null };
}

async function count(sql: string, args: (string | number)[]): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

interface Block extends World {
  blockId: string;
  /** The block's six households: 1 (the 班長's), 2 paper, 3 (to be exempt), 4 (to leave), 5, 6. */
  hh: { id: string; label: string }[];
  /** A resident of households 1, 3, 4, 5 and 6 (index by household number − 1; 2 is paper, nobody). */
  res: (MemberFixture | undefined)[];
}

/** One block of six households; household 1's resident is its 班長. */
async function block(): Promise<Block> {
  const w = await world(t, { blocks: 2, perBlock: 6, paperEvery: 2 });
  const blockId = w.assoc.blockIds[0]!;
  const hh = w.assoc.households.filter((h) => h.blockId === blockId);
  // makeAssociation's paperEvery: 2 makes households 2, 4, 6 paper; only 2 stays paper here.
  for (const i of [3, 5])
    await t.client.execute({ sql: "UPDATE households SET channel = 'app' WHERE id = ?", args: [hh[i]!.id] });
  const res: (MemberFixture | undefined)[] = [];
  for (const i of [0, 2, 3, 4, 5]) res[i] = await makeResident(t, w.assoc.id, hh[i]!.id);
  await t.client.execute({
    sql: "UPDATE members SET role = 'block_leader', block_id = ? WHERE id = ?",
    args: [blockId, res[0]!.id],
  });
  return { ...w, blockId, hh, res };
}

const orderOf = (b: Block, exempt: number[] = []) => ({
  households: b.hh.map((h, i) => ({ id: h.id, exempt: exempt.includes(i) })),
});

describe("order and skip rules", () => {
  it("skips paper, exempt and left households, and wraps around", async () => {
    const b = await block();
    const saved = await b.api.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b, [2]));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.households.map((h: { skip: string | null }) => h.skip)).toEqual([
      null,
      "paper",
      "exempt",
      null,
      null,
      null,
    ]);
    // Household 4 leaves: it keeps its place in the list, and is passed over.
    expect((await b.api.patch(`/api/households/${b.hh[3]!.id}`, { left: true })).status).toBe(200);
    let r = (await b.api.get(`/api/blocks/${b.blockId}/rotation`)).body;
    // The answer is exactly its schema (the PWA's types are the schemas' outputs).
    expect(RotationSchema.parse(r)).toEqual(r);
    expect(r.households[3].skip).toBe("left");
    expect(r.currentHouseholdId).toBe(b.hh[0]!.id);
    expect(r.next).toMatchObject({ householdId: b.hh[4]!.id, memberId: b.res[4]!.id });

    const first = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: r.version });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.invite).toBeNull();
    expect(await roleOf(b.res[4]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
    expect(await roleOf(b.res[0]!.id)).toEqual({ role: "resident", blockId: null });
    r = first.body.rotation;
    expect(r.leaders.map((l: { id: string }) => l.id)).toEqual([b.res[4]!.id]);
    expect(r.next.householdId).toBe(b.hh[5]!.id);

    const second = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: r.version });
    expect(second.status).toBe(200);
    expect(await roleOf(b.res[5]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
    // From the last household back to the first (2 paper, 3 exempt, 4 left are passed over on the next lap too).
    expect(second.body.rotation.next.householdId).toBe(b.hh[0]!.id);
    const third = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, {
      version: second.body.rotation.version,
    });
    expect(third.status).toBe(200);
    expect(await roleOf(b.res[0]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
    expect(await roleOf(b.res[5]!.id)).toEqual({ role: "resident", blockId: null });
    // Every rotation is audited, by the leader.
    expect(
      await count("SELECT count(*) FROM audit_log WHERE action = 'rotation.next' AND target_id = ? AND actor_id = ?", [
        b.blockId,
        b.leader.id,
      ]),
    ).toBe(3);
    // Exactly one 班長 at every step.
    expect(await count("SELECT count(*) FROM members WHERE role = 'block_leader' AND block_id = ?", [b.blockId])).toBe(
      1,
    );
  });

  it("refuses bad input and a block without any other household that can serve, writing nothing", async () => {
    const b = await block();
    const other = await world(t);
    // A household of another association, of another block, or twice: nothing is saved.
    for (const households of [
      [{ id: other.assoc.households[0]!.id, exempt: false }],
      [{ id: b.assoc.households.find((h) => h.blockId !== b.blockId)!.id, exempt: false }],
      [
        { id: b.hh[0]!.id, exempt: false },
        { id: b.hh[0]!.id, exempt: true },
      ],
    ]) {
      const res = await b.api.put(`/api/blocks/${b.blockId}/rotation`, { households });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(errorOf(res).message).toMatch(/[ぁ-んァ-ン一-龯]/);
    }
    expect(await count("SELECT count(*) FROM block_rotations WHERE block_id = ?", [b.blockId])).toBe(0);
    // No order yet: 409.
    const early = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: 0 });
    expect(early.status).toBe(409);
    // Everyone else exempt: 409, and the 班長 stays.
    await b.api.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b, [2, 3, 4, 5]));
    const none = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: 0 });
    expect(none.status).toBe(409);
    expect(errorOf(none).messageEn).toMatch(/No household/);
    expect(await roleOf(b.res[0]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
    const bad = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: -1 });
    expect(bad.status).toBe(400);
  });
});

describe("a next household with no member", () => {
  it("gets an invite to print; the block waits; the household joins and the job makes it 班長", async () => {
    const b = await block();
    // Household 5's resident is removed: nobody of it has joined.
    await t.client.execute({ sql: "DELETE FROM sessions WHERE member_id = ?", args: [b.res[4]!.id] });
    await t.client.execute({ sql: "DELETE FROM members WHERE id = ?", args: [b.res[4]!.id] });
    const r = (await b.api.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b, [2, 3]))).body;
    expect(r.next).toMatchObject({ householdId: b.hh[4]!.id, memberId: null, memberName: null });
    const res = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: r.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(RotateResult.parse(res.body)).toEqual(res.body);
    expect(res.body.invite).toMatchObject({ kind: "household", householdId: b.hh[4]!.id });
    expect(res.body.invite.qrSvg).toContain("<svg");
    expect(res.body.rotation).toMatchObject({ awaiting: true, leaders: [], currentHouseholdId: b.hh[4]!.id });
    expect(await roleOf(b.res[0]!.id)).toEqual({ role: "resident", blockId: null });

    // A job run before anyone joins changes nothing.
    expect((await runPeriodicJobs({ db: t.db, config: t.config, now: t.clock.now() })).rotatedBlocks).toBe(0);
    const joined = await client(t).post("/api/join", { code: res.body.invite.code });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect((await runPeriodicJobs({ db: t.db, config: t.config, now: t.clock.now() })).rotatedBlocks).toBe(1);
    expect(await roleOf(joined.body.memberId)).toEqual({ role: "block_leader", blockId: b.blockId });
    const after = (await b.api.get(`/api/blocks/${b.blockId}/rotation`)).body;
    expect(after).toMatchObject({ awaiting: false, currentHouseholdId: b.hh[4]!.id });
    expect(after.next.householdId).toBe(b.hh[5]!.id);
    expect(
      await count("SELECT count(*) FROM audit_log WHERE action = 'rotation.joined' AND target_id = ?", [b.blockId]),
    ).toBe(1);
  });
});

describe("the term job", () => {
  it("knows the term: 1 April 00:00 JST", () => {
    expect(currentTerm(new Date("2027-03-31T23:59:59+09:00")).start.toISOString()).toBe("2026-03-31T15:00:00.000Z");
    expect(currentTerm(new Date("2027-04-01T00:00:00+09:00")).start.toISOString()).toBe("2027-03-31T15:00:00.000Z");
    expect(currentTerm(new Date("2027-12-31T23:00:00+09:00")).start.toISOString()).toBe("2027-03-31T15:00:00.000Z");
  });

  it("follows the association's own term: with a term from 1 May, 1 April changes nothing", async () => {
    t.clock.current = new Date("2027-03-20T10:00:00+09:00");
    const b = await block();
    await t.client.execute({ sql: "UPDATE associations SET term_start = '05-01' WHERE id = ?", args: [b.assoc.id] });
    await b.api.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b, [2]));
    const rotatedHere = async () => {
      await runPeriodicJobs({ db: t.db, config: t.config, now: t.clock.now() });
      return count("SELECT count(*) FROM audit_log WHERE action = 'rotation.term' AND target_id = ?", [b.blockId]);
    };
    t.clock.current = new Date("2027-04-01T00:10:00+09:00");
    expect(await rotatedHere()).toBe(0);
    expect(await roleOf(b.res[0]!.id)).toMatchObject({ role: "block_leader" });
    t.clock.current = new Date("2027-05-01T00:10:00+09:00");
    expect(await rotatedHere()).toBe(1);
    expect(await roleOf(b.res[3]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
  });

  it("rotates once across 31 March → 1 April, not again on a re-run; the new 班長 is told", async () => {
    t.clock.current = new Date("2027-03-31T20:00:00+09:00");
    const b = await block();
    const api5 = client(t, b.res[4]!.token);
    const sub = await api5.post("/api/push/subscriptions", await ps.subscription("hancho-5"));
    expect(sub.status).toBe(201);
    await b.api.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b, [2]));
    const jobs = () => runPeriodicJobs({ db: t.db, config: t.config, now: t.clock.now() });

    // 31 March, 23:30 JST: still the old term.
    t.clock.current = new Date("2027-03-31T23:30:00+09:00");
    expect((await jobs()).rotatedBlocks).toBe(0);
    expect(await roleOf(b.res[0]!.id)).toMatchObject({ role: "block_leader" });
    // 1 April, 00:10 JST: the first run of the new term rotates (this block and no other).
    t.clock.current = new Date("2027-04-01T00:10:00+09:00");
    const before = await count("SELECT count(*) FROM audit_log WHERE action = 'rotation.term'", []);
    // Two runners at once (the Node timer and a Worker's cron): each block rotates once between them.
    const [x, y] = await Promise.all([jobs(), jobs()]);
    expect(x.rotatedBlocks + y.rotatedBlocks).toBeGreaterThanOrEqual(1);
    expect(await count("SELECT count(*) FROM audit_log WHERE action = 'rotation.term'", [])).toBeGreaterThan(before);
    expect(await roleOf(b.res[3]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
    expect(await roleOf(b.res[0]!.id)).toEqual({ role: "resident", blockId: null });
    // Re-runs (an hour later, or two runners) change nothing.
    t.clock.advance(60 * 60 * 1000);
    expect((await jobs()).rotatedBlocks).toBe(0);
    expect(
      await count("SELECT count(*) FROM audit_log WHERE action = 'rotation.term' AND target_id = ?", [b.blockId]),
    ).toBe(1);
    expect(await roleOf(b.res[3]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });

    // The 班長 of household 4 had no device; the next one (5) gets its push, after the quiet hours.
    const r = (await b.api.get(`/api/blocks/${b.blockId}/rotation`)).body;
    const pressed = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: r.version });
    expect(pressed.status).toBe(200);
    t.clock.current = new Date("2027-04-01T07:01:00+09:00");
    await runPushJobs({ db: t.db, config: t.config, now: t.clock.now });
    const [msg] = await ps.waitFor(1);
    const payload = parsePayload(JSON.parse(msg!.payload!));
    expect(payload).toMatchObject({ kind: "rotation", circularId: null, title: "班長になりました" });
    const shown = notificationFor(payload);
    expect(shown.title).toBe("班長になりました");
    expect(targetPath(shown.options.data)).toBe("/leader/hancho");
    // No name of anyone in the push.
    expect(msg!.payload).not.toContain(b.hh[4]!.label);

    // The guide: shown once, then no longer by itself.
    const guide = await api5.get("/api/rotation/guide");
    expect(GuideSchema.parse(guide.body)).toEqual(guide.body);
    expect(guide.body.guide).toMatchObject({ blockId: b.blockId, blockName: "1班", unseen: true });
    expect((await api5.post("/api/rotation/guide/seen")).body.guide.unseen).toBe(false);
    expect((await client(t, b.res[0]!.token).get("/api/rotation/guide")).body.guide).toBeNull();
  });
});

describe("two presses at once", () => {
  it("rotate once: one 200, one 409, one audit row, one 班長", async () => {
    const b = await block();
    const leader2 = await makeStaff(t, b.assoc.id);
    const r = (await b.api.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b))).body;
    const [x, y] = await Promise.all([
      b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: r.version }),
      client(t, leader2.token).post(`/api/blocks/${b.blockId}/rotation/next`, { version: r.version }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect(errorOf(x.status === 409 ? x : y).message).toContain("すでに交代");
    expect(
      await count("SELECT count(*) FROM audit_log WHERE action = 'rotation.next' AND target_id = ?", [b.blockId]),
    ).toBe(1);
    expect(await count("SELECT count(*) FROM members WHERE role = 'block_leader' AND block_id = ?", [b.blockId])).toBe(
      1,
    );
    expect(await roleOf(b.res[2]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
    // A press after the first, with the version it saw: 409 too.
    const late = await b.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: r.version });
    expect(late.status).toBe(409);
  });
});

describe("an empty block", () => {
  it("can still be deleted with its rotation", async () => {
    const w = await world(t);
    const created = await w.api.post("/api/blocks", { name: "空の班" });
    expect(created.status).toBe(201);
    const saved = await w.api.put(`/api/blocks/${created.body.id}/rotation`, { households: [] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ configured: true, households: [], next: null });
    expect((await w.api.delete(`/api/blocks/${created.body.id}`)).status).toBeLessThan(300);
    expect(await count("SELECT count(*) FROM block_rotations WHERE block_id = ?", [created.body.id])).toBe(0);
  });
});

describe("scopes", () => {
  it("a block leader or resident cannot rotate; another association's leader gets 404", async () => {
    const b = await block();
    await b.api.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b));
    const hancho = client(t, b.res[0]!.token);
    const resident = client(t, b.res[2]!.token);
    for (const who of [hancho, resident]) {
      expect((await who.get(`/api/blocks/${b.blockId}/rotation`)).status).toBe(403);
      expect((await who.post(`/api/blocks/${b.blockId}/rotation/next`, { version: 0 })).status).toBe(403);
      expect((await who.put(`/api/blocks/${b.blockId}/rotation`, orderOf(b))).status).toBe(403);
    }
    const other = await world(t);
    for (const res of [
      await other.api.get(`/api/blocks/${b.blockId}/rotation`),
      await other.api.post(`/api/blocks/${b.blockId}/rotation/next`, { version: 0 }),
      await other.api.put(`/api/blocks/${b.blockId}/rotation`, { households: [] }),
    ]) {
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe("not_found");
    }
    expect((await client(t).get("/api/rotation/guide")).status).toBe(401);
    expect(await roleOf(b.res[0]!.id)).toEqual({ role: "block_leader", blockId: b.blockId });
  });
});
