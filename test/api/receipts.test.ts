// The receipt board (who has read a circular, by block, and whom a push would reach), paper acknowledgements entered
// by leaders and block leaders, and acknowledgements arriving all at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app";
import { b64u, generateUaKeys } from "../helpers/ece";
import { makeAssociation, makeResident, makeStaff, type AssociationFixture } from "../helpers/factories";
import { client, expectError } from "../helpers/http";
import { publish as publishAny, world, type Api } from "../helpers/flows";

let t: TestApp;

const START = new Date("2026-11-02T09:00:00+09:00");
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.current = new Date(START);
});
afterAll(() => t.close());

type Household = AssociationFixture["households"][number];

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

async function receipt(circularId: string, householdId: string) {
  const r = await t.client.execute({
    sql: "SELECT read_at, read_by, channel FROM receipts WHERE circular_id = ? AND household_id = ?",
    args: [circularId, householdId],
  });
  const row = r.rows[0];
  if (!row) return null;
  return {
    readAt: row.read_at === null ? null : Number(row.read_at),
    readBy: row.read_by === null ? null : String(row.read_by),
    channel: row.channel === null ? null : String(row.channel),
  };
}

async function allReceipts(circularId: string) {
  const r = await t.client.execute({
    sql: "SELECT household_id, read_at, read_by, channel FROM receipts WHERE circular_id = ? ORDER BY household_id",
    args: [circularId],
  });
  return r.rows.map((row) => ({ ...row }));
}

async function auditCount(action: string, circularId: string) {
  return scalar("SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?", [action, circularId]);
}

/** Published with this file's title, which the board test reads back. */
const publish = (api: Api, input: Record<string, unknown> = {}) =>
  publishAny(api, { title: "確認のお願い", body: "本文", ...input });

const paperPath = (circularId: string, householdId: string) =>
  `/api/circulars/${circularId}/receipts/${householdId}/paper`;

const inBlock = (assoc: AssociationFixture, i: number) =>
  assoc.households.filter((h) => h.blockId === assoc.blockIds[i]);

describe("the receipt board", () => {
  it("groups the audience by block with counts, read times and channels", async () => {
    const { assoc, api, leader } = await world(t, { blocks: 2, perBlock: 3, paperEvery: 3 });
    const id = await publish(api);
    const [h11, , h13] = inBlock(assoc, 0) as [Household, Household, Household];
    expect(h13.channel).toBe("paper");
    const residentMember = await makeResident(t, assoc.id, h11.id);
    const resident = client(t, residentMember.token);

    t.clock.advance(MINUTE);
    const appAt = t.clock.now().toISOString();
    expect((await resident.post(`/api/feed/${id}/ack`)).status).toBe(200);
    t.clock.advance(MINUTE);
    const paperAt = t.clock.now().toISOString();
    expect((await api.put(paperPath(id, h13.id))).status).toBe(200);

    const board = await api.get(`/api/circulars/${id}/receipts`);
    expect(board.status).toBe(200);
    expect(board.body.circular).toMatchObject({ id, title: "確認のお願い", status: "published", dueAt: null });
    expect(board.body.counts).toEqual({ targeted: 6, read: 2, unread: 4, readByApp: 1, readByPaper: 1, rate: 0.333 });
    const names = await t.client.execute({
      sql: "SELECT id, display_name FROM members WHERE id IN (?, ?)",
      args: [residentMember.id, leader.id],
    });
    const nameOf = (memberId: string) => String(names.rows.find((r) => r.id === memberId)!.display_name);

    expect(board.body.blocks).toEqual([
      {
        id: assoc.blockIds[0],
        name: "1班",
        counts: { targeted: 3, read: 2, unread: 1, readByApp: 1, readByPaper: 1, rate: 0.667 },
        households: inBlock(assoc, 0).map((h) => ({
          id: h.id,
          label: h.label,
          householdChannel: h.channel,
          readAt: h.id === h11.id ? appAt : h.id === h13.id ? paperAt : null,
          channel: h.id === h11.id ? "app" : h.id === h13.id ? "paper" : null,
          readByName: h.id === h11.id ? nameOf(residentMember.id) : h.id === h13.id ? nameOf(leader.id) : null,
          pushReachable: false,
        })),
      },
      {
        id: assoc.blockIds[1],
        name: "2班",
        counts: { targeted: 3, read: 0, unread: 3, readByApp: 0, readByPaper: 0, rate: 0 },
        households: inBlock(assoc, 1).map((h) => ({
          id: h.id,
          label: h.label,
          householdChannel: h.channel,
          readAt: null,
          channel: null,
          readByName: null,
          pushReachable: false,
        })),
      },
    ]);
    // The circular's own counts agree with the board.
    expect((await api.get(`/api/circulars/${id}`)).body.counts).toEqual(board.body.counts);
  });

  it("shows only the chosen blocks of a block circular", async () => {
    const { assoc, api } = await world(t, { blocks: 3, perBlock: 2 });
    const id = await publish(api, { audience: "blocks", blockIds: [assoc.blockIds[2]] });
    const board = await api.get(`/api/circulars/${id}/receipts`);
    expect(board.body.blocks.map((b: { id: string }) => b.id)).toEqual([assoc.blockIds[2]]);
    expect(board.body.counts.targeted).toBe(2);
  });

  it("has no board for a draft's audience yet, and none for residents", async () => {
    const { assoc, api } = await world(t);
    const d = await api.post("/api/circulars", { title: "下書き", body: "本文" });
    const board = await api.get(`/api/circulars/${d.body.id}/receipts`);
    expect(board.status).toBe(200);
    expect(board.body).toMatchObject({ counts: { targeted: 0, read: 0 }, blocks: [] });
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const id = await publish(api);
    expectError(await resident.get(`/api/circulars/${id}/receipts`), 403, "forbidden");
    expectError(await resident.put(paperPath(id, assoc.households[0]!.id)), 403, "forbidden");
    expectError(await client(t).get(`/api/circulars/${id}/receipts`), 401, "unauthorized");
    expectError(await api.get("/api/circulars/nosuchcircular/receipts"), 404, "not_found");
  });
});

