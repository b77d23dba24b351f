// Dates as residents read them: 11月26日(木), in Japan time whatever the device's time zone; in the other languages
// as Intl writes them in that language (still Japan time: the circulars' dates are the town's).
import { lang, t, type Lang } from "./i18n";

const tz = "Asia/Tokyo";
const jaWeekday = new Intl.DateTimeFormat("ja-JP", { timeZone: tz, weekday: "short" });
const jaParts = new Intl.DateTimeFormat("ja-JP", {
  timeZone: tz,
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parts(d: Date) {
  const p = Object.fromEntries(jaParts.formatToParts(d).map((x) => [x.type, x.value]));
  return { month: p.month, day: p.day, hour: p.hour, minute: p.minute, weekday: jaWeekday.format(d) };
}

/** The Intl locale of each language but Japanese (whose dates are written out below, as residents read them). */
const LOCALES: Record<Exclude<Lang, "ja">, string> = {
  en: "en-GB",
  "zh-Hans": "zh-Hans",
  ko: "ko",
  vi: "vi",
  ne: "ne",
};
const formats = new Map<string, Intl.DateTimeFormat>();

/** 26 Nov, 11月26日周四, 11월 26일 (목), … in Japan time; made once per language and shape. */
function intlFormat(l: Exclude<Lang, "ja">, withTime: boolean, d: Date): string {
  const key = `${l}:${withTime}`;
  let f = formats.get(key);
  if (!f) {
    const time = withTime ? ({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const) : {};
    f = new Intl.DateTimeFormat(LOCALES[l], {
      timeZone: tz,
      weekday: "short",
      day: "numeric",
      month: "short",
      ...time,
    });
    formats.set(key, f);
  }
  return f.format(d);
}

export function formatDate(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  const l = lang.value;
  if (l !== "ja") return intlFormat(l, false, d);
  const p = parts(d);
  return `${p.month}月${p.day}日(${p.weekday})`;
}

export function formatDateTime(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  const l = lang.value;
  if (l !== "ja") return intlFormat(l, true, d);
  const p = parts(d);
  return `${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** Whether a due date has passed (on this device's clock). */
export function isPastDue(dueAt: string | null): boolean {
  return !!dueAt && new Date(dueAt).getTime() < Date.now();
}

export function formatTime(d: Date): string {
  const p = parts(d);
  return `${p.hour}:${p.minute}`;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return t("size.mb", { n: (bytes / 1024 / 1024).toFixed(1) });
  return t("size.kb", { n: Math.max(1, Math.round(bytes / 1024)) });
}
