// Figures as the city reads them: 76%, 1,234世帯, 「—」 for what is not shown.
import { serverLang } from "../../i18n";

const clock = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "Asia/Tokyo",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** A moment as a clock in Japan time, to the second: "14:03:27" (when the live figures were last refreshed). */
export function clockTime(d: Date): string {
  return clock.format(d);
}

/** 0.764 -> "76%"; null stays null (the caller shows 「—」). */
export function percent(rate: number | null | undefined): string | null {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return null;
  return `${Math.round(rate * 100)}%`;
}

/** 12345 -> "12,345". */
export function count(n: number | null | undefined): string | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  return n.toLocaleString(serverLang() === "en" ? "en-GB" : "ja-JP");
}

/** "2026-11-30" -> "11/30" (a week's Monday under a chart). */
export function shortDay(ymd: string): string {
  const [, m, d] = ymd.slice(0, 10).split("-");
  return `${Number(m)}/${Number(d)}`;
}

/** "2026-11-30" -> "2026年11月30日" (or 30 Nov 2026). */
export function longDay(ymd: string): string {
  const [y, m, d] = ymd.slice(0, 10).split("-").map(Number);
  if (serverLang() === "en")
    return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString("en-GB", {
      timeZone: "UTC",
      day: "numeric",
      month: "short",
      year: "numeric",
    });
  return `${y}年${m}月${d}日`;
}
