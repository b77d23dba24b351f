// The 要支援 strings (web/src/i18n/support.*.ts), registered when a 要支援 component first loads; sut() is t() with
// the support keys checked by TypeScript. Also the needs' names and the message for a failed request.
import { ApiError, OfflineError } from "../../api";
import { extendMessages, lang, t } from "../../i18n";
import { supportEn } from "../../i18n/support.en";
import { supportJa, type SupportKey } from "../../i18n/support.ja";

extendMessages({ ja: supportJa, en: supportEn }, "resident");

export function sut(key: SupportKey, params?: Record<string, string | number>): string {
  return t(key, params);
}

/** The kinds of help, in the order the form shows them (server/db/schema.ts SUPPORT_NEEDS). */
export const NEEDS = ["walking", "sight", "hearing", "medical", "other"] as const;
export type Need = (typeof NEEDS)[number];

export const needLabel = (n: Need) => sut(`support.need.${n}`);
export const needsText = (needs: readonly Need[]) =>
  needs.map(needLabel).join(lang.value === "ja" || lang.value === "zh-Hans" ? "、" : ", ");

export function supportError(e: unknown): string {
  if (e instanceof ApiError) return e.display;
  if (e instanceof OfflineError) return sut("support.offline");
  return sut("support.error");
}
