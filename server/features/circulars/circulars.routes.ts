import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, LEADERS, sendQueuedPushes, STAFF } from "../../context";
import { AUDIENCES, CIRCULAR_STATUSES, ORIGINS, PRIORITIES } from "../../db/schema";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody, Timestamp } from "../../lib/openapi";
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

/**
 * A due date: a full ISO date-time, or a plain date meaning the end of that day in Japan (23:59 JST).
 * The plain date is first turned into that date-time, so that one check (with one field-named message,
 * 「確認期限は日時の形式で…」) covers both forms; a union would fail with zod's bare "Invalid input".
 */
export const DueAt = z
  .preprocess(
    (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59.999+09:00` : v),
    z.iso.datetime({ offset: true }),
  )
  .transform((v) => new Date(v))
  .openapi({ type: "string", example: "2026-12-01", description: "ISO date (end of that day, JST) or date-time" });

export const Title = z.string().trim().min(1).max(120);
export const Body = z.string().min(1).max(20_000);
const BlockIds = z.array(z.string().min(1).max(64)).max(200);

const DraftCreate = z
  .strictObject({
    title: Title,
    body: Body,
    priority: z.enum(PRIORITIES).default("normal"),
    audience: z.enum(AUDIENCES).default("all"),
    blockIds: BlockIds.default([]),
    dueAt: DueAt.nullable().default(null),
  })
  .refine((v) => v.audience === "all" || v.blockIds.length > 0, {
    message: "配布する班を1つ以上選んでください。",
    path: ["blockIds"],
  })
  .openapi("CircularDraft");

const DraftUpdate = z
  .strictObject({
    title: Title.optional(),
    body: Body.optional(),
    priority: z.enum(PRIORITIES).optional(),
    audience: z.enum(AUDIENCES).optional(),
    blockIds: BlockIds.optional(),
    dueAt: DueAt.nullable().optional(),
  })
  .openapi("CircularDraftUpdate");

export const CountsSchema = z
  .object({
    targeted: z.number().int(),
    read: z.number().int(),
    unread: z.number().int(),
    readByApp: z.number().int(),
    readByPaper: z.number().int(),
    rate: z.number().openapi({ description: "read / targeted, 0..1" }),
  })
  .openapi("ReceiptCounts");

const BlockRef = z.object({ id: z.string(), name: z.string() });

const SummaryFields = {
  id: z.string(),
  title: z.string(),
  priority: z.enum(PRIORITIES),
  audience: z.enum(AUDIENCES),
  status: z.enum(CIRCULAR_STATUSES),
  authorName: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: Timestamp.nullable(),
  dueAt: Timestamp.nullable(),
  withdrawnAt: Timestamp.nullable(),
  origin: z.enum(ORIGINS).openapi({ description: '"city": sent by the city (仙台市から); leaders can only add a note' }),
  leaderNote: z.string().nullable().openapi({ description: "The leader's note on a city circular" }),
  blocks: z.array(BlockRef),
  counts: CountsSchema.nullable(),
};

export const BodyPartSchema = z
  .union([
    z.object({ type: z.literal("text"), text: z.string() }),
    z.object({ type: z.literal("link"), text: z.string(), href: z.string() }),
  ])
  .openapi("BodyPart");

export const AttachmentSchema = z
  .object({
    id: z.string(),
    circularId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    url: z.string(),
  })
  .openapi("Attachment");

const CircularSummarySchema = z.object(SummaryFields).openapi("CircularSummary");
const CircularSchema = z
  .object({
    ...SummaryFields,
    body: z.string(),
    bodyParts: z.array(BodyPartSchema).openapi({ description: "The body as text and safe links, for rendering" }),
    attachments: z.array(AttachmentSchema),
  })
  .openapi("Circular");

/** A leader's note on a city circular: at most 200 characters; null or "" removes it. */
export const LEADER_NOTE_MAX = 200;
const NoteBody = z
  .strictObject({ note: z.string().trim().max(LEADER_NOTE_MAX).nullable() })
  .openapi("CircularNote");

const tags = ["回覧 / Circulars"];

export const circularRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/circulars",
      tags,
      summary: "The association's circulars with read counts (block leaders: those reaching their block)",
      request: {
        query: z.object({
          status: z.enum(CIRCULAR_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: { 200: json(z.object({ circulars: z.array(CircularSummarySchema) }), "Circulars"), ...errorResponses },
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
      request: { params: IdParam },
      responses: { 200: json(CircularSchema, "Circular"), ...errorResponses },
    }),
    async (c) => c.json(await circularDetail(associationCtx(c, STAFF), c.req.valid("param").id), 200),
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
      c.json(await updateDraft({ ctx: associationCtx(c, LEADERS), input: { ...c.req.valid("json"), ...c.req.valid("param") } }), 200),
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
        200: json(z.object({ circular: CircularSchema, audienceSize: z.number().int() }), "Published"),
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
        await setLeaderNote({ ctx: associationCtx(c, LEADERS), input: { ...c.req.valid("param"), note: c.req.valid("json").note } }),
        200,
      ),
  );
