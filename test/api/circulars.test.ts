// Circulars as leaders handle them: drafts, validation, publication (the receipts it creates), withdrawal,
// deletion, the list, the body as safe parts, and who may see or change what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phraseBreaks } from "../../server/lib/phrases";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeResident, makeStaff, type AssociationFixture } from "../helpers/factories";
import { client, errorOf, expectError } from "../helpers/http";
import { draft, publishDraft, world, type Api, type World } from "../helpers/flows";

let t: TestApp;

/** A fixed "now" well before the due dates used below, so the file does not depend on today's date. */
const START = new Date("2026-11-02T09:00:00+09:00");
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.current = new Date(START);
});
afterAll(() => t.close());

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  const r = await t.client.execute({ sql, args });
  return Number(r.rows[0]![0]);
}

/** Every table a circular write touches, counted: a refused request must leave all of them as they were. */
async function footprint() {
  return {
    circulars: await scalar("SELECT count(*) FROM circulars"),
    circularBlocks: await scalar("SELECT count(*) FROM circular_blocks"),
    receipts: await scalar("SELECT count(*) FROM receipts"),
    audit: await scalar("SELECT count(*) FROM audit_log"),
  };
}

async function auditCount(action: string, targetId: string) {
  return scalar("SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?", [action, targetId]);
}

async function receiptRows(circularId: string) {
  const r = await t.client.execute({
    sql: "SELECT household_id, block_id, association_id, read_at, channel, created_at FROM receipts WHERE circular_id = ? ORDER BY household_id",
    args: [circularId],
  });
  return r.rows.map((row) => ({
    householdId: String(row.household_id),
    blockId: String(row.block_id),
    associationId: String(row.association_id),
    readAt: row.read_at === null ? null : Number(row.read_at),
    channel: row.channel === null ? null : String(row.channel),
    createdAt: Number(row.created_at),
  }));
}

/** A draft published at once, with the publish answer (circular, audienceSize). */
const published = async (api: Api, input: Record<string, unknown> = {}) =>
  publishDraft(api, (await draft(api, input)).id);

