// 年度: the officers' term. By default 1 April – 31 March, in Japanese dates; an association may start it on
// another day (associations.term_start, "MM-DD"). Pure functions, so 輪番 (block leader rotation) can use them too.
import { JST_OFFSET_MS } from "../../lib/time";

export const DEFAULT_TERM_START = "04-01";

export interface TermStart {
  month: number;
  day: number;
}

export interface Term {
  /** The first instant of the term: 00:00 JST of its first day. */
  start: Date;
  /** The first instant after the term (00:00 JST of the next term's first day): the term is [start, end). */
  end: Date;
  /** JST dates, "YYYY-MM-DD": the first and the last day of the term. */
  startDate: string;
  endDate: string;
  /** The 年度 by the year it starts in: 2026 for 2026-04-01 – 2027-03-31. */
  year: number;
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
// Days that exist every year (29 February does not).
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** "04-01" -> { month: 4, day: 1 }, or null for anything that is not a day of every year. */
export function parseTermStart(text: string): TermStart | null {
  const m = MONTH_DAY.exec(text);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return null;
  return { month, day };
}

const jstMidnight = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day) - JST_OFFSET_MS);

const jstDate = (at: Date) => new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);

function termOfYear(year: number, start: TermStart): Term {
  const from = jstMidnight(year, start.month, start.day);
  const to = jstMidnight(year + 1, start.month, start.day);
  return { start: from, end: to, startDate: jstDate(from), endDate: jstDate(new Date(to.getTime() - 1)), year };
}

/** The term in effect at `at` for an association whose terms start on `termStart` ("MM-DD", default 1 April). */
export function currentTerm(at: Date, termStart: string = DEFAULT_TERM_START): Term {
  const start = parseTermStart(termStart) ?? parseTermStart(DEFAULT_TERM_START)!;
  const year = new Date(at.getTime() + JST_OFFSET_MS).getUTCFullYear();
  const thisYear = termOfYear(year, start);
  return at.getTime() >= thisYear.start.getTime() ? thisYear : termOfYear(year - 1, start);
}

/** The term after the one in effect at `at`. */
export function nextTerm(at: Date, termStart: string = DEFAULT_TERM_START): Term {
  return currentTerm(currentTerm(at, termStart).end, termStart);
}
