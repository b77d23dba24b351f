// 「名簿を取り込む」 through the real HTTP stack and database: the file as Excel in Japan saves it (Shift_JIS or UTF-8
// CSV, with or without BOM, and .xlsx, all made here), every kind of row error, a preview that changes nothing and
// equals what applying does, 転出 only for households the leader chose, re-importing that changes nothing, two leaders
// importing at once, scopes, and the export that reads back as the same roster.
import { and, eq, isNull } from "drizzle-orm";
import iconv from "iconv-lite";
import readSheet from "read-excel-file/universal";
import writeXlsxFile from "write-excel-file/universal";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associations, auditLog, blocks, households, receipts, sessions } from "../../server/db/schema";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { publish } from "../helpers/flows";
import { client, expectError, type Res } from "../helpers/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Api = ReturnType<typeof client>;

const csv = (rows: string[][]) => rows.map((r) => r.join(",")).join("\r\n") + "\r\n";
const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
const sjis = (text: string) => new Uint8Array(iconv.encode(text, "Shift_JIS"));

function form(bytes: Uint8Array, name = "名簿.csv", extra: Record<string, string> = {}) {
  const f = new FormData();
  f.append("file", new File([new Uint8Array(bytes)], name));
  for (const [k, v] of Object.entries(extra)) f.append(k, v);
  return f;
}
const preview = (api: Api, bytes: Uint8Array, name?: string) => api.post("/api/roster/preview", form(bytes, name));
const apply = (api: Api, bytes: Uint8Array, token: string, leave: string[] = []) =>
  api.post("/api/roster/apply", form(bytes, "名簿.csv", { token, leave: leave.join(",") }));

/** An association of 2 blocks × 3 households (世帯1-1 … 世帯2-3, all app), its leader and their client. */
async function setup() {
  const assoc = await makeAssociation(t, { blocks: 2, perBlock: 3 });
  const leader = await makeStaff(t, assoc.id);
  return { assoc, leader, api: client(t, leader.token) };
}

const active = (associationId: string) =>
  t.db
    .select({
      id: households.id,
      label: households.label,
      blockId: households.blockId,
      channel: households.channel,
      note: households.note,
    })
    .from(households)
    .where(and(eq(households.associationId, associationId), isNull(households.leftAt)));
const audits = (associationId: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.associationId, associationId), eq(auditLog.action, "roster.import")));

/** The file every test starts from: the fixture's six households, one of them moved, one to paper, two new. */
const FILE = [
  ["世帯名", "回覧方法", "班", "備考"], // columns in another order than the export's
  ["世帯1-1", "アプリ", "1班", ""],
  ["世帯1-2", "紙", "１班", "耳が遠い"], // full-width digit; channel changed; a note
  ["世帯1-3", "アプリ", "2班", ""], // moved to 2班
  ["世帯2-1", "アプリ", "2", ""], // a bare number is that 班
  ["世帯2-2", "アプリ", "2班", ""],
  // 世帯2-3 is missing: offered as 転出
  ["新井", "アプリ", "3班", ""], // a new block
  ["上田　花子", "紙", "1班", ""], // ideographic space
];

