// The rollup statements that go into the batches of a publication, a late household's receipts, a withdrawal and a
// batch of app acknowledgements. Paper reads, households and devices are kept by triggers (sql.ts); these are the
// set-wise changes, where a trigger per row would cost seconds for a whole-city circular (or a fifth of the
// acknowledgement throughput). Each is aggregated per circular first (one pass over the
// circular's receipts by the primary key), then spread to the four scopes from those few rows.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { ackBatch, households, statsActive, statsCircular, statsWeek } from "../../db/schema";
import { BUCKET_COLUMNS, bucketOf, DAY_MS, dayOf, weekOf } from "./sql";


/**
 * After the receipts of newly published circulars (`circulars`: an SQL condition on `c`, e.g. c.id = ? or
 * c.city_circular_id = ?) are written in the same batch: their stats_circular rows, and one more circular and its
 * targeted receipts in stats_week at the four scopes. `guard`: only if this publication won (as its receipts).
 */
export function statsForPublished(db: Db, circulars: SQL, guard: SQL) {
  return [
    db.run(sql`
      INSERT INTO stats_circular (circular_id, association_id, city_circular_id, targeted, due_targeted)
      SELECT c.id, c.association_id, c.city_circular_id, count(*), CASE WHEN c.due_at IS NULL THEN 0 ELSE count(*) END
      FROM circulars c JOIN receipts r ON r.circular_id = c.id
      WHERE ${circulars} AND c.status = 'published' AND ${guard}
      GROUP BY c.id`),
    db.run(sql`
      INSERT INTO stats_week (level, scope_id, week, circulars, targeted, due_targeted)
      SELECT sc.level, sc.scope_id, ${sql.raw(weekOf("c.published_at"))}, count(*), sum(s.targeted), sum(s.due_targeted)
      FROM circulars c JOIN stats_circular s ON s.circular_id = c.id
        JOIN association_scopes sc ON sc.association_id = c.association_id
      WHERE ${circulars} AND c.status = 'published' AND ${guard}
      GROUP BY sc.level, sc.scope_id, ${sql.raw(weekOf("c.published_at"))}
      ON CONFLICT (level, scope_id, week) DO UPDATE SET circulars = circulars + excluded.circulars,
        targeted = targeted + excluded.targeted, due_targeted = due_targeted + excluded.due_targeted`),
  ];
}

/** After receipts were given to a household that joined later (`receipts`: an SQL condition on `r`). */
export function statsForLateReceipts(db: Db, receipts: SQL) {
  return [
    db.run(sql`
      UPDATE stats_circular SET targeted = targeted + 1,
        due_targeted = due_targeted + (SELECT due_at IS NOT NULL FROM circulars WHERE id = stats_circular.circular_id)
      WHERE circular_id IN (SELECT r.circular_id FROM receipts r WHERE ${receipts})`),
    db.run(sql`
      INSERT INTO stats_week (level, scope_id, week, targeted, due_targeted)
      SELECT sc.level, sc.scope_id, ${sql.raw(weekOf("c.published_at"))}, count(*), sum(c.due_at IS NOT NULL)
      FROM receipts r JOIN circulars c ON c.id = r.circular_id AND c.status = 'published'
        JOIN association_scopes sc ON sc.association_id = c.association_id
      WHERE ${receipts}
      GROUP BY sc.level, sc.scope_id, ${sql.raw(weekOf("c.published_at"))}
      ON CONFLICT (level, scope_id, week) DO UPDATE SET targeted = targeted + excluded.targeted,
        due_targeted = due_targeted + excluded.due_targeted`),
  ];
}

/** What one receipt adds to stats_week, as columns of a SELECT over receipts r JOIN circulars c. */
function receiptColumns(): string {
  const delay = "(r.read_at - r.created_at)";
  const read = "(r.read_at IS NOT NULL)";
  return [
    "count(*) AS targeted",
    "sum(c.due_at IS NOT NULL) AS due_targeted",
    `sum(${read} AND c.due_at IS NOT NULL AND r.read_at <= c.due_at) AS read_by_due`,
    ...BUCKET_COLUMNS.map((b, k) => `sum(${read} AND ${bucketOf(delay)} = ${k}) AS ${b}`),
  ].join(", ");
}

/**
 * Withdrawn circulars leave the figures (`circulars`: an SQL condition on `c`, like statsForPublished: c.id = ? for
 * one, c.city_circular_id = ? for every association's copy of a city circular). Each circular that still has its
 * stats_circular row is subtracted from stats_week at the four scopes, then the rows are removed. Put it in the batch
 * that flips the statuses, with the same guard.
 */
