// The city's dashboard, answered from the rollups only (docs/adr/0005): a few rows per view at any scale, never a
// scan of receipts. Counts and rates only; any group of fewer than 5 member households, and any rate over fewer
// than 5, is suppressed (null). Every view writes an audit row.
import { sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import type { Db } from "../../db/client";
import {
  associations,
  districts,
  statsActive,
  statsHouseholds,
  statsWeek,
  wards,
  type StatLevel,
} from "../../db/schema";
import { errors } from "../../lib/errors";
import { audit } from "../audit/audit";
import { rate, round4, SUPPRESS_BELOW } from "./suppress";

// bench/city.ts reads the threshold beside the views it times.
export { SUPPRESS_BELOW } from "./suppress";
import { BUCKET_COLUMNS, bucketLabel, dayNumber, weekNumber, weekStart, WITHIN_24H, WITHIN_72H } from "../stats/sql";

/** The dashboard's period for circular figures: the last 26 weeks, this one included. */
export const WEEKS = 26;
const ACTIVE_DAYS = 30;

export interface Figures {
  suppressed: boolean;
  householdsInArea: number | null;
  memberHouseholds: number | null;
  coverage: number | null;
  coverageOverCount: boolean | null;
  appHouseholds: number | null;
  paperHouseholds: number | null;
  paperShare: number | null;
  pushHouseholds: number | null;
  pushShare: number | null;
  activeHouseholds: number | null;
  activeShare: number | null;
  circulars: number | null;
  targeted: number | null;
  read24hRate: number | null;
  read72hRate: number | null;
  readByDueRate: number | null;
  medianReadBucket: number | null;
  medianReadLabel: string | null;
}

export interface ScopeRef {
  level: StatLevel;
  id: string;
  name: string;
}

interface WeekSums {
  circulars: number;
  targeted: number;
  dueTargeted: number;
  readByDue: number;
  b: number[];
}

const emptyWeek = (): WeekSums => ({
  circulars: 0,
  targeted: 0,
  dueTargeted: 0,
  readByDue: 0,
  b: Array(BUCKET_COLUMNS.length).fill(0),
});

function addWeek(into: WeekSums, row: Record<string, unknown>) {
  into.circulars += Number(row.circulars);
  into.targeted += Number(row.targeted);
  into.dueTargeted += Number(row.due_targeted);
  into.readByDue += Number(row.read_by_due);
  BUCKET_COLUMNS.forEach((c, k) => (into.b[k]! += Number(row[c])));
}

/** The bucket holding the middle read (the ceil(n/2)-th), or null without reads. */
export function medianBucket(b: readonly number[]): number | null {
  const n = b.reduce((a, x) => a + x, 0);
  if (n === 0) return null;
  const half = Math.ceil(n / 2);
  let seen = 0;
  for (let k = 0; k < b.length; k++) {
    seen += b[k]!;
    if (seen >= half) return k;
  }
  return null;
}

function readFigures(w: WeekSums) {
  const read = w.b.reduce((a, x) => a + x, 0);
  const within = (n: number) => w.b.slice(0, n).reduce((a, x) => a + x, 0);
  const median = w.targeted >= SUPPRESS_BELOW && read >= SUPPRESS_BELOW ? medianBucket(w.b) : null;
  return {
    circulars: w.circulars,
    targeted: w.targeted,
    read24hRate: rate(within(WITHIN_24H), w.targeted),
    read72hRate: rate(within(WITHIN_72H), w.targeted),
    readByDueRate: rate(w.readByDue, w.dueTargeted),
    medianReadBucket: median,
    medianReadLabel: median === null ? null : bucketLabel(median).ja,
    read,
  };
}

/** The reading figures of a suppressed group (or week): none. */
const NO_READS = {
  circulars: null,
  targeted: null,
  read24hRate: null,
  read72hRate: null,
  readByDueRate: null,
  medianReadBucket: null,
  medianReadLabel: null,
} as const;

const SUPPRESSED: Figures = {
  suppressed: true,
  householdsInArea: null,
  memberHouseholds: null,
  coverage: null,
  coverageOverCount: null,
  appHouseholds: null,
  paperHouseholds: null,
  paperShare: null,
  pushHouseholds: null,
  pushShare: null,
  activeHouseholds: null,
  activeShare: null,
  ...NO_READS,
};

const json = (ids: readonly string[]) => JSON.stringify(ids);

/**
 * Coverage (加入率): member households over the households in area, which the city enters per association
 * (`npm run admin -- create-association --households`) and which go out of date as people move in. An association
 * with more member households than that counts as covered up to its households in area, never beyond (the member
 * count is the truth; the figure entered is what needs review): no association and no area shows more than 100%,
 * and one stale figure does not raise its ward's coverage (docs/adr/0005).
 *
 * `excess`: the member households above the households in area, summed over the scope's associations.
 */
export const coverageOf = (members: number, inArea: number, excess = Math.max(0, members - inArea)) =>
  rate(members - excess, inArea);

/** The figures of several scopes of one level, from the three rollup tables (one query each). */
export async function figuresOf(
  db: Db,
  level: StatLevel,
  ids: readonly string[],
  now: Date,
): Promise<Map<string, Figures>> {
  const inIds = sql`scope_id IN (SELECT value FROM json_each(${json(ids)}))`;
  const fromWeek = weekNumber(now) - (WEEKS - 1);
  const fromDay = dayNumber(now) - (ACTIVE_DAYS - 1);
  const [households, active, weeks, overCount] = await db.batch([
    db.all<Record<string, number | string>>(sql`SELECT * FROM ${statsHouseholds} WHERE level = ${level} AND ${inIds}`),
    db.all<{ scope_id: string; n: number }>(sql`
      SELECT scope_id, sum(n) AS n FROM ${statsActive} WHERE level = ${level} AND ${inIds} AND day >= ${fromDay}
      GROUP BY scope_id`),
    db.all<Record<string, number | string>>(sql`
      SELECT scope_id, sum(circulars) AS circulars, sum(targeted) AS targeted, sum(due_targeted) AS due_targeted,
        sum(read_by_due) AS read_by_due, ${sql.raw(BUCKET_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(", "))}
      FROM ${statsWeek} WHERE level = ${level} AND ${inIds} AND week >= ${fromWeek} GROUP BY scope_id`),
    // Associations with more member households than households in area, per scope (few: only those rows); a flag
    // only for the ones not suppressed.
    db.all<{ scope_id: string; excess: number; flagged: number }>(sql`
      SELECT sc.scope_id, sum(h.members - h.in_area) AS excess, sum(h.members >= ${SUPPRESS_BELOW}) AS flagged
      FROM association_scopes sc JOIN ${statsHouseholds} h ON h.level = 'association' AND h.scope_id = sc.association_id
      WHERE sc.level = ${level} AND sc.scope_id IN (SELECT value FROM json_each(${json(ids)})) AND h.members > h.in_area
      GROUP BY sc.scope_id`),
  ]);
  const hh = new Map(households.map((r) => [String(r.scope_id), r]));
  const act = new Map(active.map((r) => [r.scope_id, Number(r.n)]));
  const wk = new Map(weeks.map((r) => [String(r.scope_id), r]));
  const over = new Map(overCount.map((r) => [r.scope_id, r]));
  const out = new Map<string, Figures>();
  for (const id of ids) {
    const h = hh.get(id);
    const members = Number(h?.members ?? 0);
    if (members < SUPPRESS_BELOW) {
      out.set(id, SUPPRESSED);
      continue;
    }
    const w = emptyWeek();
    const weekRow = wk.get(id);
    if (weekRow) addWeek(w, weekRow);
    const { read: _read, ...reads } = readFigures(w);
    const inArea = Number(h?.in_area ?? 0);
    const activeHouseholds = act.get(id) ?? 0;
    const o = over.get(id);
    out.set(id, {
      suppressed: false,
      householdsInArea: inArea,
      memberHouseholds: members,
      coverage: coverageOf(members, inArea, Number(o?.excess ?? 0)),
      coverageOverCount: Number(o?.flagged ?? 0) > 0,
      appHouseholds: Number(h?.app ?? 0),
      paperHouseholds: Number(h?.paper ?? 0),
      paperShare: rate(Number(h?.paper ?? 0), members),
      pushHouseholds: Number(h?.push ?? 0),
      pushShare: rate(Number(h?.push ?? 0), Number(h?.app ?? 0)),
      activeHouseholds,
      activeShare: rate(activeHouseholds, members),
      ...reads,
    });
  }
  return out;
}

/** A download's format (「CSVで保存」「JSONで保存」); none for the page's own view. */
export type ExportFormat = "json" | "csv" | undefined;

/**
 * Every access of the city's figures is recorded once it has succeeded (docs/adr/0005): a download as
 * `city.export` with its format and scope, the page's own view under its view action (`city.view` for the
 * dashboard, `city.circular.figures` for a city circular's figures).
 */
export async function recordAccess(
  ctx: ServiceCtx,
  access: {
    target: string;
    format: ExportFormat;
    detail?: Record<string, unknown>;
    viewAction?: "city.view" | "city.circular.figures";
    targetType?: "city" | "city_circular";
  },
) {
  const { target, format, detail = {}, viewAction = "city.view", targetType = "city" } = access;
  if (format) await audit(ctx, "city.export", targetType, target, { ...detail, format, scope: target });
  else await audit(ctx, viewAction, targetType, target, detail);
}

/** Wards, their districts and associations: names only, for pickers and breadcrumbs. */
export async function cityAreas({ ctx }: { ctx: ServiceCtx }) {
  const rows = await ctx.db.all<{
    wardId: string;
    wardName: string;
    districtId: string | null;
    districtName: string | null;
    associationId: string | null;
    associationName: string | null;
  }>(sql`
    SELECT w.id AS wardId, w.name AS wardName, d.id AS districtId, d.name AS districtName, a.id AS associationId, a.name AS associationName
    FROM ${wards} w LEFT JOIN ${districts} d ON d.ward_id = w.id LEFT JOIN ${associations} a ON a.district_id = d.id
    ORDER BY w.name, d.name, a.name`);
  const byWard = new Map<
    string,
    {
      id: string;
      name: string;
      districts: Map<string, { id: string; name: string; associations: { id: string; name: string }[] }>;
    }
  >();
  for (const r of rows) {
    let w = byWard.get(r.wardId);
    if (!w) byWard.set(r.wardId, (w = { id: r.wardId, name: r.wardName, districts: new Map() }));
    if (!r.districtId) continue;
    let d = w.districts.get(r.districtId);
    if (!d) w.districts.set(r.districtId, (d = { id: r.districtId, name: r.districtName!, associations: [] }));
    if (r.associationId) d.associations.push({ id: r.associationId, name: r.associationName! });
  }
  await recordAccess(ctx, { target: "areas", format: undefined });
  return { wards: [...byWard.values()].map((w) => ({ ...w, districts: [...w.districts.values()] })) };
}

const CHILD: Record<StatLevel, StatLevel | null> = {
  city: "ward",
  ward: "district",
  district: "association",
  association: null,
};

/** The scope, its parents (for breadcrumbs) and its children, by name; 404 for an unknown id. */
async function resolveScope(db: Db, level: StatLevel, id: string) {
  const city: ScopeRef = { level: "city", id: "", name: "仙台市" };
  const one = async (q: ReturnType<typeof sql>) => (await db.all<Record<string, string>>(q))[0];
  let scope: ScopeRef = city;
  let parents: ScopeRef[] = [];
  if (level === "ward") {
    const w = await one(sql`SELECT id, name FROM ${wards} WHERE id = ${id}`);
    if (!w) throw errors.notFound("区", "ward");
    scope = { level, id: w.id!, name: w.name! };
    parents = [city];
  } else if (level === "district") {
    const d = await one(
      sql`SELECT d.id, d.name, w.id AS wid, w.name AS wname FROM ${districts} d JOIN ${wards} w ON w.id = d.ward_id WHERE d.id = ${id}`,
    );
    if (!d) throw errors.notFound("地区", "district");
    scope = { level, id: d.id!, name: d.name! };
    parents = [city, { level: "ward", id: d.wid!, name: d.wname! }];
  } else if (level === "association") {
    const a = await one(sql`
      SELECT a.id, a.name, d.id AS did, d.name AS dname, w.id AS wid, w.name AS wname
      FROM ${associations} a JOIN ${districts} d ON d.id = a.district_id JOIN ${wards} w ON w.id = d.ward_id WHERE a.id = ${id}`);
    if (!a) throw errors.notFound("町内会", "association");
    scope = { level, id: a.id!, name: a.name! };
    parents = [city, { level: "ward", id: a.wid!, name: a.wname! }, { level: "district", id: a.did!, name: a.dname! }];
  }
  const childLevel = CHILD[level];
  const children: ScopeRef[] =
    childLevel === "ward"
      ? (await db.all<{ id: string; name: string }>(sql`SELECT id, name FROM ${wards} ORDER BY name`)).map((r) => ({
          level: childLevel,
          ...r,
        }))
      : childLevel === "district"
        ? (
            await db.all<{ id: string; name: string }>(
              sql`SELECT id, name FROM ${districts} WHERE ward_id = ${scope.id} ORDER BY name`,
            )
          ).map((r) => ({ level: childLevel, ...r }))
        : childLevel === "association"
          ? (
              await db.all<{ id: string; name: string }>(
                sql`SELECT id, name FROM ${associations} WHERE district_id = ${scope.id} ORDER BY name`,
              )
            ).map((r) => ({ level: childLevel, ...r }))
          : [];
  return { scope, parents, children };
}

export async function cityOverview({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { level: StatLevel; id?: string | undefined; format?: ExportFormat };
}) {
  const { scope, parents, children } = await resolveScope(ctx.db, input.level, input.id ?? "");
  const own = await figuresOf(ctx.db, scope.level, [scope.id], ctx.now);
  const childLevel = CHILD[scope.level];
  const kids = childLevel
    ? await figuresOf(
        ctx.db,
        childLevel,
        children.map((c) => c.id),
        ctx.now,
      )
    : new Map<string, Figures>();
  await recordAccess(ctx, { target: `${scope.level}:${scope.id}`, detail: { view: "overview" }, format: input.format });
  const thisWeek = weekNumber(ctx.now);
  return {
    scope: { ...scope, parents },
    period: { weeks: WEEKS, from: weekStart(thisWeek - (WEEKS - 1)), to: weekStart(thisWeek) },
    figures: own.get(scope.id)!,
    children: children.map((c) => ({ ...c, ...kids.get(c.id)! })),
  };
}

/** 「先週より3ポイント上昇」: how the latest full week compares with the one before. */
function caption(latest: number | null, previous: number | null): { ja: string; en: string } {
  if (latest === null || previous === null)
    return { ja: "比べられるデータがまだありません。", en: "Not enough data to compare yet." };
  const points = Math.round((latest - previous) * 100);
  if (points === 0) return { ja: "先週と同じです。", en: "The same as the week before." };
  return points > 0
    ? { ja: `先週より${points}ポイント上昇しました。`, en: `Up ${points} points from the week before.` }
    : { ja: `先週より${-points}ポイント低下しました。`, en: `Down ${-points} points from the week before.` };
}

export async function cityTrends({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { level: StatLevel; id?: string | undefined; format?: ExportFormat };
}) {
  const { scope } = await resolveScope(ctx.db, input.level, input.id ?? "");
  const thisWeek = weekNumber(ctx.now);
  const from = thisWeek - (WEEKS - 1);
  const [members] = await ctx.db.all<{ members: number }>(sql`
    SELECT members FROM ${statsHouseholds} WHERE level = ${scope.level} AND scope_id = ${scope.id}`);
  const suppressed = (members?.members ?? 0) < SUPPRESS_BELOW;
  const rows = suppressed
    ? []
    : await ctx.db.all<Record<string, number>>(sql`
        SELECT * FROM ${statsWeek} WHERE level = ${scope.level} AND scope_id = ${scope.id} AND week >= ${from} ORDER BY week`);
  const byWeek = new Map(rows.map((r) => [Number(r.week), r]));
  const weeks = Array.from({ length: WEEKS }, (_, i) => {
    const week = from + i;
    const w = emptyWeek();
    const row = byWeek.get(week);
    if (row) addWeek(w, row);
    const { read: _read, ...f } = readFigures(w);
    return { week, start: weekStart(week), ...(suppressed ? NO_READS : f) };
  });
  // The week in progress is not complete: captions compare the last two full weeks.
  const [prev, last] = [weeks[WEEKS - 3]!, weeks[WEEKS - 2]!];
  await recordAccess(ctx, { target: `${scope.level}:${scope.id}`, detail: { view: "trends" }, format: input.format });
  return {
    scope,
    suppressed,
    weeks,
    captions: {
      read24h: caption(last.read24hRate, prev.read24hRate),
      read72h: caption(last.read72hRate, prev.read72hRate),
    },
  };
}

export const NEEDS_SUPPORT_REASONS = ["low_coverage", "falling_read_rate", "low_read_rate"] as const;
export type NeedsSupportReason = (typeof NEEDS_SUPPORT_REASONS)[number];
const REASON_TEXT: Record<NeedsSupportReason, { ja: string; en: string }> = {
  low_coverage: { ja: "加入率が低い", en: "Low coverage" },
  falling_read_rate: { ja: "確認率が下がっている", en: "Falling read rate" },
  low_read_rate: { ja: "確認率が低い", en: "Low read rate" },
};
/** Thresholds: coverage under 50%; 72-hour read rate under 50%, or down 10 points or more (last 4 weeks vs the 4 before). */
export const THRESHOLDS = { coverage: 0.5, read72h: 0.5, fallPoints: 0.1 };

export async function needsSupport({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: {
    sort?: "reason" | "coverage" | "read72h" | "change" | undefined;
    order?: "asc" | "desc" | undefined;
    format?: ExportFormat;
  };
}) {
  const thisWeek = weekNumber(ctx.now);
  // Full weeks only: the last 4 before this one, and the 4 before those.
  const recentFrom = thisWeek - 4;
  const previousFrom = thisWeek - 8;
  const read72 = BUCKET_COLUMNS.slice(0, WITHIN_72H).join(" + ");
  // One pass over the association rows of the last 8 full weeks, split into the two windows.
  const [assocs, windows] = await ctx.db.batch([
    ctx.db.all<{
      id: string;
      name: string;
      wardName: string;
      districtName: string;
      members: number;
      in_area: number;
    }>(sql`
      SELECT a.id, a.name, w.name AS wardName, d.name AS districtName, coalesce(h.members, 0) AS members, coalesce(h.in_area, 0) AS in_area
      FROM ${associations} a JOIN ${districts} d ON d.id = a.district_id JOIN ${wards} w ON w.id = d.ward_id
      LEFT JOIN ${statsHouseholds} h ON h.level = 'association' AND h.scope_id = a.id`),
    ctx.db.all<{ scope_id: string; rt: number | null; rr: number | null; pt: number | null; pr: number | null }>(sql`
      SELECT scope_id,
        sum(CASE WHEN week >= ${recentFrom} THEN targeted END) AS rt,
        sum(CASE WHEN week >= ${recentFrom} THEN ${sql.raw(read72)} END) AS rr,
        sum(CASE WHEN week < ${recentFrom} THEN targeted END) AS pt,
        sum(CASE WHEN week < ${recentFrom} THEN ${sql.raw(read72)} END) AS pr
      FROM ${statsWeek} WHERE level = 'association' AND week >= ${previousFrom} AND week < ${thisWeek}
      GROUP BY scope_id`),
  ]);
  const rec = new Map(
    windows.filter((w) => w.rt !== null).map((w) => [w.scope_id, { targeted: w.rt!, read72h: w.rr! }]),
  );
  const prev = new Map(
    windows.filter((w) => w.pt !== null).map((w) => [w.scope_id, { targeted: w.pt!, read72h: w.pr! }]),
  );
  const rows = assocs
    // Suppressed groups are left out: listing them, even with a reason only, would say something about under 5 households.
    .filter((a) => a.members >= SUPPRESS_BELOW)
    .map((a) => {
      const coverage = coverageOf(a.members, a.in_area);
      const r = rec.get(a.id);
      const p = prev.get(a.id);
      const read72hRecent = r ? rate(r.read72h, r.targeted) : null;
      const read72hPrevious = p ? rate(p.read72h, p.targeted) : null;
      const change =
        read72hRecent !== null && read72hPrevious !== null ? round4(read72hRecent - read72hPrevious) : null;
      const reasons: NeedsSupportReason[] = [];
      if (coverage !== null && coverage < THRESHOLDS.coverage) reasons.push("low_coverage");
      if (change !== null && change <= -THRESHOLDS.fallPoints) reasons.push("falling_read_rate");
      if (read72hRecent !== null && read72hRecent < THRESHOLDS.read72h) reasons.push("low_read_rate");
      return {
        id: a.id,
        name: a.name,
        wardName: a.wardName,
        districtName: a.districtName,
        coverage,
        coverageOverCount: a.members > a.in_area,
        read72hRecent,
        read72hPrevious,
        change,
        reasons,
        reasonText: reasons.map((k) => REASON_TEXT[k].ja).join("、"),
        reasonTextEn: reasons.map((k) => REASON_TEXT[k].en).join(", "),
      };
    })
    .filter((a) => a.reasons.length > 0);
  const sort = input.sort ?? "reason";
  const dir = input.order === "desc" ? -1 : 1;
  const key = (a: (typeof rows)[number]): number =>
    sort === "coverage"
      ? (a.coverage ?? 2)
      : sort === "read72h"
        ? (a.read72hRecent ?? 2)
        : sort === "change"
          ? (a.change ?? 2)
          : -a.reasons.length;
  rows.sort((a, b) => (key(a) - key(b)) * dir || a.name.localeCompare(b.name, "ja"));
  await recordAccess(ctx, {
    target: "needs-support",
    detail: { view: "needs-support", sort, order: input.order ?? "asc" },
    format: input.format,
  });
  return { thresholds: THRESHOLDS, associations: rows };
}
