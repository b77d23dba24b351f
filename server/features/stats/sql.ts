// The SQL expressions every rollup shares (docs/adr/0005): JST day and week numbers, the read-delay bucket, the four
// scopes of an association, and the trigger definitions (drizzle/0006_stats_triggers.sql, changed by
// drizzle/0008_stats_setwise_acks.sql, generated from here by `npx tsx scripts/gen-stats-triggers.ts`; a test checks
// the migration matches, and that a migrated database has exactly these).
import { DELAY_BUCKETS } from "../../db/schema";
import { DAY, HOUR, JST_OFFSET_MS as JST_MS } from "../../lib/time";

export const HOUR_MS = HOUR;
export const DAY_MS = DAY;
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: three days later in the week count makes weeks start on Monday. */
const MONDAY_SHIFT_MS = 3 * DAY_MS;

/** JST day number of an epoch-ms expression. */
export const dayOf = (ms: string) => `((${ms} + ${JST_MS}) / ${DAY_MS})`;
/** JST week number (weeks from Monday) of an epoch-ms expression. */
export const weekOf = (ms: string) => `((${ms} + ${JST_MS + MONDAY_SHIFT_MS}) / ${WEEK_MS})`;

/** The same in TypeScript (for the current week and day, and for labels). */
export const dayNumber = (at: Date) => Math.floor((at.getTime() + JST_MS) / DAY_MS);
export const weekNumber = (at: Date) => Math.floor((at.getTime() + JST_MS + MONDAY_SHIFT_MS) / WEEK_MS);
/** Monday 00:00 JST of a week number, as YYYY-MM-DD. */
export function weekStart(week: number): string {
  const jstMidnight = new Date(week * WEEK_MS - MONDAY_SHIFT_MS);
  return jstMidnight.toISOString().slice(0, 10);
}

/**
 * Read-delay bucket of a delay expression (ms): 0–23 by the hour, 24–29 by the day (1–6 days), 30: 7–14 days,
 * 31: 14 days or more. Negative delays (clock skew) count as bucket 0.
 */
export const bucketOf = (delay: string) =>
  `(CASE WHEN ${delay} < ${DAY_MS} THEN max(0, ${delay}) / ${HOUR_MS} WHEN ${delay} < ${WEEK_MS} THEN 23 + ${delay} / ${DAY_MS} WHEN ${delay} < ${2 * WEEK_MS} THEN 30 ELSE 31 END)`;

/** The same in TypeScript. */
export function bucketNumber(delayMs: number): number {
  if (delayMs < DAY_MS) return Math.floor(Math.max(0, delayMs) / HOUR_MS);
  if (delayMs < WEEK_MS) return 23 + Math.floor(delayMs / DAY_MS);
  return delayMs < 2 * WEEK_MS ? 30 : 31;
}

/** Buckets within 24 h (b0…b23) and within 72 h (b0…b25). */
export const WITHIN_24H = 24;
export const WITHIN_72H = 26;

/** 「3時間以内」, the way a median bucket is shown. */
export function bucketLabel(bucket: number): { ja: string; en: string } {
  if (bucket < 24) return { ja: `${bucket + 1}時間以内`, en: `within ${bucket + 1} h` };
  if (bucket < 30) return { ja: `${bucket - 22}日以内`, en: `within ${bucket - 22} days` };
  if (bucket === 30) return { ja: "2週間以内", en: "within 2 weeks" };
  return { ja: "2週間以上", en: "2 weeks or more" };
}

export const BUCKET_COLUMNS = Array.from({ length: DELAY_BUCKETS }, (_, k) => `b${k}`);

/**
 * The four scopes of an association as a subquery (level, scope_id): itself, its district, its ward, the city.
 * `association` and `district` are SQL expressions.
 */
export function scopesOf(association: string, district: string): string {
  return `(SELECT 'association' AS level, ${association} AS scope_id
    UNION ALL SELECT 'district', ${district}
    UNION ALL SELECT 'ward', (SELECT ward_id FROM districts WHERE id = ${district})
    UNION ALL SELECT 'city', '')`;
}

const districtOf = (association: string) => `(SELECT district_id FROM associations WHERE id = ${association})`;

/** Adds `values` (column -> expression) to stats_households at the four scopes of a household's association. */
function householdsUpsert(row: "old" | "new", sign: 1 | -1): string {
  const member = `(${row}.left_at IS NULL)`;
  const cols = {
    members: member,
    app: `(${member} AND ${row}.channel = 'app')`,
    paper: `(${member} AND ${row}.channel = 'paper')`,
    push: `(${member} AND ${row}.push_devices > 0)`,
  };
  const names = Object.keys(cols);
  const exprs = Object.values(cols).map((e) => `${sign} * ${e}`);
  return `INSERT INTO stats_households (level, scope_id, ${names.join(", ")})
    SELECT sc.level, sc.scope_id, ${exprs.join(", ")}
    FROM ${scopesOf(`${row}.association_id`, districtOf(`${row}.association_id`))} sc WHERE 1
    ON CONFLICT (level, scope_id) DO UPDATE SET ${names.map((n) => `${n} = ${n} + excluded.${n}`).join(", ")};`;
}