describe("whom a push would reach", () => {
  /** A resident of the household with one device subscribed (as PushSubscription.toJSON() gives it). */
  async function subscribedResident(assoc: AssociationFixture, householdId: string, mode?: "urgent" | "off") {
    const m = await makeResident(t, assoc.id, householdId);
    const keys = await generateUaKeys();
    const api = client(t, m.token);
    const sub = await api.post("/api/push/subscriptions", {
      endpoint: `https://push.example.net/send/${crypto.randomUUID()}`,
      keys: { p256dh: b64u.encode(keys.publicKey), auth: b64u.encode(keys.authSecret) },
    });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    if (mode) expect((await api.put("/api/push/preferences", { mode })).status).toBe(200);
    return m;
  }

  const reachable = async (api: Api, circularId: string) => {
    const board = await api.get(`/api/circulars/${circularId}/receipts`);
    expect(board.status).toBe(200);
    return Object.fromEntries(
      board.body.blocks.flatMap((b: { households: { id: string; pushReachable: boolean }[] }) =>
        b.households.map((h) => [h.id, h.pushReachable]),
      ),
    );
  };

  it("says per household whether this circular's push reaches a device now, by device and notification setting", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 3, paperEvery: 3 });
    // Published before any device exists, so nothing is sent: the board answers for now, not for the publication.
    const normal = await publish(api);
    const urgent = await publish(api, { priority: "urgent" });
    const [app, urgentOnly, paper] = inBlock(assoc, 0) as [Household, Household, Household];
    const [offOrGone, noMember] = inBlock(assoc, 1) as [Household, Household];
    expect(noMember.channel).toBe("app"); // no member at all
    await subscribedResident(assoc, app.id);
    await subscribedResident(assoc, urgentOnly.id, "urgent");
    await subscribedResident(assoc, offOrGone.id, "off");
    // A member whose access was stopped keeps a subscription row, but is no longer sent anything.
    const stopped = await subscribedResident(assoc, offOrGone.id);
    await t.client.execute({
      sql: "UPDATE members SET disabled_at = ? WHERE id = ?",
      args: [t.clock.now().getTime(), stopped.id],
    });
    await makeResident(t, assoc.id, paper.id); // a member without a device

    const none = Object.fromEntries(assoc.households.map((h) => [h.id, false]));
    expect(await reachable(api, normal)).toEqual({ ...none, [app.id]: true });
    expect(await reachable(api, urgent)).toEqual({ ...none, [app.id]: true, [urgentOnly.id]: true });

    // Whether it has read does not matter: it says whether a push would arrive.
    expect((await api.put(paperPath(normal, app.id))).status).toBe(200);
    expect((await reachable(api, normal))[app.id]).toBe(true);

    // A block leader sees their own block's households, with the same answers.
    const bl = client(t, (await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[0] })).token);
    expect(await reachable(bl, urgent)).toEqual({ [app.id]: true, [urgentOnly.id]: true, [paper.id]: false });

    // Documented in the OpenAPI document's board schema.
    const doc = await client(t).get("/api/openapi.json");
    expect(JSON.stringify(doc.body.components.schemas.ReceiptBoard)).toContain('"pushReachable"');
  });
});

