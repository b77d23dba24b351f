// The 見守り strings (web/src/i18n/watch.*.ts), registered when a 見守り component first loads; wt() is t() with the
// watch keys checked by TypeScript. Also the message for a failed request, in the resident's words.
import { ApiError, OfflineError } from "../../api";
import { extendMessages, t } from "../../i18n";
import { watchEn } from "../../i18n/watch.en";
import { watchJa, type WatchKey } from "../../i18n/watch.ja";

extendMessages({ ja: watchJa, en: watchEn }, "resident");

export function wt(key: WatchKey, params?: Record<string, string | number>): string {
  return t(key, params);
}

export function watchError(e: unknown): string {
  if (e instanceof ApiError) return e.display;
  if (e instanceof OfflineError) return wt("watch.offline");
  return wt("watch.error");
}
