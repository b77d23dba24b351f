// The city circulars API's request and response schemas (docs/adr/0005), for the routes and (as inferred types,
// `import type` only) for the PWA's city screens.
import { z } from "@hono/zod-openapi";
import { Format } from "../city/city.schemas";
import { CIRCULAR_STATUSES, PRIORITIES } from "../../db/schema";
import { IdParam, Timestamp } from "../../lib/openapi";
import { QuestionCountsSchema } from "../answers/answers.schemas";
import { AskedFields, AskFields, AskUpdateFields, QuestionSchema } from "../answers/questions";
import {
  AttachmentSchema,
  Body,
  BodyPartSchema,
  DueAt,
  EasyBody,
  EasyFields,
  Title,
} from "../circulars/circulars.schemas";

export const TargetIds = z.array(z.string().min(1).max(64)).min(1).max(2000);

/** Whole city, or chosen wards, districts or associations (ids checked to exist). */
export const Target = z
  .discriminatedUnion("scope", [
    z.strictObject({ scope: z.literal("city") }),
    z.strictObject({ scope: z.enum(["wards", "districts", "associations"]), ids: TargetIds }),
  ])
  .openapi("CityTarget", { example: { scope: "wards", ids: ["k3m9x2c7v4b8n6q1w5e0r2t4ya"] } });

export const DraftCreate = z
  .strictObject({
    title: Title,
    body: Body,
    easyBody: EasyBody.optional(),
    priority: z.enum(PRIORITIES).default("normal"),
    dueAt: DueAt.nullable().default(null),
    target: Target,
    ...AskFields,
  })
  .openapi("CityCircularDraft");

export const DraftUpdate = z
  .strictObject({
    title: Title.optional(),
    body: Body.optional(),
    easyBody: EasyBody.optional(),
    priority: z.enum(PRIORITIES).optional(),
    dueAt: DueAt.nullable().optional(),
    target: Target.optional(),
    ...AskUpdateFields,
  })
  .openapi("CityCircularDraftUpdate");

export const NameRef = z.object({ id: z.string(), name: z.string() });

export const Reach = z
  .object({
    associations: z.number().int().openapi({ description: "Associations that received a copy" }),
    suppressed: z.boolean().openapi({ description: "Fewer than 5 households: the figures below are null" }),
    households: z.number().int().nullable(),
    read: z.number().int().nullable(),
    readRate: z.number().nullable().openapi({ description: "read / households, 0..1" }),
  })
  .openapi("CityCircularReach");

export const SummaryFields = {
  id: z.string(),
  title: z.string(),
  priority: z.enum(PRIORITIES),
  status: z.enum(CIRCULAR_STATUSES),
  target: z.union([
    z.object({ scope: z.literal("city") }),
    z.object({ scope: z.enum(["wards", "districts", "associations"]), ids: z.array(z.string()) }),
  ]),
  targetNames: z.array(NameRef).openapi({ description: "The chosen wards, districts or associations, by name" }),
  authorName: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: Timestamp.nullable(),
  dueAt: Timestamp.nullable(),
  withdrawnAt: Timestamp.nullable(),
  reach: Reach.nullable().openapi({ description: "While published: how far it went (aggregates only)" }),
};

export const CityCircularSummarySchema = z.object(SummaryFields).openapi("CityCircularSummary");
export const CityCircularSchema = z
  .object({
    ...SummaryFields,
    body: z.string(),
    bodyParts: z.array(BodyPartSchema),
    ...EasyFields,
    attachments: z.array(AttachmentSchema),
    ...AskedFields,
  })
  .openapi("CityCircular");

export const FigureFields = {
  suppressed: z.boolean().openapi({ description: "Fewer than 5 targeted households: every figure is null" }),
  targeted: z.number().int().nullable(),
  read: z.number().int().nullable(),
  read24hRate: z.number().nullable(),
  read72hRate: z.number().nullable(),
  readByDueRate: z.number().nullable().openapi({ description: "null without a due date" }),
};

const CircularHead = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(CIRCULAR_STATUSES),
  publishedAt: Timestamp.nullable(),
  dueAt: Timestamp.nullable(),
});

