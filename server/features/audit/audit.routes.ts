import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, LEADERS } from "../../context";
import { createRouter, errorResponses, json, Timestamp } from "../../lib/openapi";
import { listAudit } from "./audit";

const Entry = z
  .object({
    id: z.string(),
    action: z.string().openapi({ example: "circular.publish" }),
    targetType: z.string(),
    targetId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    at: Timestamp,
    actorName: z.string().nullable(),
  })
  .openapi("AuditEntry");

export const auditRoutes = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/audit",
    tags: ["記録 / Audit"],
    summary: "What leaders changed in the association, newest first",
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
    responses: { 200: json(z.object({ entries: z.array(Entry) }), "Audit log"), ...errorResponses },
  }),
  async (c) => c.json({ entries: await listAudit({ ctx: associationCtx(c, LEADERS), input: c.req.valid("query") }) }, 200),
);
