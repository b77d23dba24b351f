import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { associationCtx, LEADERS, type AppEnv } from "../../context";
import { ROLES } from "../../db/schema";
import { createRouter, ErrorSchema, errorResponses, IdParam, json } from "../../lib/openapi";
import { uploadedFile, uploadRequest, uploadResponses } from "./attachments.schemas";
import { deleteAttachment, findReadableAttachment, uploadAttachment } from "./attachments.service";
import { fileResponse } from "./file-response";

/** Uploads get a larger body limit than JSON routes (app.ts): association and city circulars. */
export const UPLOAD_PATH = /^\/api\/(?:city\/)?circulars\/[^/]+\/attachments$/;

const tags = ["添付ファイル / Attachments"];

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
      request: uploadRequest,
      responses: uploadResponses,
    }),
    async (c) => {
      const input = { circularId: c.req.valid("param").id, ...(await uploadedFile(c.req.valid("form").file)) };
      return c.json(
        await uploadAttachment({ ctx: associationCtx(c, LEADERS), blobs: c.get("deps").blobs, input }),
        201,
      );
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
      await deleteAttachment({
        ctx: associationCtx(c, LEADERS),
        blobs: c.get("deps").blobs,
        input: c.req.valid("param"),
      });
      return c.body(null, 204);
    },
  );
