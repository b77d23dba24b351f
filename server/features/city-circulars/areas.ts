// A city circular's figures by area: each association's copy summed into its district, its ward and the whole, in
// one pass. Shared by the read figures and the answers' tallies, so both group and order areas the same way.
import { sql, type SQL } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { associations, districts, wards, type CircularStatus } from "../../db/schema";
import { recordAccess, type ExportFormat } from "../city/city.service";

export interface AreaRow {
  associationId: string;
  associationName: string;
  districtId: string;
  districtName: string;
  wardId: string;
  wardName: string;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, "ja");

/** Sums `S` of every association's rows into its district, ward and the total; areas sorted by name. */
export function rollUpAreas<R extends AreaRow, S>(rows: R[], zero: () => S, add: (into: S, row: R) => void) {
  const total = zero();
  const byWard = new Map<string, { id: string; name: string; sums: S }>();
  const byDistrict = new Map<string, { id: string; name: string; wardId: string; wardName: string; sums: S }>();
  const byAssociation = new Map<string, AreaRow & { id: string; name: string; sums: S }>();
  for (const r of rows) {
    add(total, r);
    const w = byWard.get(r.wardId) ?? { id: r.wardId, name: r.wardName, sums: zero() };
    add(w.sums, r);
    byWard.set(r.wardId, w);
    const d = byDistrict.get(r.districtId) ?? {
      id: r.districtId,
      name: r.districtName,
      wardId: r.wardId,
      wardName: r.wardName,
      sums: zero(),
    };
    add(d.sums, r);
    byDistrict.set(r.districtId, d);
    const a = byAssociation.get(r.associationId) ?? {
      associationId: r.associationId,
      associationName: r.associationName,
      districtId: r.districtId,
      districtName: r.districtName,
      wardId: r.wardId,
      wardName: r.wardName,
      id: r.associationId,
      name: r.associationName,
      sums: zero(),
    };
    add(a.sums, r);
    byAssociation.set(r.associationId, a);
  }
  return {
    total,
    associationCount: byAssociation.size,
    wards: [...byWard.values()].sort(byName),
    districts: [...byDistrict.values()].sort(byName),
    associations: [...byAssociation.values()].sort(byName),
  };
}

/** The area columns of an association `x` joined by areaJoins, named as AreaRow. */
export const areaColumns = sql`x.id AS associationId, x.name AS associationName, d.id AS districtId,
  d.name AS districtName, w.id AS wardId, w.name AS wardName`;

/** Joins the association whose id is `associationId` (an SQL expression) as `x`, its district `d` and ward `w`. */
export const areaJoins = (associationId: SQL) => sql`JOIN ${associations} x ON x.id = ${associationId}
  JOIN ${districts} d ON d.id = x.district_id JOIN ${wards} w ON w.id = d.ward_id`;

/** What every figure of a city circular starts with. */
export const circularHead = (row: {
  id: string;
  title: string;
  status: CircularStatus;
  publishedAt: Date | null;
  dueAt: Date | null;
}) => ({
  id: row.id,
  title: row.title,
  status: row.status,
  publishedAt: row.publishedAt?.toISOString() ?? null,
  dueAt: row.dueAt?.toISOString() ?? null,
});

/** The areas' sums as figures (`figures` turns sums into what the city may see), at every level. */
export function areaFigures<S, F extends object>(
  areas: ReturnType<typeof rollUpAreas<AreaRow, S>>,
  figures: (s: S) => F,
) {
  return {
    total: { associations: areas.associationCount, ...figures(areas.total) },
    wards: areas.wards.map((w) => ({ id: w.id, name: w.name, ...figures(w.sums) })),
    districts: areas.districts.map((d) => ({
      id: d.id,
      name: d.name,
      wardId: d.wardId,
      wardName: d.wardName,
      ...figures(d.sums),
    })),
    associations: areas.associations.map((a) => ({
      id: a.id,
      name: a.name,
      districtId: a.districtId,
      districtName: a.districtName,
      wardId: a.wardId,
      wardName: a.wardName,
      ...figures(a.sums),
    })),
  };
}

/** Every read of a city circular's figures (the read figures, a survey's tallies) is audited as a view or an export. */
export function recordFiguresAccess(
  ctx: ServiceCtx,
  id: string,
  view: "circular-figures" | "circular-answers" | "safety-live",
  format: ExportFormat,
) {
  return recordAccess(ctx, {
    target: id,
    targetType: "city_circular",
    viewAction: "city.circular.figures",
    detail: { view },
    format,
  });
}
