// The household feed's response schemas, for the routes and (as inferred types, `import type` only) for the PWA's
// resident screens.
import { z } from "@hono/zod-openapi";
import { CHANNELS, ORIGINS, PRIORITIES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { HouseholdQuestionsFields } from "../answers/answers.schemas";
import { AttachmentSchema, BodyPartSchema, EasyFields, PhraseBreaks, RubySchema } from "../circulars/circulars.schemas";

export const Origin = z
  .enum(ORIGINS)
  .openapi({ description: '"city": sent by the city to every targeted association (shown as 「仙台市から」)' });
export const LeaderNote = z
  .string()
  .nullable()
  .openapi({ description: "On a city circular: the association leader's short note, shown on top" });

export const FeedEntrySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    titleBreaks: PhraseBreaks,
    titleRuby: RubySchema,
    priority: z.enum(PRIORITIES),
    from: z.string().openapi({ description: "The association it came through (its name)" }),
    origin: Origin,
    leaderNote: LeaderNote,
    publishedAt: Timestamp.nullable(),
    dueAt: Timestamp.nullable(),
    readAt: Timestamp.nullable(),
    channel: z.enum(CHANNELS).nullable(),
    attachmentCount: z.number().int(),
    needsAnswer: z.boolean().openapi({
      description: "「回答してください」: it has questions, takes answers, and the household has not answered",
    }),
  })
  .openapi("FeedEntry");

export const FeedCircularSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    titleBreaks: PhraseBreaks,
    titleRuby: RubySchema,
    body: z.string(),
    bodyParts: z.array(BodyPartSchema),
    ...EasyFields,
    priority: z.enum(PRIORITIES),
    from: z.string(),
    origin: Origin,
    leaderNote: LeaderNote,
    publishedAt: Timestamp.nullable(),
    dueAt: Timestamp.nullable(),
    readAt: Timestamp.nullable(),
    channel: z.enum(CHANNELS).nullable(),
    attachments: z.array(AttachmentSchema),
    ...HouseholdQuestionsFields,
  })
  .openapi("FeedCircular");

export const AckSchema = z
  .object({
    circularId: z.string(),
    readAt: Timestamp,
    channel: z.enum(CHANNELS),
    changed: z.boolean().openapi({ description: "false when the household had already acknowledged" }),
  })
  .openapi("Acknowledgement");

export const FeedQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });
export const FeedSchema = z.object({ unread: z.number().int(), circulars: z.array(FeedEntrySchema) });

// What the JSON carries: timestamps as ISO strings.
export type Feed = z.output<typeof FeedSchema>;
export type FeedEntry = z.output<typeof FeedEntrySchema>;
export type FeedCircular = z.output<typeof FeedCircularSchema>;
export type Ack = z.output<typeof AckSchema>;
