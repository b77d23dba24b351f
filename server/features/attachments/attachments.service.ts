// Attachments: photos or PDFs of the paper notice. Stored through the BlobStore, served only to members who can
// see the circular.
import { and, eq, sql } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { attachments, circulars, receipts } from "../../db/schema";
import type { BlobStore } from "../../lib/blob-store";
import { errors } from "../../lib/errors";
import { auditIfChanged, happened } from "../audit/audit";
import { getCircularRow, refuseCityCircular } from "../circulars/circulars.service";
import { storeUpload } from "./upload";

const notDraft = () =>
  errors.conflict("添付ファイルは下書きの回覧にだけ追加できます。", "Attachments can only be added to a draft.");

export async function uploadAttachment({
  ctx,
  blobs,
  input,
}: {
  ctx: AssociationCtx;
  blobs: BlobStore;
  input: { circularId: string; fileName: string; bytes: Uint8Array };
}) {
  const circular = await getCircularRow(ctx, input.circularId);
  refuseCityCircular(circular);
  if (circular.status !== "draft") throw notDraft();
  const stored = await storeUpload({
    ctx,
    blobs,
    scope: { table: attachments, associationId: ctx.associationId, circularId: circular.id },
    input,
    audit: { action: "attachment.create", targetType: "circular" },
    reload: () => getCircularRow(ctx, circular.id),
    notDraft,
  });
  return { ...stored, url: `/api/attachments/${stored.id}` };
}

/**
 * The attachment if the actor may see it: staff through the circular's own visibility rules; a household only for
 * a published circular it received. Anything else is 404, never 403, so ids reveal nothing.
 */
export async function findReadableAttachment({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const [row] = await ctx.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, input.id), eq(attachments.associationId, ctx.associationId)));
  if (!row) throw errors.notFound("添付ファイル", "attachment");
  if (ctx.actor.role === "leader" || ctx.actor.role === "block_leader") {
    await getCircularRow(ctx, row.circularId);
    return row;
  }
  const [visible] = await ctx.db
    .select({ id: receipts.circularId })
    .from(receipts)
    .innerJoin(circulars, eq(circulars.id, receipts.circularId))
    .where(
      and(
        eq(receipts.circularId, row.circularId),
        eq(receipts.householdId, ctx.actor.householdId ?? "-"),
        eq(circulars.status, "published"),
        eq(circulars.associationId, ctx.associationId),
      ),
    );
  if (!visible) throw errors.notFound("添付ファイル", "attachment");
  return row;
}

export async function deleteAttachment({
  ctx,
  blobs,
  input,
}: {
  ctx: AssociationCtx;
  blobs: BlobStore;
  input: { id: string };
}) {
  const row = await findReadableAttachment({ ctx, input });
  const circular = await getCircularRow(ctx, row.circularId);
  refuseCityCircular(circular);
  const published = () =>
    errors.conflict(
      "配布済みの回覧の添付ファイルは削除できません。",
      "Attachments of a published circular cannot be removed.",
    );
  if (circular.status !== "draft") throw published();
  // "Still a draft" is part of the DELETE, so a publication in between keeps the file; the audit row is written
  // only if this DELETE removed something (changes() of the statement before it, in the same batch).
  const [removed] = await ctx.db.batch([
    ctx.db
      .delete(attachments)
      .where(
        and(
          eq(attachments.id, row.id),
          eq(attachments.associationId, ctx.associationId),
          sql`EXISTS (SELECT 1 FROM ${circulars} c WHERE c.id = ${circular.id} AND c.status = 'draft')`,
        ),
      )
      .returning({ id: attachments.id }),
    auditIfChanged(ctx, "attachment.delete", "circular", circular.id, { attachmentId: row.id, fileName: row.fileName })
      .insert,
  ]);
  if (!happened(removed)) {
    const now = await getCircularRow(ctx, circular.id);
    if (now.status !== "draft") throw published();
    throw errors.notFound("添付ファイル", "attachment");
  }
  await blobs.delete(row.blobKey);
}

/** Removes stored files after their rows are gone (a leftover file is harmless; a row without its file is not). */
export async function deleteBlobs(blobs: BlobStore, keys: string[]) {
  await Promise.all(keys.map((key) => blobs.delete(key)));
}
