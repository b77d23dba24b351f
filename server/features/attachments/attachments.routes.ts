import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, LEADERS, type AppEnv } from "../../context";
import { ROLES } from "../../db/schema";
import { createRouter, ErrorSchema, errorResponses, IdParam, json } from "../../lib/openapi";
import { AttachmentSchema } from "../circulars/circulars.routes";
import { deleteAttachment, findReadableAttachment, uploadAttachment } from "./attachments.service";
import type { Context } from "hono";
import { contentDisposition } from "../../lib/content-disposition";

/** Uploads get a larger body limit than JSON routes (app.ts): association and city circulars. */
export const UPLOAD_PATH = /^\/api\/(?:city\/)?circulars\/[^/]+\/attachments$/;

export const Upload = z.object({
  file: z
    .instanceof(File, { message: "ファイルを選んでください。" })
    .openapi({ type: "string", format: "binary", description: "JPEG, PNG, WebP or PDF, at most 10 MB" }),
});

const tags = ["添付ファイル / Attachments"];

/**
 * A stored file as the response: its type, an inline disposition with the (Japanese) name, and headers that keep
 * anything in it from running script or reaching out. 404 in our error shape if the bytes are missing.
 */
export async function fileResponse(
  c: Context<AppEnv>,
  row: { id: string; blobKey: string; contentType: string; fileName: string },
) {
  const blob = await c.get("deps").blobs.get(row.blobKey);
  if (!blob) {
    console.error(`attachment ${row.id}: blob ${row.blobKey} missing`);
    return c.json(
      {
        error: {
          code: "not_found",
          message: "ファイルが見つかりません。",
          messageEn: "The file is missing.",
          requestId: c.get("requestId") ?? "",
        },
      },
      404,
    );
  }
  const isPdf = row.contentType === "application/pdf";
  return c.body(blob.body as ReadableStream | Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": row.contentType,
    "Content-Length": String(blob.size),
    "Content-Disposition": contentDisposition("inline", row.fileName),
    "X-Content-Type-Options": "nosniff",
    // Nothing in the file may run script or reach out; PDFs need their built-in viewer, images nothing at all.
    "Content-Security-Policy": isPdf
      ? "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
      : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
    "Cache-Control": "private, max-age=86400",
    "Cross-Origin-Resource-Policy": "same-origin",
  });
}

function anyMember(c: Context<AppEnv>) {
  return associationCtx(c, ROLES);
}

export const attachmentRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/circulars/{id}/attachments",
      tags,
      summary: "Attach a photo or PDF to a draft (type checked by its bytes; at most 5 per circular)",
      request: { params: IdParam, body: { content: { "multipart/form-data": { schema: Upload } }, required: true } },
      responses: {
        201: json(AttachmentSchema, "Attached"),
        ...errorResponses,
        409: json(ErrorSchema, "Not a draft, or already 5 attachments"),
        413: json(ErrorSchema, "Larger than 10 MB"),
        415: json(ErrorSchema, "Not a JPEG, PNG, WebP or PDF"),
      },
    }),
    async (c) => {
      const ctx = associationCtx(c, LEADERS);
      const { file } = c.req.valid("form");
      const bytes = new Uint8Array(await file.arrayBuffer());
      const created = await uploadAttachment({
        ctx,
        blobs: c.get("deps").blobs,
        input: { circularId: c.req.valid("param").id, fileName: file.name, bytes },
      });
      return c.json(created, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/attachments/{id}",
      tags,
      summary: "Download an attachment (members who can see its circular)",
      request: { params: IdParam },
      responses: { 200: { description: "The file" }, ...errorResponses },
    }),
    async (c) => {
      const ctx = anyMember(c);
      const row = await findReadableAttachment({ ctx, input: c.req.valid("param") });
      return fileResponse(c, row);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/attachments/{id}",
      tags,
      summary: "Remove an attachment from a draft",
      request: { params: IdParam },
      responses: { 204: { description: "Removed" }, ...errorResponses, 409: json(ErrorSchema, "Not a draft") },
    }),
    async (c) => {
      await deleteAttachment({ ctx: associationCtx(c, LEADERS), blobs: c.get("deps").blobs, input: c.req.valid("param") });
      return c.body(null, 204);
    },
  );
