// 見守り: a household asks to be watched (its block leader by default, or a member it names; 3, 7 or 14 days), or a
// leader records it; the periodic push job tells the watcher once per quiet spell when the household has acknowledged
// nothing for that long while a circular reached it (a push naming nobody, an entry on 「見守り」); the entry clears
// when the household reads anything or the watcher records 「様子を確認しました」. Scopes, and bad input that writes
// nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPushJobs } from "../../server/jobs";
import { notificationFor, parsePayload, targetPath } from "../../web/sw/notification";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { publish, world, type Api, type World } from "../helpers/flows";
import { client, expectError } from "../helpers/http";
import { startPushService, type PushService } from "../helpers/push-service";

let t: TestApp;
let ps: PushService;

const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

beforeAll(async () => {
  t = await createTestApp({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
  // Mondays at 10:00 in Japan, outside quiet hours; each test moves on from where the last one left the clock.
  t.clock.current = new Date("2026-11-02T10:00:00+09:00");
  ps = await startPushService({ now: t.clock.now });
});
afterAll(async () => {
  await ps.close();
  await t.close();
});

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

/** The periodic push job, on the test clock: raises the notices, then sends what is due. */
const jobs = () => runPushJobs({ db: t.db, config: t.config, now: t.clock.now });

const advance = (ms: number) => t.clock.advance(ms);

interface Person extends MemberFixture {
  api: Api;
  /** The name of this member's device on the push service. */
  device: string;
}

async function withDevice(m: MemberFixture): Promise<Person> {
  const api = client(t, m.token);
  const device = crypto.randomUUID();
  const res = await api.post("/api/push/subscriptions", await ps.subscription(device));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...m, api, device };
}

interface Setup extends World {
  /** The watched household (block 1) and a resident reading for it. */
  household: { id: string; label: string; blockId: string };
  resident: Person;
  /** A resident of another household of block 1: a member the household may name. */
  neighbour: Person;
  /** Block 1's block leader, and block 2's. */
  blockLeader: Person;
  otherBlockLeader: Person;
}

async function setup(): Promise<Setup> {
  const w = await world(t, { blocks: 2, perBlock: 2 });
  const [h1, h2] = w.assoc.households;
  const resident = await withDevice(await makeResident(t, w.assoc.id, h1!.id));
  const neighbour = await withDevice(await makeResident(t, w.assoc.id, h2!.id));
  const blockLeader = await withDevice(
    await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[0]! }),
  );
  const otherBlockLeader = await withDevice(
    await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[1]! }),
  );
  return { ...w, household: h1!, resident, neighbour, blockLeader, otherBlockLeader };
}

const pushesTo = (p: Person) => ps.accepted.filter((m) => m.name === p.device);
const watchRows = (householdId: string) =>
  scalar("SELECT count(*) FROM push_outbox WHERE kind = 'watch' AND circular_id = ?", [householdId]);

async function entryFor(api: Api, householdId: string) {
  const res = await api.get("/api/watch");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.households as any[]).find((h) => h.householdId === householdId);
}

describe("asking to be watched", () => {
  it("a household asks in the app: its block leader and 7 days by default; it can change and stop it", async () => {
    const s = await setup();
    expect((await s.resident.api.get("/api/watch/mine")).body).toEqual({ watch: null });

    const asked = await s.resident.api.put("/api/watch/mine", {});
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body.watch).toMatchObject({ watcher: null, days: 7, requestedBy: "household" });
    expect((await s.resident.api.get("/api/watch/mine")).body.watch).toMatchObject({ watcher: null, days: 7 });

    // The names to choose from: the association's members, outside the household itself.
    const candidates = await s.resident.api.get("/api/support/candidates");
    expect(candidates.status).toBe(200);
    const ids = (candidates.body.members as { id: string }[]).map((m) => m.id);
    expect(ids).toContain(s.neighbour.id);
    expect(ids).not.toContain(s.resident.id);

    const changed = await s.resident.api.put("/api/watch/mine", { watcherId: s.neighbour.id, days: 3 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.watch.watcher.id).toBe(s.neighbour.id);
    expect(changed.body.watch.days).toBe(3);
    expect(await scalar("SELECT count(*) FROM watches WHERE household_id = ?", [s.household.id])).toBe(1);
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'watch.set' AND target_id = ?", [s.household.id]),
    ).toBe(2);

    const stopped = await s.resident.api.delete("/api/watch/mine");
    expect(stopped.status).toBe(200);
    expect(stopped.body).toEqual({ watch: null });
    expect(await scalar("SELECT count(*) FROM watches WHERE household_id = ?", [s.household.id])).toBe(0);
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'watch.remove' AND target_id = ?", [s.household.id]),
    ).toBe(1);
  });

  it("a leader records it for a household (and stops it); the household sees it in its settings", async () => {
    const s = await setup();
    const put = await s.api.put(`/api/households/${s.household.id}/watch`, { watcherId: s.neighbour.id, days: 14 });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.watch).toMatchObject({ days: 14, requestedBy: "leader", watcher: { id: s.neighbour.id } });
    expect((await s.resident.api.get("/api/watch/mine")).body.watch).toMatchObject({ days: 14, requestedBy: "leader" });
    expect((await s.api.get(`/api/households/${s.household.id}/watch`)).body.watch.days).toBe(14);
    expect((await entryFor(s.api, s.household.id)).watcher.id).toBe(s.neighbour.id);

    const del = await s.api.delete(`/api/households/${s.household.id}/watch`);
    expect(del.status).toBe(204);
    expect((await s.resident.api.get("/api/watch/mine")).body).toEqual({ watch: null });
    expect(await entryFor(s.api, s.household.id)).toBeUndefined();
  });
});

