// 見守り in SQL: when a watched household has gone quiet, who is told, and whether a notice is still open. The
// periodic push job (server/jobs.ts) calls raiseWatchAlerts with its clock; the outbox (push/outbox.ts) asks
// alertOpen before sending a 見守り push, so a household that read meanwhile wakes nobody.
import { sql, type SQL } from "drizzle-orm";
import { changesOf, type Db } from "../../db/client";
import {
  circulars,
  households,
  members,
  pushOutbox,
  pushPreferences,
  pushSubscriptions,
  receipts,
  watches,
} from "../../db/schema";
import { DAY } from "../../lib/time";
import { deliverableAt } from "../push/quiet-hours";
import { preferenceAllows } from "../push/reach";

/**
 * A circular must have reached the household at least this long ago to make it "quiet": one that arrived a minute
 * ago after a long spell without any circular has not yet had the chance to be read.
 */
export const WATCH_GRACE_MS = DAY;

/** The 見守り notice of watch `w` (household `h`) is open: told, and neither read since nor checked on since. */
export function alertOpen(w = sql.raw("w"), h = sql.raw("h")): SQL {
  return sql`(${w}.alerted_at IS NOT NULL
    AND (${h}.last_read_at IS NULL OR ${h}.last_read_at <= ${w}.alerted_at)
    AND (${w}.checked_at IS NULL OR ${w}.checked_at < ${w}.alerted_at))`;
}

/**
 * The start of the household's current quiet spell: its latest acknowledgement, the watch's start, or the watcher's
 * latest 「様子を確認しました」, whichever is latest (a check starts the count again).
 */
const spellStart = sql`max(coalesce(h.last_read_at, 0), w.created_at, coalesce(w.checked_at, 0))`;

/**
 * Whether member `m` is told about watch `w` of household `h`: its named watcher; when none is named (or that member
 * is gone), the household's block leaders; when its block has none, the association's leaders.
 */
export function tellsMember(m = sql.raw("m")): SQL {
  const named = sql`EXISTS (SELECT 1 FROM ${members} nw WHERE nw.id = w.watcher_id
    AND nw.association_id = w.association_id AND nw.disabled_at IS NULL)`;
  const blockLeader = sql`EXISTS (SELECT 1 FROM ${members} bl WHERE bl.association_id = w.association_id
    AND bl.role = 'block_leader' AND bl.block_id = h.block_id AND bl.disabled_at IS NULL)`;
  return sql`${m}.association_id = w.association_id AND ${m}.disabled_at IS NULL AND (
    ${m}.id = w.watcher_id
    OR (NOT ${named} AND (
      (${m}.role = 'block_leader' AND ${m}.block_id = h.block_id)
      OR (${m}.role = 'leader' AND NOT ${blockLeader}))))`;
}

/**
 * Tells the watchers of every household gone quiet at `now`: it has acknowledged nothing for its watch's days while
 * at least one circular (still published) reached it in that spell, and no notice was given for this spell yet.
 * Each is one batch: the watch's alerted_at (the guard: only the runner whose UPDATE changed it goes on) and one
 * 見守り push per device of its watchers, held through quiet hours like any normal push. Returns how many were told.
 */
export async function raiseWatchAlerts(db: Db, now: Date): Promise<number> {
  const t = now.getTime();
  const due = await db.all<{ householdId: string; since: number }>(sql`
    SELECT q.household_id AS householdId, q.since AS since FROM (
      SELECT w.household_id, w.association_id, w.days, w.alerted_at, ${spellStart} AS since
      FROM ${watches} w
      JOIN ${households} h ON h.id = w.household_id AND h.association_id = w.association_id AND h.left_at IS NULL
    ) q
    WHERE q.since <= ${t} - q.days * ${DAY}
      AND (q.alerted_at IS NULL OR q.alerted_at < q.since)
      AND EXISTS (SELECT 1 FROM ${receipts} r JOIN ${circulars} c ON c.id = r.circular_id AND c.status = 'published'
        WHERE r.household_id = q.household_id AND r.association_id = q.association_id
          AND r.created_at > q.since AND r.created_at <= ${t - WATCH_GRACE_MS})`);
  const sendAt = deliverableAt(now, false).getTime();
  let told = 0;
  for (const d of due) {
    const [updated] = await db.batch([
      db.run(sql`
        UPDATE ${watches} SET alerted_at = ${t}
        WHERE household_id = ${d.householdId} AND (alerted_at IS NULL OR alerted_at < ${d.since})`),
      // changes(): the UPDATE just before, so a runner that lost the race queues nothing.
      db.run(sql`
        INSERT INTO ${pushOutbox} (association_id, subscription_id, household_id, circular_id, kind, urgent, status,
          attempts, next_attempt_at, created_at)
        SELECT w.association_id, s.id, NULL, w.household_id, 'watch', 0, 'pending', 0, ${sendAt}, ${t}
        FROM ${watches} w
        JOIN ${households} h ON h.id = w.household_id AND h.association_id = w.association_id
        JOIN ${members} m ON ${tellsMember()}
        JOIN ${pushSubscriptions} s ON s.member_id = m.id AND s.association_id = m.association_id
        LEFT JOIN ${pushPreferences} p ON p.member_id = m.id
        WHERE w.household_id = ${d.householdId} AND w.alerted_at = ${t} AND changes() > 0
          -- A watcher who keeps only urgent pushes still hears of a neighbour gone quiet; "off" means off.
          AND ${preferenceAllows(sql`p.mode`, true)}`),
    ]);
    if (changesOf(updated) > 0) told++;
  }
  return told;
}
