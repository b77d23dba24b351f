import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { createRouter, ErrorSchema, json } from "../../lib/openapi";

const HealthSchema = z.object({ status: z.literal("ok"), database: z.literal("ok") }).openapi("Health");

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
      await c.get("deps").db.run(sql`SELECT 1`);
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
