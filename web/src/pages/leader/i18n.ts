// The leader screens' strings live in their own dictionaries (web/src/i18n/leader.*.ts) so that a resident's tablet
// never downloads them. Importing this module registers them; lt() is t() with the leader keys checked by TypeScript.
import { extendMessages, t } from "../../i18n";
import { leaderEn } from "../../i18n/leader.en";
import { leaderJa, type LeaderKey } from "../../i18n/leader.ja";

extendMessages({ ja: leaderJa, en: leaderEn }, "staff");

export function lt(key: LeaderKey, params?: Record<string, string | number>): string {
  return t(key, params);
}
