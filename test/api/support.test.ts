// 要支援 (the support register): a household registers with consent, says what it needs and may name supporters;
// only the leader, the household's block leader and its named supporters ever see the entry (the list, the safety
// board), each view written to the audit log; everyone else (another block's leader, a resident not named, another
// association, the city) sees nothing, on every route. Withdrawing deletes at once; a paper form is recorded by a
// leader only; bad input is a 4xx that writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { world, type Api, type World } from "../helpers/flows";
import { client, expectError } from "../helpers/http";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.current = new Date("2026-11-02T10:00:00+09:00");
});
afterAll(() => t.close());

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

const views = (householdId: string, actorId?: string) =>
  actorId
    ? scalar("SELECT count(*) FROM audit_log WHERE action = 'support.view' AND target_id = ? AND actor_id = ?", [
        householdId,
        actorId,
      ])
    : scalar("SELECT count(*) FROM audit_log WHERE action = 'support.view' AND target_id = ?", [householdId]);
const entryRows = async (householdId: string) =>
  [
    await scalar("SELECT count(*) FROM support_needs WHERE household_id = ?", [householdId]),
    await scalar("SELECT count(*) FROM support_supporters WHERE household_id = ?", [householdId]),
  ].join();

interface Who extends MemberFixture {
  api: Api;
}
const as = (m: MemberFixture): Who => ({ ...m, api: client(t, m.token) });

interface Setup extends World {
  h1: { id: string; label: string };
  h3: { id: string; label: string };
  /** Reads for h1 (block 1), which registers. */
  registrant: Who;
  /** Reads for h2 (block 1): named as supporter. */
  supporter: Who;
  /** Reads for h2 too, but not named (same block, not a supporter): sees nothing. */
  neighbour: Who;
  /** Reads for h3 (block 2). */
  stranger: Who;
  blockLeader: Who;
  otherBlockLeader: Who;
  otherLeader: Who;
  city: Who;
}

async function setup(): Promise<Setup> {
  const w = await world(t, { blocks: 2, perBlock: 2 });
  const [h1, h2, h3] = w.assoc.households;
  const other = await world(t);
  return {
    ...w,
    h1: h1!,
    h3: h3!,
    registrant: as(await makeResident(t, w.assoc.id, h1!.id)),
    supporter: as(await makeResident(t, w.assoc.id, h2!.id)),
    neighbour: as(await makeResident(t, w.assoc.id, h2!.id)),
    stranger: as(await makeResident(t, w.assoc.id, h3!.id)),
    blockLeader: as(await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[0]! })),
    otherBlockLeader: as(await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[1]! })),
    otherLeader: as(other.leader),
    city: as(await makeStaff(t, null, { role: "city" })),
  };
}

async function register(s: Setup) {
  const res = await s.registrant.api.put("/api/support/mine", {
    needs: ["walking", "hearing"],
    note: " 階段が苦手です。 ",
    supporterIds: [s.supporter.id],
    consent: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.entry;
}

const listed = async (api: Api) => {
  const res = await api.get("/api/support");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.households as { householdId: string; needs: string[]; supporters: { id: string }[] }[];
};

describe("registering", () => {
  it("a household registers with consent, its needs, a note and supporters; it sees its own entry unaudited", async () => {
    const s = await setup();
    expect((await s.registrant.api.get("/api/support/mine")).body).toEqual({ entry: null, supporting: 0 });
    const entry = await register(s);
    expect(entry).toMatchObject({
      needs: ["walking", "hearing"],
      note: "階段が苦手です。",
      consent: "app",
      supporters: [{ id: s.supporter.id }],
    });
    const mine = await s.registrant.api.get("/api/support/mine");
    expect(mine.body.entry.needs).toEqual(["walking", "hearing"]);
    expect(await views(s.h1.id)).toBe(0);
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'support.register' AND target_id = ?", [s.h1.id]),
    ).toBe(1);
    // The supporter's settings learn how many households named them (a count: no view, no audit row).
    expect((await s.supporter.api.get("/api/support/mine")).body).toEqual({ entry: null, supporting: 1 });
    expect((await s.neighbour.api.get("/api/support/mine")).body.supporting).toBe(0);
    expect(await views(s.h1.id)).toBe(0);

    // The names to choose from: members of the association outside the household; never the city's.
    const candidates = await s.registrant.api.get("/api/support/candidates");
    expect(candidates.status).toBe(200);
    const ids = (candidates.body.members as { id: string }[]).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([s.supporter.id, s.blockLeader.id, s.leader.id]));
    expect(ids).not.toContain(s.registrant.id);
    expect(ids).not.toContain(s.otherLeader.id);
    expect(ids).not.toContain(s.city.id);
    expectError(await s.city.api.get("/api/support/candidates"), 403, "forbidden");
  });
});

