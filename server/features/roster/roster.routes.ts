import { createRoute } from "@hono/zod-openapi";
import { associationCtx, LEADERS } from "../../context";
import { contentDisposition } from "../../lib/content-disposition";
import { createRouter, ErrorSchema, errorResponses, json } from "../../lib/openapi";
import { csvDocument, csvResponse, sendCsv } from "../city/csv";
import { RosterApplied, RosterApply, RosterExportQuery, RosterPreviewSchema, RosterUpload } from "./roster.schemas";
import { applyRoster, previewRoster, rosterRows, rosterXlsx } from "./roster.service";

/** The roster's uploads get the larger body limit of file uploads (app.ts). */
export const ROSTER_UPLOAD_PATH = /^\/api\/roster\/(?:preview|apply)$/;

const tags = ["名簿 / Roster"];
const bytesOf = async (file: File) => new Uint8Array(await file.arrayBuffer());

export const rosterRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/roster/preview",
      tags,
      summary: "What a 名簿 file would change (households to add, to change, missing; errors by row). Changes nothing.",
      request: { body: { content: { "multipart/form-data": { schema: RosterUpload } }, required: true } },
      responses: { 200: json(RosterPreviewSchema, "The preview"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await previewRoster({
          ctx: associationCtx(c, LEADERS),
          input: { bytes: await bytesOf(c.req.valid("form").file) },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/roster/apply",
      tags,
      summary: "Apply a previewed 名簿 file in one batch (audited)",
      request: { body: { content: { "multipart/form-data": { schema: RosterApply } }, required: true } },
      responses: {
        200: json(RosterApplied, "Applied"),
        ...errorResponses,
        409: json(ErrorSchema, "The roster changed since the preview"),
      },
    }),
    async (c) => {
      const form = c.req.valid("form");
      const leave = (form.leave ?? "").split(",").filter((id) => id !== "");
      const input = { bytes: await bytesOf(form.file), token: form.token, leave };
      return c.json(await applyRoster({ ctx: associationCtx(c, LEADERS), input }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/roster/export",
      tags,
      summary: "The roster in the import's format: .xlsx, or CSV (UTF-8 with BOM)",
      request: { query: RosterExportQuery },
      responses: {
        200: {
          content: {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
              schema: { type: "string", format: "binary" },
            },
            "text/csv": csvResponse.content["text/csv"],
          },
          description: "The roster",
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const ctx = associationCtx(c, LEADERS);
      if (c.req.valid("query").format === "csv") return sendCsv(c, "名簿", csvDocument(await rosterRows({ ctx })));
      return c.body(await rosterXlsx({ ctx }), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": contentDisposition("attachment", "名簿.xlsx"),
        "Cache-Control": "no-store",
      });
    },
  );
