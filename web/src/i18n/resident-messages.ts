// The shape of one interface language's file (web/src/i18n/lang/<code>.ts): every string a resident sees (the
// shell, the circulars, answers, 安否確認, push settings, 見守り and 要支援), keyed as in the Japanese dictionaries.
// Types only: nothing here reaches a chunk.
import type { answersJa } from "./answers.ja";
import type { ja } from "./ja";
import type { pushJa } from "./push.ja";
import type { safetyJa } from "./safety.ja";
import type { supportJa } from "./support.ja";
import type { watchJa } from "./watch.ja";

export type ResidentKey =
  | keyof typeof ja
  | keyof typeof answersJa
  | keyof typeof safetyJa
  | keyof typeof pushJa
  | keyof typeof watchJa
  | keyof typeof supportJa;

/** One language's file: every key, with the same {placeholders} as the Japanese. */
export type ResidentMessages = Record<ResidentKey, string>;
