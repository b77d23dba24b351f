// Quiet hours: 21:00–7:00 Japan time a normal circular's push waits until 7:00; an urgent one goes at once.
// Japan has no daylight saving, so the offset is fixed.
import { HOUR } from "../../lib/time";

const JST_OFFSET_MS = 9 * HOUR;
export const QUIET_START_HOUR = 21;
export const QUIET_END_HOUR = 7;

/** The hour of the day in Japan (0–23). */
export function jstHour(at: Date): number {
  return new Date(at.getTime() + JST_OFFSET_MS).getUTCHours();
}

/** Midnight (00:00 JST) of the Japanese day `at` falls on, as an instant. */
export function jstDayStart(at: Date): Date {
  const shifted = at.getTime() + JST_OFFSET_MS;
  return new Date(shifted - (shifted % (24 * HOUR)) - JST_OFFSET_MS);
}

export function inQuietHours(at: Date): boolean {
  const h = jstHour(at);
  return h >= QUIET_START_HOUR || h < QUIET_END_HOUR;
}

/** When a push queued at `now` may be sent: now, or for a normal push in quiet hours the next 7:00 JST. */
export function deliverableAt(now: Date, urgent: boolean): Date {
  if (urgent || !inQuietHours(now)) return now;
  const sevenToday = new Date(jstDayStart(now).getTime() + QUIET_END_HOUR * HOUR);
  return now.getTime() < sevenToday.getTime() ? sevenToday : new Date(sevenToday.getTime() + 24 * HOUR);
}
