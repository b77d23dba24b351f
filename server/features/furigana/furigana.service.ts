// The 「ふりがな」 panel's verbs (furigana.routes.ts) on an association's draft and on the city's: the same words
// and checks (furigana.ts), each scoped like every other verb on its kind of draft.
import { and, eq } from "drizzle-orm";
import type { AssociationCtx, ServiceCtx } from "../../context";
import { circulars, cityCirculars } from "../../db/schema";
import { errors } from "../../lib/errors";
import type { BatchItem } from "../../db/client";
import { auditIfChanged, happened, type AuditAction, type AuditTarget } from "../audit/audit";
import { getCircularRow, refuseCityCircular } from "../circulars/circulars.service";
import { getRow as getCityRow } from "../city-circulars/reading.service";
import { checkFixes, draftWords } from "./furigana";
import { parseFixes, type Texts } from "./spans";

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

/**
 * The corrections of a draft checked and written in one batch: the draft kind's guarded UPDATE (still a draft; it
 * answers the row it changed) and the audit row of its update. A draft published meanwhile keeps what it went with.
 */
async function saveFixes(
  ctx: ServiceCtx,
  row: Texts,
  input: Fix[],
  write: (json: string) => { update: BatchItem; audit: [AuditAction, AuditTarget] },
  id: string,
) {
  const fixes = checkFixes(row, input);
  const { update, audit } = write(JSON.stringify(fixes));
  const [saved] = await ctx.db.batch([update, auditIfChanged(ctx, ...audit, id, { fields: ["furigana"] }).insert]);
  if (!happened(saved)) throw notDraft();
  return draftWords(ctx.readings, row, fixes);
}

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
  return saveFixes(
    ctx,
    row,
    input.fixes,
    (furiganaFixes) => ({
      update: ctx.db
        .update(circulars)
        .set({ furiganaFixes, updatedAt: ctx.now })
        .where(
          and(eq(circulars.id, row.id), eq(circulars.associationId, ctx.associationId), eq(circulars.status, "draft")),
        )
        .returning({ id: circulars.id }),
      audit: ["circular.update", "circular"],
    }),
    row.id,
  );
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
  return saveFixes(
    ctx,
    row,
    input.fixes,
    (furiganaFixes) => ({
      update: ctx.db
        .update(cityCirculars)
        .set({ furiganaFixes, updatedAt: ctx.now })
        .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "draft")))
        .returning({ id: cityCirculars.id }),
      audit: ["city.circular.update", "city_circular"],
    }),
    row.id,
  );
}