describe("who sees an entry", () => {
  it("the leader, the household's block leader and its supporters, each view audited; nobody else", async () => {
    const s = await setup();
    await register(s);

    for (const who of [s.leader, s.blockLeader, s.supporter]) {
      const api = who === s.leader ? s.api : (who as Who).api;
      const before = await views(s.h1.id, who.id);
      const list = await listed(api);
      expect(list.map((h) => h.householdId)).toEqual([s.h1.id]);
      expect(list[0]).toMatchObject({
        label: s.h1.label,
        blockName: "1班",
        needs: ["walking", "hearing"],
        supporters: [{ id: s.supporter.id }],
      });
      expect(await views(s.h1.id, who.id)).toBe(before + 1);
    }
    const row = await t.client.execute({
      sql: "SELECT association_id, target_type, detail FROM audit_log WHERE action = 'support.view' AND actor_id = ?",
      args: [s.supporter.id],
    });
    expect({ ...row.rows[0] }).toEqual({
      association_id: s.assoc.id,
      target_type: "household",
      detail: JSON.stringify({ where: "support list" }),
    });

    const seen = await views(s.h1.id);
    // Another block's leader, a resident not named (same block), a resident of another block, another association.
    for (const who of [s.otherBlockLeader, s.neighbour, s.stranger, s.otherLeader])
      expect(await listed(who.api)).toEqual([]);
    // The household itself reads its own entry through /mine only, not the register.
    expect(await listed(s.registrant.api)).toEqual([]);
    // The city: refused on every route; not signed in: 401.
    expectError(await s.city.api.get("/api/support"), 403, "forbidden");
    expectError(await s.city.api.get("/api/support/mine"), 403, "forbidden");
    expectError(
      await s.city.api.put(`/api/households/${s.h1.id}/support`, { needs: [], consent: true }),
      403,
      "forbidden",
    );
    expectError(await s.city.api.delete(`/api/households/${s.h1.id}/support`), 403, "forbidden");
    expectError(await client(t).get("/api/support"), 401, "unauthorized");
    expect(await views(s.h1.id)).toBe(seen);
  });

  it("on the safety board: the entry for the leader and the block leader (audited), not for another block's", async () => {
    const s = await setup();
    await register(s);
    const started = await s.api.post("/api/safety/checks", { drill: true });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.check.id as string;
    const supportOn = (board: any) =>
      (board.blocks as any[])
        .flatMap((b) => [...b.help, ...b.unanswered, ...b.safe])
        .filter((h) => h.support !== null)
        .map((h) => ({ id: h.id, needs: h.support.needs }));

    for (const who of [s.leader, s.blockLeader]) {
      const api = who === s.leader ? s.api : (who as Who).api;
      const before = await views(s.h1.id, who.id);
      const board = await api.get(`/api/safety/checks/${id}/board`);
      expect(board.status, JSON.stringify(board.body)).toBe(200);
      expect(supportOn(board.body)).toEqual([{ id: s.h1.id, needs: ["walking", "hearing"] }]);
      expect(await views(s.h1.id, who.id)).toBe(before + 1);
    }
    const seen = await views(s.h1.id);
    const other = await s.otherBlockLeader.api.get(`/api/safety/checks/${id}/board`);
    expect(other.status).toBe(200);
    expect(supportOn(other.body)).toEqual([]);
    expect(JSON.stringify(other.body)).not.toContain("walking");
    // Residents (even the supporter) and the city have no board; another association's leader gets 404.
    expectError(await s.supporter.api.get(`/api/safety/checks/${id}/board`), 403, "forbidden");
    expectError(await s.city.api.get(`/api/safety/checks/${id}/board`), 403, "forbidden");
    expectError(await s.otherLeader.api.get(`/api/safety/checks/${id}/board`), 404, "not_found");
    expect(await views(s.h1.id)).toBe(seen);
  });
});

describe("withdrawing", () => {
  it("「登録をやめる」 deletes the entry and its supporters at once; nobody sees it any more", async () => {
    const s = await setup();
    await register(s);
    expect(await entryRows(s.h1.id)).toBe("1,1");
    const res = await s.registrant.api.delete("/api/support/mine");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ entry: null, supporting: 0 });
    expect(await entryRows(s.h1.id)).toBe("0,0");
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'support.withdraw' AND target_id = ?", [s.h1.id]),
    ).toBe(1);
    expect(await listed(s.api)).toEqual([]);
    expect(await listed(s.supporter.api)).toEqual([]);
    expect((await s.registrant.api.get("/api/support/mine")).body.entry).toBeNull();
    expect((await s.supporter.api.get("/api/support/mine")).body.supporting).toBe(0);
  });
});

