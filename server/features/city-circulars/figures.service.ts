// A city circular's read figures per ward, district and association, from stats_circular (the copies' rollups):
// counts and rates only, names of areas only, and nothing about fewer than 5 households (city/suppress.ts).
import { sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { statsCircular } from "../../db/schema";
import type { ExportFormat } from "../city/city.service";
import { rate, SUPPRESS_BELOW } from "../city/suppress";
import {
  areaColumns,
  areaJoins,
  areaFigures,
  circularHead,
  rollUpAreas,
  type AreaRow,
  recordFiguresAccess,
} from "./areas";
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

/** A withdrawn circular has left the figures. */
export async function cityCircularFigures({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; format?: ExportFormat };
}) {
  const row = await getRow(ctx, input.id);
  const rows = await ctx.db.all<Sums & AreaRow>(sql`
    SELECT ${areaColumns}, s.targeted, s.read, s.read_24h AS read24h, s.read_72h AS read72h,
      s.due_targeted AS dueTargeted, s.read_by_due AS readByDue
    FROM ${statsCircular} s ${areaJoins(sql`s.association_id`)}
    WHERE s.city_circular_id = ${row.id}`);
  const areas = rollUpAreas(rows, zero, add);
  await recordFiguresAccess(ctx, row.id, "circular-figures", input.format);
  return {
    circular: circularHead(row),
    ...areaFigures(areas, figuresOf),
  };
}
