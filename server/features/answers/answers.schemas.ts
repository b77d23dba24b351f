// The answers API's request and response schemas, for the routes and (as inferred types, `import type` only) for the
// PWA's resident and leader screens.
import { z } from "@hono/zod-openapi";
import { ANSWER_CHANNELS, CHANNELS } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { AnswerValuesSchema, QuestionSchema } from "./questions";

export const AnswerBody = z
  .strictObject({
    answers: AnswerValuesSchema,
    answeredAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "When the answer was made, for one queued offline; the later answer wins" }),
  })
  .openapi("AnswerInput");

export const PaperAnswerBody = z.strictObject({ answers: AnswerValuesSchema }).openapi("PaperAnswerInput");

export const HouseholdAnswerSchema = z
  .object({
    value: AnswerValuesSchema,
    channel: z.enum(ANSWER_CHANNELS),
    answeredAt: Timestamp,
    answeredByName: z.string().nullable(),
  })
  .openapi("HouseholdAnswer");

/** What a household sees of a circular's questions (in the feed item). */
export const HouseholdQuestionsFields = {
  questions: z.array(QuestionSchema),
  anonymous: z.boolean(),
  answer: HouseholdAnswerSchema.nullable(),
  answersOpen: z.boolean().openapi({ description: "Answers can be given or changed (published, before the due date)" }),
};

export const AnswerResultSchema = z
  .object({
    circularId: z.string(),
    accepted: z
      .boolean()
      .openapi({ description: "false: another member of the household answered later; their answer is kept" }),
    answer: HouseholdAnswerSchema,
    readAt: Timestamp.nullable(),
  })
  .openapi("AnswerResult");

const OptionTally = z.object({
  id: z.string(),
  label: z.string(),
  households: z.number().int(),
  amount: z.number().int().openapi({ description: "出欠 「出席」: the people; otherwise 0" }),
});
/** A question's counts: what the city sees too. */
export const QuestionCountsSchema = z
  .object({
    questionId: z.string(),
    answered: z.number().int().openapi({ description: "Households that answered this question" }),
    options: z.array(OptionTally),
    sum: z.number().int().nullable().openapi({ description: "number: the sum of the answers" }),
  })
  .openapi("QuestionCounts");

export const QuestionTallySchema = QuestionCountsSchema.extend({
  texts: z
    .array(z.object({ text: z.string(), label: z.string().nullable() }))
    .openapi({ description: "short text: the answers (label null when 無記名)" }),
}).openapi("QuestionTally");

const ScopeTally = {
  targeted: z.number().int(),
  answered: z.number().int(),
  suppressed: z
    .boolean()
    .openapi({ description: "無記名 with fewer than 5 households answered: no tallies, so none can be told apart" }),
  tallies: z.array(QuestionTallySchema),
};

export const BoardAnswerSchema = z.object({
  householdId: z.string(),
  label: z.string(),
  channel: z.enum(ANSWER_CHANNELS),
  answeredAt: Timestamp,
  value: AnswerValuesSchema,
});

export const AnswerBoardSchema = z
  .object({
    circularId: z.string(),
    anonymous: z.boolean(),
    answersOpen: z.boolean(),
    questions: z.array(QuestionSchema),
    ...ScopeTally,
    blocks: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        ...ScopeTally,
        unanswered: z.array(z.object({ id: z.string(), label: z.string(), householdChannel: z.enum(CHANNELS) })),
        answers: z
          .array(BoardAnswerSchema)
          .openapi({ description: "Each household's answer; always empty when 無記名" }),
      }),
    ),
  })
  .openapi("AnswerBoard");

export type AnswerInput = z.input<typeof AnswerBody>;
export type HouseholdAnswer = z.output<typeof HouseholdAnswerSchema>;
export type AnswerResult = z.output<typeof AnswerResultSchema>;
export type QuestionCounts = z.output<typeof QuestionCountsSchema>;
export type QuestionTally = z.output<typeof QuestionTallySchema>;
export type AnswerBoard = z.output<typeof AnswerBoardSchema>;