describe("creating a draft", () => {
  it("fills in the defaults and writes the row with its audit entry", async () => {
    const { api, assoc } = await world(t);
    const before = await footprint();
    const res = await api.post("/api/circulars", {
      title: "  資源回収のお知らせ  ",
      body: "12月6日（土）です。  \r\n朝8時までに出してください。\r\n",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: "資源回収のお知らせ",
      body: "12月6日（土）です。\n朝8時までに出してください。",
      priority: "normal",
      audience: "all",
      status: "draft",
      blocks: [],
      dueAt: null,
      publishedAt: null,
      withdrawnAt: null,
      counts: null,
      attachments: [],
      createdAt: START.toISOString(),
      updatedAt: START.toISOString(),
    });
    expect(res.body.authorName).toMatch(/^役員/);
    expect(res.body.id).toMatch(/^[a-z0-9]{26}$/);
    const after = await footprint();
    expect(after.circulars).toBe(before.circulars + 1);
    expect(after.audit).toBe(before.audit + 1);
    expect(await auditCount("circular.create", res.body.id)).toBe(1);
    expect(
      await scalar("SELECT count(*) FROM circulars WHERE id = ? AND association_id = ? AND status = 'draft'", [
        res.body.id,
        assoc.id,
      ]),
    ).toBe(1);

    const got = await api.get(`/api/circulars/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("takes an urgent priority and an audience of chosen blocks (deduplicated, in block order)", async () => {
    const { api, assoc } = await world(t, { blocks: 3, perBlock: 1 });
    const [b1, b2, b3] = assoc.blockIds as [string, string, string];
    const res = await api.post("/api/circulars", {
      title: "断水のお知らせ",
      body: "明日は断水です。",
      priority: "urgent",
      audience: "blocks",
      blockIds: [b3, b1, b3],
    });
    expect(res.status).toBe(201);
    expect(res.body.priority).toBe("urgent");
    expect(res.body.audience).toBe("blocks");
    expect(res.body.blocks).toEqual([
      { id: b1, name: "1班" },
      { id: b3, name: "3班" },
    ]);
    expect(res.body.blocks.some((b: { id: string }) => b.id === b2)).toBe(false);
    expect(await scalar("SELECT count(*) FROM circular_blocks WHERE circular_id = ?", [res.body.id])).toBe(2);
  });

  it("ignores blockIds when the audience is the whole association", async () => {
    const { api, assoc } = await world(t);
    const res = await api.post("/api/circulars", {
      title: "全体",
      body: "本文",
      audience: "all",
      blockIds: [assoc.blockIds[0]],
    });
    expect(res.status).toBe(201);
    expect(res.body.blocks).toEqual([]);
    expect(await scalar("SELECT count(*) FROM circular_blocks WHERE circular_id = ?", [res.body.id])).toBe(0);
  });

  it("reads a plain date as the end of that day in Japan", async () => {
    const { api } = await world(t);
    const res = await api.post("/api/circulars", { title: "期限つき", body: "本文", dueAt: "2026-12-01" });
    expect(res.status).toBe(201);
    expect(res.body.dueAt).toBe("2026-12-01T14:59:59.999Z");
    expect(await scalar("SELECT due_at FROM circulars WHERE id = ?", [res.body.id])).toBe(
      new Date("2026-12-01T23:59:59.999+09:00").getTime(),
    );
  });

  it("reads an ISO date-time with its offset", async () => {
    const { api } = await world(t);
    const withOffset = await api.post("/api/circulars", {
      title: "期限",
      body: "本文",
      dueAt: "2026-12-01T10:00:00+09:00",
    });
    expect(withOffset.status).toBe(201);
    expect(withOffset.body.dueAt).toBe("2026-12-01T01:00:00.000Z");
    const utc = await api.post("/api/circulars", { title: "期限", body: "本文", dueAt: "2026-12-01T10:00:00Z" });
    expect(utc.status).toBe(201);
    expect(utc.body.dueAt).toBe("2026-12-01T10:00:00.000Z");
    const none = await api.post("/api/circulars", { title: "期限", body: "本文", dueAt: null });
    expect(none.status).toBe(201);
    expect(none.body.dueAt).toBeNull();
  });

  it("accepts a title of exactly 120 characters and a body of exactly 20,000", async () => {
    const { api } = await world(t);
    const res = await api.post("/api/circulars", { title: "あ".repeat(120), body: "い".repeat(20_000) });
    expect(res.status).toBe(201);
    expect(res.body.title).toHaveLength(120);
    expect(res.body.body).toHaveLength(20_000);
  });
});

describe("refused drafts write nothing", () => {
  let w: World;
  beforeAll(async () => {
    w = await world(t, { blocks: 2, perBlock: 1 });
  });

  const cases: { name: string; body: () => unknown; status: number; code: string; message?: RegExp }[] = [
    {
      name: "empty title",
      body: () => ({ title: "", body: "本文" }),
      status: 400,
      code: "validation_failed",
      message: /タイトルを入力してください/,
    },
    {
      name: "blank title",
      body: () => ({ title: "   ", body: "本文" }),
      status: 400,
      code: "validation_failed",
      message: /タイトル/,
    },
    {
      name: "missing title",
      body: () => ({ body: "本文" }),
      status: 400,
      code: "validation_failed",
      message: /タイトルを入力してください/,
    },
    {
      name: "title of 121 characters",
      body: () => ({ title: "あ".repeat(121), body: "本文" }),
      status: 400,
      code: "validation_failed",
      message: /タイトルは120文字以内/,
    },
    {
      name: "body of 20,001 characters",
      body: () => ({ title: "回覧", body: "い".repeat(20_001) }),
      status: 400,
      code: "validation_failed",
      message: /本文は20000文字以内/,
    },
    {
      name: "missing body",
      body: () => ({ title: "回覧" }),
      status: 400,
      code: "validation_failed",
      message: /本文を入力してください/,
    },
    {
      name: "body of only spaces",
      body: () => ({ title: "回覧", body: "  \r\n \t " }),
      status: 400,
      code: "validation_failed",
      message: /本文/,
    },
    {
      name: "audience blocks without blockIds",
      body: () => ({ title: "回覧", body: "本文", audience: "blocks" }),
      status: 400,
      code: "validation_failed",
      message: /配布する班/,
    },
    {
      name: "audience blocks with an empty blockIds",
      body: () => ({ title: "回覧", body: "本文", audience: "blocks", blockIds: [] }),
      status: 400,
      code: "validation_failed",
      message: /配布する班/,
    },
    {
      name: "an unknown field",
      body: () => ({ title: "回覧", body: "本文", color: "red" }),
      status: 400,
      code: "validation_failed",
      message: /使えない項目.*color/,
    },
    {
      name: "a title of the wrong type",
      body: () => ({ title: 123, body: "本文" }),
      status: 400,
      code: "validation_failed",
      message: /タイトル/,
    },
    {
      name: "an unknown priority",
      body: () => ({ title: "回覧", body: "本文", priority: "high" }),
      status: 400,
      code: "validation_failed",
      message: /重要度/,
    },
    {
      name: "blockIds of the wrong type",
      body: () => ({ title: "回覧", body: "本文", audience: "blocks", blockIds: "1班" }),
      status: 400,
      code: "validation_failed",
      message: /配布する班/,
    },
    {
      name: "an impossible due date",
      body: () => ({ title: "回覧", body: "本文", dueAt: "2026-13-01" }),
      status: 400,
      code: "validation_failed",
      message: /確認期限/,
    },
    {
      name: "a date-time without an offset",
      body: () => ({ title: "回覧", body: "本文", dueAt: "2026-12-01T10:00:00" }),
      status: 400,
      code: "validation_failed",
      message: /確認期限/,
    },
    { name: "an array instead of an object", body: () => [], status: 400, code: "validation_failed" },
    {
      name: "malformed JSON",
      body: () => '{"title": "回覧", "body": ',
      status: 400,
      code: "invalid_json",
      message: /JSON/,
    },
    {
      name: "a body over the JSON limit",
      body: () => ({ title: "回覧", body: "x".repeat(300 * 1024) }),
      status: 413,
      code: "payload_too_large",
      message: /大きすぎます/,
    },
    {
      name: "a block of another association",
      body: () => ({ title: "回覧", body: "本文", audience: "blocks", blockIds: [w.assoc.blockIds[0], otherBlock] }),
      status: 404,
      code: "not_found",
      message: /配布先の班が見つかりません/,
    },
    {
      name: "a block that does not exist",
      body: () => ({ title: "回覧", body: "本文", audience: "blocks", blockIds: ["nosuchblock"] }),
      status: 404,
      code: "not_found",
    },
  ];

  let otherBlock: string;
  beforeAll(async () => {
    otherBlock = (await makeAssociation(t, { blocks: 1, perBlock: 1 })).blockIds[0]!;
  });

  it.each(cases)("$name -> $status $code", async (c) => {
    const before = await footprint();
    const res = await w.api.post("/api/circulars", c.body());
    const e = expectError(res, c.status, c.code);
    if (c.message) expect(e.message).toMatch(c.message);
    expect(e.messageEn.length).toBeGreaterThan(0);
    expect(await footprint()).toEqual(before);
  });

  it("names the field in the per-field details", async () => {
    const res = await w.api.post("/api/circulars", { title: "", body: "い".repeat(20_001) });
    const e = expectError(res, 400, "validation_failed");
    const fields = e.fields as { path: string; message: string }[];
    expect(fields.map((f) => f.path).sort()).toEqual(["body", "title"]);
    expect(fields.find((f) => f.path === "title")!.message).toMatch(/タイトル/);
    expect(fields.find((f) => f.path === "body")!.message).toMatch(/本文/);
  });
});

describe("editing a draft", () => {
  it("changes what it is given and keeps the rest", async () => {
    const { api, assoc } = await world(t, { blocks: 2, perBlock: 2 });
    const d = await draft(api, { title: "旧タイトル", body: "旧本文", dueAt: "2026-12-01" });
    t.clock.advance(MINUTE);
    const res = await api.patch(`/api/circulars/${d.id}`, {
      title: "新タイトル",
      priority: "urgent",
      audience: "blocks",
      blockIds: [assoc.blockIds[1]],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: d.id,
      title: "新タイトル",
      body: "旧本文",
      priority: "urgent",
      audience: "blocks",
      blocks: [{ id: assoc.blockIds[1], name: "2班" }],
      dueAt: "2026-12-01T14:59:59.999Z",
      status: "draft",
      createdAt: d.createdAt,
      updatedAt: t.clock.now().toISOString(),
    });
    expect(await auditCount("circular.update", d.id)).toBe(1);

    const back = await api.patch(`/api/circulars/${d.id}`, { audience: "all", dueAt: null, body: "新本文" });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ audience: "all", blocks: [], dueAt: null, body: "新本文", title: "新タイトル" });
    expect(await scalar("SELECT count(*) FROM circular_blocks WHERE circular_id = ?", [d.id])).toBe(0);
  });

  it("refuses invalid edits without changing anything", async () => {
    const { api, assoc } = await world(t, { blocks: 2, perBlock: 1 });
    const other = await makeAssociation(t, { blocks: 1, perBlock: 1 });
    const d = await draft(api, { title: "元のまま", audience: "blocks", blockIds: [assoc.blockIds[0]] });
    const before = await footprint();
    const attempts: [unknown, number, string, RegExp][] = [
      [{ title: "" }, 400, "validation_failed", /タイトル/],
      [{ title: "あ".repeat(121) }, 400, "validation_failed", /タイトルは120文字以内/],
      [{ body: "い".repeat(20_001) }, 400, "validation_failed", /本文/],
      [{ body: "   " }, 400, "validation_failed", /本文/],
      [{ status: "published" }, 400, "validation_failed", /使えない項目.*status/],
      [{ blockIds: [] }, 400, "validation_failed", /配布する班/],
      [{ audience: "blocks", blockIds: [] }, 400, "validation_failed", /配布する班/],
      [{ blockIds: [other.blockIds[0]] }, 404, "not_found", /班/],
      ['{"title":', 400, "invalid_json", /JSON/],
    ];
    for (const [body, status, code, message] of attempts) {
      const res = await api.patch(`/api/circulars/${d.id}`, body);
      const e = expectError(res, status, code);
      expect(e.message, JSON.stringify(body)).toMatch(message);
    }
    expect(await footprint()).toEqual(before);
    const got = await api.get(`/api/circulars/${d.id}`);
    expect(got.body).toMatchObject({ title: "元のまま", audience: "blocks", blocks: [{ id: assoc.blockIds[0] }] });
  });

  it("answers 404 for an unknown circular", async () => {
    const { api } = await world(t);
    expectError(await api.patch("/api/circulars/nosuchcircular", { title: "x" }), 404, "not_found");
  });
});

describe("publishing", () => {
  it("creates exactly one receipt per active household of the association, in the batch that publishes", async () => {
    const { api, assoc } = await world(t, { blocks: 3, perBlock: 4 });
    const gone = assoc.households[5]!;
    const left = await api.patch(`/api/households/${gone.id}`, { left: true });
    expect(left.status).toBe(200);
    expect(left.body.leftAt).not.toBeNull();

    const d = await draft(api, { title: "総会のお知らせ" });
    t.clock.advance(MINUTE);
    const before = await footprint();
    const res = await api.post(`/api/circulars/${d.id}/publish`);
    expect(res.status).toBe(200);
    expect(res.body.audienceSize).toBe(11);
    const publishedAt = t.clock.now();
    expect(res.body.circular).toMatchObject({
      id: d.id,
      status: "published",
      publishedAt: publishedAt.toISOString(),
      counts: { targeted: 11, read: 0, unread: 11, readByApp: 0, readByPaper: 0, rate: 0 },
    });

    const rows = await receiptRows(d.id);
    expect(rows).toHaveLength(11);
    const expected = assoc.households.filter((h) => h.id !== gone.id);
    expect(rows.map((r) => r.householdId).sort()).toEqual(expected.map((h) => h.id).sort());
    for (const r of rows) {
      const h = assoc.households.find((x) => x.id === r.householdId)!;
      expect(r).toEqual({
        householdId: h.id,
        blockId: h.blockId,
        associationId: assoc.id,
        readAt: null,
        channel: null,
        createdAt: publishedAt.getTime(),
      });
    }
    const after = await footprint();
    expect(after.receipts).toBe(before.receipts + 11);
    expect(after.audit).toBe(before.audit + 1);
    expect(await auditCount("circular.publish", d.id)).toBe(1);
    const detail = await t.client.execute({
      sql: "SELECT detail, actor_id, association_id FROM audit_log WHERE action = 'circular.publish' AND target_id = ?",
      args: [d.id],
    });
    expect(JSON.parse(String(detail.rows[0]!.detail))).toEqual({ households: 11 });
    expect(String(detail.rows[0]!.association_id)).toBe(assoc.id);
  });

  it("reaches only the households of the chosen blocks", async () => {
    const { api, assoc } = await world(t, { blocks: 3, perBlock: 3 });
    const [b1, , b3] = assoc.blockIds as [string, string, string];
    const gone = assoc.households.find((h) => h.blockId === b3)!;
    expect((await api.patch(`/api/households/${gone.id}`, { left: true })).status).toBe(200);

    const res = await published(api, { audience: "blocks", blockIds: [b1, b3] });
    expect(res.audienceSize).toBe(5);
    const rows = await receiptRows(res.circular.id);
    const expected = assoc.households.filter((h) => (h.blockId === b1 || h.blockId === b3) && h.id !== gone.id);
    expect(rows.map((r) => r.householdId).sort()).toEqual(expected.map((h) => h.id).sort());
    expect(rows.every((r) => r.blockId === b1 || r.blockId === b3)).toBe(true);
  });

  it("refuses a second publication (409) and writes nothing more", async () => {
    const { api } = await world(t);
    const { circular } = await published(api);
    const before = await footprint();
    t.clock.advance(MINUTE);
    const again = await api.post(`/api/circulars/${circular.id}/publish`);
    const e = expectError(again, 409, "conflict");
    expect(e.message).toMatch(/すでに配布/);
    expect(await footprint()).toEqual(before);
    const got = await api.get(`/api/circulars/${circular.id}`);
    expect(got.body.publishedAt).toBe(circular.publishedAt);
  });

  it("publishes once when several publications race", async () => {
    const { api, assoc } = await world(t, { blocks: 2, perBlock: 5 });
    const d = await draft(api);
    const before = await footprint();
    const results = await Promise.all(Array.from({ length: 5 }, () => api.post(`/api/circulars/${d.id}/publish`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(errorOf(r).code).toBe("conflict");
    expect(results.find((r) => r.status === 200)!.body.audienceSize).toBe(assoc.households.length);
    expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ?", [d.id])).toBe(assoc.households.length);
    expect(await auditCount("circular.publish", d.id)).toBe(1);
    const after = await footprint();
    expect(after.audit).toBe(before.audit + 1);
  });

  it("keeps the chosen blocks and the receipts in agreement when an edit races the publication", async () => {
    const { api, assoc } = await world(t, { blocks: 2, perBlock: 2 });
    const [b1, b2] = assoc.blockIds as [string, string];
    const d = await draft(api, { audience: "blocks", blockIds: [b1] });
    const before = await footprint();
    const [edit, pub] = await Promise.all([
      api.patch(`/api/circulars/${d.id}`, { blockIds: [b2], title: "競合" }),
      api.post(`/api/circulars/${d.id}/publish`),
    ]);
    expect(pub.status).toBe(200);
    const got = await api.get(`/api/circulars/${d.id}`);
    expect(got.body.status).toBe("published");
    const chosen = (got.body.blocks as { id: string }[]).map((b) => b.id);
    const reached = [...new Set((await receiptRows(d.id)).map((r) => r.blockId))];
    expect(chosen).toEqual(reached);
    expect(pub.body.audienceSize).toBe(2);
    if (edit.status === 200) {
      // The edit went first: the circular went out with it.
      expect(chosen).toEqual([b2]);
      expect(got.body.title).toBe("競合");
      expect(await auditCount("circular.update", d.id)).toBe(1);
    } else {
      expectError(edit, 409, "conflict");
      expect(chosen).toEqual([b1]);
      expect(got.body.title).toBe("回覧");
      expect(await auditCount("circular.update", d.id)).toBe(0);
    }
    const after = await footprint();
    expect(after.audit).toBe(before.audit + 1 + (edit.status === 200 ? 1 : 0));
  });

  it("does not strip a circular that is published while it is being deleted", async () => {
    const { api, assoc } = await world(t, { blocks: 2, perBlock: 2 });
    const d = await draft(api, { audience: "blocks", blockIds: [assoc.blockIds[0]] });
    const pdf = new FormData();
    pdf.append(
      "file",
      new File([new TextEncoder().encode("%PDF-1.4\n%test\n")], "地図.pdf", { type: "application/pdf" }),
    );
    expect((await api.post(`/api/circulars/${d.id}/attachments`, pdf)).status).toBe(201);
    const [pub, del] = await Promise.all([
      api.post(`/api/circulars/${d.id}/publish`),
      api.delete(`/api/circulars/${d.id}`),
    ]);
    if (pub.status === 200) {
      expectError(del, 409, "conflict");
      const got = await api.get(`/api/circulars/${d.id}`);
      expect(got.body.status).toBe("published");
      expect(got.body.blocks).toEqual([{ id: assoc.blockIds[0], name: "1班" }]);
      expect(got.body.attachments).toHaveLength(1);
      // Its file is still there too.
      const file = await api.get(got.body.attachments[0].url);
      expect(file.status).toBe(200);
      expect(file.body).toContain("%PDF-1.4");
      expect(await auditCount("circular.delete", d.id)).toBe(0);
    } else {
      expect(del.status).toBe(204);
      expectError(pub, 404, "not_found");
      expect(await scalar("SELECT count(*) FROM circulars WHERE id = ?", [d.id])).toBe(0);
      expect(await scalar("SELECT count(*) FROM receipts WHERE circular_id = ?", [d.id])).toBe(0);
      expect(await auditCount("circular.publish", d.id)).toBe(0);
    }
  });

  it("refuses a circular whose due date has passed, and an audience without households", async () => {
    const { api, assoc } = await world(t, { blocks: 2, perBlock: 1 });
    const late = await draft(api, { dueAt: new Date(t.clock.now().getTime() - MINUTE).toISOString() });
    const before = await footprint();
    expect(expectError(await api.post(`/api/circulars/${late.id}/publish`), 400, "validation_failed").message).toMatch(
      /確認期限/,
    );

    const [b1] = assoc.blockIds as [string];
    const lone = assoc.households.find((h) => h.blockId === b1)!;
    const empty = await draft(api, { audience: "blocks", blockIds: [b1] });
    const mid = await footprint();
    expect(mid.circulars).toBe(before.circulars + 1);
    expect((await api.patch(`/api/households/${lone.id}`, { left: true })).status).toBe(200);
    const beforeEmpty = await footprint();
    expect(expectError(await api.post(`/api/circulars/${empty.id}/publish`), 400, "validation_failed").message).toMatch(
      /世帯/,
    );
    expect(await footprint()).toEqual(beforeEmpty);
    expect((await api.get(`/api/circulars/${empty.id}`)).body.status).toBe("draft");
  });

  it("refuses to edit or delete a published circular (409)", async () => {
    const { api } = await world(t);
    const { circular } = await published(api, { title: "配布済み" });
    const before = await footprint();
    const edit = await api.patch(`/api/circulars/${circular.id}`, { title: "書き換え" });
    expect(expectError(edit, 409, "conflict").message).toMatch(/書き換えられません/);
    expectError(await api.delete(`/api/circulars/${circular.id}`), 409, "conflict");
    expect(await footprint()).toEqual(before);
    expect((await api.get(`/api/circulars/${circular.id}`)).body.title).toBe("配布済み");
  });
});

describe("withdrawing", () => {
  it("hides the circular from residents but keeps its receipts", async () => {
    const { api, assoc } = await world(t, { blocks: 1, perBlock: 3 });
    const [h1, h2] = assoc.households as [
      AssociationFixture["households"][number],
      AssociationFixture["households"][number],
    ];
    const r1 = client(t, (await makeResident(t, assoc.id, h1.id)).token);
    const r2 = client(t, (await makeResident(t, assoc.id, h2.id)).token);
    const { circular } = await published(api, { title: "取り下げ予定" });
    expect((await r1.post(`/api/feed/${circular.id}/ack`)).status).toBe(200);
    expect((await r2.get("/api/feed")).body.circulars.map((c: { id: string }) => c.id)).toContain(circular.id);
    const receiptsBefore = await receiptRows(circular.id);

    t.clock.advance(MINUTE);
    const res = await api.post(`/api/circulars/${circular.id}/withdraw`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "withdrawn",
      withdrawnAt: t.clock.now().toISOString(),
      publishedAt: circular.publishedAt,
    });
    expect(await auditCount("circular.withdraw", circular.id)).toBe(1);

    for (const r of [r1, r2]) {
      const feed = await r.get("/api/feed");
      expect(feed.status).toBe(200);
      expect(feed.body.circulars.map((c: { id: string }) => c.id)).not.toContain(circular.id);
      expect(feed.body.unread).toBe(0);
      expectError(await r.get(`/api/feed/${circular.id}`), 404, "not_found");
      expectError(await r.post(`/api/feed/${circular.id}/ack`), 404, "not_found");
    }
    expect(await receiptRows(circular.id)).toEqual(receiptsBefore);
    // The leaders still have the record.
    const board = await api.get(`/api/circulars/${circular.id}/receipts`);
    expect(board.status).toBe(200);
    expect(board.body.counts).toMatchObject({ targeted: 3, read: 1 });
  });

  it("withdraws only a published circular (409 for a draft or a second time)", async () => {
    const { api } = await world(t);
    const d = await draft(api);
    expectError(await api.post(`/api/circulars/${d.id}/withdraw`), 409, "conflict");
    const { circular } = await published(api);
    expect((await api.post(`/api/circulars/${circular.id}/withdraw`)).status).toBe(200);
    const before = await footprint();
    t.clock.advance(MINUTE);
    expectError(await api.post(`/api/circulars/${circular.id}/withdraw`), 409, "conflict");
    expectError(await api.post(`/api/circulars/${circular.id}/publish`), 409, "conflict");
    expect(await footprint()).toEqual(before);
  });

  it("writes one audit row when withdrawals race", async () => {
    const { api } = await world(t);
    const { circular } = await published(api);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => api.post(`/api/circulars/${circular.id}/withdraw`)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(await auditCount("circular.withdraw", circular.id)).toBe(1);
  });
});

describe("deleting a draft", () => {
  it("removes the draft and its chosen blocks", async () => {
    const { api, assoc } = await world(t);
    const d = await draft(api, { title: "消す下書き", audience: "blocks", blockIds: assoc.blockIds });
    expect(await scalar("SELECT count(*) FROM circular_blocks WHERE circular_id = ?", [d.id])).toBe(2);
    const res = await api.delete(`/api/circulars/${d.id}`);
    expect(res.status).toBe(204);
    expect(await scalar("SELECT count(*) FROM circulars WHERE id = ?", [d.id])).toBe(0);
    expect(await scalar("SELECT count(*) FROM circular_blocks WHERE circular_id = ?", [d.id])).toBe(0);
    expect(await auditCount("circular.delete", d.id)).toBe(1);
    expectError(await api.get(`/api/circulars/${d.id}`), 404, "not_found");
    expectError(await api.delete(`/api/circulars/${d.id}`), 404, "not_found");
  });
});

describe("the list", () => {
  it("shows drafts first, then the newest publication, with read counts", async () => {
    const { api, assoc } = await world(t, { blocks: 2, perBlock: 2, paperEvery: 4 });
    const older = await published(api, { title: "古い配布" });
    t.clock.advance(MINUTE);
    const newer = await published(api, { title: "新しい配布", audience: "blocks", blockIds: [assoc.blockIds[0]] });
    t.clock.advance(MINUTE);
    const draftA = await draft(api, { title: "下書きA" });
    t.clock.advance(MINUTE);
    const draftB = await draft(api, { title: "下書きB" });
    t.clock.advance(MINUTE);
    // An edit makes a draft the most recently touched one.
    expect((await api.patch(`/api/circulars/${draftA.id}`, { title: "下書きA（修正）" })).status).toBe(200);

    const h1 = assoc.households[0]!;
    const paperHousehold = assoc.households[3]!;
    expect(paperHousehold.channel).toBe("paper");
    const resident = client(t, (await makeResident(t, assoc.id, h1.id)).token);
    expect((await resident.post(`/api/feed/${older.circular.id}/ack`)).status).toBe(200);
    expect((await api.put(`/api/circulars/${older.circular.id}/receipts/${paperHousehold.id}/paper`)).status).toBe(200);

    const list = await api.get("/api/circulars");
    expect(list.status).toBe(200);
    const items = list.body.circulars as any[];
    expect(items.map((c) => c.id)).toEqual([draftA.id, draftB.id, newer.circular.id, older.circular.id]);
    expect(items[0]).toMatchObject({ status: "draft", counts: null, title: "下書きA（修正）" });
    expect(items[1]).toMatchObject({ status: "draft", counts: null });
    expect(items[2]).toMatchObject({
      status: "published",
      audience: "blocks",
      blocks: [{ id: assoc.blockIds[0], name: "1班" }],
      counts: { targeted: 2, read: 0, unread: 2, readByApp: 0, readByPaper: 0, rate: 0 },
    });
    expect(items[3]).toMatchObject({
      status: "published",
      counts: { targeted: 4, read: 2, unread: 2, readByApp: 1, readByPaper: 1, rate: 0.5 },
    });
    expect(items[3].authorName).toMatch(/^役員/);
    // The list is a summary: no bodies.
    expect(items[3].body).toBeUndefined();

    const onlyPublished = await api.get("/api/circulars?status=published");
    expect(onlyPublished.body.circulars.map((c: { id: string }) => c.id)).toEqual([
      newer.circular.id,
      older.circular.id,
    ]);
    const limited = await api.get("/api/circulars?limit=1");
    expect(limited.body.circulars.map((c: { id: string }) => c.id)).toEqual([draftA.id]);
    expectError(await api.get("/api/circulars?status=lost"), 400, "validation_failed");
    expectError(await api.get("/api/circulars?limit=0"), 400, "validation_failed");
  });

  it("lists nothing of another association", async () => {
    const mine = await world(t);
    const theirs = await world(t);
    const d = await draft(theirs.api, { title: "よその回覧" });
    const list = await mine.api.get("/api/circulars");
    expect(list.status).toBe(200);
    expect(list.body.circulars.map((c: { id: string }) => c.id)).not.toContain(d.id);
  });
});

describe("the body as parts", () => {
  it("gives markup back as text and URLs as links, nothing else", async () => {
    const { api } = await world(t);
    const body = "お知らせ<script>alert(1)</script>\n詳しくは https://example.jp/kairan?a=1&b=2 をご覧ください。";
    const d = await draft(api, { body });
    expect(d.body).toBe(body);
    expect(d.bodyParts).toEqual([
      {
        type: "text",
        text: "お知らせ<script>alert(1)</script>\n詳しくは ",
        breaks: phraseBreaks("お知らせ<script>alert(1)</script>\n詳しくは "),
      },
      { type: "link", text: "https://example.jp/kairan?a=1&b=2", href: "https://example.jp/kairan?a=1&b=2" },
      { type: "text", text: " をご覧ください。", breaks: phraseBreaks(" をご覧ください。") },
    ]);
    // Nothing but text and http(s) links, whatever was written.
    const tricky = await draft(api, {
      body: 'javascript:alert(1) <a href="https://evil.example/">x</a> data:text/html,<b>',
    });
    for (const p of tricky.bodyParts as { type: string; href?: string }[]) {
      expect(["text", "link"]).toContain(p.type);
      if (p.type === "link") expect(p.href).toMatch(/^https?:\/\//);
    }
    expect((tricky.bodyParts as { type: string }[]).filter((p) => p.type === "link")).toEqual([
      { type: "link", text: "https://evil.example/", href: "https://evil.example/" },
    ]);
    expect((tricky.bodyParts as { text: string }[]).map((p) => p.text).join("")).toBe(tricky.body);
  });
});

describe("who may do what", () => {
  let w: World;
  let resident: ReturnType<typeof client>;
  let blockLeader: ReturnType<typeof client>;
  let stranger: ReturnType<typeof client>;
  beforeAll(async () => {
    w = await world(t, { blocks: 2, perBlock: 2 });
    resident = client(t, (await makeResident(t, w.assoc.id, w.assoc.households[0]!.id)).token);
    blockLeader = client(
      t,
      (await makeStaff(t, w.assoc.id, { role: "block_leader", blockId: w.assoc.blockIds[0] })).token,
    );
    const other = await makeAssociation(t);
    stranger = client(t, (await makeStaff(t, other.id)).token);
  });

  it("lets neither residents nor block leaders create, edit, publish, withdraw or delete (403)", async () => {
    const d = await draft(w.api, { title: "権限テスト" });
    const pub = await published(w.api, { title: "権限テスト（配布済み）" });
    const before = await footprint();
    for (const who of [resident, blockLeader]) {
      expectError(await who.post("/api/circulars", { title: "勝手に", body: "本文" }), 403, "forbidden");
      expectError(await who.patch(`/api/circulars/${d.id}`, { title: "勝手に" }), 403, "forbidden");
      expectError(await who.post(`/api/circulars/${d.id}/publish`), 403, "forbidden");
      expectError(await who.post(`/api/circulars/${pub.circular.id}/withdraw`), 403, "forbidden");
      expectError(await who.delete(`/api/circulars/${d.id}`), 403, "forbidden");
    }
    expectError(await resident.get("/api/circulars"), 403, "forbidden");
    expectError(await resident.get(`/api/circulars/${pub.circular.id}`), 403, "forbidden");
    expect(await footprint()).toEqual(before);
    expect((await w.api.get(`/api/circulars/${d.id}`)).body).toMatchObject({ status: "draft", title: "権限テスト" });
  });

  it("asks for a sign-in without a session (401)", async () => {
    const anon = client(t);
    expectError(await anon.get("/api/circulars"), 401, "unauthorized");
    expectError(await anon.post("/api/circulars", { title: "匿名", body: "本文" }), 401, "unauthorized");
  });

  it("answers 404 to a leader of another association, and changes nothing", async () => {
    const d = await draft(w.api, { title: "よそには見えない" });
    const pub = await published(w.api, { title: "よそには見えない（配布済み）" });
    const before = await footprint();
    expectError(await stranger.get(`/api/circulars/${d.id}`), 404, "not_found");
    expectError(await stranger.get(`/api/circulars/${pub.circular.id}`), 404, "not_found");
    expectError(await stranger.patch(`/api/circulars/${d.id}`, { title: "乗っ取り" }), 404, "not_found");
    expectError(await stranger.post(`/api/circulars/${d.id}/publish`), 404, "not_found");
    expectError(await stranger.delete(`/api/circulars/${d.id}`), 404, "not_found");
    expectError(await stranger.post(`/api/circulars/${pub.circular.id}/withdraw`), 404, "not_found");
    expectError(await stranger.get(`/api/circulars/${pub.circular.id}/receipts`), 404, "not_found");
    const h = w.assoc.households[0]!;
    expectError(await stranger.put(`/api/circulars/${pub.circular.id}/receipts/${h.id}/paper`), 404, "not_found");
    expect(await footprint()).toEqual(before);
    expect((await w.api.get(`/api/circulars/${d.id}`)).body).toMatchObject({
      status: "draft",
      title: "よそには見えない",
    });
    expect((await w.api.get(`/api/circulars/${pub.circular.id}`)).body.status).toBe("published");
  });

  it("shows a block leader only published circulars that reach their block", async () => {
    const [mine, other] = w.assoc.blockIds as [string, string];
    const all = await published(w.api, { title: "全体へ" });
    const toMine = await published(w.api, { title: "自分の班へ", audience: "blocks", blockIds: [mine] });
    const toBoth = await published(w.api, { title: "両方の班へ", audience: "blocks", blockIds: [other, mine] });
    const toOther = await published(w.api, { title: "ほかの班へ", audience: "blocks", blockIds: [other] });
    const d = await draft(w.api, { title: "下書き（班長には見えない）" });
    const withdrawn = await published(w.api, { title: "取り下げ" });
    expect((await w.api.post(`/api/circulars/${withdrawn.circular.id}/withdraw`)).status).toBe(200);

    const list = await blockLeader.get("/api/circulars");
    expect(list.status).toBe(200);
    const ids = (list.body.circulars as { id: string; status: string }[]).map((c) => c.id);
    for (const c of [all, toMine, toBoth, withdrawn]) expect(ids).toContain(c.circular.id);
    expect(ids).not.toContain(toOther.circular.id);
    expect(ids).not.toContain(d.id);
    expect((list.body.circulars as { status: string }[]).every((c) => c.status !== "draft")).toBe(true);
    // Their counts are their own block's.
    const both = (list.body.circulars as any[]).find((c) => c.id === toBoth.circular.id);
    expect(both.counts.targeted).toBe(2);
    expect((await blockLeader.get("/api/circulars?status=draft")).body.circulars).toEqual([]);

    const seen = await blockLeader.get(`/api/circulars/${toBoth.circular.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.counts.targeted).toBe(2);
    expect((await w.api.get(`/api/circulars/${toBoth.circular.id}`)).body.counts.targeted).toBe(4);

    expectError(await blockLeader.get(`/api/circulars/${toOther.circular.id}`), 404, "not_found");
    expectError(await blockLeader.get(`/api/circulars/${toOther.circular.id}/receipts`), 404, "not_found");
    expectError(await blockLeader.get(`/api/circulars/${d.id}`), 404, "not_found");
    expectError(await blockLeader.get(`/api/circulars/${d.id}/receipts`), 404, "not_found");
  });
});
