// The rollup statements that go into the batches of a publication, a late household's receipts, a withdrawal and a
// change of read state (app acknowledgements, paper records and their undo). Households and devices are kept by
// triggers (sql.ts); these are the set-wise changes, where a trigger per row would cost seconds for a whole-city
// circular, or a fifth of the acknowledgement throughput. Each is aggregated per circular first (one pass over the
// circular's receipts by the primary key), then spread to the four scopes from those few rows.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
  associations,
  circulars,
  districts,
  households,
  readBatch,
  receipts,
  statsActive,
  statsCircular,
  statsWeek,
} from "../../db/schema";
import { BUCKET_COLUMNS, bucketOf, DAY_MS, dayOf, weekOf } from "./sql";
import { frozen, perVariant } from "../../db/frozen";

/**
 * After the receipts of newly published circulars (`which`: an SQL condition on the circulars `c`, e.g. c.id = ? or
 * c.city_circular_id = ?) are written in the same batch: their stats_circular rows, and one more circular and its
 * targeted receipts in stats_week at the four scopes. `guard`: only if this publication won (as its receipts).
 */
export function statsForPublished(db: Db, which: SQL, guard: SQL) {
  return [
    db.run(sql`
      INSERT INTO ${statsCircular} (circular_id, association_id, city_circular_id, targeted, due_targeted)
      SELECT c.id, c.association_id, c.city_circular_id, count(*), CASE WHEN c.due_at IS NULL THEN 0 ELSE count(*) END
      FROM ${circulars} c JOIN ${receipts} r ON r.circular_id = c.id
      WHERE ${which} AND c.status = 'published' AND ${guard}
      GROUP BY c.id`),
    db.run(sql`
      INSERT INTO ${statsWeek} (level, scope_id, week, circulars, targeted, due_targeted)
      SELECT sc.level, sc.scope_id, ${sql.raw(weekOf("c.published_at"))}, count(*), sum(s.targeted), sum(s.due_targeted)
      FROM ${circulars} c JOIN ${statsCircular} s ON s.circular_id = c.id
        JOIN association_scopes sc ON sc.association_id = c.association_id
      WHERE ${which} AND c.status = 'published' AND ${guard}
      GROUP BY sc.level, sc.scope_id, ${sql.raw(weekOf("c.published_at"))}
      ON CONFLICT (level, scope_id, week) DO UPDATE SET circulars = circulars + excluded.circulars,
        targeted = targeted + excluded.targeted, due_targeted = due_targeted + excluded.due_targeted`),
  ];
}

