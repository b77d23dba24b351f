import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS, ORIGINS, PRIORITIES } from "../../db/schema";
import { createRouter, errorResponses, IdParam, json, Timestamp } from "../../lib/openapi";
import { AttachmentSchema, BodyPartSchema } from "../circulars/circulars.routes";
import { acknowledge, feedItem, householdCtx, listFeed } from "./feed.service";

const Origin = z
  .enum(ORIGINS)
  .openapi({ description: '"city": sent by the city to every targeted association (shown as 「仙台市から」)' });
const LeaderNote = z
  .string()
  .nullable()
  .openapi({ description: "On a city circular: the association leader's short note, shown on top" });

const FeedEntry = z
  .object({
    id: z.string(),
    title: z.string(),
    priority: z.enum(PRIORITIES),
    from: z.string().openapi({ description: "The association it came through (its name)" }),
    origin: Origin,
    leaderNote: LeaderNote,
    publishedAt: Timestamp.nullable(),
    dueAt: Timestamp.nullable(),
    readAt: Timestamp.nullable(),
    channel: z.enum(CHANNELS).nullable(),
    attachmentCount: z.number().int(),
  })
  .openapi("FeedEntry");

const FeedCircular = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    bodyParts: z.array(BodyPartSchema),
    priority: z.enum(PRIORITIES),
    from: z.string(),
    origin: Origin,
    leaderNote: LeaderNote,
    publishedAt: Timestamp.nullable(),
    dueAt: Timestamp.nullable(),
    readAt: Timestamp.nullable(),
    channel: z.enum(CHANNELS).nullable(),
    attachments: z.array(AttachmentSchema),
  })
  .openapi("FeedCircular");

const Ack = z
  .object({
    circularId: z.string(),
    readAt: Timestamp,
    channel: z.enum(CHANNELS),
    changed: z.boolean().openapi({ description: "false when the household had already acknowledged" }),
  })
  .openapi("Acknowledgement");

const tags = ["世帯の回覧 / Household feed"];

export const feedRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/feed",
      tags,
      summary: "My household's circulars: unread first, then newest",
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }) },
      responses: {
        200: json(z.object({ unread: z.number().int(), circulars: z.array(FeedEntry) }), "Feed"),
        ...errorResponses,
      },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await listFeed({ ctx: householdCtx(c), input: c.req.valid("query") }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/feed/{id}",
      tags,
      summary: "One circular in full, with its body as text and safe links",
      request: { params: IdParam },
      responses: { 200: json(FeedCircular, "Circular"), ...errorResponses },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await feedItem({ ctx: householdCtx(c), input: c.req.valid("param") }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/feed/{id}/ack",
      tags,
      summary: "「確認しました」: acknowledge for the household (idempotent: the first read wins)",
      request: { params: IdParam },
      responses: { 200: json(Ack, "The household's receipt"), ...errorResponses },
    }),
    async (c) => c.json(await acknowledge({ ctx: householdCtx(c), input: c.req.valid("param") }), 200),
  );