describe("paper acknowledgements", () => {
  it("records a paper read once: repeating changes nothing and writes no second audit row", async () => {
    const { assoc, api, leader } = await world(t, { blocks: 1, perBlock: 3, paperEvery: 1 });
    const id = await publish(api);
    const h = assoc.households[0]!;

    t.clock.advance(MINUTE);
    const at = t.clock.now();
    const first = await api.put(paperPath(id, h.id));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ householdId: h.id, readAt: at.toISOString(), channel: "paper" });
    expect(first.body.readByName).toMatch(/^役員/);
    expect(await receipt(id, h.id)).toEqual({ readAt: at.getTime(), readBy: leader.id, channel: "paper" });
    expect(await auditCount("receipt.paper", id)).toBe(1);

    t.clock.advance(MINUTE);
    const second = await api.put(paperPath(id, h.id));
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await receipt(id, h.id)).toEqual({ readAt: at.getTime(), readBy: leader.id, channel: "paper" });
    expect(await auditCount("receipt.paper", id)).toBe(1);
    const detail = await t.client.execute({
      sql: "SELECT detail, actor_id FROM audit_log WHERE action = 'receipt.paper' AND target_id = ?",
      args: [id],
    });
    expect(JSON.parse(String(detail.rows[0]!.detail))).toEqual({ householdId: h.id });
    expect(String(detail.rows[0]!.actor_id)).toBe(leader.id);
    // Nobody else's receipt moved.
    for (const other of assoc.households.slice(1)) expect((await receipt(id, other.id))!.readAt).toBeNull();
  });

  it("writes one audit row when the same paper entry is sent many times at once", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2 });
    const id = await publish(api);
    const h = assoc.households[1]!;
    const results = await Promise.all(Array.from({ length: 10 }, () => api.put(paperPath(id, h.id))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.readAt)).size).toBe(1);
    expect(await auditCount("receipt.paper", id)).toBe(1);
  });

  it("keeps an acknowledgement made in the app", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2 });
    const id = await publish(api);
    const h = assoc.households[0]!;
    const residentMember = await makeResident(t, assoc.id, h.id);
    const ack = await client(t, residentMember.token).post(`/api/feed/${id}/ack`);
    expect(ack.status).toBe(200);

    t.clock.advance(MINUTE);
    const res = await api.put(paperPath(id, h.id));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ householdId: h.id, readAt: ack.body.readAt, channel: "app" });
    expect(await receipt(id, h.id)).toEqual({
      readAt: new Date(ack.body.readAt).getTime(),
      readBy: residentMember.id,
      channel: "app",
    });
    expect(await auditCount("receipt.paper", id)).toBe(0);

    // And it cannot be undone by a leader: it is the household's own.
    const undo = await api.delete(paperPath(id, h.id));
    expect(expectError(undo, 409, "conflict").message).toMatch(/紙/);
    expect((await receipt(id, h.id))!.channel).toBe("app");
    expect(await auditCount("receipt.paper.undo", id)).toBe(0);
  });

  it("undoes a paper entry made by mistake", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2, paperEvery: 2 });
    const id = await publish(api);
    const h = assoc.households[1]!;
    const recorded = await api.put(paperPath(id, h.id));
    expect(recorded.status).toBe(200);

    t.clock.advance(MINUTE);
    const undo = await api.delete(paperPath(id, h.id));
    expect(undo.status).toBe(200);
    expect(undo.body).toEqual({ householdId: h.id, readAt: null, channel: null, readByName: null });
    expect(await receipt(id, h.id)).toEqual({ readAt: null, readBy: null, channel: null });
    expect(await auditCount("receipt.paper.undo", id)).toBe(1);
    const board = await api.get(`/api/circulars/${id}/receipts`);
    expect(board.body.counts).toMatchObject({ read: 0, unread: 2, readByPaper: 0 });

    // Nothing left to undo; an unread receipt is not a paper entry.
    expectError(await api.delete(paperPath(id, h.id)), 409, "conflict");
    expect(await auditCount("receipt.paper.undo", id)).toBe(1);

    // It can be entered again afterwards, with the new time.
    t.clock.advance(MINUTE);
    const again = await api.put(paperPath(id, h.id));
    expect(again.body).toMatchObject({ channel: "paper", readAt: t.clock.now().toISOString() });
    expect(await auditCount("receipt.paper", id)).toBe(2);
  });

  it("answers 404 for a household outside the audience, and changes nothing", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 2 });
    const other = await makeAssociation(t, { blocks: 1, perBlock: 1 });
    const id = await publish(api, { audience: "blocks", blockIds: [assoc.blockIds[0]] });
    const outside = inBlock(assoc, 1)[0]!;
    const before = await allReceipts(id);
    const auditBefore = await scalar("SELECT count(*) FROM audit_log");
    for (const householdId of [outside.id, other.households[0]!.id, "nosuchhousehold"]) {
      expectError(await api.put(paperPath(id, householdId)), 404, "not_found");
      expectError(await api.delete(paperPath(id, householdId)), 404, "not_found");
    }
    expect(await allReceipts(id)).toEqual(before);
    expect(await scalar("SELECT count(*) FROM audit_log")).toBe(auditBefore);
    expect(await scalar("SELECT count(*) FROM receipts WHERE household_id = ?", [outside.id])).toBe(0);
  });

  it("answers 404 for a draft and 409 for a withdrawn circular", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2 });
    const h = assoc.households[0]!;
    const d = await api.post("/api/circulars", { title: "下書き", body: "本文" });
    expectError(await api.put(paperPath(d.body.id, h.id)), 404, "not_found");
    const id = await publish(api);
    expect((await api.post(`/api/circulars/${id}/withdraw`)).status).toBe(200);
    expectError(await api.put(paperPath(id, h.id)), 409, "conflict");
    expect((await receipt(id, h.id))!.readAt).toBeNull();
    expect(await auditCount("receipt.paper", id)).toBe(0);
  });

  it("lets a leader of another association see or record nothing", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2 });
    const stranger = client(t, (await makeStaff(t, (await makeAssociation(t)).id)).token);
    const id = await publish(api);
    const h = assoc.households[0]!;
    expectError(await stranger.get(`/api/circulars/${id}/receipts`), 404, "not_found");
    expectError(await stranger.put(paperPath(id, h.id)), 404, "not_found");
    expectError(await stranger.delete(paperPath(id, h.id)), 404, "not_found");
    expect(await receipt(id, h.id)).toEqual({ readAt: null, readBy: null, channel: null });
  });
});