describe("the preview", () => {
  it("reads UTF-8 with and without a BOM and Shift_JIS alike, and changes nothing", async () => {
    const { assoc, api } = await setup();
    const text = csv(FILE);
    const results: Res[] = [];
    for (const bytes of [withBom(text), utf8(text), sjis(text)]) results.push(await preview(api, bytes));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [first, ...rest] = results.map((r) => r.body);
    for (const other of rest) expect(other).toEqual(first);
    expect(first.errors).toEqual([]);
    expect(first.newBlocks).toEqual(["3班"]);
    expect(first.add).toEqual([
      { line: 7, block: "3班", label: "新井", channel: "app", note: null },
      { line: 8, block: "1班", label: "上田 花子", channel: "paper", note: null },
    ]);
    expect(first.change.map((c: any) => [c.line, c.label, c.before, c.after])).toEqual([
      [
        3,
        "世帯1-2",
        { block: "1班", channel: "app", note: null },
        { block: "1班", channel: "paper", note: "耳が遠い" },
      ],
      [4, "世帯1-3", { block: "1班", channel: "app", note: null }, { block: "2班", channel: "app", note: null }],
    ]);
    expect(first.unchanged).toBe(3);
    expect(first.missing).toEqual([
      { householdId: assoc.households[5]!.id, block: "2班", label: "世帯2-3", channel: "app" },
    ]);
    // Nothing changed.
    expect((await active(assoc.id)).length).toBe(6);
    expect(await audits(assoc.id)).toEqual([]);
  });

  it("names every mistake by its line, in Japanese, and applies nothing while one remains", async () => {
    const { assoc, api } = await setup();
    const rows = [
      ["班", "世帯名", "回覧方法"],
      ["", "空欄班", "アプリ"],
      ["1班", "", "アプリ"],
      ["1班", "方法なし", ""],
      ["1班", "ファクス", "FAX"],
      ["1班", "佐藤", "アプリ"],
      ["1班", "佐藤", "紙"],
      ["1班", "あ".repeat(41), "アプリ"],
      ["", "", ""], // an empty line is skipped
      ["2班", "正しい行", "アプリ"],
    ];
    const res = await preview(api, utf8(csv(rows)));
    expect(res.status).toBe(200);
    expect(res.body.errors.map((e: any) => e.message)).toEqual([
      "2行目: 班が空欄です。",
      "3行目: 世帯名が空欄です。",
      "4行目: 回覧方法が空欄です。「アプリ」か「紙」と書いてください。",
      "5行目: 回覧方法「FAX」は使えません。「アプリ」か「紙」と書いてください。",
      "7行目: 1班の「佐藤」は6行目と同じです。区別できる名前にしてください（例: 佐藤（一郎））。",
      "8行目: 世帯名が長すぎます（40文字まで）。",
    ]);
    for (const e of res.body.errors) expect(e.messageEn).toMatch(/^Line \d+: /);
    const refused = await apply(api, utf8(csv(rows)), res.body.token);
    expectError(refused, 400, "validation_failed");
    expect((await active(assoc.id)).map((h) => h.label).sort()).toEqual(assoc.households.map((h) => h.label).sort());
    expect(await audits(assoc.id)).toEqual([]);
  });

  it("says which headers are missing, and refuses an empty or unreadable file", async () => {
    const { api } = await setup();
    const noChannel = await preview(
      api,
      utf8(
        csv([
          ["班", "名前"],
          ["1班", "山田"],
        ]),
      ),
    );
    expect(noChannel.body.errors).toEqual([
      expect.objectContaining({
        line: 1,
        message:
          "1行目: 「世帯名」・「回覧方法」の列がありません。1行目に 班・世帯名・回覧方法（と 備考）の見出しを書いてください。",
      }),
    ]);
    expect((await preview(api, utf8(" \r\n\r\n"))).body.errors[0].message).toBe("ファイルが空です。");
    expect((await preview(api, utf8(csv([["班", "世帯名", "回覧方法"]])))).body.errors[0].message).toBe(
      "世帯の行がありません。",
    );
    // Neither UTF-8 nor Shift_JIS, nor a workbook.
    expectError(await preview(api, new Uint8Array([0x80, 0x80, 0xff, 0xfe, 0x81])), 400, "validation_failed");
    expectError(await preview(api, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), 400, "validation_failed");
    expectError(await api.post("/api/roster/preview", new FormData()), 400, "validation_failed");
  });

  it("reads an .xlsx workbook", async () => {
    const { api } = await setup();
    const blob = await writeXlsxFile(FILE.map((r) => r.map((value) => ({ value, type: String })))).toBlob();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const fromXlsx = await preview(api, bytes, "名簿.xlsx");
    expect(fromXlsx.status, JSON.stringify(fromXlsx.body)).toBe(200);
    const fromCsv = await preview(api, utf8(csv(FILE)));
    expect(fromXlsx.body).toEqual(fromCsv.body);
  });
});

