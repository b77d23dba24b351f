// ふりがな (issue 15, docs/adr/0016): the rules on readings; kuromoji on fixtures; the 「ふりがな」 panel's routes (words,
// corrections checked and kept, available: false without an analyser); the ruby stored at publication, corrected
// readings kept, texts changed since recomputed; a city circular's copies carry it; another association's draft 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../server/config";
import { publishedFurigana } from "../../server/features/furigana/furigana";
import { checkedWords, rubyOf, splitOkurigana, toHiragana } from "../../server/features/furigana/spans";
import { createNodeReadings } from "../../server/node/readings";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff } from "../helpers/factories";
import { draft, publishDraft, world } from "../helpers/flows";
import { client, expectError } from "../helpers/http";

const analyser = createNodeReadings();
const { provider } = analyser;
afterAll(() => analyser.close());
const rubyText = (text: string, ruby: [number, number, string][]) =>
  ruby.map(([s, e, r]) => `${text.slice(s, e)}:${r}`);
const analyse = async (text: string) => {
  const json = await publishedFurigana(provider, { title: text, body: "", easyBody: null }, null);
  return rubyText(text, JSON.parse(json!).title);
};

describe("the rules", () => {
  it("splits okurigana so that only kanji get ruby", () => {
    expect(splitOkurigana("申し込み", "もうしこみ")).toEqual([
      [0, 1, "もう"],
      [2, 3, "こ"],
    ]);
    expect(splitOkurigana("お知らせ", "おしらせ")).toEqual([[1, 2, "し"]]);
    // A reading that does not fit the kana: one ruby over the kanji, never over a kana-only tail.
    expect(splitOkurigana("申し込み", "ぼしゅう")).toEqual([[0, 3, "ぼしゅう"]]);
    expect(toHiragana("ヒナンジョ")).toBe("ひなんじょ");
  });

  it("drops words that do not fit the exact text: offsets, no kanji, readings not kana, overlaps", () => {
    const text = "町内会のお知らせ";
    expect(
      checkedWords(text, [
        { start: 0, end: 3, reading: "チョウナイカイ" },
        { start: 2, end: 4, reading: "かいの" },
        { start: 3, end: 4, reading: "ノ" },
        { start: 4, end: 9, reading: "おしらせ" },
        { start: 4, end: 8, reading: "<b>" },
      ]),
    ).toEqual([{ start: 0, end: 3, reading: "ちょうないかい" }]);
    expect(rubyOf("申し込み", [{ start: 0, end: 4, reading: "もうしこみ" }])).toHaveLength(2);
  });
});

describe("kuromoji (IPADIC) on fixtures", () => {
  it("reads circulars' words in hiragana, kanji only", { timeout: 60_000 }, async () => {
    expect(await analyse("避難所")).toEqual(["避難所:ひなんじょ"]);
    expect(await analyse("申し込み")).toEqual(["申:もう", "込:こ"]);
    expect(await analyse("地区防災訓練のお知らせ")).toEqual(["地区:ちく", "防災:ぼうさい", "訓練:くんれん", "知:し"]);
    expect(await analyse("仙台市青葉区")).toEqual(["仙台:せんだい", "市:し", "青葉:あおば", "区:く"]);
    // No ruby rather than a wrong one on a counter after a number (IPADIC reads 12月 as 月/つき).
    expect(await analyse("12月7日に")).toEqual([]);
  });

  it("runs in a process of its own, ended when asked (or when idle) and started again on the next call", async () => {
    expect(analyser.loaded()).toBe(true);
    await analyser.close();
    expect(analyser.loaded()).toBe(false);
    expect(await analyse("避難所")).toEqual(["避難所:ひなんじょ"]);
    const idle = createNodeReadings({ idleMs: 50 });
    await idle.provider("町");
    expect(idle.loaded()).toBe(true);
    await expect.poll(() => idle.loaded(), { timeout: 5_000 }).toBe(false);
  }, 60_000);
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { sendPushes: false, readings: true });
  t.clock.current = new Date("2026-11-02T09:00:00+09:00");
});
afterAll(() => t.close());

type Word = { word: string; reading: string; suggested: string; corrected: boolean };