describe("a household gone quiet", () => {
  it.each([3, 7, 14])("after %i days without any acknowledgement while a circular reached it", async (days) => {
    const s = await setup();
    expect((await s.resident.api.put("/api/watch/mine", { days })).status).toBe(200);
    advance(MIN);
    await publish(s.api, { title: "ごみ集積所の清掃" });
    const before = pushesTo(s.blockLeader).length;

    advance(days * DAY - 2 * MIN);
    await jobs();
    expect((await entryFor(s.blockLeader.api, s.household.id)).quiet).toBe(false);
    expect(await watchRows(s.household.id)).toBe(0);

    advance(MIN);
    expect((await jobs()).watchAlerts).toBeGreaterThanOrEqual(1);
    const entry = await entryFor(s.blockLeader.api, s.household.id);
    expect(entry).toMatchObject({ quiet: true, quietDays: days, days, label: s.household.label, watcher: null });
    expect(entry.alertedAt).toBe(t.clock.now().toISOString());

    // The push: the block leader's device, naming no household and no one.
    const got = pushesTo(s.blockLeader).slice(before);
    expect(got).toHaveLength(1);
    const payload = JSON.parse(got[0]!.payload!);
    expect(payload).toEqual({
      kind: "watch",
      circularId: null,
      title: "見守りのお知らせ",
      association: s.assoc.name,
      urgent: false,
    });
    // On screen (the service worker): the fixed words, opening /watch.
    const shown = notificationFor(parsePayload(payload));
    expect(shown.title).toBe("見守りのお知らせ");
    expect(shown.options.body).toBe("しばらく回覧板を確認していない世帯があります。");
    expect(targetPath(shown.options.data)).toBe("/watch");
    expect(got[0]!.payload).not.toContain(s.household.label);
    expect(got[0]!.payload).not.toContain(s.household.id);
    expect(got[0]!.headers.urgency).not.toBe("high");
    // Not the household's own devices, nor another block's leader.
    expect(pushesTo(s.resident).filter((m) => JSON.parse(m.payload!).kind === "watch")).toHaveLength(0);
    expect(pushesTo(s.otherBlockLeader).filter((m) => JSON.parse(m.payload!).kind === "watch")).toHaveLength(0);

    // One notice per quiet spell: later runs add nothing.
    advance(DAY);
    await jobs();
    expect(await watchRows(s.household.id)).toBe(1);
    expect(pushesTo(s.blockLeader).slice(before)).toHaveLength(1);
    expect((await entryFor(s.blockLeader.api, s.household.id)).quietDays).toBe(days + 1);
  });

  it("no notice while no circular reached the household in its quiet spell", async () => {
    const s = await setup();
    // A circular it read before asking, and one to block 2 only.
    const read = await publish(s.api, { title: "前の回覧" });
    expect((await s.resident.api.post(`/api/feed/${read}/ack`)).status).toBe(200);
    advance(MIN);
    expect((await s.resident.api.put("/api/watch/mine", { days: 3 })).status).toBe(200);
    advance(MIN);
    await publish(s.api, { title: "2班だけ", audience: "blocks", blockIds: [s.assoc.blockIds[1]] });

    advance(20 * DAY);
    await jobs();
    expect((await entryFor(s.api, s.household.id)).quiet).toBe(false);
    expect(await watchRows(s.household.id)).toBe(0);

    // A circular that has only just arrived does not make it quiet at once: a day's grace to read it.
    await publish(s.api, { title: "新しい回覧" });
    await jobs();
    expect((await entryFor(s.api, s.household.id)).quiet).toBe(false);
    advance(DAY);
    await jobs();
    expect((await entryFor(s.api, s.household.id)).quiet).toBe(true);
  });

  it("clears when the household reads anything; a push held through the night is then not sent", async () => {
    const s = await setup();
    expect((await s.resident.api.put("/api/watch/mine", { days: 3 })).status).toBe(200);
    advance(MIN);
    const id = await publish(s.api, { title: "回覧" });
    const before = pushesTo(s.blockLeader).length;
    // 3 days later at 22:00 JST: in quiet hours, the notice is queued for 7:00.
    advance(3 * DAY + 12 * HOUR);
    await jobs();
    expect((await entryFor(s.blockLeader.api, s.household.id)).quiet).toBe(true);
    expect(await watchRows(s.household.id)).toBe(1);
    expect(pushesTo(s.blockLeader).slice(before)).toHaveLength(0);

    advance(HOUR);
    expect((await s.resident.api.post(`/api/feed/${id}/ack`)).status).toBe(200);
    expect((await entryFor(s.blockLeader.api, s.household.id)).quiet).toBe(false);
    advance(9 * HOUR); // 8:00 JST
    await jobs();
    expect(pushesTo(s.blockLeader).slice(before)).toHaveLength(0);
    expect(
      await scalar("SELECT count(*) FROM push_outbox WHERE kind = 'watch' AND circular_id = ? AND status = 'skipped'", [
        s.household.id,
      ]),
    ).toBe(1);

    // A new quiet spell, from that reading, gives a new notice.
    advance(MIN);
    await publish(s.api, { title: "次の回覧" });
    advance(3 * DAY);
    await jobs();
    expect((await entryFor(s.blockLeader.api, s.household.id)).quiet).toBe(true);
    expect(pushesTo(s.blockLeader).slice(before)).toHaveLength(1);
  });

  it("clears when the watcher records 「様子を確認しました」 (a visit or a call, a note)", async () => {
    const s = await setup();
    expect((await s.resident.api.put("/api/watch/mine", { days: 7 })).status).toBe(200);
    advance(MIN);
    await publish(s.api, { title: "回覧" });
    advance(7 * DAY);
    await jobs();
    expect((await entryFor(s.blockLeader.api, s.household.id)).quiet).toBe(true);

    advance(HOUR);
    const checked = await s.blockLeader.api.post(`/api/watch/${s.household.id}/checks`, {
      channel: "visit",
      note: "  お元気でした。旅行中だったそうです。 ",
    });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    expect(checked.body).toMatchObject({
      quiet: false,
      checkedAt: t.clock.now().toISOString(),
      lastCheck: { channel: "visit", note: "お元気でした。旅行中だったそうです。", at: t.clock.now().toISOString() },
    });
    expect(
      await scalar(
        "SELECT count(*) FROM watch_checks WHERE household_id = ? AND checked_by = ? AND channel = 'visit'",
        [s.household.id, s.blockLeader.id],
      ),
    ).toBe(1);
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'watch.check' AND target_id = ?", [s.household.id]),
    ).toBe(1);
    // The leader sees the same; no new notice until another spell of 7 days from the check (with a circular).
    expect((await entryFor(s.api, s.household.id)).quiet).toBe(false);
    advance(MIN);
    await publish(s.api, { title: "次の回覧" });
    advance(6 * DAY);
    await jobs();
    expect(await watchRows(s.household.id)).toBe(1);
    advance(DAY);
    await jobs();
    expect(await watchRows(s.household.id)).toBe(2);
    expect((await entryFor(s.blockLeader.api, s.household.id)).quiet).toBe(true);

    // A call by the leader clears it too.
    const call = await s.api.post(`/api/watch/${s.household.id}/checks`, { channel: "phone" });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.lastCheck).toMatchObject({ channel: "phone", note: "" });
    expect(call.body.quiet).toBe(false);
  });
});

