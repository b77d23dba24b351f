// The 安否確認 screens' strings (web/src/i18n/safety-leader.*.ts), registered with the leader chunk; sl() is t() with
// their keys checked by TypeScript. The need labels come from the server's safety-questions.ts (no runtime imports
// there), so the board says exactly what the resident chose.
import { extendMessages, serverLang, t } from "../../../i18n";
import { safetyLeaderEn } from "../../../i18n/safety-leader.en";
import { safetyLeaderJa, type SafetyLeaderKey } from "../../../i18n/safety-leader.ja";
import { SAFETY_NEED_LABELS, type SafetyNeed } from "../../../../../server/features/safety/safety-questions";
import type { SupportNeed } from "./safety-api";

extendMessages({ ja: safetyLeaderJa, en: safetyLeaderEn }, "staff");

export function sl(key: SafetyLeaderKey, params?: Record<string, string | number>): string {
  return t(key, params);
}

const list = (words: string[]) => words.join(serverLang() === "en" ? ", " : "・");

/** 「けが・薬・食料」: what a household said it needs, in the current language. */
export const needWords = (needs: readonly SafetyNeed[]) => list(needs.map((n) => SAFETY_NEED_LABELS[n][serverLang()]));

/** 「歩くのが難しい・医療機器」: a 要支援 household's needs. */
export const supportWords = (needs: readonly SupportNeed[]) => list(needs.map((n) => sl(`safety.supportNeed.${n}`)));
