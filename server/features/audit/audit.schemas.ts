// The audit log's query and response schemas.
import { z } from "@hono/zod-openapi";
import { Timestamp } from "../../lib/openapi";

export const Entry = z
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

export const AuditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
export const AuditList = z.object({ entries: z.array(Entry) });

export type AuditEntry = z.output<typeof Entry>;
