// 安否確認 through the real app: starting (one open check per association, an urgent push to every subscribed
// device through quiet hours, respecting members who turned pushes off), households answering through the answers'
// path (and changing their answer), 班長 visits racing with the household's own answer (latest wins, both in the
// history), closing (409 after), drills kept out of the city's figures, scopes (a block leader's block, residents
// their own state, another association 404), the report and CSV; and the 要支援 register's visibility and audit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { publish, world, type Api, type World } from "../helpers/flows";
import { b64u, generateUaKeys } from "../helpers/ece";
import { client, expectError } from "../helpers/http";

let t: TestApp;
// 23:30 JST: inside quiet hours, when a normal circular's push would wait until 7:00.
const START = new Date("2026-11-02T23:30:00+09:00");
const MIN = 60 * 1000;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.current = new Date(START);
});
afterAll(() => t.close());

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

interface Resident {
  member: MemberFixture;
  api: Api;
  householdId: string;
  blockId: string;
}
interface Setup extends World {
  residents: Resident[];
}

async function setup(opts: { blocks?: number; perBlock?: number; paperEvery?: number } = {}): Promise<Setup> {
  const w = await world(t, { blocks: opts.blocks ?? 2, perBlock: opts.perBlock ?? 3, paperEvery: opts.paperEvery });
  const residents: Resident[] = [];
  for (const h of w.assoc.households) {
    const member = await makeResident(t, w.assoc.id, h.id);
    residents.push({ member, api: client(t, member.token), householdId: h.id, blockId: h.blockId });
  }
  return { ...w, residents };
}