/**
 * A city circular's figures by area (city-circulars/areas.ts, areaFigures): the total, each ward, district and
 * association, each with `fields` — the read figures, or a survey's tallies.
 */
function byArea<F extends z.ZodRawShape>(fields: F) {
  return {
    total: z.object({ associations: z.number().int(), ...fields }),
    wards: z.array(z.object({ id: z.string(), name: z.string(), ...fields })),
    districts: z.array(
      z.object({ id: z.string(), name: z.string(), wardId: z.string(), wardName: z.string(), ...fields }),
    ),
    associations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        districtId: z.string(),
        districtName: z.string(),
        wardId: z.string(),
        wardName: z.string(),
        ...fields,
      }),
    ),
  };
}

export const Figures = z.object({ circular: CircularHead, ...byArea(FigureFields) }).openapi("CityCircularFigures");

const AnswerFigureFields = {
  suppressed: z
    .boolean()
    .openapi({ description: "Fewer than 5 targeted or answering households: every figure is null or empty" }),
  targeted: z.number().int().nullable(),
  answered: z.number().int().nullable(),
  tallies: z.array(QuestionCountsSchema),
};

/** A city survey's tallies by area (the shape of Figures, with tallies in place of read figures). */
export const CityAnswers = z
  .object({
    circular: CircularHead,
    anonymous: z.boolean(),
    questions: z.array(QuestionSchema),
    ...byArea(AnswerFigureFields),
  })
  .openapi("CityCircularAnswers");

export const AttachmentParams = z.object({
  id: IdParam.shape.id,
  attachmentId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "attachmentId", in: "path" } }),
});

export const CityCircularListQuery = z.object({
  status: z.enum(CIRCULAR_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const CityCircularList = z.object({ circulars: z.array(CityCircularSummarySchema) });
export const CityPublishedSchema = z.object({
  circular: CityCircularSchema,
  associations: z.number().int(),
  households: z.number().int().nullable().openapi({ description: "null under 5 (suppressed)" }),
});
export const FiguresQuery = z.object({ format: Format });

// What the JSON carries (timestamps as ISO strings), and what a client sends (before zod's defaults and transforms).
export type CityTarget = z.output<typeof Target>;
export type CityReach = z.output<typeof Reach>;
export type CityCircularSummary = z.output<typeof CityCircularSummarySchema>;
export type CityCircular = z.output<typeof CityCircularSchema>;
export type CityPublished = z.output<typeof CityPublishedSchema>;
export type CityCircularFigures = z.output<typeof Figures>;
export type CityCircularAnswers = z.output<typeof CityAnswers>;
export type CityDraftCreateInput = z.input<typeof DraftCreate>;
export type CityDraftUpdateInput = z.input<typeof DraftUpdate>;

// ---------- a city 安否確認 (safety.service.ts) ----------

export const CitySafetyStart = z
  .strictObject({
    message: z.string().max(200).optional(),
    drill: z.boolean().default(false),
    target: Target,
  })
  .openapi("CitySafetyStart");

export const CitySafetyHead = z.object({
  id: z.string(),
  message: z.string(),
  drill: z.boolean(),
  open: z.boolean(),
  startedAt: Timestamp,
  closedAt: Timestamp.nullable(),
});

const SafetyFigureFields = {
  suppressed: z.boolean().openapi({
    description: "Closed checks only: fewer than 5 targeted or answering households (every count null)",
  }),
  targeted: z.number().int().nullable(),
  answered: z.number().int().nullable(),
  safe: z.number().int().nullable(),
  help: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Needing help: shown unsuppressed while the check is open" }),
  unanswered: z.number().int().nullable(),
};

export const CitySafetyLive = z
  .object({ check: CitySafetyHead, refreshSeconds: z.number().int(), ...byArea(SafetyFigureFields) })
  .openapi("CitySafetyLive");
export const CitySafetyList = z.object({ checks: z.array(CitySafetyHead) });
export type CitySafetyLiveOut = z.output<typeof CitySafetyLive>;
