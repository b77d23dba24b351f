// Quiet hours: 21:00–7:00 Japan time a normal circular's push waits until 7:00; an urgent one goes at once.
import { HOUR, jstDayStart, jstHour } from "../../lib/time";

export const QUIET_START_HOUR = 21;
export const QUIET_END_HOUR = 7;

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
