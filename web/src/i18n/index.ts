// t(key, params): every string the UI shows comes from a dictionary here (ja first, en alongside). Chunks may add
// their own dictionaries (the leader screens do) with extendMessages().
import { signal } from "@preact/signals";
import { en } from "./en";
import { ja, type MessageKey } from "./ja";

export type Lang = "ja" | "en";
export const lang = signal<Lang>("ja");

const dictionaries: Record<Lang, Record<string, string>> = { ja: { ...ja }, en: { ...en } };

export function extendMessages(extra: { ja: Record<string, string>; en: Record<string, string> }): void {
  Object.assign(dictionaries.ja, extra.ja);
  Object.assign(dictionaries.en, extra.en);
}

export function t(key: MessageKey | (string & {}), params?: Record<string, string | number>): string {
  const template = dictionaries[lang.value][key] ?? dictionaries.ja[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
