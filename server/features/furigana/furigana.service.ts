// The 「ふりがな」 panel's verbs (furigana.routes.ts) on an association's draft and on the city's: the same words
// and checks (furigana.ts), each scoped like every other verb on its kind of draft.
import { and, eq } from "drizzle-orm";
import type { AssociationCtx, ServiceCtx } from "../../context";
import { circulars, cityCirculars } from "../../db/schema";
import { errors } from "../../lib/errors";
import { auditIfChanged, happened } from "../audit/audit";
import { getCircularRow, refuseCityCircular } from "../circulars/circulars.service";
import { getRow as getCityRow } from "../city-circulars/reading.service";
import { checkFixes, draftWords } from "./furigana";
import { parseFixes } from "./spans";

const notDraft = () =>
  errors.conflict(
    "配布済みの回覧のふりがなは直せません。",
    "Readings can only be corrected on a draft, before it is published.",
  );

async function associationDraft(ctx: AssociationCtx, id: string) {
  const row = await getCircularRow(ctx, id);
  refuseCityCircular(row);
  if (row.status !== "draft") throw notDraft();
  return row;
}

async function cityDraft(ctx: ServiceCtx, id: string) {
  const row = await getCityRow(ctx, id);
  if (row.status !== "draft") throw notDraft();
  return row;
}

type Fix = { word: string; reading: string };

export async function circularReadings({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const row = await associationDraft(ctx, input.id);
  return draftWords(ctx.readings, row, parseFixes(row.furiganaFixes));
}

export async function saveCircularReadings({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string; fixes: Fix[] };
}) {
  const row = await associationDraft(ctx, input.id);
  const fixes = checkFixes(row, input.fixes);
  const [saved] = await ctx.db.batch([
    ctx.db
      .update(circulars)
      .set({ furiganaFixes: JSON.stringify(fixes), updatedAt: ctx.now })
      .where(
        and(eq(circulars.id, row.id), eq(circulars.associationId, ctx.associationId), eq(circulars.status, "draft")),
      )
      .returning({ id: circulars.id }),
    auditIfChanged(ctx, "circular.update", "circular", row.id, { fields: ["furigana"] }).insert,
  ]);
  if (!happened(saved)) throw notDraft();
  return draftWords(ctx.readings, row, fixes);
}

export async function cityCircularReadings({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await cityDraft(ctx, input.id);
  return draftWords(ctx.readings, row, parseFixes(row.furiganaFixes));
}

export async function saveCityCircularReadings({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; fixes: Fix[] };
}) {
  const row = await cityDraft(ctx, input.id);
  const fixes = checkFixes(row, input.fixes);
  const [saved] = await ctx.db.batch([
    ctx.db
      .update(cityCirculars)
      .set({ furiganaFixes: JSON.stringify(fixes), updatedAt: ctx.now })
      .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "draft")))
      .returning({ id: cityCirculars.id }),
    auditIfChanged(ctx, "city.circular.update", "city_circular", row.id, { fields: ["furigana"] }).insert,
  ]);
  if (!happened(saved)) throw notDraft();
  return draftWords(ctx.readings, row, fixes);
}