/** After receipts were given to a household that joined later (`which`: an SQL condition on the receipts `r`). */
export function statsForLateReceipts(db: Db, which: SQL) {
  return [
    db.run(sql`
      UPDATE ${statsCircular} SET targeted = targeted + 1,
        due_targeted = due_targeted + (SELECT due_at IS NOT NULL FROM ${circulars} WHERE id = stats_circular.circular_id)
      WHERE circular_id IN (SELECT r.circular_id FROM ${receipts} r WHERE ${which})`),
    db.run(sql`
      INSERT INTO ${statsWeek} (level, scope_id, week, targeted, due_targeted)
      SELECT sc.level, sc.scope_id, ${sql.raw(weekOf("c.published_at"))}, count(*), sum(c.due_at IS NOT NULL)
      FROM ${receipts} r JOIN ${circulars} c ON c.id = r.circular_id AND c.status = 'published'
        JOIN association_scopes sc ON sc.association_id = c.association_id
      WHERE ${which}
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
 * Withdrawn circulars leave the figures (`which`: an SQL condition on the circulars `c`, like statsForPublished: c.id = ? for
 * one, c.city_circular_id = ? for every association's copy of a city circular). Each circular that still has its
 * stats_circular row is subtracted from stats_week at the four scopes, then the rows are removed. Put it in the batch
 * that flips the statuses, with the same guard.
 */
export function statsForWithdrawn(db: Db, which: SQL, guard: SQL) {
  const cols = ["targeted", "due_targeted", "read_by_due", ...BUCKET_COLUMNS];
  return [
    db.run(sql`
      INSERT INTO ${statsWeek} (level, scope_id, week, circulars, ${sql.raw(cols.join(", "))})
      SELECT sc.level, sc.scope_id, a.week, -count(*), ${sql.raw(cols.map((k) => `-sum(a.${k})`).join(", "))}
      FROM (SELECT c.association_id, ${sql.raw(weekOf("c.published_at"))} AS week, ${sql.raw(receiptColumns())}
            FROM ${circulars} c JOIN ${receipts} r ON r.circular_id = c.id
            WHERE ${which} AND EXISTS (SELECT 1 FROM ${statsCircular} s WHERE s.circular_id = c.id)
            GROUP BY c.id) a
        JOIN association_scopes sc ON sc.association_id = a.association_id
      WHERE ${guard}
      GROUP BY sc.level, sc.scope_id, a.week
      ON CONFLICT (level, scope_id, week) DO UPDATE SET circulars = circulars + excluded.circulars,
        ${sql.raw(cols.map((k) => `${k} = ${k} + excluded.${k}`).join(", "))}`),
    db.run(
      sql`DELETE FROM ${statsCircular} WHERE circular_id IN (SELECT c.id FROM ${circulars} c WHERE ${which}) AND ${guard}`,
    ),
  ];
}

/**
 * The four scopes of each row's association by primary-key lookups (its association, district and ward, and a
 * constant row each), for the hot path: the association_scopes view would be built whole (every association, four
 * times) for each statement that joins it.
 */
const scope = {
  join: (associationId: SQL) => sql`JOIN ${associations} sx ON sx.id = ${associationId}
    JOIN ${districts} sd ON sd.id = sx.district_id
    CROSS JOIN (VALUES ('association'), ('district'), ('ward'), ('city')) sk`,
  level: sql.raw("sk.column1"),
  id: sql.raw(
    "(CASE sk.column1 WHEN 'association' THEN sx.id WHEN 'district' THEN sx.district_id WHEN 'ward' THEN sd.ward_id ELSE '' END)",
  ),
};

/**
 * The reads staged in read_batch (server/features/receipts/read-batch.ts) added to (sign 1) or taken from (sign -1,
 * an undo) stats_week and stats_circular: one statement per table for the whole batch, instead of a trigger per
 * receipt (docs/adr/0005). Only reads of published circulars count.
 */
export function statsForReads(db: Db, sign: 1 | -1) {
  return [db.run(readsByWeek(sign)()), db.run(readsByCircular(sign)())];
}

// Summed per association and week first (a batch is mostly one association), then spread to the four scopes.
const readsByWeek = perVariant((sign: 1 | -1) =>
  frozen(() => {
    const s = (expr: string) => sql.raw(`${sign} * ${expr}`);
    return sql`
    INSERT INTO ${statsWeek} (level, scope_id, week, read_by_due, ${sql.raw(BUCKET_COLUMNS.join(", "))})
    SELECT ${scope.level}, ${scope.id}, a.week, sum(a.due), ${sql.raw(BUCKET_COLUMNS.map((b) => `sum(a.${b})`).join(", "))}
    FROM (SELECT association_id, week, ${s("sum(by_due)")} AS due,
            ${sql.join(
              BUCKET_COLUMNS.map((b, k) => sql`${s(`sum(bucket = ${k})`)} AS ${sql.raw(b)}`),
              sql`, `,
            )}
          FROM ${readBatch} WHERE counted GROUP BY association_id, week) a
      ${scope.join(sql`a.association_id`)}
    WHERE true
    GROUP BY 1, 2, 3
    ON CONFLICT (level, scope_id, week) DO UPDATE SET read_by_due = read_by_due + excluded.read_by_due,
      ${sql.raw(BUCKET_COLUMNS.map((b) => `${b} = ${b} + excluded.${b}`).join(", "))}`;
  }),
);

const readsByCircular = perVariant((sign: 1 | -1) =>
  frozen(() => {
    const s = (expr: string) => sql.raw(`${sign} * ${expr}`);
    return sql`
    UPDATE ${statsCircular} SET read = read + a.n, read_24h = read_24h + a.n24, read_72h = read_72h + a.n72,
      read_by_due = read_by_due + a.due
    FROM (SELECT circular_id, ${s("count(*)")} AS n, ${s(`sum(delay < ${DAY_MS})`)} AS n24,
            ${s(`sum(delay < ${3 * DAY_MS})`)} AS n72, ${s("sum(by_due)")} AS due
          FROM ${readBatch} WHERE counted GROUP BY circular_id) a
    WHERE ${statsCircular.circularId} = a.circular_id`;
  }),
);

/**
 * After the staged receipts were written (`sign` 1: read, -1: unread): each of their households' latest
 * acknowledgement, which is what "active" is measured by. A read can only move it forward, to the newest of the
 * batch's reads (no lookup); an undo looks up the newest read_at left among the household's receipts (one index
 * seek: receipts_household_read). A member household whose latest acknowledgement falls on another JST day leaves
 * its old active day in stats_active and joins the new one (none if it has no read left); then last_read_at takes
 * the new value.
 */
export function statsForLastRead(db: Db, sign: 1 | -1) {
  return [db.run(lastReadActive(sign)()), db.run(lastReadMoved(sign)())];
}

/** The household's new latest acknowledgement, for a household row named `row` beside the batch's `a`. */
const latestRead = (sign: 1 | -1, row: string) =>
  sign === 1
    ? sql.raw(`max(coalesce(${row}.last_read_at, a.at), a.at)`)
    : sql`(SELECT max(r.read_at) FROM ${receipts} r WHERE r.household_id = ${sql.raw(row)}.id)`;
/** The batch's few households first, then each by key. */
const batchHouseholds = () => sql`(SELECT household_id, max(read_at) AS at FROM ${readBatch} GROUP BY household_id) a`;

const lastReadActive = perVariant((sign: 1 | -1) =>
  frozen(() => {
    const day = (ms: string) => sql.raw(dayOf(ms));
    const moved = sql`
    SELECT h.association_id, h.left_at, h.last_read_at AS old_at, ${latestRead(sign, "h")} AS new_at
    FROM ${batchHouseholds()} CROSS JOIN ${households} h ON h.id = a.household_id`;
    return sql`
    WITH moved AS (SELECT * FROM (${moved}) WHERE left_at IS NULL AND ${day("old_at")} IS NOT ${day("new_at")})
    INSERT INTO ${statsActive} (level, scope_id, day, n)
    SELECT ${scope.level}, ${scope.id}, m.day, sum(m.n)
    FROM (SELECT association_id, ${day("old_at")} AS day, -1 AS n FROM moved WHERE old_at IS NOT NULL
          UNION ALL SELECT association_id, ${day("new_at")}, 1 FROM moved WHERE new_at IS NOT NULL) m
      ${scope.join(sql`m.association_id`)}
    WHERE true
    GROUP BY 1, 2, 3
    ON CONFLICT (level, scope_id, day) DO UPDATE SET n = n + excluded.n`;
  }),
);

const lastReadMoved = perVariant((sign: 1 | -1) =>
  frozen(
    () => sql`
  UPDATE ${households} SET last_read_at = ${latestRead(sign, "households")} FROM ${batchHouseholds()}
  WHERE ${households.id} = a.household_id AND ${households.lastReadAt} IS NOT ${latestRead(sign, "households")}`,
  ),
);
