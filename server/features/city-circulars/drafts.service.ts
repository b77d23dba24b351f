// A city circular's draft: written, changed and deleted by city staff until it is published. Every change is
// guarded by "still a draft", so a publication that won a race keeps what it was sent with.
import { and, eq, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { cityAttachments, cityCirculars, type Priority } from "../../db/schema";
import { errors } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { cleanBody } from "../../lib/text";
import { cleanEasyBody } from "../easy-japanese/easy-body";
import { askColumns, type AskedQuestions } from "../answers/questions";
import { audit, auditIfChanged, happened } from "../audit/audit";
import { cityCircularDetail, getRow, lostRace } from "./reading.service";
import { checkedTarget, targetColumns, type CityTarget } from "./targets";

export interface CityDraftInput {
  title: string;
  body: string;
  easyBody?: string | null | undefined;
  priority: Priority;
  dueAt: Date | null;
  target: CityTarget;
  questions?: AskedQuestions | undefined;
  anonymous?: boolean | undefined;
}

const notDraft = () =>
  errors.conflict(
    "配布済みの市の回覧は書き換えられません。取り下げてから、新しく作り直してください。",
    "Only drafts can be changed. Withdraw the city circular and create a new one.",
  );

function cleanedBody(body: string): string {
  const cleaned = cleanBody(body);
  if (!cleaned)
    throw errors.validation(
      "入力内容を確認してください。本文を入力してください。",
      "Please check your input. body must not be empty.",
      [{ path: "body", message: "本文を入力してください。", messageEn: "The body must not be empty." }],
    );
  return cleaned;
}

export async function createCityDraft({ ctx, input }: { ctx: ServiceCtx; input: CityDraftInput }) {
  const body = cleanedBody(input.body);
  const target = await checkedTarget(ctx.db, input.target);
  const id = newId();
  await ctx.db.batch([
    ctx.db.insert(cityCirculars).values({
      id,
      title: input.title,
      body,
      easyBody: cleanEasyBody(input.easyBody ?? null),
      priority: input.priority,
      ...targetColumns(target),
      status: "draft",
      authorId: ctx.actor.memberId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      dueAt: input.dueAt,
      ...askColumns(input),
    }),
    audit(ctx, "city.circular.create", "city_circular", id, { title: input.title, target: target.scope }),
  ]);
  return cityCircularDetail(ctx, id);
}

export async function updateCityDraft({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string } & Partial<CityDraftInput>;
}) {
  const row = await getRow(ctx, input.id);
  if (row.status !== "draft") throw notDraft();
  const patch: Partial<typeof cityCirculars.$inferInsert> = { updatedAt: ctx.now };
  if (input.title !== undefined) patch.title = input.title;
  if (input.body !== undefined) patch.body = cleanedBody(input.body);
  if (input.easyBody !== undefined) patch.easyBody = cleanEasyBody(input.easyBody);
  if (input.priority !== undefined) patch.priority = input.priority;
  if (input.dueAt !== undefined) patch.dueAt = input.dueAt;
  Object.assign(patch, askColumns(input));
  if (input.target !== undefined) Object.assign(patch, targetColumns(await checkedTarget(ctx.db, input.target)));
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(cityCirculars)
      .set(patch)
      .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "draft")))
      .returning({ id: cityCirculars.id }),
    auditIfChanged(ctx, "city.circular.update", "city_circular", row.id, {
      fields: Object.keys(input).filter((k) => k !== "id"),
    }).insert,
  ]);
  if (!happened(updated)) await lostRace(ctx, row.id, notDraft);
  return cityCircularDetail(ctx, row.id);
}

/** Deletes a draft and its attachment rows; answers the blob keys to remove once the rows are gone. */
export async function deleteCityDraft({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await getRow(ctx, input.id);
  if (row.status !== "draft") throw notDraft();
  const files = await ctx.db
    .select({ blobKey: cityAttachments.blobKey })
    .from(cityAttachments)
    .where(eq(cityAttachments.cityCircularId, row.id));
  const stillDraft = sql`EXISTS (SELECT 1 FROM ${cityCirculars} cc WHERE cc.id = ${row.id} AND cc.status = 'draft')`;
  const [, deleted] = await ctx.db.batch([
    ctx.db.delete(cityAttachments).where(and(eq(cityAttachments.cityCircularId, row.id), stillDraft)),
    ctx.db
      .delete(cityCirculars)
      .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "draft")))
      .returning({ id: cityCirculars.id }),
    auditIfChanged(ctx, "city.circular.delete", "city_circular", row.id, { title: row.title }).insert,
  ]);
  if (!happened(deleted)) await lostRace(ctx, row.id, notDraft);
  return files.map((f) => f.blobKey);
}
