// Every rollup recomputed from the raw rows with plain GROUP BY queries. The seed uses it after its bulk inserts
// (which bypass the per-change maintenance), and the tests compare it with the incrementally kept tables: the two
// are written independently, so agreement means the triggers and batch statements are right.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { BUCKET_COLUMNS, bucketOf, DAY_MS, dayOf, weekOf } from "./sql";

const up = (alias: string) => `association_scopes sc ON sc.association_id = ${alias}.association_id`;

export async function rebuildStats(db: Db): Promise<void> {
  const weekCols = ["circulars", "targeted", "due_targeted", "read_by_due", ...BUCKET_COLUMNS];
  const sumCols = weekCols.map((k) => `sum(a.${k})`).join(", ");
  await db.batch([
    // The households' own columns first: their triggers write rollup rows, which are cleared just after.
    db.run(sql`UPDATE households SET
      last_read_at = (SELECT max(read_at) FROM receipts WHERE household_id = households.id),
      push_devices = (SELECT count(*) FROM push_subscriptions WHERE household_id = households.id)`),
    db.run(sql`DELETE FROM stats_households`),
    db.run(sql`DELETE FROM stats_active`),
    db.run(sql`DELETE FROM stats_week`),
    db.run(sql`DELETE FROM stats_circular`),
    // Per association, then summed up to district, ward and city.
    db.run(
      sql.raw(`
      INSERT INTO stats_households (level, scope_id, in_area, members, app, paper, push)
      SELECT sc.level, sc.scope_id, sum(a.in_area), sum(a.members), sum(a.app), sum(a.paper), sum(a.push)
      FROM (SELECT x.id AS association_id, x.households_in_area AS in_area,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL) AS members,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL AND h.channel = 'app') AS app,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL AND h.channel = 'paper') AS paper,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL AND h.push_devices > 0) AS push
            FROM associations x) a JOIN ${up("a")}
      GROUP BY sc.level, sc.scope_id`),
    ),
    db.run(
      sql.raw(`
      INSERT INTO stats_active (level, scope_id, day, n)
      SELECT sc.level, sc.scope_id, a.day, sum(a.n)
      FROM (SELECT association_id, ${dayOf("last_read_at")} AS day, count(*) AS n FROM households
            WHERE left_at IS NULL AND last_read_at IS NOT NULL GROUP BY association_id, day) a JOIN ${up("a")}
      GROUP BY sc.level, sc.scope_id, a.day`),
    ),
    db.run(
      sql.raw(`
      INSERT INTO stats_circular (circular_id, association_id, city_circular_id, targeted, read, read_24h, read_72h,
        due_targeted, read_by_due)
      SELECT c.id, c.association_id, c.city_circular_id, count(*), sum(r.read_at IS NOT NULL),
        sum(r.read_at IS NOT NULL AND r.read_at - r.created_at < ${DAY_MS}),
        sum(r.read_at IS NOT NULL AND r.read_at - r.created_at < ${3 * DAY_MS}),
        sum(c.due_at IS NOT NULL), sum(r.read_at IS NOT NULL AND c.due_at IS NOT NULL AND r.read_at <= c.due_at)
      FROM circulars c JOIN receipts r ON r.circular_id = c.id
      WHERE c.status = 'published' AND c.kind = 'notice'
      GROUP BY c.id`),
    ),
    // Each receipt's figures computed once (x; LIMIT -1 keeps SQLite from flattening the sub-select and computing
    // the bucket once per column), summed per association and week (a), then spread to the four scopes.
    db.run(
      sql.raw(`
      INSERT INTO stats_week (level, scope_id, week, ${weekCols.join(", ")})
      SELECT sc.level, sc.scope_id, a.week, ${sumCols}
      FROM (SELECT x.association_id, x.week, count(DISTINCT x.cid) AS circulars, count(*) AS targeted,
              sum(x.has_due) AS due_targeted, sum(x.by_due) AS read_by_due,
              ${BUCKET_COLUMNS.map((b, k) => `coalesce(sum(x.bucket = ${k}), 0) AS ${b}`).join(", ")}
            FROM (SELECT c.id AS cid, c.association_id, ${weekOf("c.published_at")} AS week,
                    c.due_at IS NOT NULL AS has_due,
                    (r.read_at IS NOT NULL AND c.due_at IS NOT NULL AND r.read_at <= c.due_at) AS by_due,
                    CASE WHEN r.read_at IS NOT NULL THEN ${bucketOf("(r.read_at - r.created_at)")} END AS bucket
                  FROM circulars c JOIN receipts r ON r.circular_id = c.id
                  WHERE c.status = 'published' AND c.kind = 'notice' LIMIT -1) x
            GROUP BY x.association_id, x.week) a JOIN ${up("a")}
      GROUP BY sc.level, sc.scope_id, a.week`),
    ),
  ]);
}