async function start(api: Api, body: Record<string, unknown> = {}) {
  const res = await api.post("/api/safety/checks", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { check: { id: string; drill: boolean; message: string }; households: number };
}

const help = (needs: string[] = ["injury"], note?: string) => ({
  answers: { state: { choice: "help" }, needs: { choices: needs }, ...(note ? { note: { text: note } } : {}) },
});
const safe = { answers: { state: { choice: "safe" } } };

describe("starting a check", () => {
  it("reaches every household, with the default message, and only one can be open at a time", async () => {
    const w = await setup();
    const started = await start(w.api);
    expect(started.households).toBe(6);
    expect(started.check.message).toBe("地震がありました。ご無事ですか？");
    expect(started.check.drill).toBe(false);
    const again = await w.api.post("/api/safety/checks", { drill: true });
    expectError(again, 409, "conflict");
    expect(again.body.error.message).toContain("すでに始まっています");
    expect(
      await scalar("SELECT count(*) FROM circulars WHERE association_id = ? AND kind = 'safety'", [w.assoc.id]),
    ).toBe(1);
    // Not a circular to read: neither the residents' feed nor the leaders' list shows it.
    const feed = await w.residents[0]!.api.get("/api/feed");
    expect(feed.body.circulars).toEqual([]);
    expect(feed.body.unread).toBe(0);
    expect((await w.api.get("/api/circulars")).body.circulars ?? (await w.api.get("/api/circulars")).body).toEqual([]);
    // It is the household's open check.
    const mine = await w.residents[0]!.api.get("/api/safety/mine");
    expect(mine.status).toBe(200);
    expect(mine.body.checks).toHaveLength(1);
    expect(mine.body.checks[0]).toMatchObject({ id: started.check.id, answer: null, drill: false });
  });

  it("only leaders start; bad input is a 400 that writes nothing", async () => {
    const w = await setup();
    const blockLeader = await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[0] });
    expectError(await client(t, blockLeader.token).post("/api/safety/checks", {}), 403, "forbidden");
    expectError(await w.residents[0]!.api.post("/api/safety/checks", {}), 403, "forbidden");
    expectError(await w.api.post("/api/safety/checks", { message: "x".repeat(201) }), 400, "validation_failed");
    expectError(await w.api.post("/api/safety/checks", { drill: "yes" }), 400, "validation_failed");
    expectError(await w.api.post("/api/safety/checks", { other: 1 }), 400, "validation_failed");
    expect(await scalar("SELECT count(*) FROM circulars WHERE association_id = ?", [w.assoc.id])).toBe(0);
  });

  it("queues an urgent push to every subscribed device at once, in quiet hours too, except members who turned pushes off", async () => {
    const w = await setup({ blocks: 1, perBlock: 3 });
    const now = t.clock.now().getTime();
    for (const [i, r] of w.residents.entries()) {
      const ua = await generateUaKeys();
      const res = await r.api.post("/api/push/subscriptions", {
        endpoint: `https://push.example.net/send/${w.assoc.id}-${i}`,
        keys: { p256dh: b64u.encode(ua.publicKey), auth: b64u.encode(ua.authSecret) },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const subscribed = await scalar("SELECT count(*) FROM push_subscriptions WHERE association_id = ?", [w.assoc.id]);
    // The third household's member wants no pushes at all.
    await w.residents[2]!.api.put("/api/push/preferences", { mode: "off" });
    const off = await scalar(
      `SELECT count(*) FROM push_subscriptions s JOIN push_preferences p ON p.member_id = s.member_id
       WHERE s.association_id = ? AND p.mode = 'off'`,
      [w.assoc.id],
    );
    const started = await start(w.api, { drill: true });
    const queued = await t.client.execute({
      sql: "SELECT kind, urgent, next_attempt_at, attempts FROM push_outbox WHERE circular_id = ?",
      args: [started.check.id],
    });
    expect(queued.rows.length).toBe(subscribed - off);
    for (const row of queued.rows) {
      expect(row.kind).toBe("safety");
      expect(Number(row.urgent)).toBe(1);
      // Due at once (a normal circular's would wait until 7:00): already claimed by the sender, or waiting for it.
      expect(Number(row.attempts) > 0 || Number(row.next_attempt_at) <= now).toBe(true);
    }
  });
});

describe("answers", () => {
  it("a household answers through the answers' path, changes its answer, and it acknowledges nothing else", async () => {
    const w = await setup();
    const { check } = await start(w.api);
    const r = w.residents[0]!;
    const first = await r.api.post(`/api/feed/${check.id}/answer`, help(["injury", "supplies"], "足をけがしました"));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    let mine = (await r.api.get("/api/safety/mine")).body.checks[0];
    expect(mine.answer).toMatchObject({
      state: "help",
      needs: ["injury", "supplies"],
      note: "足をけがしました",
      channel: "app",
    });
    t.clock.advance(MIN);
    expect((await r.api.post(`/api/feed/${check.id}/answer`, safe)).status).toBe(200);
    mine = (await r.api.get("/api/safety/mine")).body.checks[0];
    expect(mine.answer).toMatchObject({ state: "safe", needs: [], note: "" });
    // Both answers stay in the history; the board shows the latest.
    expect(await scalar("SELECT count(*) FROM safety_events WHERE circular_id = ?", [check.id])).toBe(2);
    const board = (await w.api.get(`/api/safety/checks/${check.id}/board`)).body;
    expect(board.check.counts).toMatchObject({ targeted: 6, answered: 1, safe: 1, help: 0, unanswered: 5 });
    // Validation: a state that is not offered is a 400 naming it; nothing written.
    const bad = await r.api.post(`/api/feed/${check.id}/answer`, { answers: { state: { choice: "fine" } } });
    expectError(bad, 400, "validation_failed");
    expect(await scalar("SELECT count(*) FROM safety_events WHERE circular_id = ?", [check.id])).toBe(2);
  });

  it("the board lists 助けが必要 first across blocks, then per block 助けが必要 / 未回答 / 無事", async () => {
    const w = await setup({ paperEvery: 3 });
    const { check } = await start(w.api);
    await w.residents[1]!.api.post(`/api/feed/${check.id}/answer`, help(["home"], "家が傾いています"));
    await w.residents[4]!.api.post(`/api/feed/${check.id}/answer`, safe);
    const board = (await w.api.get(`/api/safety/checks/${check.id}/board`)).body;
    expect(board.needHelp.map((h: { id: string }) => h.id)).toEqual([w.residents[1]!.householdId]);
    expect(board.needHelp[0]).toMatchObject({
      answer: { needs: ["home"], note: "家が傾いています" },
      blockName: "1班",
    });
    const b1 = board.blocks[0];
    expect(b1.help.map((h: { id: string }) => h.id)).toEqual([w.residents[1]!.householdId]);
    expect(b1.unanswered).toHaveLength(2);
    expect(b1.unanswered.find((h: { paper: boolean }) => h.paper)).toBeTruthy();
    expect(board.blocks[1].safe.map((h: { id: string }) => h.id)).toEqual([w.residents[4]!.householdId]);
  });

  it("two members of one household answering at once leave one answer; a visit racing the household's answer: the later wins, both kept", async () => {
    const w = await setup();
    const { check } = await start(w.api);
    const r = w.residents[0]!;
    const second = client(t, (await makeResident(t, w.assoc.id, r.householdId)).token);
    const [a, b] = await Promise.all([
      r.api.post(`/api/feed/${check.id}/answer`, safe),
      second.post(`/api/feed/${check.id}/answer`, help()),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(
      await scalar("SELECT count(*) FROM answers WHERE circular_id = ? AND household_id = ?", [
        check.id,
        r.householdId,
      ]),
    ).toBe(1);
    expect(
      await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND household_id = ? AND read_at IS NOT NULL", [
        check.id,
        r.householdId,
      ]),
    ).toBe(1);
    // The block leader visits a minute later and finds the household safe; the household's own answer then comes
    // in with a time before the visit (queued offline): the visit stays the answer, both are in the history.
    const blockLeader = await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: r.blockId });
    t.clock.advance(MIN);
    const visit = await client(t, blockLeader.token).put(
      `/api/safety/checks/${check.id}/households/${r.householdId}/visit`,
      { state: "safe", channel: "visit" },
    );
    expect(visit.status, JSON.stringify(visit.body)).toBe(200);
    const late = await r.api.post(`/api/feed/${check.id}/answer`, {
      ...help(),
      answeredAt: new Date(t.clock.now().getTime() - 30 * 1000).toISOString(),
    });
    expect(late.status).toBe(200);
    expect(late.body.accepted).toBe(false);
    const mine = (await r.api.get("/api/safety/mine")).body.checks[0];
    expect(mine.answer).toMatchObject({ state: "safe", channel: "visit" });
    const events = await t.client.execute({
      sql: "SELECT channel FROM safety_events WHERE circular_id = ? AND household_id = ? ORDER BY id",
      args: [check.id, r.householdId],
    });
    expect(events.rows.map((e) => e.channel)).toEqual(["app", "visit"]);
  });

  it("不在 is kept in the history and shown, the household staying 未回答", async () => {
    const w = await setup();
    const { check } = await start(w.api);
    const h = w.residents[2]!;
    const res = await w.api.put(`/api/safety/checks/${check.id}/households/${h.householdId}/visit`, {
      state: "absent",
      channel: "visit",
    });
    expect(res.status).toBe(200);
    const entry = res.body.blocks[0].unanswered.find((x: { id: string }) => x.id === h.householdId);
    expect(entry.absentAt).not.toBeNull();
    expect(await scalar("SELECT count(*) FROM answers WHERE circular_id = ?", [check.id])).toBe(0);
  });

  it("a closed check refuses answers and visits (409); the board and report stay", async () => {
    const w = await setup();
    const { check } = await start(w.api);
    await w.residents[0]!.api.post(`/api/feed/${check.id}/answer`, safe);
    t.clock.advance(90 * MIN);
    await w.residents[1]!.api.post(`/api/feed/${check.id}/answer`, help());
    const closed = await w.api.post(`/api/safety/checks/${check.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.open).toBe(false);
    t.clock.advance(MIN);
    expectError(await w.residents[2]!.api.post(`/api/feed/${check.id}/answer`, safe), 409, "conflict");
    expectError(
      await w.api.put(`/api/safety/checks/${check.id}/households/${w.residents[2]!.householdId}/visit`, {
        state: "safe",
      }),
      409,
      "conflict",
    );
    expectError(await w.api.post(`/api/safety/checks/${check.id}/close`), 409, "conflict");
    expect((await w.residents[2]!.api.get("/api/safety/mine")).body.checks).toEqual([]);
    const report = (await w.api.get(`/api/safety/checks/${check.id}/report`)).body;
    expect(report.within).toEqual({ h1: 1, h3: 2, h24: 2 });
    expect(report.byChannel).toMatchObject({ app: 2, visit: 0, phone: 0 });
    expect(report.check.counts).toMatchObject({ targeted: 6, answered: 2, safe: 1, help: 1, unanswered: 4 });
    const csv = await w.api.get(`/api/safety/checks/${check.id}/board?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = String(csv.body)
      .replace(/^\uFEFF/, "")
      .split("\r\n");
    expect(lines[0]).toBe("班,世帯,安否,必要なこと,ひとこと,一緒にいる人数,回答方法,回答日時");
    expect(lines[1]).toBe("block,household,state,needs,note,people,channel,answeredAt");
    expect(lines.filter((l) => l.includes("助けが必要")).length).toBe(1);
    // A new check may start once the last one is closed.
    await start(w.api);
  });

  it("a drill is marked and never counts in the city's circular figures", async () => {
    const w = await setup();
    const before = await scalar("SELECT coalesce(sum(circulars), 0) FROM stats_week WHERE level = 'city'");
    const { check } = await start(w.api, { drill: true });
    expect((await w.residents[0]!.api.get("/api/safety/mine")).body.checks[0].drill).toBe(true);
    await w.residents[0]!.api.post(`/api/feed/${check.id}/answer`, safe);
    expect(await scalar("SELECT coalesce(sum(circulars), 0) FROM stats_week WHERE level = 'city'")).toBe(before);
    expect(await scalar("SELECT count(*) FROM stats_circular WHERE circular_id = ?", [check.id])).toBe(0);
    const reads = await scalar(
      `SELECT coalesce(sum(${Array.from({ length: 32 }, (_, k) => `b${k}`).join(" + ")}), 0) FROM stats_week WHERE level = 'association' AND scope_id = ?`,
      [w.assoc.id],
    );
    expect(reads).toBe(0);
    const list = (await w.api.get("/api/safety/checks")).body.checks;
    expect(list[0]).toMatchObject({ id: check.id, drill: true, open: true });
  });
});

describe("scopes", () => {
  it("a block leader sees and records only their block; another association's leader gets 404", async () => {
    const w = await setup();
    const { check } = await start(w.api);
    const bl = client(
      t,
      (await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[0] })).token,
    );
    const board = (await bl.get(`/api/safety/checks/${check.id}/board`)).body;
    expect(board.blocks.map((b: { id: string }) => b.id)).toEqual([w.assoc.blockIds[0]]);
    expect(board.check.counts.targeted).toBe(3);
    const other = w.residents.find((r) => r.blockId === w.assoc.blockIds[1])!;
    expectError(
      await bl.put(`/api/safety/checks/${check.id}/households/${other.householdId}/visit`, { state: "safe" }),
      404,
      "not_found",
    );
    expectError(await bl.post(`/api/safety/checks/${check.id}/close`), 403, "forbidden");
    const stranger = await world(t);
    expectError(await stranger.api.get(`/api/safety/checks/${check.id}/board`), 404, "not_found");
    expectError(await stranger.api.get(`/api/safety/checks/${check.id}/report`), 404, "not_found");
    expectError(await stranger.api.post(`/api/safety/checks/${check.id}/close`), 404, "not_found");
    expectError(
      await stranger.api.put(`/api/safety/checks/${check.id}/households/${other.householdId}/visit`, { state: "safe" }),
      404,
      "not_found",
    );
    // A resident of another association cannot answer it.
    const outsider = (await setup({ blocks: 1, perBlock: 1 })).residents[0]!;
    expectError(await outsider.api.post(`/api/feed/${check.id}/answer`, safe), 404, "not_found");
    // Residents see only their own state; not the board.
    expectError(await w.residents[0]!.api.get(`/api/safety/checks/${check.id}/board`), 403, "forbidden");
    // A normal circular's id is not a safety check.
    const notice = await publish(w.api, { title: "お知らせ" });
    expectError(await w.api.get(`/api/safety/checks/${notice}/board`), 404, "not_found");
  });

  it("the city sees no household: its routes do not reach association boards", async () => {
    const w = await setup();
    const { check } = await start(w.api);
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    expectError(await city.get(`/api/safety/checks/${check.id}/board`), 403, "forbidden");
    expectError(await city.get("/api/safety/checks"), 403, "forbidden");
    expectError(await city.get("/api/support"), 403, "forbidden");
  });
});