describe("applying", () => {
  it("does what the preview said, in one audited batch, and 転出 only the households chosen", async () => {
    const { assoc, api } = await setup();
    // A resident of 世帯2-3 (missing from the file) and an open circular that new households must receive.
    const resident = await makeResident(t, assoc.id, assoc.households[5]!.id);
    const circularId = await publish(api, { title: "回覧", dueAt: "2099-12-31" });
    const bytes = sjis(csv(FILE));
    const p = (await preview(api, bytes)).body;
    const res = await apply(api, bytes, p.token, [p.missing[0].householdId]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ added: 2, changed: 2, left: 1, newBlocks: 1 });
    expect(res.body.addedAppHouseholdIds).toHaveLength(1);

    const blockRows = await t.db.select().from(blocks).where(eq(blocks.associationId, assoc.id));
    const blockName = new Map(blockRows.map((b) => [b.id, b.name]));
    expect(blockRows.map((b) => [b.name, b.sortOrder])).toEqual(
      expect.arrayContaining([
        ["1班", 1],
        ["2班", 2],
        ["3班", 3],
      ]),
    );
    const now = (await active(assoc.id)).map((h) => [h.label, blockName.get(h.blockId), h.channel, h.note]);
    expect(now.sort()).toEqual(
      [
        ["世帯1-1", "1班", "app", null],
        ["世帯1-2", "1班", "paper", "耳が遠い"],
        ["世帯1-3", "2班", "app", null],
        ["世帯2-1", "2班", "app", null],
        ["世帯2-2", "2班", "app", null],
        ["新井", "3班", "app", null],
        ["上田 花子", "1班", "paper", null],
      ].sort(),
    );
    // The household that moved out is signed out.
    expect(await t.db.select().from(sessions).where(eq(sessions.memberId, resident.id))).toEqual([]);
    // The new households received the open circular.
    const got = await t.db.select().from(receipts).where(eq(receipts.circularId, circularId));
    expect(got.length).toBe(6 + 2); // the fixture's 6 (the one that left keeps its receipt) and the 2 new
    expect(got.some((r) => r.householdId === res.body.addedAppHouseholdIds[0])).toBe(true);
    const rows = await audits(assoc.id);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.detail)).toEqual({ added: 2, changed: 2, left: 1, newBlocks: ["3班"] });

    // Preview = apply: the same file again shows nothing left to do.
    const again = (await preview(api, bytes)).body;
    expect(again).toMatchObject({ add: [], change: [], missing: [], newBlocks: [], unchanged: 7 });
    // Re-importing it changes nothing at all: no version raised, no audit row.
    const before = (
      await t.db.select({ v: associations.rosterVersion }).from(associations).where(eq(associations.id, assoc.id))
    )[0]?.v;
    const same = await apply(api, bytes, again.token);
    expect(same.body).toMatchObject({ added: 0, changed: 0, left: 0, newBlocks: 0 });
    const after = (
      await t.db.select({ v: associations.rosterVersion }).from(associations).where(eq(associations.id, assoc.id))
    )[0]?.v;
    expect(after).toBe(before);
    expect(await audits(assoc.id)).toHaveLength(1);
  });

  it("keeps a missing household unless the leader chose it, and refuses 転出 of anyone else", async () => {
    const { assoc, api } = await setup();
    const bytes = utf8(csv(FILE));
    const p = (await preview(api, bytes)).body;
    const other = await makeAssociation(t, { blocks: 1, perBlock: 1 });
    expectError(await apply(api, bytes, p.token, [other.households[0]!.id]), 400, "validation_failed");
    expectError(await apply(api, bytes, p.token, [assoc.households[0]!.id]), 400, "validation_failed");
    const res = await apply(api, bytes, p.token);
    expect(res.body).toMatchObject({ left: 0 });
    expect((await active(assoc.id)).some((h) => h.label === "世帯2-3")).toBe(true);
  });

  it("of two leaders importing at once, one wins and the other is told", async () => {
    const { assoc, api } = await setup();
    const second = client(t, (await makeStaff(t, assoc.id)).token);
    const mine = utf8(csv(FILE));
    const theirs = utf8(csv([...FILE, ["別の世帯", "紙", "2班", ""]]));
    const [p1, p2] = await Promise.all([preview(api, mine), preview(second, theirs)]);
    const results = await Promise.all([apply(api, mine, p1.body.token), apply(second, theirs, p2.body.token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = results.find((r) => r.status === 409)!;
    expectError(lost, 409, "conflict");
    expect(lost.body.error.message).toContain("もう一度ファイルを読み込んで確認してください");
    expect(await audits(assoc.id)).toHaveLength(1);
    // The loser's household is not there unless theirs won.
    const won = results[0]!.status === 200 ? "mine" : "theirs";
    expect((await active(assoc.id)).some((h) => h.label === "別の世帯")).toBe(won === "theirs");
    // And a preview made before a change is refused afterwards.
    expectError(await apply(api, mine, p1.body.token), 409, "conflict");
  });

  it("a preview is refused after any change to the households or blocks on their own pages", async () => {
    const { assoc, api } = await setup();
    const bytes = utf8(csv(FILE));
    const edits = [
      () => api.patch(`/api/households/${assoc.households[0]!.id}`, { channel: "paper" }),
      () => api.post("/api/households", { label: "新しい世帯", blockId: assoc.blockIds[0] }),
      () => api.patch(`/api/blocks/${assoc.blockIds[0]}`, { sortOrder: 9 }),
      () => api.post("/api/blocks", { name: "9班" }),
    ];
    for (const edit of edits) {
      const p = (await preview(api, bytes)).body;
      expect((await edit()).status).toBeLessThan(300);
      expectError(await apply(api, bytes, p.token), 409, "conflict");
    }
    expect(await audits(assoc.id)).toHaveLength(0);
  });

  it("is for leaders only, each in their own association", async () => {
    const { assoc, api } = await setup();
    const blockLeader = client(
      t,
      (await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[0] })).token,
    );
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const bytes = utf8(csv(FILE));
    for (const who of [blockLeader, resident]) {
      expectError(await preview(who, bytes), 403, "forbidden");
      expectError(await who.get("/api/roster/export?format=csv"), 403, "forbidden");
    }
    expectError(await client(t).post("/api/roster/preview", form(bytes)), 401, "unauthorized");
    // Another association's leader sees only their own roster (its households bear the same names).
    const elsewhere = await setup();
    const theirs = (await preview(elsewhere.api, bytes)).body;
    const ids = [...theirs.missing, ...theirs.change].map((m: any) => m.householdId);
    expect(ids.length).toBeGreaterThan(0);
    const ours = new Set(elsewhere.assoc.households.map((h) => h.id));
    for (const id of ids) expect(ours.has(id)).toBe(true);
    void api;
  });
});

