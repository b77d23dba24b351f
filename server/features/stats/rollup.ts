// The rollup statements that go into the batches of a publication, a late household's receipts and a withdrawal.
// Reads, households and devices are kept by triggers (sql.ts); these are the set-wise changes, where a trigger per
// row would cost seconds for a whole-city circular. Each is aggregated per circular first (one pass over the
// circular's receipts by the primary key), then spread to the four scopes from those few rows.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { BUCKET_COLUMNS, bucketOf, weekOf } from "./sql";


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
