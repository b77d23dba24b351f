// Every rollup recomputed from the raw rows with plain GROUP BY queries. The seed uses it after its bulk inserts
// (which bypass the per-change maintenance), and the tests compare it with the incrementally kept tables: the two
// are written independently, so agreement means the triggers and batch statements are right.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rebuildParts } from "./rollup";
import { BUCKET_COLUMNS, DAY_MS, dayOf, weekOf } from "./sql";

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
    db.run(sql.raw(`
      INSERT INTO stats_households (level, scope_id, in_area, members, app, paper, push)
      SELECT sc.level, sc.scope_id, sum(a.in_area), sum(a.members), sum(a.app), sum(a.paper), sum(a.push)
      FROM (SELECT x.id AS association_id, x.households_in_area AS in_area,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL) AS members,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL AND h.channel = 'app') AS app,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL AND h.channel = 'paper') AS paper,
              (SELECT count(*) FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL AND h.push_devices > 0) AS push
            FROM associations x) a JOIN ${up("a")}
      GROUP BY sc.level, sc.scope_id`)),
    db.run(sql.raw(`
      INSERT INTO stats_active (level, scope_id, day, n)
      SELECT sc.level, sc.scope_id, a.day, sum(a.n)
      FROM (SELECT association_id, ${dayOf("last_read_at")} AS day, count(*) AS n FROM households
            WHERE left_at IS NULL AND last_read_at IS NOT NULL GROUP BY association_id, day) a JOIN ${up("a")}
      GROUP BY sc.level, sc.scope_id, a.day`)),
    db.run(sql.raw(`
      INSERT INTO stats_circular (circular_id, association_id, city_circular_id, targeted, read, read_24h, read_72h,
        due_targeted, read_by_due)
      SELECT c.id, c.association_id, c.city_circular_id, count(*), sum(r.read_at IS NOT NULL),
        sum(r.read_at IS NOT NULL AND r.read_at - r.created_at < ${DAY_MS}),
        sum(r.read_at IS NOT NULL AND r.read_at - r.created_at < ${3 * DAY_MS}),
        sum(c.due_at IS NOT NULL), sum(r.read_at IS NOT NULL AND c.due_at IS NOT NULL AND r.read_at <= c.due_at)
      FROM circulars c JOIN receipts r ON r.circular_id = c.id
      WHERE c.status = 'published'
      GROUP BY c.id`)),
    db.run(sql.raw(`
      INSERT INTO stats_week (level, scope_id, week, ${weekCols.join(", ")})
      SELECT sc.level, sc.scope_id, a.week, ${sumCols}
      FROM (SELECT c.association_id, ${weekOf("c.published_at")} AS week, count(DISTINCT c.id) AS circulars,
              ${rebuildParts.receiptColumns()}
            FROM circulars c JOIN receipts r ON r.circular_id = c.id
            WHERE c.status = 'published'
            GROUP BY c.association_id, week) a JOIN ${up("a")}
      GROUP BY sc.level, sc.scope_id, a.week`)),
  ]);
}
