// Times are stored in UTC and shown in Japan Standard Time (UTC+9, no daylight saving).
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
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
