import { createRoute } from "@hono/zod-openapi";
import { associationCtx, LEADERS, sendQueuedPushes, STAFF } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
import { deleteBlobs } from "../attachments/attachments.service";
import {
  circularDetail,
  createDraft,
  deleteDraft,
  listCirculars,
  publishCircular,
  setLeaderNote,
  updateDraft,
  withdrawCircular,
} from "./circulars.service";
import {
  CircularDetailQuery,
  CircularList,
  CircularListQuery,
  CircularSchema,
  DraftCreate,
  DraftUpdate,
  NoteBody,
  PublishedSchema,
} from "./circulars.schemas";

const tags = ["回覧 / Circulars"];

export const circularRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/circulars",
      tags,
      summary: "The association's circulars with read counts (block leaders: those reaching their block)",
      request: { query: CircularListQuery },
      responses: { 200: json(CircularList, "Circulars"), ...errorResponses },
    }),
    async (c) =>
      c.json({ circulars: await listCirculars({ ctx: associationCtx(c, STAFF), input: c.req.valid("query") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/circulars",
      tags,
      summary: "Create a draft",
      request: { body: jsonBody(DraftCreate) },
      responses: { 201: json(CircularSchema, "Draft created"), ...errorResponses },
    }),
    async (c) => c.json(await createDraft({ ctx: associationCtx(c, LEADERS), input: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/circulars/{id}",
      tags,
      summary: "One circular as its leaders see it",
      request: { params: IdParam, query: CircularDetailQuery },
      responses: { 200: json(CircularSchema, "Circular"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await circularDetail({
          ctx: associationCtx(c, STAFF),
          input: { ...c.req.valid("param"), ruby: c.req.valid("query").ruby === "1" },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/circulars/{id}",
      tags,
      summary: "Edit a draft",
      request: { params: IdParam, body: jsonBody(DraftUpdate) },
      responses: {
        200: json(CircularSchema, "Draft updated"),
        ...errorResponses,
        409: json(ErrorSchema, "Not a draft, or sent by the city"),
      },
    }),
    async (c) =>
      c.json(
        await updateDraft({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("json"), ...c.req.valid("param") },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/circulars/{id}",
      tags,
      summary: "Delete a draft and its attachments",
      request: { params: IdParam },
      responses: {
        204: { description: "Deleted" },
        ...errorResponses,
        409: json(ErrorSchema, "Not a draft, or sent by the city"),
      },
    }),
    async (c) => {
      const removed = await deleteDraft({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") });
      await deleteBlobs(c.get("deps").blobs, removed);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/circulars/{id}/publish",
      tags,
      summary: "Publish a draft: one receipt per targeted household, in the same batch",
      request: { params: IdParam },
      responses: {
        200: json(PublishedSchema, "Published"),
        ...errorResponses,
        409: json(ErrorSchema, "Already published, or sent by the city"),
      },
    }),
    async (c) => {
      const published = await publishCircular({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") });
      sendQueuedPushes(c);
      return c.json(published, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/circulars/{id}/withdraw",
      tags,
      summary: "Withdraw a published circular (residents no longer see it; receipts are kept)",
      request: { params: IdParam },
      responses: {
        200: json(CircularSchema, "Withdrawn"),
        ...errorResponses,
        409: json(ErrorSchema, "Not published, or sent by the city"),
      },
    }),
    async (c) => c.json(await withdrawCircular({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/circulars/{id}/note",
      tags,
      summary: "Add, change or remove the leader's note on a circular the city sent (at most 200 characters)",
      request: { params: IdParam, body: jsonBody(NoteBody) },
      responses: {
        200: json(CircularSchema, "Note saved"),
        ...errorResponses,
        409: json(ErrorSchema, "Not a city circular, or withdrawn"),
      },
    }),
    async (c) =>
      c.json(
        await setLeaderNote({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("param"), note: c.req.valid("json").note },
        }),
        200,
      ),
  );
