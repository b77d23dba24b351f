// The 年度 (term) the rotation follows: 1 April 00:00 JST to 31 March. Kept tiny on purpose: the officer handover's
// per-association term (server/features/handover/term.ts, another branch) is meant to replace it.
import { JST_OFFSET_MS } from "../../lib/time";

/** The start of the term `at` falls in: the latest 1 April 00:00 JST at or before `at`. */
export function termStartAt(at: Date): Date {
  const jst = new Date(at.getTime() + JST_OFFSET_MS);
  const year = jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
  return new Date(Date.UTC(year, 3, 1) - JST_OFFSET_MS);
}
