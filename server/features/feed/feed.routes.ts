import { createRoute } from "@hono/zod-openapi";
import { householdCtx } from "../../context";
import { createRouter, errorResponses, IdParam, json } from "../../lib/openapi";
import { AckSchema, FeedCircularSchema, FeedQuery, FeedSchema } from "./feed.schemas";
import { acknowledge, feedItem, listFeed } from "./feed.service";

const tags = ["世帯の回覧 / Household feed"];

export const feedRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/feed",
      tags,
      summary: "My household's circulars: unread first, then newest",
      request: { query: FeedQuery },
      responses: { 200: json(FeedSchema, "Feed"), ...errorResponses },
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
      responses: { 200: json(FeedCircularSchema, "Circular"), ...errorResponses },
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
      responses: { 200: json(AckSchema, "The household's receipt"), ...errorResponses },
    }),
    async (c) => c.json(await acknowledge({ ctx: householdCtx(c), input: c.req.valid("param") }), 200),
  );
