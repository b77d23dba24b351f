// Every interface language is complete (web/src/i18n/lang/<code>.ts): exactly the keys of the Japanese resident
// dictionaries (ResidentKey), no empty string, the same {placeholders} as the Japanese. TypeScript's Record type
// catches a missing key at tsc; this catches an extra one, an empty one and a lost placeholder. Also the service
// worker's notification words in every language, and the dates in each language. No browser.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../web/src/api";
import { formatDate, formatDateTime } from "../../web/src/format";
import { answersJa } from "../../web/src/i18n/answers.ja";
import { extendMessages, lang, loadLanguage, t } from "../../web/src/i18n";
import { ja } from "../../web/src/i18n/ja";
import { LANG_NAMES, LANGS, type ExtraLang } from "../../web/src/i18n/languages";
import { pushJa } from "../../web/src/i18n/push.ja";
import { safetyJa } from "../../web/src/i18n/safety.ja";
import { supportJa } from "../../web/src/i18n/support.ja";
import { watchJa } from "../../web/src/i18n/watch.ja";
import { NOTIFICATION_TEXT } from "../../web/sw/notification-text";

const japanese: Record<string, string> = { ...ja, ...answersJa, ...safetyJa, ...pushJa, ...watchJa, ...supportJa };
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const EXTRA = LANGS.filter((l): l is ExtraLang => l !== "ja" && l !== "en");

/** What is wrong with one language's strings against the Japanese ones, one line each. */
function problems(messages: Record<string, string>, reference: Record<string, string>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(reference))
    if (!(key in messages)) out.push(`missing: ${key}`);
    else if (!messages[key]!.trim()) out.push(`empty: ${key}`);
    else if (placeholders(messages[key]!).join() !== placeholders(reference[key]!).join())
      out.push(
        `placeholders of ${key}: ${placeholders(messages[key]!).join() || "none"}, Japanese has ${placeholders(reference[key]!).join() || "none"}`,
      );
  for (const key of Object.keys(messages)) if (!(key in reference)) out.push(`not a resident key: ${key}`);
  return out;
}

describe("interface languages", () => {
  it("has a name in its own script for every language", () => {
    expect(Object.keys(LANG_NAMES)).toEqual([...LANGS]);
  });

  it.each(EXTRA)("%s: every resident key, none empty, the Japanese placeholders", async (l) => {
    const { default: messages } = (await import(`../../web/src/i18n/lang/${l}.ts`)) as {
      default: Record<string, string>;
    };
    expect(problems(messages, japanese)).toEqual([]);
  });

  it("finds what is missing, empty, extra or without its placeholder", () => {
    const reference = { a: "{n}件", b: "はい", c: "いいえ" };
    expect(problems({ a: "{m} items", b: " ", d: "x" }, reference)).toEqual([
      "placeholders of a: m, Japanese has n",
      "empty: b",
      "missing: c",
      "not a resident key: d",
    ]);
  });

  it.each(LANGS)("%s: the service worker's notification words, none empty, {from} where Japanese has it", (l) => {
    expect(problems({ ...NOTIFICATION_TEXT[l] }, { ...NOTIFICATION_TEXT.ja })).toEqual([]);
  });

  it("shows the server's errors by code in a language the server does not speak, the specific ones in English", async () => {
    await loadLanguage("ko");
    const signedOut = new ApiError(401, "unauthorized", "ログインが必要です。", "You need to sign in.");
    const closed = new ApiError(409, "conflict", "締め切りました。", "Answers are closed.");
    try {
      lang.value = "ko";
      expect([signedOut.display, closed.display]).toEqual([t("error.unauthorized"), "Answers are closed."]);
      expect(t("error.unauthorized")).toMatch(/^이 기기의 등록/);
      // A staff chunk's string reads in English there.
      extendMessages({ ja: { "test.staff": "回覧の一覧" }, en: { "test.staff": "Circulars" } }, "staff");
      expect([t("test.staff"), t("nav.leader")]).toEqual(["Circulars", "임원 화면"]);
      lang.value = "ja";
      expect([signedOut.display, closed.display]).toEqual(["ログインが必要です。", "締め切りました。"]);
    } finally {
      lang.value = "ja";
    }
  });

  it("writes dates in each language by Intl, in Japan time; Japanese as 12月2日(水)", () => {
    // 2026-12-02 23:30 in Japan is still 2 December there, whatever the device's zone.
    const at = "2026-12-02T14:30:00Z";
    const seen: Record<string, [string, string]> = {};
    try {
      for (const l of LANGS) {
        lang.value = l;
        seen[l] = [formatDate(at), formatDateTime(at)];
      }
    } finally {
      lang.value = "ja";
    }
    expect(seen.ja).toEqual(["12月2日(水)", "12月2日 23:30"]);
    expect(seen.en).toEqual(["Wed 2 Dec", "Wed 2 Dec, 23:30"]);
    expect(seen["zh-Hans"]![0]).toBe("12月2日周三");
    expect(seen.ko![0]).toBe("12월 2일 (수)");
    for (const l of LANGS) expect(seen[l]![1], l).toMatch(/23:30|२३:३०/);
  });
});