describe("block leaders", () => {
  it("see and record only their own block", async () => {
    const { assoc, api } = await world(t, { blocks: 3, perBlock: 2, paperEvery: 2 });
    const blMember = await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[1] });
    const bl = client(t, blMember.token);
    const id = await publish(api);
    const mine = inBlock(assoc, 1);
    const theirs = inBlock(assoc, 0)[1]!;

    const board = await bl.get(`/api/circulars/${id}/receipts`);
    expect(board.status).toBe(200);
    expect(board.body.blocks).toHaveLength(1);
    expect(board.body.blocks[0]).toMatchObject({ id: assoc.blockIds[1], name: "2班" });
    expect(board.body.blocks[0].households.map((h: { id: string }) => h.id)).toEqual(mine.map((h) => h.id));
    expect(board.body.counts).toMatchObject({ targeted: 2, read: 0 });

    const own = await bl.put(paperPath(id, mine[1]!.id));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ channel: "paper", readAt: t.clock.now().toISOString() });
    expect((await receipt(id, mine[1]!.id))!.readBy).toBe(blMember.id);

    expectError(await bl.put(paperPath(id, theirs.id)), 404, "not_found");
    expect(await receipt(id, theirs.id)).toEqual({ readAt: null, readBy: null, channel: null });

    // A paper entry in another block, made by the leader, is not theirs to undo either.
    expect((await api.put(paperPath(id, theirs.id))).status).toBe(200);
    expectError(await bl.delete(paperPath(id, theirs.id)), 404, "not_found");
    expect((await receipt(id, theirs.id))!.channel).toBe("paper");
    expect((await bl.delete(paperPath(id, mine[1]!.id))).status).toBe(200);

    const boardAfter = await bl.get(`/api/circulars/${id}/receipts`);
    expect(boardAfter.body.counts).toMatchObject({ targeted: 2, read: 0 });
    expect((await api.get(`/api/circulars/${id}/receipts`)).body.counts).toMatchObject({ targeted: 6, read: 1 });
  });

  it("get 404 for a circular that does not reach their block", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 2 });
    const bl = client(t, (await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[0] })).token);
    const id = await publish(api, { audience: "blocks", blockIds: [assoc.blockIds[1]] });
    const h = inBlock(assoc, 1)[0]!;
    expectError(await bl.get(`/api/circulars/${id}/receipts`), 404, "not_found");
    expectError(await bl.put(paperPath(id, h.id)), 404, "not_found");
    expect((await receipt(id, h.id))!.readAt).toBeNull();
  });
});