/** The day a household counts as active on, or NULL (left, or never read). */
const activeDay = (row: "old" | "new") =>
  `(CASE WHEN ${row}.left_at IS NULL AND ${row}.last_read_at IS NOT NULL THEN ${dayOf(`${row}.last_read_at`)} END)`;

function activeUpsert(row: "old" | "new", sign: 1 | -1): string {
  return `INSERT INTO stats_active (level, scope_id, day, n)
    SELECT sc.level, sc.scope_id, ${activeDay(row)}, ${sign}
    FROM ${scopesOf(`${row}.association_id`, districtOf(`${row}.association_id`))} sc WHERE ${activeDay(row)} IS NOT NULL
    ON CONFLICT (level, scope_id, day) DO UPDATE SET n = n + excluded.n;`;
}

const householdFlags = (row: "old" | "new") =>
  `${row}.association_id, ${row}.left_at IS NULL, ${row}.channel, ${row}.push_devices > 0`;

/**
 * Triggers drizzle/0008_stats_setwise_acks.sql drops: every change of read state now keeps its rollups set-wise in
 * its own batch (server/features/receipts/read-batch.ts), one statement per rollup table for a whole batch.
 */
export const DROPPED_TRIGGERS = ["stats_receipt_read", "households_last_read", "households_last_unread"];
/** Triggers drizzle/0008 replaces (drops, then creates as statsTriggers() defines them now). */
export const REPLACED_TRIGGERS = ["stats_household_active"];

/**
 * The trigger statements (and the view), in order: drizzle/0006_stats_triggers.sql made them first; drizzle/0008
 * drops DROPPED_TRIGGERS and replaces REPLACED_TRIGGERS with what this returns now (scripts/gen-stats-triggers.ts).
 */
export function statsTriggers(): string[] {
  return [
    // The four scopes of every association, for set-wise statements (a trigger uses scopesOf on its own row).
    `CREATE VIEW association_scopes AS
  SELECT id AS association_id, 'association' AS level, id AS scope_id FROM associations
  UNION ALL SELECT id, 'district', district_id FROM associations
  UNION ALL SELECT a.id, 'ward', d.ward_id FROM associations a JOIN districts d ON d.id = a.district_id
  UNION ALL SELECT id, 'city', '' FROM associations`,
    `CREATE TRIGGER stats_household_insert AFTER INSERT ON households
BEGIN
  ${householdsUpsert("new", 1)}
  ${activeUpsert("new", 1)}
END`,
    `CREATE TRIGGER stats_household_delete AFTER DELETE ON households
BEGIN
  ${householdsUpsert("old", -1)}
  ${activeUpsert("old", -1)}
END`,
    `CREATE TRIGGER stats_household_counts AFTER UPDATE OF association_id, left_at, channel, push_devices ON households
WHEN (${householdFlags("old")}) IS NOT (${householdFlags("new")})
BEGIN
  ${householdsUpsert("old", -1)}
  ${householdsUpsert("new", 1)}
END`,
    // A household leaving (or moving): its active day leaves with it. A change of last_read_at moves the active day
    // where it is made (rollup.ts statsForLastRead, in the batch that changes a receipt), so none fires here.
    `CREATE TRIGGER stats_household_active AFTER UPDATE OF association_id, left_at ON households
WHEN old.association_id IS NOT new.association_id OR ${activeDay("old")} IS NOT ${activeDay("new")}
BEGIN
  ${activeUpsert("old", -1)}
  ${activeUpsert("new", 1)}
END`,
    `CREATE TRIGGER push_devices_insert AFTER INSERT ON push_subscriptions WHEN new.household_id IS NOT NULL
BEGIN
  UPDATE households SET push_devices = push_devices + 1 WHERE id = new.household_id;
END`,
    `CREATE TRIGGER push_devices_delete AFTER DELETE ON push_subscriptions WHEN old.household_id IS NOT NULL
BEGIN
  UPDATE households SET push_devices = push_devices - 1 WHERE id = old.household_id;
END`,
    `CREATE TRIGGER push_devices_move AFTER UPDATE OF household_id ON push_subscriptions
WHEN old.household_id IS NOT new.household_id
BEGIN
  UPDATE households SET push_devices = push_devices - 1 WHERE id = old.household_id;
  UPDATE households SET push_devices = push_devices + 1 WHERE id = new.household_id;
END`,
    `CREATE TRIGGER stats_association_insert AFTER INSERT ON associations
BEGIN
  INSERT INTO stats_households (level, scope_id, in_area)
    SELECT sc.level, sc.scope_id, new.households_in_area FROM ${scopesOf("new.id", "new.district_id")} sc WHERE 1
    ON CONFLICT (level, scope_id) DO UPDATE SET in_area = in_area + excluded.in_area;
END`,
    `CREATE TRIGGER stats_association_area AFTER UPDATE OF households_in_area ON associations
BEGIN
  INSERT INTO stats_households (level, scope_id, in_area)
    SELECT sc.level, sc.scope_id, new.households_in_area - old.households_in_area
    FROM ${scopesOf("new.id", "new.district_id")} sc WHERE 1
    ON CONFLICT (level, scope_id) DO UPDATE SET in_area = in_area + excluded.in_area;
END`,
  ];
}