describe("a paper form", () => {
  it("is recorded (and withdrawn) by the leader only", async () => {
    const s = await setup();
    const path = `/api/households/${s.h3.id}/support`;
    const body = { needs: ["sight", "medical"], note: "酸素ボンベを使っています", supporterIds: [], consent: true };

    expectError(await s.otherBlockLeader.api.put(path, body), 403, "forbidden");
    expectError(await s.blockLeader.api.put(path, body), 403, "forbidden");
    expectError(await s.stranger.api.put(path, body), 403, "forbidden");
    expectError(await s.otherLeader.api.put(path, body), 404, "not_found");
    expect(await entryRows(s.h3.id)).toBe("0,0");

    const res = await s.api.put(path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ needs: ["sight", "medical"], consent: "paper", supporters: [] });
    // The leader's households screen reads it back (audited); nobody else may use that route.
    const before = await views(s.h3.id, s.leader.id);
    expect((await s.api.get(path)).body.entry).toMatchObject({ needs: ["sight", "medical"], consent: "paper" });
    expect(await views(s.h3.id, s.leader.id)).toBe(before + 1);
    expect((await s.api.get(`/api/households/${s.h1.id}/support`)).body).toEqual({ entry: null });
    expectError(await s.otherBlockLeader.api.get(path), 403, "forbidden");
    expectError(await s.stranger.api.get(path), 403, "forbidden");
    expectError(await s.city.api.get(path), 403, "forbidden");
    expectError(await s.otherLeader.api.get(path), 404, "not_found");
    // Its block leader sees it; the household sees it as its own.
    expect((await listed(s.otherBlockLeader.api)).map((h) => h.householdId)).toEqual([s.h3.id]);
    expect((await s.stranger.api.get("/api/support/mine")).body.entry.consent).toBe("paper");

    expectError(await s.otherBlockLeader.api.delete(path), 403, "forbidden");
    expectError(await s.otherLeader.api.delete(path), 404, "not_found");
    expect(await entryRows(s.h3.id)).toBe("1,0");
    expect((await s.api.delete(path)).status).toBe(204);
    expect(await entryRows(s.h3.id)).toBe("0,0");
  });
});

describe("bad input", () => {
  it("is a 4xx in our error shape and writes nothing", async () => {
    const s = await setup();
    const other = await world(t);
    const foreign = await makeResident(t, other.assoc.id, other.assoc.households[0]!.id);
    const audits = () => scalar("SELECT count(*) FROM audit_log WHERE target_id IN (?, ?)", [s.h1.id, s.h3.id]);
    const before = [await entryRows(s.h1.id), await entryRows(s.h3.id), await audits()].join("|");
    const ok = { needs: ["walking"], note: "", supporterIds: [], consent: true };
    for (const bad of [
      { ...ok, consent: false },
      { needs: ["walking"] },
      { ...ok, consent: "yes" },
      { ...ok, needs: ["flying"] },
      { ...ok, needs: "walking" },
      { ...ok, note: "あ".repeat(201) },
      { ...ok, supporterIds: Array.from({ length: 11 }, (_, i) => `m${i}`) },
      { ...ok, supporterIds: [""] },
      { ...ok, extra: 1 },
    ]) {
      expectError(await s.registrant.api.put("/api/support/mine", bad), 400, "validation_failed");
      expectError(await s.api.put(`/api/households/${s.h3.id}/support`, bad), 400, "validation_failed");
    }
    expectError(await s.registrant.api.put("/api/support/mine", "{"), 400, "invalid_json");
    // A supporter who is not a member of this association.
    for (const id of ["no-such-member", s.otherLeader.id, foreign.id, s.city.id]) {
      expectError(await s.registrant.api.put("/api/support/mine", { ...ok, supporterIds: [id] }), 404, "not_found");
      expectError(
        await s.api.put(`/api/households/${s.h3.id}/support`, { ...ok, supporterIds: [id] }),
        404,
        "not_found",
      );
    }
    expectError(await s.api.put(`/api/households/no-such-household/support`, ok), 404, "not_found");
    expect([await entryRows(s.h1.id), await entryRows(s.h3.id), await audits()].join("|")).toBe(before);
  });
});