describe("acknowledgements arriving all at once", () => {
  it("records 200 households acknowledging at the same moment", async () => {
    const { assoc, api } = await world(t, { blocks: 10, perBlock: 20 });
    expect(assoc.households).toHaveLength(200);
    const id = await publish(api);
    const residents = await Promise.all(assoc.households.map((h) => makeResident(t, assoc.id, h.id)));
    t.clock.advance(MINUTE);
    const at = t.clock.now().toISOString();

    const results = await Promise.all(residents.map((r) => client(t, r.token).post(`/api/feed/${id}/ack`)));
    const statuses = results.map((r) => r.status);
    expect(
      statuses.filter((s) => s !== 200),
      JSON.stringify(results.find((r) => r.status !== 200)?.body),
    ).toEqual([]);
    for (const r of results) expect(r.body).toEqual({ circularId: id, readAt: at, channel: "app", changed: true });

    expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ?", [id])).toBe(200);
    expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND read_at IS NOT NULL", [id])).toBe(200);
    expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND channel = 'app'", [id])).toBe(200);
    // Each receipt was read by that household's own resident.
    expect(
      await scalar(
        `SELECT count(*) FROM receipts r JOIN members m ON m.id = r.read_by
         WHERE r.circular_id = ? AND m.household_id = r.household_id`,
        [id],
      ),
    ).toBe(200);
    const board = await api.get(`/api/circulars/${id}/receipts`);
    expect(board.body.counts).toEqual({ targeted: 200, read: 200, unread: 0, readByApp: 200, readByPaper: 0, rate: 1 });
    expect(board.body.blocks).toHaveLength(10);
    for (const b of board.body.blocks) expect(b.counts).toMatchObject({ targeted: 20, read: 20 });
  });

  it("answers 50 simultaneous acknowledgements of one household with one receipt", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 2 });
    const id = await publish(api);
    const h = assoc.households[0]!;
    const devices = await Promise.all(Array.from({ length: 5 }, () => makeResident(t, assoc.id, h.id)));
    t.clock.advance(MINUTE);
    const at = t.clock.now().toISOString();

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client(t, devices[i % devices.length]!.token).post(`/api/feed/${id}/ack`)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(results.map((r) => r.body.readAt))).toEqual(new Set([at]));
    expect(results.filter((r) => r.body.changed === true)).toHaveLength(1);
    expect(results.filter((r) => r.body.changed === false)).toHaveLength(49);
    for (const r of results) expect(r.body).toMatchObject({ circularId: id, channel: "app" });

    const row = (await receipt(id, h.id))!;
    expect(row.readAt).toBe(new Date(at).getTime());
    expect(row.channel).toBe("app");
    expect(devices.map((d) => d.id)).toContain(row.readBy);
    expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND household_id = ?", [id, h.id])).toBe(
      1,
    );
    expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND read_at IS NOT NULL", [id])).toBe(1);

    // Later repeats still answer the first read.
    t.clock.advance(MINUTE);
    const later = await client(t, devices[0]!.token).post(`/api/feed/${id}/ack`);
    expect(later.body).toEqual({ circularId: id, readAt: at, channel: "app", changed: false });
  });

  it("lets the first of a paper entry and an app acknowledgement win, whichever it is", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 1 });
    const id = await publish(api);
    const h = assoc.households[0]!;
    const resident = client(t, (await makeResident(t, assoc.id, h.id)).token);
    const [paper, ack] = await Promise.all([api.put(paperPath(id, h.id)), resident.post(`/api/feed/${id}/ack`)]);
    expect(paper.status).toBe(200);
    expect(ack.status).toBe(200);
    const row = (await receipt(id, h.id))!;
    expect(paper.body.channel).toBe(row.channel);
    expect(ack.body.channel).toBe(row.channel);
    expect(ack.body.changed).toBe(row.channel === "app");
    expect(await auditCount("receipt.paper", id)).toBe(row.channel === "paper" ? 1 : 0);
  });
});
