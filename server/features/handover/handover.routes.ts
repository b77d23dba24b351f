import { createRoute } from "@hono/zod-openapi";
import { associationCtx, LEADERS, originOf } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
import {
  ChecklistSchema,
  HandoverOverviewSchema,
  PreparedHandoverSchema,
  PrepareHandoverBody,
  TermStartBody,
  TermStartSchema,
} from "./handover.schemas";
import { cancelHandover, getChecklist, getHandoverOverview, prepareHandover, setTermStart } from "./handover.service";

const tags = ["引き継ぎ / Handover"];

export const handoverRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/handover",
      tags,
      summary: "The term (年度), the officers and the handovers prepared",
      responses: { 200: json(HandoverOverviewSchema, "Overview"), ...errorResponses },
    }),
    async (c) => c.json(await getHandoverOverview({ ctx: associationCtx(c, LEADERS) }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/handover",
      tags,
      summary: "Prepare a handover: one staff invite per role (printed as A4 sheets), all or none",
      request: { body: jsonBody(PrepareHandoverBody) },
      responses: {
        201: json(PreparedHandoverSchema, "Invites to print, in the order asked for"),
        ...errorResponses,
        409: json(ErrorSchema, "The outgoing officer already handed over, or a handover is pending"),
      },
    }),
    async (c) =>
      c.json(
        await prepareHandover({
          ctx: associationCtx(c, LEADERS),
          input: { items: c.req.valid("json").items, origin: originOf(c) },
        }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/handover/{id}/cancel",
      tags,
      summary: "Cancel a pending handover and its invite",
      request: { params: IdParam },
      responses: {
        204: { description: "Cancelled" },
        ...errorResponses,
        409: json(ErrorSchema, "Already completed"),
      },
    }),
    async (c) => {
      await cancelHandover({ ctx: associationCtx(c, LEADERS), input: { id: c.req.valid("param").id } });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/handover/term",
      tags,
      summary: "Set the day the association's term (年度) starts, as MM-DD",
      request: { body: jsonBody(TermStartBody) },
      responses: { 200: json(TermStartSchema, "The term now"), ...errorResponses },
    }),
    async (c) => c.json(await setTermStart({ ctx: associationCtx(c, LEADERS), input: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/handover/checklist",
      tags,
      summary: "「はじめに確認すること」: the association's state for a new leader, each line with where to act",
      responses: { 200: json(ChecklistSchema, "Checklist"), ...errorResponses },
    }),
    async (c) => c.json(await getChecklist({ ctx: associationCtx(c, LEADERS) }), 200),
  );
