// A city circular's files: added to and removed from drafts only (the upload path is the associations' own,
// attachments/upload.ts); copied, same blob, to every association's copy when the circular is published.
import { and, eq, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { cityAttachments, cityCirculars } from "../../db/schema";
import type { BlobStore } from "../../lib/blob-store";
import { errors } from "../../lib/errors";
import { audit, auditIfChanged, happened } from "../audit/audit";
import { storeUpload } from "../attachments/upload";
import { attachmentUrl, getRow } from "./reading.service";

const attachmentsOnlyOnDrafts = () =>
  errors.conflict(
    "添付ファイルは下書きの市の回覧にだけ追加・削除できます。",
    "Attachments can only be changed on a draft.",
  );

export async function uploadCityAttachment({
  ctx,
  blobs,
  input,
}: {
  ctx: ServiceCtx;
  blobs: BlobStore;
  input: { circularId: string; fileName: string; bytes: Uint8Array };
}) {
  const row = await getRow(ctx, input.circularId);
  if (row.status !== "draft") throw attachmentsOnlyOnDrafts();
  const stored = await storeUpload({
    ctx,
    blobs,
    scope: { table: cityAttachments, cityCircularId: row.id },
    input,
    audit: { action: "city.circular.attachment.create", targetType: "city_circular" },
    reload: () => getRow(ctx, row.id),
    notDraft: attachmentsOnlyOnDrafts,
  });
  return { ...stored, url: attachmentUrl(row.id, stored.id) };
}

async function getAttachment(ctx: ServiceCtx, circularId: string, id: string) {
  const [file] = await ctx.db
    .select()
    .from(cityAttachments)
    .where(and(eq(cityAttachments.id, id), eq(cityAttachments.cityCircularId, circularId)));
  if (!file) throw errors.notFound("添付ファイル", "attachment");
  return file;
}

/** City staff's own view of a file of their circular (residents download their association's copy). */
export async function readCityAttachment({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { circularId: string; id: string };
}) {
  const file = await getAttachment(ctx, input.circularId, input.id);
  await audit(ctx, "city.circular.attachment.view", "city_circular", input.circularId, { attachmentId: file.id });
  return file;
}

export async function deleteCityAttachment({
  ctx,
  blobs,
  input,
}: {
  ctx: ServiceCtx;
  blobs: BlobStore;
  input: { circularId: string; id: string };
}) {
  const row = await getRow(ctx, input.circularId);
  const file = await getAttachment(ctx, row.id, input.id);
  if (row.status !== "draft") throw attachmentsOnlyOnDrafts();
  const [removed] = await ctx.db.batch([
    ctx.db
      .delete(cityAttachments)
      .where(
        and(
          eq(cityAttachments.id, file.id),
          sql`EXISTS (SELECT 1 FROM ${cityCirculars} cc WHERE cc.id = ${row.id} AND cc.status = 'draft')`,
        ),
      )
      .returning({ id: cityAttachments.id }),
    auditIfChanged(ctx, "city.circular.attachment.delete", "city_circular", row.id, {
      attachmentId: file.id,
      fileName: file.fileName,
    }).insert,
  ]);
  if (!happened(removed)) {
    await getAttachment(ctx, row.id, file.id);
    throw attachmentsOnlyOnDrafts();
  }
  // Drafts have no copies yet, so no association's attachment shares this blob.
  await blobs.delete(file.blobKey);
}
