import { createRoute } from "@hono/zod-openapi";
import { createRouter, ErrorSchema, json } from "../../lib/openapi";
import { HealthSchema } from "./health.schemas";
import { checkDatabase } from "./health.service";

export const healthRoutes = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["運用 / Operations"],
    summary: "Liveness, including a query against the database",
    responses: { 200: json(HealthSchema, "Healthy"), 503: json(ErrorSchema, "Database unreachable") },
  }),
  async (c) => {
    try {
      await checkDatabase({ ctx: { db: c.get("deps").db } });
    } catch (e) {
      console.error("health: database check failed", e);
      return c.json(
        {
          error: {
            code: "service_unavailable",
            message: "データベースに接続できません。",
            messageEn: "The database is unreachable.",
            requestId: c.get("requestId") ?? "",
          },
        },
        503,
      );
    }
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok" as const, database: "ok" as const }, 200);
  },
);
