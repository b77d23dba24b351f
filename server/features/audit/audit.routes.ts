import { createRoute } from "@hono/zod-openapi";
import { associationCtx, LEADERS } from "../../context";
import { createRouter, errorResponses, json } from "../../lib/openapi";
import { listAudit } from "./audit";
import { AuditList, AuditQuery } from "./audit.schemas";

export const auditRoutes = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/audit",
    tags: ["記録 / Audit"],
    summary: "What leaders changed in the association, newest first",
    request: { query: AuditQuery },
    responses: { 200: json(AuditList, "Audit log"), ...errorResponses },
  }),
  async (c) =>
    c.json({ entries: await listAudit({ ctx: associationCtx(c, LEADERS), input: c.req.valid("query") }) }, 200),
);
