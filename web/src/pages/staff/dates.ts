// A due date is a day in Japan: the date field holds YYYY-MM-DD in Japan time, whatever the device's time zone.
const jstDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** "2026-12-01" for an ISO instant, as the day it falls on in Japan. */
export function dateInputValue(iso: string | null): string {
  return iso ? jstDay.format(new Date(iso)) : "";
}

/** The start in Japan of a date field's day ("2026-12-09"). */
export function dayInJapan(value: string): Date {
  return new Date(`${value}T00:00:00+09:00`);
}

export function todayInJapan(): string {
  return jstDay.format(new Date());
}

/** Whether a due date has passed (the server keeps a due date until the end of that day, 23:59 JST). */
export function isPast(iso: string | null): boolean {
  return !!iso && new Date(iso).getTime() < Date.now();
}
