// Blocks, households and members through the real HTTP stack and database: CRUD, who may do what, the scoping by
// association, what leaving and disabling do to sessions and audiences, and the audit trail of every change.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, blocks, households, members, receipts, sessions } from "../../server/db/schema";
import { createTestApp, type TestApp } from "../helpers/app";
import {
  makeAssociation,
  makeResident,
  makeStaff,
  type AssociationFixture,
  type MemberFixture,
} from "../helpers/factories";
import { client, errorOf, type Res, expectError } from "../helpers/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Any Japanese (kana or kanji) in a message shown to people. */

/** Each test builds its own association: two blocks of two households, and its leader. */
async function setup(): Promise<{ assoc: AssociationFixture; leader: MemberFixture; api: ReturnType<typeof client> }> {
  const assoc = await makeAssociation(t, { blocks: 2, perBlock: 2 });
  const leader = await makeStaff(t, assoc.id);
  return { assoc, leader, api: client(t, leader.token) };
}

async function sessionCount(memberId: string) {
  return (await t.db.select().from(sessions).where(eq(sessions.memberId, memberId))).length;
}

async function auditCount(associationId: string) {
  return (await t.db.select().from(auditLog).where(eq(auditLog.associationId, associationId))).length;
}

describe("blocks", () => {
  it("lists, creates, renames, reorders and deletes blocks", async () => {
    const { assoc, api } = await setup();
    const list = await api.get("/api/blocks");
    expect(list.status).toBe(200);
    expect(list.body.blocks).toEqual([
      { id: assoc.blockIds[0], name: "1班", sortOrder: 1, households: 2 },
      { id: assoc.blockIds[1], name: "2班", sortOrder: 2, households: 2 },
    ]);

    const created = await api.post("/api/blocks", { name: "  3班  " });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "3班", sortOrder: 3, households: 0 });
    const id = created.body.id as string;

    const renamed = await api.patch(`/api/blocks/${id}`, { name: "みどり班", sortOrder: 0 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ id, name: "みどり班", sortOrder: 0 });
    // Its own name again is not a clash.
    expect((await api.patch(`/api/blocks/${id}`, { name: "みどり班" })).status).toBe(200);
    const after = await api.get("/api/blocks");
    expect(after.body.blocks.map((b: { name: string }) => b.name)).toEqual(["みどり班", "1班", "2班"]);

    expect((await api.delete(`/api/blocks/${id}`)).status).toBe(204);
    expect((await api.get("/api/blocks")).body.blocks.map((b: { id: string }) => b.id)).toEqual(assoc.blockIds);
    expectError(await api.delete(`/api/blocks/${id}`), 404, "not_found");
  });

  it("refuses a duplicate name with 409 and a Japanese message, also for two requests at once", async () => {
    const { assoc, api } = await setup();
    const dup = expectError(await api.post("/api/blocks", { name: "1班" }), 409, "conflict");
    expect(dup.message).toContain("「1班」という班はすでにあります");
    const rename = expectError(await api.patch(`/api/blocks/${assoc.blockIds[1]}`, { name: "1班" }), 409, "conflict");
    expect(rename.message).toContain("「1班」");
    // A double-clicked 「追加」: one wins, the other is told the name is taken (never a 500).
    const both = await Promise.all([
      api.post("/api/blocks", { name: "新しい班" }),
      api.post("/api/blocks", { name: "新しい班" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(errorOf(both.find((r) => r.status === 409)!).message).toContain("「新しい班」");
    const names = (await t.db.select().from(blocks).where(eq(blocks.associationId, assoc.id)))
      .map((b) => b.name)
      .sort();
    expect(names).toEqual(["1班", "2班", "新しい班"].sort());
    // Another association may use the same name.
    const other = await setup();
    expect((await other.api.post("/api/blocks", { name: "新しい班" })).status).toBe(201);
  });

  it("refuses to delete a block that has households (409), even households that have left", async () => {
    const { assoc, api } = await setup();
    const e = expectError(await api.delete(`/api/blocks/${assoc.blockIds[0]}`), 409, "conflict");
    expect(e.message).toContain("削除できません");
    const [row] = await t.db.select().from(blocks).where(eq(blocks.id, assoc.blockIds[0]!));
    expect(row).toBeDefined();

    const empty = await api.post("/api/blocks", { name: "空き班" });
    const hh = await api.post("/api/households", { label: "転出予定", blockId: empty.body.id });
    expect((await api.patch(`/api/households/${hh.body.id}`, { left: true })).status).toBe(200);
    expectError(await api.delete(`/api/blocks/${empty.body.id}`), 409, "conflict");
  });
});

describe("households", () => {
  it("creates, reads, lists and updates households", async () => {
    const { assoc, api } = await setup();
    const [b1, b2] = assoc.blockIds as [string, string];
    const created = await api.post("/api/households", { label: "山田", blockId: b1 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      label: "山田",
      blockId: b1,
      blockName: "1班",
      channel: "app",
      leftAt: null,
      members: 0,
      devices: 0,
    });
    const id = created.body.id as string;
    expect((await api.get(`/api/households/${id}`)).body).toEqual(created.body);

    const paper = await api.post("/api/households", { label: "佐藤", blockId: b2, channel: "paper" });
    expect(paper.body.channel).toBe("paper");

    const list = await api.get("/api/households");
    expect(list.status).toBe(200);
    expect(list.body.households).toHaveLength(6);
    const inB2 = await api.get(`/api/households?blockId=${b2}`);
    expect(inB2.body.households.map((h: { label: string }) => h.label).sort()).toEqual(
      ["世帯2-1", "世帯2-2", "佐藤"].sort(),
    );

    const updated = await api.patch(`/api/households/${id}`, { label: "山田（本家）", blockId: b2, channel: "paper" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, label: "山田（本家）", blockId: b2, blockName: "2班", channel: "paper" });
    const [row] = await t.db.select().from(households).where(eq(households.id, id));
    expect(row).toMatchObject({ label: "山田（本家）", blockId: b2, channel: "paper", leftAt: null });

    // Devices count the household's live sessions.
    await makeResident(t, assoc.id, id);
    expect((await api.get(`/api/households/${id}`)).body).toMatchObject({ members: 1, devices: 1 });
  });

  it("a household that leaves drops out of lists and new audiences, and its devices are signed out", async () => {
    const { assoc, api } = await setup();
    const leaving = assoc.households[0]!;
    const staying = assoc.households[1]!;
    const resident = await makeResident(t, assoc.id, leaving.id);
    const neighbour = await makeResident(t, assoc.id, staying.id);
    expect((await client(t, resident.token).get("/api/feed")).status).toBe(200);

    const res = await api.patch(`/api/households/${leaving.id}`, { left: true });
    expect(res.status).toBe(200);
    expect(res.body.leftAt).toBe(t.clock.now().toISOString());
    expect(res.body.devices).toBe(0);

    // Signed out: the session row is gone and the cookie no longer works; the neighbour is untouched.
    expect(await sessionCount(resident.id)).toBe(0);
    expectError(await client(t, resident.token).get("/api/feed"), 401, "unauthorized");
    expect((await client(t, neighbour.token).get("/api/feed")).status).toBe(200);

    // Out of the lists (unless asked for) and out of the block's count.
    const list = await api.get("/api/households");
    expect(list.body.households.map((h: { id: string }) => h.id)).not.toContain(leaving.id);
    expect(list.body.households).toHaveLength(3);
    const withLeft = await api.get("/api/households?includeLeft=true");
    expect(withLeft.body.households.find((h: { id: string }) => h.id === leaving.id)?.leftAt).toBe(res.body.leftAt);
    const blocksNow = await api.get("/api/blocks");
    expect(blocksNow.body.blocks.find((b: { id: string }) => b.id === leaving.blockId).households).toBe(1);

    // Out of a new circular's audience.
    const draft = await api.post("/api/circulars", { title: "総会のお知らせ", body: "集会所にて" });
    const pub = await api.post(`/api/circulars/${draft.body.id}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body.audienceSize).toBe(3);
    const rows = await t.db.select().from(receipts).where(eq(receipts.circularId, draft.body.id));
    expect(rows.map((r) => r.householdId)).not.toContain(leaving.id);
    expect(rows).toHaveLength(3);

    // Coming back puts it in the lists again.
    const back = await api.patch(`/api/households/${leaving.id}`, { left: false });
    expect(back.body.leftAt).toBeNull();
    expect((await api.get("/api/households")).body.households).toHaveLength(4);
  });

  it("end-sessions signs out every device of one household", async () => {
    const { assoc, api } = await setup();
    const a = await makeResident(t, assoc.id, assoc.households[0]!.id);
    const b = await makeResident(t, assoc.id, assoc.households[0]!.id);
    const other = await makeResident(t, assoc.id, assoc.households[1]!.id);
    const res = await api.post(`/api/households/${assoc.households[0]!.id}/end-sessions`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ended: 2 });
    expect(await sessionCount(a.id)).toBe(0);
    expect(await sessionCount(b.id)).toBe(0);
    expect(await sessionCount(other.id)).toBe(1);
  });

  it("a block leader sees only the households of their own block", async () => {
    const { assoc } = await setup();
    const [b1, b2] = assoc.blockIds as [string, string];
    const bl = await makeStaff(t, assoc.id, { role: "block_leader", blockId: b1 });
    const api = client(t, bl.token);
    const own = await api.get("/api/households");
    expect(own.status).toBe(200);
    expect(own.body.households).toHaveLength(2);
    for (const h of own.body.households) expect(h.blockId).toBe(b1);
    // Asking for another block changes nothing.
    const asked = await api.get(`/api/households?blockId=${b2}`);
    expect(asked.body.households.map((h: { id: string }) => h.id).sort()).toEqual(
      own.body.households.map((h: { id: string }) => h.id).sort(),
    );
    // Blocks are readable (names for the board); changes are the leaders'.
    expect((await api.get("/api/blocks")).status).toBe(200);
    expectError(await api.post("/api/blocks", { name: "勝手な班" }), 403, "forbidden");
    expectError(await api.post("/api/households", { label: "x", blockId: b1 }), 403, "forbidden");
    expectError(await api.patch(`/api/households/${assoc.households[0]!.id}`, { label: "x" }), 403, "forbidden");
    expectError(await api.get(`/api/households/${assoc.households[0]!.id}`), 403, "forbidden");
    expectError(await api.get("/api/members"), 403, "forbidden");
    expectError(await api.get("/api/audit"), 403, "forbidden");
  });
});

describe("members", () => {
  it("lists the association's members, optionally by household", async () => {
    const { assoc, leader, api } = await setup();
    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    const other = await setup();
    await makeResident(t, other.assoc.id, other.assoc.households[0]!.id);
    const all = await api.get("/api/members");
    expect(all.status).toBe(200);
    expect(all.body.members.map((m: { id: string }) => m.id).sort()).toEqual([leader.id, resident.id].sort());
    const mine = all.body.members.find((m: { id: string }) => m.id === resident.id);
    expect(mine).toMatchObject({
      role: "resident",
      email: null,
      householdId: assoc.households[0]!.id,
      disabledAt: null,
    });
    expect(mine.lastSeenAt).not.toBeNull();
    const byHousehold = await api.get(`/api/members?householdId=${assoc.households[0]!.id}`);
    expect(byHousehold.body.members.map((m: { id: string }) => m.id)).toEqual([resident.id]);
  });

  it("makes a block leader only with a block, and a leader only of someone with an email", async () => {
    const { assoc, api } = await setup();
    const staff = await makeStaff(t, assoc.id, { role: "leader" });
    const needsBlock = expectError(
      await api.patch(`/api/members/${staff.id}`, { role: "block_leader" }),
      400,
      "validation_failed",
    );
    expect(needsBlock.message).toContain("班");
    expect((await t.db.select().from(members).where(eq(members.id, staff.id)))[0]!.role).toBe("leader");

    const ok = await api.patch(`/api/members/${staff.id}`, { role: "block_leader", blockId: assoc.blockIds[1] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: staff.id, role: "block_leader", blockId: assoc.blockIds[1] });
    // Their session follows the new role at once.
    const seen = await client(t, staff.token).get("/api/households");
    expect(seen.status).toBe(200);
    for (const h of seen.body.households) expect(h.blockId).toBe(assoc.blockIds[1]);

    const back = await api.patch(`/api/members/${staff.id}`, { role: "leader" });
    expect(back.body).toMatchObject({ role: "leader", blockId: null });

    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    for (const role of ["leader", "block_leader"]) {
      const e = expectError(
        await api.patch(`/api/members/${resident.id}`, { role, blockId: assoc.blockIds[0] }),
        409,
        "conflict",
      );
      expect(e.message).toContain("メールアドレス");
    }
    const [row] = await t.db.select().from(members).where(eq(members.id, resident.id));
    expect(row).toMatchObject({ role: "resident", blockId: null });

    const renamed = await api.patch(`/api/members/${resident.id}`, { displayName: "山田さん宅のタブレット" });
    expect(renamed.body.displayName).toBe("山田さん宅のタブレット");
  });

  it("disabling a member ends their sessions; a leader cannot disable or demote themself", async () => {
    const { assoc, leader, api } = await setup();
    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    const sameHousehold = await makeResident(t, assoc.id, assoc.households[0]!.id);
    expect((await client(t, resident.token).get("/api/feed")).status).toBe(200);

    const res = await api.patch(`/api/members/${resident.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabledAt).toBe(t.clock.now().toISOString());
    expect(await sessionCount(resident.id)).toBe(0);
    expectError(await client(t, resident.token).get("/api/feed"), 401, "unauthorized");
    expect((await client(t, sameHousehold.token).get("/api/feed")).status).toBe(200);

    const staff = await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[0] });
    expect((await api.patch(`/api/members/${staff.id}`, { disabled: true })).status).toBe(200);
    expect(await sessionCount(staff.id)).toBe(0);
    expectError(await client(t, staff.token).get("/api/households"), 401, "unauthorized");

    const re = await api.patch(`/api/members/${resident.id}`, { disabled: false });
    expect(re.body.disabledAt).toBeNull();

    expectError(await api.patch(`/api/members/${leader.id}`, { disabled: true }), 409, "conflict");
    expectError(await api.patch(`/api/members/${leader.id}`, { role: "resident" }), 409, "conflict");
    expect(await sessionCount(leader.id)).toBe(1);
    expect((await api.get("/api/members")).status).toBe(200);
  });
});

describe("audit log", () => {
  it("has an entry with the actor's name for every change a leader made, and none for refused ones", async () => {
    const { assoc, leader, api } = await setup();
    const me = await api.get("/api/auth/me");
    const actorName = me.body.displayName as string;
    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    const staff = await makeStaff(t, assoc.id, { role: "leader" });
    const startCount = await auditCount(assoc.id);

    const expected: { action: string; targetId: string }[] = [];
    /** One change a minute apart; `targetId` picks the changed row's id from the response. */
    const step = async (call: () => Promise<Res>, status: number, action: string, targetId: (r: Res) => string) => {
      t.clock.advance(60_000);
      const r = await call();
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(status);
      expected.push({ action, targetId: targetId(r) });
      return r;
    };
    const idOf = (r: Res) => r.body.id as string;
    const block = await step(() => api.post("/api/blocks", { name: "3班" }), 201, "block.create", idOf);
    await step(() => api.patch(`/api/blocks/${block.body.id}`, { name: "三班" }), 200, "block.update", idOf);
    const hh = await step(
      () => api.post("/api/households", { label: "鈴木", blockId: block.body.id }),
      201,
      "household.create",
      idOf,
    );
    await step(
      () => api.patch(`/api/households/${hh.body.id}`, { blockId: assoc.blockIds[0] }),
      200,
      "household.update",
      idOf,
    );
    await step(() => api.patch(`/api/households/${hh.body.id}`, { left: true }), 200, "household.update", idOf);
    await step(
      () => api.delete(`/api/blocks/${block.body.id}`),
      204,
      "block.delete",
      () => block.body.id,
    );
    await step(
      () => api.patch(`/api/members/${staff.id}`, { role: "block_leader", blockId: assoc.blockIds[1] }),
      200,
      "member.update",
      idOf,
    );
    await step(() => api.patch(`/api/members/${resident.id}`, { disabled: true }), 200, "member.update", idOf);
    const h2 = assoc.households[1]!.id;
    await step(
      () => api.post(`/api/households/${h2}/end-sessions`),
      200,
      "household.sessions.end",
      () => h2,
    );

    // Refused changes leave no trace.
    t.clock.advance(1000);
    expect((await api.post("/api/blocks", { name: "1班" })).status).toBe(409);
    expect((await api.patch(`/api/members/${resident.id}`, { role: "leader" })).status).toBe(409);
    expect((await api.patch(`/api/members/${staff.id}`, { role: "block_leader", blockId: null })).status).toBe(400);
    expect((await api.delete(`/api/blocks/${assoc.blockIds[0]}`)).status).toBe(409);
    expect((await api.patch(`/api/members/${leader.id}`, { disabled: true })).status).toBe(409);
    expect(await auditCount(assoc.id)).toBe(startCount + expected.length);

    const res = await api.get("/api/audit");
    expect(res.status).toBe(200);
    const entries = res.body.entries as {
      action: string;
      targetId: string;
      actorName: string;
      at: string;
      detail: any;
    }[];
    const mine = entries.filter((e) => expected.some((x) => x.targetId === e.targetId && x.action === e.action));
    expect(mine).toHaveLength(expected.length);
    for (const e of mine) expect(e.actorName).toBe(actorName);
    // Newest first, in the order the changes were made.
    expect(mine.map((e) => e.action)).toEqual(expected.map((x) => x.action).reverse());
    expect(mine.map((e) => e.at)).toEqual(
      mine
        .map((e) => e.at)
        .sort()
        .reverse(),
    );

    // The detail says what changed.
    const left = mine.find((e) => e.action === "household.update" && e.detail.after.left === true);
    expect(left?.detail).toMatchObject({ before: { left: false }, after: { left: true } });
    const promoted = mine.find((e) => e.targetId === staff.id);
    expect(promoted?.detail).toMatchObject({
      before: { role: "leader" },
      after: { role: "block_leader", blockId: assoc.blockIds[1] },
    });
    expect(JSON.stringify(entries)).not.toMatch(/password|token/i);

    // limit works; another association sees none of it.
    expect((await api.get("/api/audit?limit=2")).body.entries).toHaveLength(2);
    const other = await setup();
    const theirs = await other.api.get("/api/audit");
    expect(theirs.status).toBe(200);
    const ids = new Set(expected.map((x) => x.targetId));
    expect(theirs.body.entries.filter((e: { targetId: string }) => ids.has(e.targetId))).toEqual([]);
  });
});

describe("who may", () => {
  it("residents get 403 on every household, block, member and audit route", async () => {
    const { assoc } = await setup();
    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    const r = client(t, resident.token);
    const h = assoc.households[0]!.id;
    const calls: [string, Promise<Res>][] = [
      ["GET /blocks", r.get("/api/blocks")],
      ["POST /blocks", r.post("/api/blocks", { name: "住民の班" })],
      ["PATCH /blocks", r.patch(`/api/blocks/${assoc.blockIds[0]}`, { name: "x" })],
      ["DELETE /blocks", r.delete(`/api/blocks/${assoc.blockIds[0]}`)],
      ["GET /households", r.get("/api/households")],
      ["POST /households", r.post("/api/households", { label: "x", blockId: assoc.blockIds[0] })],
      ["GET /households/id", r.get(`/api/households/${h}`)],
      ["PATCH /households/id", r.patch(`/api/households/${h}`, { left: true })],
      ["POST end-sessions", r.post(`/api/households/${h}/end-sessions`)],
      ["GET /members", r.get("/api/members")],
      ["PATCH /members/id", r.patch(`/api/members/${resident.id}`, { role: "leader" })],
      ["GET /audit", r.get("/api/audit")],
    ];
    for (const [name, call] of calls) {
      const res = await call;
      expect(res.status, name).toBe(403);
      expect(errorOf(res).code, name).toBe("forbidden");
    }
    const [row] = await t.db.select().from(households).where(eq(households.id, h));
    expect(row!.leftAt).toBeNull();
    expect(await sessionCount(resident.id)).toBe(1);
    expect(
      (await t.db.select().from(blocks).where(eq(blocks.associationId, assoc.id))).map((b) => b.name).sort(),
    ).toEqual(["1班", "2班"]);
  });

  it("ids of another association answer 404 and change nothing", async () => {
    const ours = await setup();
    const resident = await makeResident(t, ours.assoc.id, ours.assoc.households[0]!.id);
    const staff = await makeStaff(t, ours.assoc.id, { role: "leader" });
    const theirs = await setup();
    const api = theirs.api;
    const [block] = ours.assoc.blockIds as [string];
    const h = ours.assoc.households[0]!.id;
    const auditBefore = await auditCount(ours.assoc.id);

    const calls: [string, Promise<Res>][] = [
      ["PATCH block", api.patch(`/api/blocks/${block}`, { name: "乗っ取り" })],
      ["DELETE block", api.delete(`/api/blocks/${block}`)],
      ["GET household", api.get(`/api/households/${h}`)],
      ["PATCH household", api.patch(`/api/households/${h}`, { label: "乗っ取り", left: true })],
      ["end-sessions", api.post(`/api/households/${h}/end-sessions`)],
      ["PATCH member", api.patch(`/api/members/${resident.id}`, { disabled: true })],
      ["PATCH staff", api.patch(`/api/members/${staff.id}`, { role: "resident" })],
      ["POST household into their block", api.post("/api/households", { label: "x", blockId: block })],
      [
        "move own household to their block",
        api.patch(`/api/households/${theirs.assoc.households[0]!.id}`, { blockId: block }),
      ],
    ];
    for (const [name, call] of calls) {
      const res = await call;
      expect(res.status, name).toBe(404);
      expect(errorOf(res).code, name).toBe("not_found");
      expect(errorOf(res).message, name).toMatch(/見つかりません/);
    }
    // Their own member made block leader of our block: 404 too.
    const theirStaff = await makeStaff(t, theirs.assoc.id, { role: "leader" });
    expectError(
      await api.patch(`/api/members/${theirStaff.id}`, { role: "block_leader", blockId: block }),
      404,
      "not_found",
    );

    // Lists filtered by our ids show nothing of ours.
    expect((await api.get(`/api/households?blockId=${block}`)).body.households).toEqual([]);
    expect((await api.get(`/api/members?householdId=${h}`)).body.members).toEqual([]);

    // Nothing changed.
    const [b] = await t.db.select().from(blocks).where(eq(blocks.id, block));
    expect(b!.name).toBe("1班");
    const [hh] = await t.db.select().from(households).where(eq(households.id, h));
    expect(hh).toMatchObject({ label: "世帯1-1", leftAt: null, associationId: ours.assoc.id });
    const [m] = await t.db.select().from(members).where(eq(members.id, resident.id));
    expect(m!.disabledAt).toBeNull();
    const [s] = await t.db.select().from(members).where(eq(members.id, staff.id));
    expect(s!.role).toBe("leader");
    const [theirHousehold] = await t.db
      .select()
      .from(households)
      .where(eq(households.id, theirs.assoc.households[0]!.id));
    expect(theirHousehold!.blockId).toBe(theirs.assoc.blockIds[0]);
    expect(await sessionCount(resident.id)).toBe(1);
    expect(
      await t.db
        .select()
        .from(households)
        .where(and(eq(households.blockId, block), eq(households.associationId, theirs.assoc.id))),
    ).toEqual([]);
    expect(await auditCount(ours.assoc.id)).toBe(auditBefore);
  });
});

describe("validation", () => {
  it("answers 400 with a Japanese message per field", async () => {
    const { assoc, api } = await setup();
    const fieldsOf = (res: Res) => {
      const e = expectError(res, 400, "validation_failed");
      expect(e.message).toMatch(/^入力内容を確認してください。/);
      return Object.fromEntries((e.fields as { path: string; message: string }[]).map((f) => [f.path, f.message]));
    };

    expect(fieldsOf(await api.post("/api/blocks", {}))).toEqual({ name: "名前を入力してください。" });
    expect(fieldsOf(await api.post("/api/blocks", { name: "   " }))).toEqual({ name: "名前を入力してください。" });
    expect(fieldsOf(await api.post("/api/blocks", { name: "あ".repeat(41) }))).toEqual({
      name: "名前は40文字以内で入力してください。",
    });
    expect(fieldsOf(await api.post("/api/blocks", { name: "5班", sortOrder: -1 }))).toEqual({
      sortOrder: "並び順は0以上にしてください。",
    });
    // A value of the wrong type is not "missing".
    expect(fieldsOf(await api.post("/api/blocks", { name: 5 }))).toEqual({ name: "名前の形式が正しくありません。" });
    expect(fieldsOf(await api.post("/api/blocks", { name: "5班", sortOrder: "1" }))).toEqual({
      sortOrder: "並び順の形式が正しくありません。",
    });

    const hh = fieldsOf(await api.post("/api/households", { label: "", blockId: "", channel: "fax" }));
    expect(hh).toEqual({
      label: "世帯名を入力してください。",
      blockId: "班を入力してください。",
      channel: "受け取り方は次のいずれかを選んでください: app、paper。",
    });
    expect(fieldsOf(await api.post("/api/households", { label: "山田" }))).toEqual({
      blockId: "班を入力してください。",
    });
    const unknown = fieldsOf(
      await api.post("/api/households", { label: "山田", blockId: assoc.blockIds[0], note: "x" }),
    );
    expect(Object.values(unknown)).toEqual(["使えない項目が含まれています: note。"]);
    expect(fieldsOf(await api.patch(`/api/households/${assoc.households[0]!.id}`, { left: "yes" }))).toEqual({
      left: "退会の形式が正しくありません。",
    });
    expect(fieldsOf(await api.patch(`/api/members/${assoc.households[0]!.id}`, { role: "admin" }))).toEqual({
      role: "役割は次のいずれかを選んでください: resident、block_leader、leader。",
    });
    expect(fieldsOf(await api.get("/api/households?includeLeft=yes"))).toHaveProperty("includeLeft");
    expect(fieldsOf(await api.get("/api/audit?limit=0"))).toEqual({ limit: "件数は1以上にしてください。" });

    // Nothing was written by any of them.
    expect((await api.get("/api/blocks")).body.blocks).toHaveLength(2);
    expect((await api.get("/api/households")).body.households).toHaveLength(4);
  });
});
