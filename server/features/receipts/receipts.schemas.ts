// The receipt board's response schemas, for the routes and (as inferred types, `import type` only) for the PWA's
// leader screens.
import { z } from "@hono/zod-openapi";
import { CHANNELS, CIRCULAR_STATUSES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { CountsSchema as Counts } from "../circulars/circulars.schemas";

export const BoardHousehold = z.object({
  id: z.string(),
  label: z.string(),
  householdChannel: z.enum(CHANNELS),
  readAt: Timestamp.nullable(),
  channel: z.enum(CHANNELS).nullable(),
  readByName: z.string().nullable(),
  pushReachable: z.boolean().openapi({
    description:
      "A push for this circular would reach the household now: a member's subscribed device whose notification setting lets it through (what 「未確認の世帯に再通知」 sends to)",
  }),
});

export const BoardSchema = z
  .object({
    circular: z.object({
      id: z.string(),
      title: z.string(),
      status: z.enum(CIRCULAR_STATUSES),
      publishedAt: Timestamp.nullable(),
      dueAt: Timestamp.nullable(),
    }),
    counts: Counts,
    blocks: z.array(
      z.object({ id: z.string(), name: z.string(), counts: Counts, households: z.array(BoardHousehold) }),
    ),
  })
  .openapi("ReceiptBoard");

export const ReceiptSchema = z
  .object({
    householdId: z.string(),
    readAt: Timestamp.nullable(),
    channel: z.enum(CHANNELS).nullable(),
    readByName: z.string().nullable(),
  })
  .openapi("Receipt");

export const Params = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
  householdId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "householdId", in: "path" } }),
});
export const BoardParams = z.object({ id: Params.shape.id });

// What the JSON carries: timestamps as ISO strings.
export type BoardHousehold = z.output<typeof BoardHousehold>;
export type Board = z.output<typeof BoardSchema>;
export type BoardBlock = Board["blocks"][number];
export type Receipt = z.output<typeof ReceiptSchema>;