describe("who is told", () => {
  it("a named member: their device and their small 「見守り」 page, not the block leader's device", async () => {
    const s = await setup();
    expect((await s.resident.api.put("/api/watch/mine", { watcherId: s.neighbour.id, days: 3 })).status).toBe(200);
    advance(MIN);
    await publish(s.api);
    const bl = pushesTo(s.blockLeader).length;
    const nb = pushesTo(s.neighbour).length;
    advance(3 * DAY);
    await jobs();
    expect(
      pushesTo(s.neighbour)
        .slice(nb)
        .map((m) => JSON.parse(m.payload!).kind),
    ).toEqual(["watch"]);
    expect(pushesTo(s.blockLeader).slice(bl)).toHaveLength(0);

    // The named resident sees it, and records a call.
    const mine = await s.neighbour.api.get("/api/watch");
    expect(mine.status).toBe(200);
    expect(mine.body.households).toHaveLength(1);
    expect(mine.body.households[0]).toMatchObject({ householdId: s.household.id, quiet: true, quietDays: 3 });
    const call = await s.neighbour.api.post(`/api/watch/${s.household.id}/checks`, { channel: "phone" });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    // The household's own block leader still sees its block's watches.
    expect((await entryFor(s.blockLeader.api, s.household.id)).quiet).toBe(false);
  });

  it("a named watcher who has gone (disabled): the block leader instead", async () => {
    const s = await setup();
    expect((await s.resident.api.put("/api/watch/mine", { watcherId: s.neighbour.id, days: 3 })).status).toBe(200);
    await t.client.execute({
      sql: "UPDATE members SET disabled_at = ? WHERE id = ?",
      args: [Date.now(), s.neighbour.id],
    });
    advance(MIN);
    await publish(s.api);
    const bl = pushesTo(s.blockLeader).length;
    advance(3 * DAY);
    await jobs();
    expect(
      pushesTo(s.blockLeader)
        .slice(bl)
        .map((m) => JSON.parse(m.payload!).kind),
    ).toEqual(["watch"]);
    expect(await watchRows(s.household.id)).toBe(1);
  });

  it("the block leader by default; the leader when the block has none", async () => {
    const w = await world(t, { blocks: 1, perBlock: 2 });
    const h = w.assoc.households[0]!;
    const leader = await withDevice(w.leader);
    const resident = await withDevice(await makeResident(t, w.assoc.id, h.id));
    expect((await resident.api.put("/api/watch/mine", {})).status).toBe(200);
    advance(MIN);
    await publish(w.api);
    const before = pushesTo(leader).length;
    advance(7 * DAY);
    await jobs();
    expect(
      pushesTo(leader)
        .slice(before)
        .map((m) => JSON.parse(m.payload!).kind),
    ).toEqual(["watch"]);
  });
});

