// What a household sees: its feed (unread first, then newest), one circular in full, and 「確認しました」.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phraseBreaks } from "../../server/lib/phrases";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff } from "../helpers/factories";
import { client, type Res, expectError } from "../helpers/http";
import { draft, publish, publishDraft, world } from "../helpers/flows";

let t: TestApp;

const START = new Date("2026-11-02T09:00:00+09:00");
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.current = new Date(START);
});
afterAll(() => t.close());

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

async function receiptsOf(circularId: string) {
  const r = await t.client.execute({
    sql: "SELECT household_id, read_at, read_by, channel FROM receipts WHERE circular_id = ? ORDER BY household_id",
    args: [circularId],
  });
  return r.rows.map((row) => ({ ...row }));
}

const ids = (res: Res) => (res.body.circulars as { id: string }[]).map((c) => c.id);

describe("the feed", () => {
  it("lists unread first, then newest, and counts the unread", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 2, name: "桜ヶ丘町内会" });
    const [b1, b2] = assoc.blockIds as [string, string];
    const h = assoc.households.find((x) => x.blockId === b1)!;
    const resident = client(t, (await makeResident(t, assoc.id, h.id)).token);
    const other = await world(t);

    const a = await publish(api, { title: "A 最初", dueAt: "2026-12-01" });
    const aAt = t.clock.now().toISOString();
    t.clock.advance(MINUTE);
    const b = await publish(api, { title: "B 自分の班へ", audience: "blocks", blockIds: [b1], priority: "urgent" });
    t.clock.advance(MINUTE);
    const c = await publish(api, { title: "C 最新" });
    t.clock.advance(MINUTE);
    const d = await publish(api, { title: "D 既読にする" });
    t.clock.advance(MINUTE);
    // Not for this household:
    const draftId = (await draft(api, { title: "下書き" })).id;
    const withdrawn = await publish(api, { title: "取り下げ" });
    expect((await api.post(`/api/circulars/${withdrawn}/withdraw`)).status).toBe(200);
    const otherBlock = await publish(api, { title: "2班だけ", audience: "blocks", blockIds: [b2] });
    const elsewhere = await publish(other.api, { title: "よその町内会" });

    t.clock.advance(MINUTE);
    const readAt = t.clock.now().toISOString();
    expect((await resident.post(`/api/feed/${d}/ack`)).status).toBe(200);
    t.clock.advance(MINUTE);
    expect((await resident.post(`/api/feed/${a}/ack`)).status).toBe(200);

    const feed = await resident.get("/api/feed");
    expect(feed.status).toBe(200);
    expect(feed.headers.get("cache-control")).toBe("private, no-cache");
    // Unread (newest first), then read (newest first).
    expect(ids(feed)).toEqual([c, b, d, a]);
    expect(feed.body.unread).toBe(2);
    for (const hidden of [draftId, withdrawn, otherBlock, elsewhere]) expect(ids(feed)).not.toContain(hidden);

    const entries = feed.body.circulars as any[];
    expect(entries[1]).toEqual({
      id: b,
      title: "B 自分の班へ",
      titleBreaks: phraseBreaks("B 自分の班へ"),
      // No analyser in this app (as on Workers): published without ふりがな (test/api/furigana.test.ts).
      titleRuby: [],
      priority: "urgent",
      from: "桜ヶ丘町内会",
      origin: "association",
      leaderNote: null,
      publishedAt: new Date(START.getTime() + MINUTE).toISOString(),
      dueAt: null,
      readAt: null,
      channel: null,
      attachmentCount: 0,
      needsAnswer: false,
    });
    expect(entries[2]).toMatchObject({ id: d, readAt, channel: "app" });
    expect(entries[3]).toMatchObject({ id: a, publishedAt: aAt, dueAt: "2026-12-01T14:59:59.999Z", channel: "app" });
  });

  it("counts every unread circular, however few are listed", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 1 });
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const first = await publish(api, { title: "1" });
    t.clock.advance(MINUTE);
    await publish(api, { title: "2" });
    t.clock.advance(MINUTE);
    const newest = await publish(api, { title: "3" });
    expect((await resident.post(`/api/feed/${first}/ack`)).status).toBe(200);

    const page = await resident.get("/api/feed?limit=1");
    expect(page.status).toBe(200);
    expect(ids(page)).toEqual([newest]);
    expect(page.body.unread).toBe(2);
    expectError(await resident.get("/api/feed?limit=0"), 400, "validation_failed");
    expectError(await resident.get("/api/feed?limit=501"), 400, "validation_failed");
  });

  it("is empty for a household that has received nothing", async () => {
    const { assoc } = await world(t, { blocks: 1, perBlock: 1 });
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const feed = await resident.get("/api/feed");
    expect(feed.status).toBe(200);
    expect(feed.body).toEqual({ unread: 0, circulars: [] });
  });
});

