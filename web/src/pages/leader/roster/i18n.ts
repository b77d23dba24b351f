// The roster import's strings (web/src/i18n/roster.*.ts), registered with the leader chunk; rosterT() is t() with their
// keys checked by TypeScript.
import { extendMessages, t } from "../../../i18n";
import { rosterEn } from "../../../i18n/roster.en";
import { rosterJa, type RosterKey } from "../../../i18n/roster.ja";

extendMessages({ ja: rosterJa, en: rosterEn }, "staff");

export function rosterT(key: RosterKey, params?: Record<string, string | number>): string {
  return t(key, params);
}
