// A city circular's read figures per ward, district and association, from stats_circular (the copies' rollups):
// counts and rates only, names of areas only, and nothing about fewer than 5 households (city/suppress.ts).
import { sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { associations, districts, statsCircular, wards } from "../../db/schema";
import { recordAccess, type ExportFormat } from "../city/city.service";
import { rate, SUPPRESS_BELOW } from "../city/suppress";
import { getRow } from "./reading.service";

interface Sums {
  targeted: number;
  read: number;
  read24h: number;
  read72h: number;
  dueTargeted: number;
  readByDue: number;
}

const zero = (): Sums => ({ targeted: 0, read: 0, read24h: 0, read72h: 0, dueTargeted: 0, readByDue: 0 });

function add(into: Sums, s: Sums) {
  into.targeted += s.targeted;
  into.read += s.read;
  into.read24h += s.read24h;
  into.read72h += s.read72h;
  into.dueTargeted += s.dueTargeted;
  into.readByDue += s.readByDue;
}

/** Counts and rates of a group; all null when it has fewer than 5 targeted households (suppressed). */
function figuresOf(s: Sums) {
  const suppressed = s.targeted < SUPPRESS_BELOW;
  return {
    suppressed,
    targeted: suppressed ? null : s.targeted,
    read: suppressed ? null : s.read,
    read24hRate: rate(s.read24h, s.targeted),
    read72hRate: rate(s.read72h, s.targeted),
    readByDueRate: suppressed ? null : rate(s.readByDue, s.dueTargeted),
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, "ja");

/** A withdrawn circular has left the figures. */
export async function cityCircularFigures({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; format?: ExportFormat };
}) {
  const row = await getRow(ctx, input.id);
  const rows = await ctx.db.all<
    Sums & {
      associationId: string;
      associationName: string;
      districtId: string;
      districtName: string;
      wardId: string;
      wardName: string;
    }
  >(sql`
    SELECT x.id AS associationId, x.name AS associationName, d.id AS districtId, d.name AS districtName,
      w.id AS wardId, w.name AS wardName, s.targeted, s.read, s.read_24h AS read24h, s.read_72h AS read72h,
      s.due_targeted AS dueTargeted, s.read_by_due AS readByDue
    FROM ${statsCircular} s JOIN ${associations} x ON x.id = s.association_id
      JOIN ${districts} d ON d.id = x.district_id JOIN ${wards} w ON w.id = d.ward_id
    WHERE s.city_circular_id = ${row.id}`);
  const total = zero();
  const wardSums = new Map<string, { id: string; name: string; sums: Sums }>();
  const districtSums = new Map<string, { id: string; name: string; wardId: string; wardName: string; sums: Sums }>();
  for (const r of rows) {
    add(total, r);
    const w = wardSums.get(r.wardId) ?? { id: r.wardId, name: r.wardName, sums: zero() };
    add(w.sums, r);
    wardSums.set(r.wardId, w);
    const d = districtSums.get(r.districtId) ?? {
      id: r.districtId,
      name: r.districtName,
      wardId: r.wardId,
      wardName: r.wardName,
      sums: zero(),
    };
    add(d.sums, r);
    districtSums.set(r.districtId, d);
  }
  await recordAccess(ctx, {
    target: row.id,
    targetType: "city_circular",
    viewAction: "city.circular.figures",
    detail: { view: "circular-figures" },
    format: input.format,
  });
  return {
    circular: {
      id: row.id,
      title: row.title,
      status: row.status,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      dueAt: row.dueAt?.toISOString() ?? null,
    },
    total: { associations: rows.length, ...figuresOf(total) },
    wards: [...wardSums.values()].sort(byName).map((w) => ({ id: w.id, name: w.name, ...figuresOf(w.sums) })),
    districts: [...districtSums.values()]
      .sort(byName)
      .map((d) => ({ id: d.id, name: d.name, wardId: d.wardId, wardName: d.wardName, ...figuresOf(d.sums) })),
    associations: rows
      .map((r) => ({ ...r, name: r.associationName }))
      .sort(byName)
      .map((r) => ({
        id: r.associationId,
        name: r.associationName,
        districtId: r.districtId,
        districtName: r.districtName,
        wardId: r.wardId,
        wardName: r.wardName,
        ...figuresOf(r),
      })),
  };
}
