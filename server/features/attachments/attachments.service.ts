// Attachments: photos or PDFs of the paper notice. Stored through the BlobStore, served only to members who can
// see the circular.
import { and, count, eq } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { attachments, circulars, receipts } from "../../db/schema";
import type { BlobStore } from "../../lib/blob-store";
import { errors, ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { audit } from "../audit/audit";
import { getCircularRow } from "../circulars/circulars.service";
import { EXTENSION, sniffType } from "./sniff";

/** Keeps a readable name for the download; strips paths and control characters. */
export function cleanFileName(name: string, type: keyof typeof EXTENSION): string {
  const base = (name.split(/[\\/]/).pop() ?? "")
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "")
    .trim()
    .slice(0, 100);
  const ext = EXTENSION[type];
  if (!base) return `attachment.${ext}`;
  return /\.[a-z0-9]{2,5}$/i.test(base) ? base : `${base}.${ext}`;
}

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
  if (circular.status !== "draft")
    throw errors.conflict(
      "添付ファイルは下書きの回覧にだけ追加できます。",
      "Attachments can only be added to a draft.",
    );
  const { maxBytes, maxPerCircular } = ctx.config.attachments;
  if (input.bytes.byteLength > maxBytes)
    throw new ServiceError(
      "payload_too_large",
      `ファイルが大きすぎます。${Math.round(maxBytes / 1024 / 1024)}MB以下にしてください。`,
      `The file is too large. The limit is ${Math.round(maxBytes / 1024 / 1024)} MB.`,
    );
  if (input.bytes.byteLength === 0) throw errors.validation("ファイルが空です。", "The file is empty.");
  const type = sniffType(input.bytes);
  if (!type)
    throw new ServiceError(
      "unsupported_media_type",
      "添付できるのは写真（JPEG・PNG・WebP）と PDF だけです。",
      "Only JPEG, PNG, WebP images and PDF files can be attached.",
    );
  const [existing] = await ctx.db
    .select({ n: count() })
    .from(attachments)
    .where(and(eq(attachments.circularId, circular.id), eq(attachments.associationId, ctx.associationId)));
  if ((existing?.n ?? 0) >= maxPerCircular)
    throw errors.conflict(
      `添付ファイルは1つの回覧に${maxPerCircular}つまでです。`,
      `A circular can have at most ${maxPerCircular} attachments.`,
    );

  const id = newId();
  const blobKey = `${ctx.associationId}/${id}`;
  const fileName = cleanFileName(input.fileName, type);
  await blobs.put(blobKey, input.bytes);
  try {
    await ctx.db.batch([
      ctx.db.insert(attachments).values({
        id,
        associationId: ctx.associationId,
        circularId: circular.id,
        fileName,
        contentType: type,
        size: input.bytes.byteLength,
        blobKey,
        createdAt: ctx.now,
      }),
      audit(ctx, "attachment.create", "circular", circular.id, { attachmentId: id, fileName, size: input.bytes.byteLength }),
    ]);
  } catch (e) {
    await blobs.delete(blobKey);
    throw e;
  }
  return { id, circularId: circular.id, fileName, contentType: type, size: input.bytes.byteLength, url: `/api/attachments/${id}` };
}

/**
 * The attachment if the actor may see it: staff through the circular's own visibility rules; a household only for
 * a published circular it received. Anything else is 404, never 403, so ids reveal nothing.
 */
export async function findReadableAttachment(ctx: AssociationCtx, id: string) {
  const [row] = await ctx.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.associationId, ctx.associationId)));
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

export async function deleteAttachment({ ctx, blobs, input }: { ctx: AssociationCtx; blobs: BlobStore; input: { id: string } }) {
  const row = await findReadableAttachment(ctx, input.id);
  const circular = await getCircularRow(ctx, row.circularId);
  if (circular.status !== "draft")
    throw errors.conflict("配布済みの回覧の添付ファイルは削除できません。", "Attachments of a published circular cannot be removed.");
  await ctx.db.batch([
    ctx.db.delete(attachments).where(and(eq(attachments.id, row.id), eq(attachments.associationId, ctx.associationId))),
    audit(ctx, "attachment.delete", "circular", circular.id, { attachmentId: row.id, fileName: row.fileName }),
  ]);
  await blobs.delete(row.blobKey);
}

/** Removes stored files after their rows are gone (a leftover file is harmless; a row without its file is not). */
export async function deleteBlobs(blobs: BlobStore, keys: string[]) {
  await Promise.all(keys.map((key) => blobs.delete(key)));
}