export function statsForWithdrawn(db: Db, circulars: SQL, guard: SQL) {
  const cols = ["targeted", "due_targeted", "read_by_due", ...BUCKET_COLUMNS];
  return [
    db.run(sql`
      INSERT INTO stats_week (level, scope_id, week, circulars, ${sql.raw(cols.join(", "))})
      SELECT sc.level, sc.scope_id, a.week, -count(*), ${sql.raw(cols.map((k) => `-sum(a.${k})`).join(", "))}
      FROM (SELECT c.association_id, ${sql.raw(weekOf("c.published_at"))} AS week, ${sql.raw(receiptColumns())}
            FROM circulars c JOIN receipts r ON r.circular_id = c.id
            WHERE ${circulars} AND EXISTS (SELECT 1 FROM stats_circular s WHERE s.circular_id = c.id)
            GROUP BY c.id) a
        JOIN association_scopes sc ON sc.association_id = a.association_id
      WHERE ${guard}
      GROUP BY sc.level, sc.scope_id, a.week
      ON CONFLICT (level, scope_id, week) DO UPDATE SET circulars = circulars + excluded.circulars,
        ${sql.raw(cols.map((k) => `${k} = ${k} + excluded.${k}`).join(", "))}`),
    db.run(sql`DELETE FROM stats_circular WHERE circular_id IN (SELECT c.id FROM circulars c WHERE ${circulars}) AND ${guard}`),
  ];
}

/**
 * The rollups of a batch of app acknowledgements, set-wise: one statement per rollup table for the whole batch
 * instead of a trigger per receipt (docs/adr/0005). They read the batch's rows from ack_batch (only receipts that
 * were still unread), so they go into the ack writer's batch after it fills ack_batch and before it updates the
 * receipts (server/features/feed/ack-writer.ts): the same transaction, so the figures move with the reads.
 */
export function statsForAppReads(db: Db) {
  const lastReadOf = sql`(SELECT ${ackBatch.householdId} AS household_id, max(${ackBatch.readAt}) AS at
    FROM ${ackBatch} GROUP BY ${ackBatch.householdId})`;
  const day = (ms: string) => sql.raw(dayOf(ms));
  return [
    db.run(sql`
      INSERT INTO ${statsWeek} (level, scope_id, week, read_by_due, ${sql.raw(BUCKET_COLUMNS.join(", "))})
      SELECT sc.level, sc.scope_id, a.week, sum(a.by_due), ${sql.raw(BUCKET_COLUMNS.map((_, k) => `sum(a.bucket = ${k})`).join(", "))}
      FROM ${ackBatch} a JOIN association_scopes sc ON sc.association_id = a.association_id
      WHERE true
      GROUP BY sc.level, sc.scope_id, a.week
      ON CONFLICT (level, scope_id, week) DO UPDATE SET read_by_due = read_by_due + excluded.read_by_due,
        ${sql.raw(BUCKET_COLUMNS.map((b) => `${b} = ${b} + excluded.${b}`).join(", "))}`),
    db.run(sql`
      UPDATE ${statsCircular} SET read = read + a.n, read_24h = read_24h + a.n24, read_72h = read_72h + a.n72,
        read_by_due = read_by_due + a.due
      FROM (SELECT circular_id, count(*) AS n, sum(delay < ${DAY_MS}) AS n24, sum(delay < ${3 * DAY_MS}) AS n72,
              sum(by_due) AS due
            FROM ${ackBatch} GROUP BY circular_id) a
      WHERE ${statsCircular.circularId} = a.circular_id`),
    // A member household whose latest acknowledgement moves to a later JST day leaves its old active day and joins
    // the new one. Before last_read_at is moved (next statement), which this reads as the old value.
    db.run(sql`
      WITH moved AS (
        SELECT h.association_id, h.last_read_at AS old_at, a.at AS new_at
        FROM ${households} h JOIN ${lastReadOf} a ON h.id = a.household_id
        WHERE h.left_at IS NULL AND (h.last_read_at IS NULL OR ${day("h.last_read_at")} < ${day("a.at")}))
      INSERT INTO ${statsActive} (level, scope_id, day, n)
      SELECT sc.level, sc.scope_id, m.day, sum(m.n)
      FROM (SELECT association_id, ${day("old_at")} AS day, -1 AS n FROM moved WHERE old_at IS NOT NULL
            UNION ALL SELECT association_id, ${day("new_at")}, 1 FROM moved) m
        JOIN association_scopes sc ON sc.association_id = m.association_id
      WHERE true
      GROUP BY sc.level, sc.scope_id, m.day
      ON CONFLICT (level, scope_id, day) DO UPDATE SET n = n + excluded.n`),
    db.run(sql`
      UPDATE ${households} SET last_read_at = a.at FROM ${lastReadOf} a
      WHERE ${households.id} = a.household_id AND (${households.lastReadAt} IS NULL OR ${households.lastReadAt} < a.at)`),
  ];
}
