// やさしい日本語 (issue 15): the checker's rules, each with a text that triggers it and one that does not; and the
// やさしい日本語 version of a body, saved with a draft, published, copied from a city circular, served in the feed,
// refused when too long.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptHint, checkEasyJapanese, type EasyRule } from "../../server/features/easy-japanese/check";
import { DIFFICULT_WORDS } from "../../server/features/easy-japanese/words";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff } from "../helpers/factories";
import { client, expectError } from "../helpers/http";
import { draft, publishDraft, world } from "../helpers/flows";

const rules = (text: string, rule: EasyRule) => checkEasyJapanese(text).filter((h) => h.rule === rule);

describe("the checker", () => {
  const cases: [EasyRule, string, string][] = [
    [
      "long_sentence",
      "あしたの あさ 9時から こうえんで みんなで そうじを しますので、ごみぶくろを もって きて ください。",
      "あした そうじを します。ごみぶくろを もって きて ください。",
    ],
    ["double_negative", "雨でも 行けないことはない。", "雨でも 行きます。"],
    ["double_negative", "でなくはないです。", "でも いいです。"],
    ["honorific", "集会所を 使用させていただきます。", "集会所を 使います。"],
    ["honorific", "名前を 書いていただけますでしょうか。", "名前を 書いて ください。"],
    ["difficult_word", "地震の ときは 避難所へ 行って ください。", "地震の ときは にげるところへ 行って ください。"],
    ["difficult_word", "至急 連絡して ください。", "すぐに 電話して ください。"],
    ["katakana", "コミュニティの あつまりです。", "バスと ゴミと テレビの はなしです。"],
    ["kanji_ratio", "町内会総会開催日時決定連絡", "あした あつまりが あります。きて ください。"],
  ];
  it.each(cases)("%s: marks the first text and not the second", (rule, triggers, passes) => {
    expect(rules(triggers, rule).length, triggers).toBeGreaterThan(0);
    expect(rules(passes, rule), passes).toEqual([]);
  });

  it("gives each hint a span, a plain message in Japanese and English, and a rewrite for words", () => {
    const text = "避難所は 至急 開きます。";
    const hints = rules(text, "difficult_word");
    expect(hints.map((h) => text.slice(h.start, h.end))).toEqual(["避難所", "至急"]);
    expect(hints[0]).toMatchObject({ suggestion: "にげるところ（避難所）", message: expect.stringMatching(/避難所/) });
    expect(hints[0]!.messageEn).toMatch(/shelter/);
    expect(acceptHint(text, hints[0]!)).toBe("にげるところ（避難所）は 至急 開きます。");
    // 「ご協力をお願いいたします」 is one rewrite, not a word plus an honorific left dangling.
    const coop = checkEasyJapanese("ご協力をお願いいたします。");
    expect(coop.filter((h) => h.rule !== "kanji_ratio").map((h) => [h.rule, h.suggestion])).toEqual([
      ["difficult_word", "てつだって ください"],
    ]);
  });

  it("measures a long sentence without its spaces, and the kanji share of letters only", () => {
    const [long] = rules("みじかい。" + "あ".repeat(31) + "。", "long_sentence");
    expect(long).toMatchObject({ start: 5, end: 37 });
    expect(rules("あ ".repeat(29) + "。", "long_sentence")).toEqual([]);
    // 3 kanji in 10 letters is 30%: not over.
    expect(rules("山川木ああああああ。！", "kanji_ratio")).toEqual([]);
    expect(rules("山川木森ああああああ", "kanji_ratio")).toHaveLength(1);
  });

  it("keeps the word list well formed: unique words, a rewrite and an English gloss each", () => {
    expect(DIFFICULT_WORDS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(DIFFICULT_WORDS.map((w) => w.word)).size).toBe(DIFFICULT_WORDS.length);
    for (const w of DIFFICULT_WORDS) expect(w.plain && w.en, w.word).toBeTruthy();
  });
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { sendPushes: false });
  t.clock.current = new Date("2026-11-02T09:00:00+09:00");
});
afterAll(() => t.close());