describe("scopes", () => {
  it("another block's leader, a resident not named, another association: 404; the city: 403; nothing written", async () => {
    const s = await setup();
    expect((await s.resident.api.put("/api/watch/mine", { days: 3 })).status).toBe(200);
    advance(MIN);
    await publish(s.api);
    advance(3 * DAY);
    await jobs();
    const other = await world(t);
    const otherBlockLeader = await makeStaff(t, other.assoc.id, {
      role: "block_leader",
      blockId: other.assoc.blockIds[0]!,
    });
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    const checks = () => scalar("SELECT count(*) FROM watch_checks WHERE household_id = ?", [s.household.id]);
    const audits = () => scalar("SELECT count(*) FROM audit_log WHERE target_id = ?", [s.household.id]);
    const [c0, a0] = [await checks(), await audits()];
    const check = { channel: "visit" };
    const hw = `/api/households/${s.household.id}/watch`;

    // Block 2's leader: not in their list, 404 on the household; leaders' routes 403.
    expect(await entryFor(s.otherBlockLeader.api, s.household.id)).toBeUndefined();
    expectError(await s.otherBlockLeader.api.post(`/api/watch/${s.household.id}/checks`, check), 404, "not_found");
    expectError(await s.otherBlockLeader.api.put(hw, {}), 403, "forbidden");
    expectError(await s.blockLeader.api.delete(hw), 403, "forbidden");
    // A resident not named (the household's neighbour) and the watched household itself.
    expect((await s.neighbour.api.get("/api/watch")).body.households).toEqual([]);
    expectError(await s.neighbour.api.post(`/api/watch/${s.household.id}/checks`, check), 404, "not_found");
    expectError(await s.resident.api.post(`/api/watch/${s.household.id}/checks`, check), 404, "not_found");
    expectError(await s.resident.api.get(hw), 403, "forbidden");
    // Another association's leader and block leader: 404 as for a household that does not exist.
    expect((await other.api.get("/api/watch")).body.households).toEqual([]);
    expectError(await other.api.post(`/api/watch/${s.household.id}/checks`, check), 404, "not_found");
    expectError(
      await client(t, otherBlockLeader.token).post(`/api/watch/${s.household.id}/checks`, check),
      404,
      "not_found",
    );
    expectError(await other.api.get(hw), 404, "not_found");
    expectError(await other.api.put(hw, {}), 404, "not_found");
    expectError(await other.api.delete(hw), 404, "not_found");
    expectError(await s.api.get(`/api/households/no-such-household/watch`), 404, "not_found");
    // The city: refused everywhere, not even counts.
    expectError(await city.get("/api/watch"), 403, "forbidden");
    expectError(await city.get("/api/watch/mine"), 403, "forbidden");
    expectError(await city.put("/api/watch/mine", {}), 403, "forbidden");
    expectError(await city.post(`/api/watch/${s.household.id}/checks`, check), 403, "forbidden");
    expectError(await city.get(hw), 403, "forbidden");
    expectError(await city.put(hw, {}), 403, "forbidden");
    // Not signed in.
    expectError(await client(t).get("/api/watch"), 401, "unauthorized");

    expect(await checks()).toBe(c0);
    expect(await audits()).toBe(a0);
    expect((await entryFor(s.api, s.household.id)).quiet).toBe(true);
    // The other association's leader cannot name this association's members either.
    const otherHousehold = other.assoc.households[0]!;
    expectError(
      await other.api.put(`/api/households/${otherHousehold.id}/watch`, { watcherId: s.neighbour.id }),
      404,
      "not_found",
    );
  });
});