describe("要支援", () => {
  const entry = { needs: ["walking", "medical"], note: "車いすです", consent: true };

  it("is seen only by the leader, the household's block leader and its named supporters, every view audited", async () => {
    const w = await setup();
    const h = w.residents[0]!;
    const supporter = w.residents[4]!;
    const reg = await h.api.put("/api/support/mine", { ...entry, supporterIds: [supporter.member.id] });
    expect(reg.status, JSON.stringify(reg.body)).toBe(200);
    expect(reg.body.entry).toMatchObject({ needs: ["walking", "medical"], consent: "app" });
    const ownBlock = client(t, (await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: h.blockId })).token);
    const otherBlock = client(
      t,
      (await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[1] })).token,
    );
    const views = () =>
      scalar("SELECT count(*) FROM audit_log WHERE action = 'support.view' AND target_id = ?", [h.householdId]);
    const seen = async (api: Api) =>
      (await api.get("/api/support")).body.households.map((x: { householdId: string }) => x.householdId);
    expect(await seen(w.api)).toEqual([h.householdId]);
    expect(await views()).toBe(1);
    expect(await seen(ownBlock)).toEqual([h.householdId]);
    expect(await seen(supporter.api)).toEqual([h.householdId]);
    expect(await views()).toBe(3);
    expect(await seen(otherBlock)).toEqual([]);
    expect(await seen(w.residents[1]!.api)).toEqual([]);
    expect(await views()).toBe(3);
    // Pinned on the safety board, for those who may see it (and audited there too).
    const { check } = await start(w.api);
    const board = (await ownBlock.get(`/api/safety/checks/${check.id}/board`)).body;
    expect(board.blocks[0].unanswered[0]).toMatchObject({
      id: h.householdId,
      support: { needs: ["walking", "medical"] },
    });
    expect(await views()).toBe(4);
    // The city: counts only, never this route.
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    expectError(await city.get("/api/support"), 403, "forbidden");
    // Withdrawn: deleted at once, supporters too.
    expect((await h.api.delete("/api/support/mine")).body.entry).toBeNull();
    expect(await scalar("SELECT count(*) FROM support_needs WHERE household_id = ?", [h.householdId])).toBe(0);
    expect(await scalar("SELECT count(*) FROM support_supporters WHERE household_id = ?", [h.householdId])).toBe(0);
    expect(await seen(w.api)).toEqual([]);
  });

  it("needs consent; a supporter from another association is a 404; the leader records a paper form", async () => {
    const w = await setup();
    const h = w.residents[0]!;
    expectError(await h.api.put("/api/support/mine", { needs: ["walking"] }), 400, "validation_failed");
    expectError(await h.api.put("/api/support/mine", { needs: ["flying"], consent: true }), 400, "validation_failed");
    const stranger = await world(t);
    expectError(
      await h.api.put("/api/support/mine", { ...entry, supporterIds: [stranger.leader.id] }),
      404,
      "not_found",
    );
    expect(await scalar("SELECT count(*) FROM support_needs WHERE household_id = ?", [h.householdId])).toBe(0);
    const paper = await w.api.put(`/api/households/${w.residents[1]!.householdId}/support`, entry);
    expect(paper.status, JSON.stringify(paper.body)).toBe(200);
    expect(paper.body.consent).toBe("paper");
    expectError(
      await stranger.api.put(`/api/households/${w.residents[1]!.householdId}/support`, entry),
      404,
      "not_found",
    );
    const bl = client(t, (await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: h.blockId })).token);
    expectError(await bl.put(`/api/households/${w.residents[1]!.householdId}/support`, entry), 403, "forbidden");
  });
});
