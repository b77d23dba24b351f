// 班長 rotation (輪番): the leader's 「輪番」 editor on each block (the order, 免除, 「次の班長へ」) and the new 班長's
// 「班長になりました」 guide. The association always comes from the session; another association's block is 404.
import { createRoute } from "@hono/zod-openapi";
import { associationCtx, LEADERS, MEMBERS, originOf, sendQueuedPushes } from "../../context";
import { createRouter, ErrorSchema, errorResponses, json, jsonBody } from "../../lib/openapi";
import {
  BlockParam,
  GuideSchema,
  RotateBody,
  RotateResult,
  RotationOrderBody,
  RotationSchema,
} from "./rotation.schemas";
import { getRotation, markGuideSeen, myGuide, rotateNext, setRotationOrder } from "./rotation.service";

const tags = ["輪番 / Rotation"];

export const rotationRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/blocks/{blockId}/rotation",
      tags,
      summary: "A block's rotation: households in order (skipped ones and why), the 班長, who is next",
      request: { params: BlockParam },
      responses: { 200: json(RotationSchema, "Rotation"), ...errorResponses },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await getRotation({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/blocks/{blockId}/rotation",
      tags,
      summary: "Save the order and the 免除 marks; from then on the term change rotates the block",
      request: { params: BlockParam, body: jsonBody(RotationOrderBody) },
      responses: { 200: json(RotationSchema, "Rotation"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await setRotationOrder({
          ctx: associationCtx(c, LEADERS),
          input: { blockId: c.req.valid("param").blockId, households: c.req.valid("json").households },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/blocks/{blockId}/rotation/next",
      tags,
      summary: "「次の班長へ」: the role moves to the next household (or its invite is made, to print)",
      request: { params: BlockParam, body: jsonBody(RotateBody) },
      responses: {
        200: json(RotateResult, "Rotated"),
        ...errorResponses,
        409: json(ErrorSchema, "Already rotated (another press), no order yet, or no household can take the turn"),
      },
    }),
    async (c) => {
      const result = await rotateNext({
        ctx: associationCtx(c, LEADERS),
        input: { blockId: c.req.valid("param").blockId, version: c.req.valid("json").version, origin: originOf(c) },
      });
      sendQueuedPushes(c);
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/rotation/guide",
      tags,
      summary: "「班長になりました」: the signed-in 班長's block, and whether the guide is still to be shown",
      responses: { 200: json(GuideSchema, "Guide"), ...errorResponses },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await myGuide({ ctx: associationCtx(c, MEMBERS) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/rotation/guide/seen",
      tags,
      summary: "The guide was shown: it no longer opens by itself",
      responses: { 200: json(GuideSchema, "Guide"), ...errorResponses },
    }),
    async (c) => c.json(await markGuideSeen({ ctx: associationCtx(c, MEMBERS) }), 200),
  );