describe("one circular in full", () => {
  it("gives the body as text and links, and the attachments", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2, name: "緑町会" });
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const body = "防災訓練のお知らせ<b>太字</b>\n地図: https://example.jp/map?x=1。\n雨天中止";
    const id = (await draft(api, { title: "防災訓練", body, priority: "urgent", dueAt: "2026-11-30" })).id;
    const pdf = new FormData();
    pdf.append(
      "file",
      new File([new TextEncoder().encode("%PDF-1.7\n%訓練の地図\n")], "地図.pdf", { type: "application/pdf" }),
    );
    const up = await api.post(`/api/circulars/${id}/attachments`, pdf);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const published = await publishDraft(api, id);

    const res = await resident.get(`/api/feed/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.body).toEqual({
      id,
      title: "防災訓練",
      titleBreaks: [],
      titleRuby: [],
      body,
      bodyParts: [
        {
          type: "text",
          text: "防災訓練のお知らせ<b>太字</b>\n地図: ",
          breaks: phraseBreaks("防災訓練のお知らせ<b>太字</b>\n地図: "),
        },
        { type: "link", text: "https://example.jp/map?x=1", href: "https://example.jp/map?x=1" },
        { type: "text", text: "。\n雨天中止", breaks: phraseBreaks("。\n雨天中止") },
      ],
      easyBody: null,
      easyBodyParts: null,
      priority: "urgent",
      from: "緑町会",
      origin: "association",
      leaderNote: null,
      publishedAt: published.circular.publishedAt,
      dueAt: "2026-11-30T14:59:59.999Z",
      readAt: null,
      channel: null,
      attachments: [
        {
          id: up.body.id,
          circularId: id,
          fileName: "地図.pdf",
          contentType: "application/pdf",
          size: up.body.size,
          url: `/api/attachments/${up.body.id}`,
        },
      ],
      // No questions: nothing to answer.
      questions: [],
      anonymous: false,
      answer: null,
      answersOpen: false,
    });
    const listed = (await resident.get("/api/feed")).body.circulars.find((c: { id: string }) => c.id === id);
    expect(listed.attachmentCount).toBe(1);
    // The household can fetch the file it was sent.
    const file = await resident.get(res.body.attachments[0].url);
    expect(file.status).toBe(200);

    const ack = await resident.post(`/api/feed/${id}/ack`);
    const after = await resident.get(`/api/feed/${id}`);
    expect(after.body).toMatchObject({ readAt: ack.body.readAt, channel: "app" });
  });

  it("answers 404 for what the household did not receive", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 1 });
    const other = await world(t);
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const draftId = (await draft(api)).id;
    const otherBlock = await publish(api, { audience: "blocks", blockIds: [assoc.blockIds[1]] });
    const withdrawn = await publish(api);
    expect((await api.post(`/api/circulars/${withdrawn}/withdraw`)).status).toBe(200);
    const elsewhere = await publish(other.api);
    for (const id of [draftId, otherBlock, withdrawn, elsewhere, "nosuchcircular"]) {
      expectError(await resident.get(`/api/feed/${id}`), 404, "not_found");
    }
  });
});

describe("who has a feed", () => {
  it("refuses staff without a household (403) and people not signed in (401)", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 1 });
    const id = await publish(api);
    const blockLeader = client(
      t,
      (await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[0] })).token,
    );
    for (const staff of [api, blockLeader]) {
      expectError(await staff.get("/api/feed"), 403, "forbidden");
      expectError(await staff.get(`/api/feed/${id}`), 403, "forbidden");
      expectError(await staff.post(`/api/feed/${id}/ack`), 403, "forbidden");
    }
    const anon = client(t);
    expectError(await anon.get("/api/feed"), 401, "unauthorized");
    expectError(await anon.post(`/api/feed/${id}/ack`), 401, "unauthorized");
    expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ? AND read_at IS NOT NULL", [id])).toBe(0);
  });

  it("gives a leader who lives in the association their household's feed", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2 });
    const h = assoc.households[1]!;
    const living = await makeStaff(t, assoc.id, { householdId: h.id });
    const id = await publish(api);
    const me = client(t, living.token);
    expect(ids(await me.get("/api/feed"))).toEqual([id]);
    const ack = await me.post(`/api/feed/${id}/ack`);
    expect(ack.status).toBe(200);
    const row = await t.client.execute({
      sql: "SELECT read_by FROM receipts WHERE circular_id = ? AND household_id = ?",
      args: [id, h.id],
    });
    expect(String(row.rows[0]!.read_by)).toBe(living.id);
  });
});

describe("acknowledging", () => {
  it("records the first read and answers every repeat with it", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2 });
    const h = assoc.households[0]!;
    const member = await makeResident(t, assoc.id, h.id);
    const resident = client(t, member.token);
    const id = await publish(api);
    t.clock.advance(MINUTE);
    const at = t.clock.now().toISOString();
    const first = await resident.post(`/api/feed/${id}/ack`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ circularId: id, readAt: at, channel: "app", changed: true });
    expect((await resident.get("/api/feed")).body.unread).toBe(0);

    t.clock.advance(MINUTE);
    const second = await client(t, (await makeResident(t, assoc.id, h.id)).token).post(`/api/feed/${id}/ack`);
    expect(second.body).toEqual({ ...first.body, changed: false });
    const rows = await receiptsOf(id);
    const mine = rows.find((r) => r.household_id === h.id)!;
    expect(mine).toMatchObject({ read_at: new Date(at).getTime(), read_by: member.id, channel: "app" });
    // The neighbour's receipt is untouched.
    expect(rows.find((r) => r.household_id !== h.id)).toMatchObject({ read_at: null, read_by: null, channel: null });
  });

  it("answers a paper entry the leader made first", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 1 });
    const h = assoc.households[0]!;
    const resident = client(t, (await makeResident(t, assoc.id, h.id)).token);
    const id = await publish(api);
    const paper = await api.put(`/api/circulars/${id}/receipts/${h.id}/paper`);
    expect(paper.status).toBe(200);
    t.clock.advance(MINUTE);
    const ack = await resident.post(`/api/feed/${id}/ack`);
    expect(ack.body).toEqual({ circularId: id, readAt: paper.body.readAt, channel: "paper", changed: false });
  });

  it("answers 404 for a circular of another association or outside the audience, and changes nothing", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 2 });
    const other = await world(t, { blocks: 1, perBlock: 2 });
    const h = assoc.households.find((x) => x.blockId === assoc.blockIds[0])!;
    const resident = client(t, (await makeResident(t, assoc.id, h.id)).token);

    const elsewhere = await publish(other.api, { title: "よそ" });
    const otherBlock = await publish(api, { title: "2班だけ", audience: "blocks", blockIds: [assoc.blockIds[1]] });
    const draftId = (await draft(api, { title: "下書き" })).id;
    const withdrawn = await publish(api, { title: "取り下げ" });
    expect((await api.post(`/api/circulars/${withdrawn}/withdraw`)).status).toBe(200);

    const snapshot = async () => ({
      elsewhere: await receiptsOf(elsewhere),
      otherBlock: await receiptsOf(otherBlock),
      draft: await receiptsOf(draftId),
      withdrawn: await receiptsOf(withdrawn),
      mine: await scalar("SELECT count(*) FROM receipts WHERE household_id = ?", [h.id]),
      audit: await scalar("SELECT count(*) FROM audit_log"),
    });
    const before = await snapshot();
    for (const id of [elsewhere, otherBlock, draftId, withdrawn, "nosuchcircular"]) {
      expectError(await resident.post(`/api/feed/${id}/ack`), 404, "not_found");
    }
    expect(await snapshot()).toEqual(before);
    expect(before.elsewhere.every((r) => r.read_at === null)).toBe(true);
    // A household of the other association acknowledging its own circular is unaffected by all this.
    const theirResident = client(t, (await makeResident(t, other.assoc.id, other.assoc.households[0]!.id)).token);
    expect((await theirResident.post(`/api/feed/${elsewhere}/ack`)).body.changed).toBe(true);
  });
});

describe("a household that joins later", () => {
  it("receives circulars still active, but not those past their due date or for other blocks", async () => {
    const { assoc, api } = await world(t, { blocks: 2, perBlock: 1 });
    const [b1, b2] = assoc.blockIds as [string, string];
    const base = t.clock.now().getTime();
    const soon = await publish(api, { title: "期限が近い", dueAt: new Date(base + 2 * DAY).toISOString() });
    const later = await publish(api, { title: "期限はまだ先", dueAt: new Date(base + 10 * DAY).toISOString() });
    const undated = await publish(api, { title: "期限なし" });
    const mineOnly = await publish(api, {
      title: "1班へ",
      audience: "blocks",
      blockIds: [b1],
      dueAt: new Date(base + 10 * DAY).toISOString(),
    });
    const otherOnly = await publish(api, {
      title: "2班へ",
      audience: "blocks",
      blockIds: [b2],
      dueAt: new Date(base + 10 * DAY).toISOString(),
    });
    const withdrawn = await publish(api, { title: "取り下げ", dueAt: new Date(base + 10 * DAY).toISOString() });
    expect((await api.post(`/api/circulars/${withdrawn}/withdraw`)).status).toBe(200);

    t.clock.advance(3 * DAY);
    const created = await api.post("/api/households", { label: "新しい世帯", blockId: b1 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const householdId = created.body.id as string;
    const resident = client(t, (await makeResident(t, assoc.id, householdId)).token);

    const feed = await resident.get("/api/feed");
    expect(feed.status).toBe(200);
    expect(new Set(ids(feed))).toEqual(new Set([later, undated, mineOnly]));
    expect(feed.body.unread).toBe(3);
    for (const hidden of [soon, otherOnly, withdrawn]) {
      expectError(await resident.get(`/api/feed/${hidden}`), 404, "not_found");
      expectError(await resident.post(`/api/feed/${hidden}/ack`), 404, "not_found");
    }
    const ack = await resident.post(`/api/feed/${later}/ack`);
    expect(ack.body).toMatchObject({ changed: true, channel: "app" });

    // The leaders see the newcomer on the board of the active circular, in its block.
    const board = await api.get(`/api/circulars/${later}/receipts`);
    expect(board.body.counts).toMatchObject({ targeted: 3, read: 1 });
    const block1 = board.body.blocks.find((b: { id: string }) => b.id === b1);
    expect(block1.households.map((x: { id: string }) => x.id)).toContain(householdId);
    expect((await api.get(`/api/circulars/${soon}/receipts`)).body.counts.targeted).toBe(2);
  });
});