describe("the export", () => {
  it("gives the roster as CSV (UTF-8 with BOM) and .xlsx, which import back as no change", async () => {
    const { assoc, api } = await setup();
    const p = (await preview(api, utf8(csv(FILE)))).body;
    expect((await apply(api, utf8(csv(FILE)), p.token)).status).toBe(200);

    const csvRes = await api.raw("/api/roster/export?format=csv", {
      headers: { cookie: `kairan_session=${(await makeStaff(t, assoc.id)).token}`, origin: "http://localhost" },
    });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const csvBytes = new Uint8Array(await csvRes.arrayBuffer());
    expect(Array.from(csvBytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(csvBytes.slice(3)).split("\r\n");
    expect(lines.slice(0, 4)).toEqual([
      "班,世帯名,回覧方法,備考",
      "1班,上田 花子,紙,",
      "1班,世帯1-1,アプリ,",
      "1班,世帯1-2,紙,耳が遠い",
    ]);
    const fromCsv = (await preview(api, csvBytes)).body;
    expect(fromCsv).toMatchObject({ errors: [], add: [], change: [], missing: [], unchanged: 8 });

    const xlsx = await api.raw("/api/roster/export", {
      headers: { cookie: `kairan_session=${(await makeStaff(t, assoc.id)).token}`, origin: "http://localhost" },
    });
    expect(xlsx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const xlsxBytes = new Uint8Array(await xlsx.arrayBuffer());
    const [sheet] = await readSheet(xlsxBytes.slice().buffer);
    expect(sheet!.sheet).toBe("名簿");
    expect(sheet!.data[0]).toEqual(["班", "世帯名", "回覧方法", "備考"]);
    const fromXlsx = (await preview(api, xlsxBytes, "名簿.xlsx")).body;
    expect(fromXlsx).toMatchObject({ errors: [], add: [], change: [], missing: [], unchanged: 8 });
  });
});
