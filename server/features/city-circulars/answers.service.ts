// A city survey's tallies (a city circular with questions) per ward, district and association, from the copies'
// kept tallies (answer_tallies, whole-circular rows): counts only, names of areas only, and no group of fewer than 5
// answering households (city/suppress.ts). No household, and no text answer, ever reaches a city route.
import { sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { answerTallies, circulars, statsCircular } from "../../db/schema";
import { parseQuestions } from "../answers/questions";
import { sumRows, tallyOf, type TallyRow } from "../answers/tallies";
import { recordAccess, type ExportFormat } from "../city/city.service";
import { SUPPRESS_BELOW } from "../city/suppress";
import { areaColumns, areaJoins, areaFigures, circularHead, rollUpAreas, type AreaRow } from "./areas";
import { getRow } from "./reading.service";

interface Sums {
  targeted: number;
  rows: TallyRow[];
}

export async function cityCircularAnswers({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; format?: ExportFormat };
}) {
  const row = await getRow(ctx, input.id);
  const questions = parseQuestions(row.questions);
  // Each published copy's audience, and its tallies (a copy without answers yet has none).
  const copies = await ctx.db.all<AreaRow & { circularId: string; targeted: number }>(sql`
    SELECT ${areaColumns}, c.id AS circularId, s.targeted
    FROM ${circulars} c JOIN ${statsCircular} s ON s.circular_id = c.id ${areaJoins(sql`c.association_id`)}
    WHERE c.city_circular_id = ${row.id} AND c.status = 'published'`);
  const tallies = await ctx.db.all<TallyRow & { circularId: string }>(sql`
    SELECT t.circular_id AS circularId, t.question_id AS questionId, t.choice, t.households, t.amount
    FROM ${circulars} c JOIN ${answerTallies} t ON t.circular_id = c.id AND t.block_id = ''
    WHERE c.city_circular_id = ${row.id} AND c.status = 'published' AND t.households <> 0`);
  const byCopy = new Map<string, TallyRow[]>();
  for (const t of tallies) byCopy.set(t.circularId, [...(byCopy.get(t.circularId) ?? []), t]);
  const areas = rollUpAreas(
    copies,
    (): Sums => ({ targeted: 0, rows: [] }),
    (into, c) => {
      into.targeted += c.targeted;
      into.rows.push(...(byCopy.get(c.circularId) ?? []));
    },
  );
  const figures = (s: Sums) => {
    const t = tallyOf(questions, sumRows(s.rows));
    const suppressed = s.targeted < SUPPRESS_BELOW || t.answered < SUPPRESS_BELOW;
    return {
      suppressed,
      targeted: suppressed ? null : s.targeted,
      answered: suppressed ? null : t.answered,
      tallies: suppressed ? [] : t.questions,
    };
  };
  await recordAccess(ctx, {
    target: row.id,
    targetType: "city_circular",
    viewAction: "city.circular.figures",
    detail: { view: "circular-answers" },
    format: input.format,
  });
  return {
    circular: circularHead(row),
    anonymous: row.anonymous,
    questions,
    ...areaFigures(areas, figures),
  };
}
