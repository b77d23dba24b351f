// t(key, params): every string the UI shows comes from a dictionary here (ja first, en alongside). Chunks may add
// their own dictionaries (the leader screens do) with extendMessages().
//
// The other interface languages (languages.ts) cover every resident screen: each is one file, loaded on demand by
// loadLanguage() before the language is switched on (before the first render, or when chosen in settings), so a
// resident who chose 한국어 never sees Japanese first. Which words a screen shows in them:
// - resident strings: the language's own file (a missing key falls back to Japanese; the completeness test and
//   ResidentMessages' Record type keep that from happening);
// - staff strings (dictionaries registered by a staff chunk, extendMessages(…, "staff")): English, the staff
//   screens' second language, for a leader or city officer whose device is set to another language;
// - the server's words (API errors, answer checks), which exist only in Japanese and English: see serverLang().
import { signal } from "@preact/signals";
import { en } from "./en";
import { ja, type MessageKey } from "./ja";
import type { ExtraLang, Lang } from "./languages";
import type { ResidentMessages } from "./resident-messages";

export type { Lang } from "./languages";
export const lang = signal<Lang>("ja");

const dictionaries: Record<Lang, Record<string, string>> = {
  ja: { ...ja },
  en: { ...en },
  "zh-Hans": {},
  ko: {},
  vi: {},
  ne: {},
};
/** Staff chunks' English strings, which the extra languages show for staff keys. */
const staffEnglish: Record<string, string> = {};

/** Registers a chunk's dictionaries: "resident" ones are in every language's file, "staff" ones only in ja/en. */
export function extendMessages(
  extra: { ja: Record<string, string>; en: Record<string, string> },
  audience: "resident" | "staff",
): void {
  Object.assign(dictionaries.ja, extra.ja);
  Object.assign(dictionaries.en, extra.en);
  if (audience === "staff") Object.assign(staffEnglish, extra.en);
}

/** One chunk per language, fetched only when a device is set to it. */
const loaders: Record<ExtraLang, () => Promise<{ default: ResidentMessages }>> = {
  "zh-Hans": () => import("./lang/zh-Hans"),
  ko: () => import("./lang/ko"),
  vi: () => import("./lang/vi"),
  ne: () => import("./lang/ne"),
};

const loading: Partial<Record<ExtraLang, Promise<void>>> = {};

/** Loads a language's file once (its own chunk); ja and en are always there. Rejects when the chunk cannot load. */
export function loadLanguage(l: Lang): Promise<void> {
  if (l === "ja" || l === "en") return Promise.resolve();
  loading[l] ??= loaders[l]().then(
    (m) => void Object.assign(dictionaries[l], m.default),
    (e: unknown) => {
      delete loading[l];
      throw e;
    },
  );
  return loading[l];
}

/** The language of words that exist only in Japanese and English (the server's messages, staff screens). */
export function serverLang(): "ja" | "en" {
  return lang.value === "ja" ? "ja" : "en";
}

export function t(key: MessageKey | (string & {}), params?: Record<string, string | number>): string {
  const template = dictionaries[lang.value][key] ?? staffEnglish[key] ?? dictionaries.ja[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