describe("bad input", () => {
  it("every bad request is a 4xx in our error shape and writes nothing", async () => {
    const s = await setup();
    const other = await world(t);
    const stranger = await makeResident(t, other.assoc.id, other.assoc.households[0]!.id);
    const housemate = await makeResident(t, s.assoc.id, s.household.id);
    const count = async () =>
      [
        await scalar("SELECT count(*) FROM watches WHERE household_id = ?", [s.household.id]),
        await scalar("SELECT count(*) FROM watch_checks WHERE household_id = ?", [s.household.id]),
        await scalar("SELECT count(*) FROM audit_log WHERE target_id = ?", [s.household.id]),
      ].join();
    const before = await count();
    const hw = `/api/households/${s.household.id}/watch`;

    for (const body of [
      { days: 5 },
      { days: "7" },
      { days: 0 },
      { days: null },
      { watcherId: "" },
      { watcherId: 12 },
      { watcherId: "x".repeat(65) },
      { extra: true },
      [],
    ]) {
      expectError(await s.resident.api.put("/api/watch/mine", body), 400, "validation_failed");
      expectError(await s.api.put(hw, body), 400, "validation_failed");
    }
    expectError(await s.resident.api.put("/api/watch/mine", "{not json"), 400, "invalid_json");
    // A watcher who is not a member of this association, or gone: 404; one of the household itself: 400.
    expectError(await s.resident.api.put("/api/watch/mine", { watcherId: "no-such-member" }), 404, "not_found");
    expectError(await s.resident.api.put("/api/watch/mine", { watcherId: stranger.id }), 404, "not_found");
    expectError(await s.api.put(hw, { watcherId: other.leader.id }), 404, "not_found");
    const own = expectError(
      await s.resident.api.put("/api/watch/mine", { watcherId: housemate.id }),
      400,
      "validation_failed",
    );
    expect(own.message).toContain("ほかの世帯");
    expectError(await s.api.put(hw, { watcherId: housemate.id }), 400, "validation_failed");
    // A check on a household that is not watched, and bad checks on one that is.
    expectError(
      await s.blockLeader.api.post(`/api/watch/${s.household.id}/checks`, { channel: "visit" }),
      404,
      "not_found",
    );
    expect(before).toBe(await count());

    expect((await s.resident.api.put("/api/watch/mine", {})).status).toBe(200);
    const watched = await count();
    for (const body of [
      {},
      { channel: "mail" },
      { channel: "visit", note: "あ".repeat(201) },
      { channel: "visit", note: 3 },
      { channel: "visit", at: "2026-01-01" },
    ])
      expectError(await s.blockLeader.api.post(`/api/watch/${s.household.id}/checks`, body), 400, "validation_failed");
    expect(await count()).toBe(watched);
    const row = await t.client.execute({
      sql: "SELECT watcher_id, days, checked_at FROM watches WHERE household_id = ?",
      args: [s.household.id],
    });
    expect({ ...row.rows[0] }).toEqual({ watcher_id: null, days: 7, checked_at: null });
  });
});
