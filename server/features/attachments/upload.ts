// The one upload path of both kinds of circular: an association's draft (attachments) and the city's draft
// (city_attachments). The type is decided by the file's first bytes, the size and count are limited, the bytes go to
// the BlobStore first and the row follows in a guarded INSERT; a blob whose row was not written is removed again.
import { sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { attachments, circulars, cityAttachments, cityCirculars } from "../../db/schema";
import type { BlobStore } from "../../lib/blob-store";
import { errors, ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { auditIfChanged, happened, type AuditAction, type AuditTarget } from "../audit/audit";
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

/** At most `maxBytes`, not empty, and a JPEG, PNG, WebP or PDF by its first bytes. Answers the type found. */
function checkUpload(config: ServiceCtx["config"], bytes: Uint8Array): AllowedType {
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
const tooManyAttachments = (maxPerCircular: number) =>
  errors.conflict(
    `添付ファイルは1つの回覧に${maxPerCircular}つまでです。`,
    `A circular can have at most ${maxPerCircular} attachments.`,
  );

/** Where a file goes: an association's circular (attachments) or a city circular (city_attachments). */
export type UploadScope =
  | { table: typeof attachments; associationId: string; circularId: string }
  | { table: typeof cityAttachments; cityCircularId: string };

const column = (c: { name: string }) => sql.identifier(c.name);

/** What differs between the two tables; everything else of an upload is the same. */
function placeOf(scope: UploadScope) {
  if ("cityCircularId" in scope) {
    const parent = scope.cityCircularId;
    return {
      parent,
      blobKey: (id: string) => `city/${id}`,
      owner: { columns: column(cityAttachments.cityCircularId), values: sql`${parent}` },
      files: sql`(SELECT count(*) FROM ${cityAttachments} f WHERE f.city_circular_id = ${parent})`,
      isDraft: sql`EXISTS (SELECT 1 FROM ${cityCirculars} cc WHERE cc.id = ${parent} AND cc.status = 'draft')`,
    };
  }
  const parent = scope.circularId;
  return {
    parent,
    blobKey: (id: string) => `${scope.associationId}/${id}`,
    owner: {
      columns: sql`${column(attachments.associationId)}, ${column(attachments.circularId)}`,
      values: sql`${scope.associationId}, ${parent}`,
    },
    files: sql`(SELECT count(*) FROM ${attachments} f WHERE f.circular_id = ${parent} AND f.association_id = ${scope.associationId})`,
    isDraft: sql`EXISTS (SELECT 1 FROM ${circulars} c
      WHERE c.id = ${parent} AND c.association_id = ${scope.associationId} AND c.status = 'draft')`,
  };
}

/**
 * Stores an uploaded file on a draft the caller has checked (found, in scope, still a draft) and answers what was
 * stored. `audit`: the action recorded, on the circular, in the same batch as the row. `reload`: the circular as it
 * is now (404 if gone), to tell, when the guarded INSERT wrote nothing, a full draft (409 too many) from one
 * published meanwhile (`notDraft`).
 */
export async function storeUpload({
  ctx,
  blobs,
  scope,
  input,
  audit,
  reload,
  notDraft,
}: {
  ctx: ServiceCtx;
  blobs: BlobStore;
  scope: UploadScope;
  input: { fileName: string; bytes: Uint8Array };
  audit: { action: AuditAction; targetType: AuditTarget };
  reload: () => Promise<{ status: string }>;
  notDraft: () => Error;
}) {
  const place = placeOf(scope);
  const { maxPerCircular } = ctx.config.attachments;
  const type = checkUpload(ctx.config, input.bytes);
  const tooMany = () => tooManyAttachments(maxPerCircular);
  const [count] = await ctx.db.all<{ n: number }>(sql`SELECT ${place.files} AS n`);
  if ((count?.n ?? 0) >= maxPerCircular) throw tooMany();

  const id = newId();
  const blobKey = place.blobKey(id);
  const fileName = cleanFileName(input.fileName, type);
  const size = input.bytes.byteLength;
  await blobs.put(blobKey, input.bytes);
  let inserted: unknown;
  try {
    // The checks above answer the usual case; the INSERT repeats them in the same statement, so that two uploads
    // at once cannot pass the limit together, and an upload racing the publication cannot add to a published
    // circular (a city circular's copies would miss the file).
    [inserted] = await ctx.db.batch([
      ctx.db.run(sql`
        INSERT INTO ${scope.table} (id, ${place.owner.columns}, file_name, content_type, size, blob_key, created_at)
        SELECT ${id}, ${place.owner.values}, ${fileName}, ${type}, ${size}, ${blobKey}, ${ctx.now.getTime()}
        WHERE ${place.isDraft} AND ${place.files} < ${maxPerCircular}`),
      auditIfChanged(ctx, audit.action, audit.targetType, place.parent, { attachmentId: id, fileName, size }).insert,
    ]);
  } catch (e) {
    await blobs.delete(blobKey);
    throw e;
  }
  if (!happened(inserted)) {
    await blobs.delete(blobKey);
    throw (await reload()).status === "draft" ? tooMany() : notDraft();
  }
  return { id, circularId: place.parent, fileName, contentType: type, size };
}