describe("the 「ふりがな」 panel and publication", () => {
  it(
    "lists a draft's words, keeps a correction and publishes it; residents get ruby",
    { timeout: 60_000 },
    async () => {
      const { assoc, api } = await world(t, { blocks: 1, perBlock: 1 });
      const d = await draft(api, {
        title: "作並の避難所",
        body: "申し込みは作並公民館まで。",
        easyBody: "作並に きて ください。",
      });
      const got = await api.get(`/api/circulars/${d.id}/readings`);
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      expect(got.body.available).toBe(true);
      const words = got.body.words as Word[];
      expect(words.map((w) => w.word)).toEqual(expect.arrayContaining(["作並", "避難所", "申し込み", "公民館"]));
      const saved = await api.put(`/api/circulars/${d.id}/readings`, {
        fixes: [{ word: "作並", reading: "サクナミ" }],
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect((saved.body.words as Word[]).find((w) => w.word === "作並")).toMatchObject({
        reading: "さくなみ",
        corrected: true,
      });
      // The preview's detail (?ruby=1) has the ruby it would be published with; the plain detail has none.
      const preview = (await api.get(`/api/circulars/${d.id}?ruby=1`)).body;
      expect(rubyText(preview.title, preview.titleRuby)).toEqual(["作並:さくなみ", "避難所:ひなんじょ"]);
      expect((await api.get(`/api/circulars/${d.id}`)).body.titleRuby).toEqual([]);
      // Kept with the draft.
      const again = (await api.get(`/api/circulars/${d.id}/readings`)).body.words as Word[];
      expect(again.find((w) => w.word === "作並")?.corrected).toBe(true);

      // The body changes after the correction: recomputed at publication, the correction kept for the word.
      expect((await api.patch(`/api/circulars/${d.id}`, { body: "申し込みは作並の集会所まで。" })).status).toBe(200);
      await publishDraft(api, d.id);
      const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
      const item = (await resident.get(`/api/feed/${d.id}`)).body;
      expect(rubyText(item.title, item.titleRuby)).toEqual(["作並:さくなみ", "避難所:ひなんじょ"]);
      const part = item.bodyParts[0];
      expect(rubyText(part.text, part.ruby)).toEqual(["申:もう", "込:こ", "作並:さくなみ", "集会所:しゅうかいじょ"]);
      expect(rubyText(item.easyBodyParts[0].text, item.easyBodyParts[0].ruby)).toEqual(["作並:さくなみ"]);
      const list = (await resident.get("/api/feed")).body.circulars;
      expect(list[0].titleRuby).toEqual(item.titleRuby);
      // Published: the readings can no longer be changed.
      expectError(await api.get(`/api/circulars/${d.id}/readings`), 409, "conflict");
    },
  );

  it("refuses bad corrections with the usual error and changes nothing", async () => {
    const { api } = await world(t);
    const d = await draft(api, { title: "作並の避難所", body: "本文です。" });
    await api.put(`/api/circulars/${d.id}/readings`, { fixes: [{ word: "作並", reading: "さくなみ" }] });
    for (const fixes of [
      [{ word: "作並", reading: "sakunami" }],
      [{ word: "作並", reading: "<b>さく</b>" }],
      [{ word: "青葉", reading: "あおば" }],
      [{ word: "ひらがな", reading: "ひらがな" }],
      [
        { word: "作並", reading: "さくなみ" },
        { word: "作並", reading: "さくな" },
      ],
    ]) {
      const e = expectError(await api.put(`/api/circulars/${d.id}/readings`, { fixes }), 400, "validation_failed");
      expect(e.message).toMatch(/ふりがな/);
      expect(e.messageEn).toMatch(/reading|word/i);
    }
    expectError(
      await api.put(`/api/circulars/${d.id}/readings`, { fixes: [{ word: "作並", reading: "あ".repeat(65) }] }),
      400,
      "validation_failed",
    );
    const words = (await api.get(`/api/circulars/${d.id}/readings`)).body.words as Word[];
    expect(words.find((w) => w.word === "作並")).toMatchObject({ reading: "さくなみ", corrected: true });
  });

  it("answers 404 for another association's draft, 403 for a block leader", async () => {
    const a = await world(t);
    const b = await world(t);
    const d = await draft(a.api, { title: "避難所" });
    expectError(await b.api.get(`/api/circulars/${d.id}/readings`), 404, "not_found");
    expectError(
      await b.api.put(`/api/circulars/${d.id}/readings`, { fixes: [{ word: "避難所", reading: "ひなん" }] }),
      404,
      "not_found",
    );
    const hancho = client(t, (await makeStaff(t, a.assoc.id, { role: "block_leader" })).token);
    expectError(await hancho.get(`/api/circulars/${d.id}/readings`), 403, "forbidden");
  });

  it("copies a city circular's readings, corrections included, into each association's copy", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 1 });
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    const created = await city.post("/api/city/circulars", {
      title: "作並地区の避難所",
      body: "防災訓練を行います。",
      target: { scope: "associations", ids: [assoc.id] },
    });
    expect(created.status).toBe(201);
    const put = await city.put(`/api/city/circulars/${created.body.id}/readings`, {
      fixes: [{ word: "作並", reading: "さくなみ" }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await city.post(`/api/city/circulars/${created.body.id}/publish`)).status).toBe(200);
    const copy = ((await api.get("/api/circulars")).body.circulars as { id: string; origin: string }[]).find(
      (c) => c.origin === "city",
    )!;
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const item = (await resident.get(`/api/feed/${copy.id}`)).body;
    expect(rubyText(item.title, item.titleRuby)).toEqual(["作並:さくなみ", "地区:ちく", "避難所:ひなんじょ"]);
    expect(item.bodyParts[0].ruby.length).toBeGreaterThan(0);
  });
});

describe("without an analyser (as on Workers, or FURIGANA=false on a small Node host)", () => {
  it("FURIGANA is on unless set off, and a value that is not a yes or no is refused", () => {
    expect(parseConfig({}).furigana).toBe(true);
    expect(parseConfig({ FURIGANA: "false" }).furigana).toBe(false);
    expect(() => parseConfig({ FURIGANA: "maybe" })).toThrow(/FURIGANA/);
  });

  let bare: TestApp;
  beforeAll(async () => {
    bare = await createTestApp({}, { sendPushes: false });
    bare.clock.current = new Date("2026-11-02T09:00:00+09:00");
  });
  afterAll(() => bare.close());

  it("answers available: false and publishes without ふりがな", async () => {
    const { assoc, api } = await world(bare, { blocks: 1, perBlock: 1 });
    const d = await draft(api, { title: "避難所" });
    expect((await api.get(`/api/circulars/${d.id}/readings`)).body).toEqual({ available: false, words: [] });
    await publishDraft(api, d.id);
    const resident = client(bare, (await makeResident(bare, assoc.id, assoc.households[0]!.id)).token);
    const item = (await resident.get(`/api/feed/${d.id}`)).body;
    expect(item.titleRuby).toEqual([]);
    expect(item.bodyParts[0].ruby).toBeUndefined();
  });
});
