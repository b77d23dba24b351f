// The circulars API's request and response schemas, shared by the routes of circulars, attachments, receipts,
// the feed and city circulars, and (as inferred types, `import type` only) by the PWA.
import { z } from "@hono/zod-openapi";
import { AUDIENCES, CIRCULAR_STATUSES, ORIGINS, PRIORITIES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { AskedFields, AskFields, AskUpdateFields } from "../answers/questions";

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
/** The やさしい日本語 version of the body (features/easy-japanese): as long as a body may be; null or "" removes it. */
export const EasyBody = z
  .string()
  .max(20_000)
  .nullable()
  .openapi({ description: "The body in やさしい日本語 (plain Japanese); null or empty: none" });
export const BlockIds = z.array(z.string().min(1).max(64)).max(200);

export const DraftCreate = z
  .strictObject({
    title: Title,
    body: Body,
    easyBody: EasyBody.optional(),
    priority: z.enum(PRIORITIES).default("normal"),
    audience: z.enum(AUDIENCES).default("all"),
    blockIds: BlockIds.default([]),
    dueAt: DueAt.nullable().default(null),
    ...AskFields,
  })
  .refine((v) => v.audience === "all" || v.blockIds.length > 0, {
    message: "配布する班を1つ以上選んでください。",
    path: ["blockIds"],
  })
  .openapi("CircularDraft");

export const DraftUpdate = z
  .strictObject({
    title: Title.optional(),
    body: Body.optional(),
    easyBody: EasyBody.optional(),
    priority: z.enum(PRIORITIES).optional(),
    audience: z.enum(AUDIENCES).optional(),
    blockIds: BlockIds.optional(),
    dueAt: DueAt.nullable().optional(),
    ...AskUpdateFields,
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

export const BlockRef = z.object({ id: z.string(), name: z.string() });

export const SummaryFields = {
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
  origin: z
    .enum(ORIGINS)
    .openapi({ description: '"city": sent by the city (仙台市から); leaders can only add a note' }),
  leaderNote: z.string().nullable().openapi({ description: "The leader's note on a city circular" }),
  blocks: z.array(BlockRef),
  counts: CountsSchema.nullable(),
};

export const PhraseBreaks = z.array(z.number().int()).openapi({
  description:
    "UTF-16 offsets where a line may break between phrases (文節, BudouX): render a <wbr> at each inside word-break: keep-all",
});

export const RubySchema = z.array(z.tuple([z.number().int(), z.number().int(), z.string()])).openapi({
  description:
    "ふりがな: [start, end, reading] with UTF-16 offsets on the text and the reading in hiragana; render <ruby>base<rt>reading</rt></ruby> where the resident chose 「ふりがなを表示」",
});

export const BodyPartSchema = z
  .union([
    z.object({
      type: z.literal("text"),
      text: z.string(),
      breaks: PhraseBreaks.optional(),
      ruby: RubySchema.optional(),
    }),
    z.object({ type: z.literal("link"), text: z.string(), href: z.string() }),
  ])
  .openapi("BodyPart");

/** The やさしい日本語 version in a response: the text, and its parts as for the body; both null when there is none. */
export const EasyFields = {
  easyBody: z.string().nullable(),
  easyBodyParts: z.array(BodyPartSchema).nullable(),
};

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

export const CircularSummarySchema = z.object(SummaryFields).openapi("CircularSummary");
export const CircularSchema = z
  .object({
    ...SummaryFields,
    titleBreaks: PhraseBreaks,
    titleRuby: RubySchema,
    body: z.string(),
    bodyParts: z.array(BodyPartSchema).openapi({ description: "The body as text and safe links, for rendering" }),
    ...EasyFields,
    attachments: z.array(AttachmentSchema),
    ...AskedFields,
  })
  .openapi("Circular");

/** A leader's note on a city circular: at most 200 characters; null or "" removes it. */
export const LEADER_NOTE_MAX = 200;
export const NoteBody = z
  .strictObject({ note: z.string().trim().max(LEADER_NOTE_MAX).nullable() })
  .openapi("CircularNote");

/** `?ruby=1` on a draft: the ふりがな it would be published with, computed now (the leader's preview). */
export const CircularDetailQuery = z.object({
  ruby: z
    .literal("1")
    .optional()
    .openapi({ description: "On a draft: titleRuby and ruby as they would be published (the preview)" }),
});

export const CircularListQuery = z.object({
  status: z.enum(CIRCULAR_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const CircularList = z.object({ circulars: z.array(CircularSummarySchema) });
export const PublishedSchema = z.object({ circular: CircularSchema, audienceSize: z.number().int() });

// What the JSON carries (timestamps as ISO strings), and what a client sends (before zod's defaults and transforms).
export type Counts = z.output<typeof CountsSchema>;
export type BodyPart = z.output<typeof BodyPartSchema>;
export type RubySpans = z.output<typeof RubySchema>;
export type Attachment = z.output<typeof AttachmentSchema>;
export type CircularSummary = z.output<typeof CircularSummarySchema>;
export type Circular = z.output<typeof CircularSchema>;
export type Published = z.output<typeof PublishedSchema>;
export type DraftCreateInput = z.input<typeof DraftCreate>;
export type DraftUpdateInput = z.input<typeof DraftUpdate>;
export type NoteInput = z.input<typeof NoteBody>;
