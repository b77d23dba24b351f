// The interface languages: their codes (BCP 47, as `<html lang>` takes them), their names in their own script (the
// picker shows each in its own `lang`), and the files of the languages beyond 日本語 and English, each loaded on
// demand as a chunk of its own (web/src/i18n/lang/<code>.ts, every ResidentKey; loaded by index.ts). No imports: the
// service worker reads this file too. To add a language: its file, one line in LANGS and LANG_NAMES below, one in
// index.ts's loaders, format.ts's LOCALES and web/sw/notification-text.ts.
export const LANGS = ["ja", "en", "zh-Hans", "ko", "vi", "ne"] as const;
export type Lang = (typeof LANGS)[number];
/** The languages that have a file of their own (resident screens only; staff screens show English in them). */
export type ExtraLang = Exclude<Lang, "ja" | "en">;

export const LANG_NAMES: Record<Lang, string> = {
  ja: "日本語",
  en: "English",
  "zh-Hans": "中文（简体）",
  ko: "한국어",
  vi: "Tiếng Việt",
  ne: "नेपाली",
};

export const isLang = (v: unknown): v is Lang => typeof v === "string" && (LANGS as readonly string[]).includes(v);