const EASY = "あした そうじを します。\nくわしくは https://example.jp/ を 見て ください。";

describe("the やさしい日本語 version", () => {
  it("is saved with a draft, changed, published and served in the feed as text and links", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 1 });
    const d = await draft(api, { body: "明朝、清掃を実施いたします。", easyBody: "  あした そうじを します。  " });
    expect(d).toMatchObject({ easyBody: "あした そうじを します。" });
    const plain = await draft(api);
    expect(plain).toMatchObject({ easyBody: null, easyBodyParts: null });

    const edited = await api.patch(`/api/circulars/${d.id}`, { easyBody: EASY });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.easyBody).toBe(EASY);
    // Another field changed: the easy body stays.
    expect((await api.patch(`/api/circulars/${d.id}`, { title: "そうじ" })).body.easyBody).toBe(EASY);
    await publishDraft(api, d.id);

    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const item = await resident.get(`/api/feed/${d.id}`);
    expect(item.status).toBe(200);
    expect(item.body.easyBody).toBe(EASY);
    // The same parts as a body's: text and links, the text with its phrase breaks (lib/phrases.ts).
    expect(item.body.easyBodyParts).toMatchObject([
      { type: "text", text: "あした そうじを します。\nくわしくは " },
      { type: "link", text: "https://example.jp/", href: "https://example.jp/" },
      { type: "text", text: " を 見て ください。" },
    ]);
    expect(item.body.easyBodyParts[0].breaks.length).toBeGreaterThan(0);
    expect(item.body.body).toBe("明朝、清掃を実施いたします。");
  });

  it("is removed by null or an empty text", async () => {
    const { api } = await world(t);
    const d = await draft(api, { easyBody: EASY });
    expect((await api.patch(`/api/circulars/${d.id}`, { easyBody: "   " })).body.easyBody).toBeNull();
    await api.patch(`/api/circulars/${d.id}`, { easyBody: EASY });
    expect((await api.patch(`/api/circulars/${d.id}`, { easyBody: null })).body).toMatchObject({
      easyBody: null,
      easyBodyParts: null,
    });
  });

  it("is refused over 20,000 characters with the usual error, for leaders and the city", async () => {
    const { api } = await world(t);
    const long = "あ".repeat(20_001);
    const e = expectError(
      await api.post("/api/circulars", { title: "t", body: "b", easyBody: long }),
      400,
      "validation_failed",
    );
    expect(JSON.stringify(e.fields)).toMatch(/easyBody/);
    const d = await draft(api);
    expectError(await api.patch(`/api/circulars/${d.id}`, { easyBody: long }), 400, "validation_failed");
    expectError(await api.patch(`/api/circulars/${d.id}`, { easyBody: 3 }), 400, "validation_failed");
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    expectError(
      await city.post("/api/city/circulars", { title: "t", body: "b", target: { scope: "city" }, easyBody: long }),
      400,
      "validation_failed",
    );
  });

  it("is copied from a city circular into each association's copy", async () => {
    const { assoc, api } = await world(t, { blocks: 1, perBlock: 2 });
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    const created = await city.post("/api/city/circulars", {
      title: "市政だより",
      body: "防災訓練を実施します。",
      easyBody: "にげる れんしゅうを します。",
      target: { scope: "associations", ids: [assoc.id] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.easyBody).toBe("にげる れんしゅうを します。");
    const patched = await city.patch(`/api/city/circulars/${created.body.id}`, { easyBody: EASY });
    expect(patched.body.easyBody).toBe(EASY);
    const published = await city.post(`/api/city/circulars/${created.body.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    const list = await api.get("/api/circulars");
    const copy = (list.body.circulars as { id: string; origin: string }[]).find((c) => c.origin === "city")!;
    expect((await api.get(`/api/circulars/${copy.id}`)).body.easyBody).toBe(EASY);
    const resident = client(t, (await makeResident(t, assoc.id, assoc.households[1]!.id)).token);
    expect((await resident.get(`/api/feed/${copy.id}`)).body).toMatchObject({ origin: "city", easyBody: EASY });
  });
});
