// Attachments: photos or PDFs of the paper notice. Stored through the BlobStore, served only to members who can
// see the circular.
import { and, count, eq, sql } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { attachments, auditLog, circulars, receipts } from "../../db/schema";
import type { BlobStore } from "../../lib/blob-store";
import { errors, ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { getCircularRow, refuseCityCircular } from "../circulars/circulars.service";
import { EXTENSION, sniffType, type AllowedType } from "./sniff";

/** The extensions a file of each type may already carry. */
const ALIASES: Record<keyof typeof EXTENSION, string[]> = {
  "image/jpeg": ["jpg", "jpeg", "jpe", "jfif"],
  "image/png": ["png"],
  "image/webp": ["webp"],
  "application/pdf": ["pdf"],
};
const KNOWN = new Set(Object.values(ALIASES).flat());

/**
 * Keeps a readable name for the download; strips paths and control characters. The extension always agrees with
 * the type found in the bytes: a PDF uploaded as 「x.html」 must not be saved to disk as an HTML page.
 */
export function cleanFileName(name: string, type: keyof typeof EXTENSION): string {
  const base = (name.split(/[\\/]/).pop() ?? "")
    .normalize("NFC")
    // oxlint-disable-next-line no-control-regex -- control characters are exactly what this removes
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "")
    .trim()
    .slice(0, 100);
  const ext = EXTENSION[type];
  if (!base) return `attachment.${ext}`;
  const current = base.match(/\.([a-z0-9]{2,5})$/i)?.[1]?.toLowerCase();
  if (current && ALIASES[type].includes(current)) return base;
  // A wrong extension of an allowed type is replaced (「写真.jpg」 that is a PNG: 「写真.png」); any other one stays
  // in the name and the right one follows (「x.html」 that is a PDF: 「x.html.pdf」).
  const stem = current && KNOWN.has(current) ? base.slice(0, -current.length - 1) : base;
  return `${stem || "attachment"}.${ext}`;
}

const notDraft = () =>
  errors.conflict("添付ファイルは下書きの回覧にだけ追加できます。", "Attachments can only be added to a draft.");

/**
 * The checks every upload passes (association and city circulars alike): at most `maxBytes`, not empty, and a JPEG,
 * PNG, WebP or PDF by its first bytes. Answers the type found.
 */
export function checkUpload(config: AssociationCtx["config"], bytes: Uint8Array): AllowedType {
  const { maxBytes } = config.attachments;
  if (bytes.byteLength > maxBytes)
    throw new ServiceError(
      "payload_too_large",
      `ファイルが大きすぎます。${Math.round(maxBytes / 1024 / 1024)}MB以下にしてください。`,
      `The file is too large. The limit is ${Math.round(maxBytes / 1024 / 1024)} MB.`,
    );
  if (bytes.byteLength === 0) throw errors.validation("ファイルが空です。", "The file is empty.");
  const type = sniffType(bytes);
  if (!type)
    throw new ServiceError(
      "unsupported_media_type",
      "添付できるのは写真（JPEG・PNG・WebP）と PDF だけです。",
      "Only JPEG, PNG, WebP images and PDF files can be attached.",
    );
  return type;
}

/** 「添付ファイルは1つの回覧に5つまでです。」 */
export const tooManyAttachments = (maxPerCircular: number) =>
  errors.conflict(
    `添付ファイルは1つの回覧に${maxPerCircular}つまでです。`,
    `A circular can have at most ${maxPerCircular} attachments.`,
  );

async function countAttachments(ctx: AssociationCtx, circularId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(attachments)
    .where(and(eq(attachments.circularId, circularId), eq(attachments.associationId, ctx.associationId)));
  return row?.n ?? 0;
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
  refuseCityCircular(circular);
  if (circular.status !== "draft") throw notDraft();
  const { maxPerCircular } = ctx.config.attachments;
  const type = checkUpload(ctx.config, input.bytes);
  const tooMany = () => tooManyAttachments(maxPerCircular);
  if ((await countAttachments(ctx, circular.id)) >= maxPerCircular) throw tooMany();

  const id = newId();
  const blobKey = `${ctx.associationId}/${id}`;
  const fileName = cleanFileName(input.fileName, type);
  const size = input.bytes.byteLength;
  await blobs.put(blobKey, input.bytes);
  try {
    // The checks above answer the usual case; the INSERT repeats them in the same statement, so that two uploads
    // at once cannot pass 5 together, and an upload racing the publication cannot add to a published circular.
    const at = ctx.now.getTime();
    await ctx.db.batch([
      ctx.db.run(sql`
        INSERT INTO ${attachments} (id, association_id, circular_id, file_name, content_type, size, blob_key, created_at)
        SELECT ${id}, ${ctx.associationId}, ${circular.id}, ${fileName}, ${type}, ${size}, ${blobKey}, ${at}
        WHERE EXISTS (SELECT 1 FROM ${circulars} c
                      WHERE c.id = ${circular.id} AND c.association_id = ${ctx.associationId} AND c.status = 'draft')
          AND (SELECT count(*) FROM ${attachments} a WHERE a.circular_id = ${circular.id}) < ${maxPerCircular}`),
      ctx.db.run(sql`
        INSERT INTO ${auditLog} (id, association_id, actor_id, action, target_type, target_id, detail, at)
        SELECT ${newId()}, ${ctx.associationId}, ${ctx.actor.memberId}, 'attachment.create', 'circular', ${circular.id},
               ${JSON.stringify({ attachmentId: id, fileName, size })}, ${at}
        WHERE EXISTS (SELECT 1 FROM ${attachments} a WHERE a.id = ${id})`),
    ]);
  } catch (e) {
    await blobs.delete(blobKey);
    throw e;
  }
  const [stored] = await ctx.db.select({ id: attachments.id }).from(attachments).where(eq(attachments.id, id));
  if (!stored) {
    await blobs.delete(blobKey);
    const now = await getCircularRow(ctx, circular.id);
    throw now.status === "draft" ? tooMany() : notDraft();
  }
  return { id, circularId: circular.id, fileName, contentType: type, size, url: `/api/attachments/${id}` };
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
  refuseCityCircular(circular);
  const published = () =>
    errors.conflict("配布済みの回覧の添付ファイルは削除できません。", "Attachments of a published circular cannot be removed.");
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
    ctx.db.run(sql`
      INSERT INTO ${auditLog} (id, association_id, actor_id, action, target_type, target_id, detail, at)
      SELECT ${newId()}, ${ctx.associationId}, ${ctx.actor.memberId}, 'attachment.delete', 'circular', ${circular.id},
             ${JSON.stringify({ attachmentId: row.id, fileName: row.fileName })}, ${ctx.now.getTime()}
      WHERE changes() > 0`),
  ]);
  if (removed.length === 0) {
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
