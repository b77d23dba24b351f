// 見守り: the household's own request (resident settings), a leader's record of it for a household, the 「見守り」
// screen of those who look after watched households, and 「様子を確認しました」. Never the city's: every route takes
// the association from the session, and city staff are refused (403).
import { createRoute } from "@hono/zod-openapi";
import { associationCtx, householdCtx, LEADERS, MEMBERS } from "../../context";
import { createRouter, errorResponses, HouseholdParam, json, jsonBody } from "../../lib/openapi";
import { CheckBody, OwnWatchSchema, WatchBody, WatchedHouseholdSchema, WatchListSchema } from "./watch.schemas";
import {
  householdWatch,
  listWatches,
  ownWatch,
  recordCheck,
  removeHouseholdWatch,
  setHouseholdWatch,
  setOwnWatch,
  stopOwnWatch,
} from "./watch.service";

const tags = ["見守り / Watch"];

export const watchRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/watch/mine",
      tags,
      summary: "My household's 見守り (null when not asked)",
      responses: { 200: json(OwnWatchSchema, "Watch"), ...errorResponses },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await ownWatch({ ctx: householdCtx(c) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/watch/mine",
      tags,
      summary:
        "「見守りを希望する」: who watches (the block leader by default, or a named member) and after how many days",
      request: { body: jsonBody(WatchBody) },
      responses: { 200: json(OwnWatchSchema, "Watch"), ...errorResponses },
    }),
    async (c) => c.json(await setOwnWatch({ ctx: householdCtx(c), input: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/watch/mine",
      tags,
      summary: "「見守りをやめる」: the watch and its checks are deleted at once",
      responses: { 200: json(OwnWatchSchema, "No watch"), ...errorResponses },
    }),
    async (c) => c.json(await stopOwnWatch({ ctx: householdCtx(c) }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/watch",
      tags,
      summary:
        "「見守り」: the watched households I look after (leader: all; 班長: their block's and mine; a resident: mine), quiet ones first",
      responses: { 200: json(WatchListSchema, "Watched households"), ...errorResponses },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json({ households: await listWatches({ ctx: associationCtx(c, MEMBERS) }) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/watch/{householdId}/checks",
      tags,
      summary: "「様子を確認しました」: a visit or a call; the notice clears",
      request: { params: HouseholdParam, body: jsonBody(CheckBody) },
      responses: { 200: json(WatchedHouseholdSchema, "The household after it"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await recordCheck({
          ctx: associationCtx(c, MEMBERS),
          input: { ...c.req.valid("json"), householdId: c.req.valid("param").householdId },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/households/{householdId}/watch",
      tags,
      summary: "A household's 見守り (leader)",
      request: { params: HouseholdParam },
      responses: { 200: json(OwnWatchSchema, "Watch"), ...errorResponses },
    }),
    async (c) => c.json(await householdWatch({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/households/{householdId}/watch",
      tags,
      summary: "The leader records a household's 見守り (asked on paper or in person)",
      request: { params: HouseholdParam, body: jsonBody(WatchBody) },
      responses: { 200: json(OwnWatchSchema, "Watch"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await setHouseholdWatch({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("json"), householdId: c.req.valid("param").householdId },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/households/{householdId}/watch",
      tags,
      summary: "The leader stops a household's 見守り",
      request: { params: HouseholdParam },
      responses: { 204: { description: "Stopped" }, ...errorResponses },
    }),
    async (c) => {
      await removeHouseholdWatch({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") });
      return c.body(null, 204);
    },
  );
