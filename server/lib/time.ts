// Times are stored in UTC and shown in Japan Standard Time (UTC+9, no daylight saving).
/** Japan Standard Time is UTC+9 all year. */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"] as const;

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** 「11月26日(木)」, the way residents read dates. */
export function formatDateJa(date: Date): string {
  const jst = new Date(date.getTime() + JST_OFFSET_MS);
  return `${jst.getUTCMonth() + 1}月${jst.getUTCDate()}日(${WEEKDAYS[jst.getUTCDay()]})`;
}

/** 「11月26日(木) 14:03」 */
export function formatDateTimeJa(date: Date): string {
  const jst = new Date(date.getTime() + JST_OFFSET_MS);
  const hh = String(jst.getUTCHours()).padStart(2, "0");
  const mm = String(jst.getUTCMinutes()).padStart(2, "0");
  return `${formatDateJa(date)} ${hh}:${mm}`;
}

/** The hour of the day in Japan (0–23). */
export function jstHour(at: Date): number {
  return new Date(at.getTime() + JST_OFFSET_MS).getUTCHours();
}

/** Midnight (00:00 JST) of the Japanese day `at` falls on, as an instant. */
export function jstDayStart(at: Date): Date {
  const shifted = at.getTime() + JST_OFFSET_MS;
  return new Date(shifted - (shifted % DAY) - JST_OFFSET_MS);
}
