// The 安否確認 and 要支援 API's request and response schemas, for the routes and (as inferred types, `import type`
// only) for the PWA's resident and leader screens.
import { z } from "@hono/zod-openapi";
import { ANSWER_CHANNELS, ORIGINS, SUPPORT_NEEDS } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { SAFETY_MESSAGE_MAX, SAFETY_NEEDS, SAFETY_PEOPLE } from "./safety-questions";
import { TEXT_MAX } from "../answers/answer-rules";

export const StartSafetyBody = z
  .strictObject({
    message: z.string().max(SAFETY_MESSAGE_MAX).optional().openapi({
      description: "Shown on the banner and in the notification; 「地震がありました。ご無事ですか？」 if empty",
    }),
    drill: z
      .boolean()
      .default(false)
      .openapi({ description: "訓練: marked on every screen and kept out of real figures" }),
  })
  .openapi("StartSafetyCheck");

export const CountsSchema = z.object({
  targeted: z.number().int(),
  answered: z.number().int(),
  safe: z.number().int(),
  help: z.number().int(),
  unanswered: z.number().int(),
});

export const SafetyCheckSchema = z
  .object({
    id: z.string(),
    message: z.string(),
    drill: z.boolean(),
    origin: z.enum(ORIGINS).openapi({ description: '"city": started by the city for every targeted association' }),
    open: z.boolean(),
    startedAt: Timestamp,
    closedAt: Timestamp.nullable(),
    counts: CountsSchema,
  })
  .openapi("SafetyCheck");

export const StartedSchema = z.object({ check: SafetyCheckSchema, households: z.number().int() });
export const SafetyListSchema = z.object({ checks: z.array(SafetyCheckSchema) });
export const SafetyAudienceSchema = z.object({
  households: z.number().int().openapi({ description: "Households a new check would reach" }),
  open: z.boolean().openapi({ description: "A check is open already (a new one cannot start)" }),
});

const Need = z.enum(SAFETY_NEEDS);

export const SafetyAnswerSchema = z.object({
  state: z.enum(["safe", "help"]),
  needs: z.array(Need),
  note: z.string(),
  people: z.number().int().nullable(),
  channel: z.enum(ANSWER_CHANNELS),
  answeredAt: Timestamp,
});

export const SupportEntrySchema = z
  .object({
    needs: z.array(z.enum(SUPPORT_NEEDS)),
    note: z.string(),
    consent: z.enum(["app", "paper"]),
    supporters: z.array(z.object({ id: z.string(), name: z.string() })),
    updatedAt: Timestamp,
  })
  .openapi("SupportEntry");

export const BoardHouseholdSchema = z.object({
  id: z.string(),
  label: z.string(),
  paper: z.boolean().openapi({ description: "The household reads on paper" }),
  noDevice: z.boolean().openapi({ description: "No member has a device a push reaches" }),
  answer: SafetyAnswerSchema.extend({ answeredByName: z.string().nullable() }).nullable(),
  absentAt: Timestamp.nullable().openapi({ description: "A visit found nobody (不在), after the last answer" }),
  support: SupportEntrySchema.nullable().openapi({ description: "要支援 (pinned first); seeing it is audited" }),
});

export const SafetyBoardSchema = z
  .object({
    check: SafetyCheckSchema,
    needHelp: z.array(BoardHouseholdSchema.extend({ blockName: z.string() })),
    blocks: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        help: z.array(BoardHouseholdSchema),
        unanswered: z.array(BoardHouseholdSchema),
        safe: z.array(BoardHouseholdSchema),
      }),
    ),
  })
  .openapi("SafetyBoard");

export const VisitBody = z
  .strictObject({
    state: z.enum(["safe", "help", "absent"]).openapi({ description: "無事 / 助けが必要 / 不在" }),
    channel: z.enum(["visit", "phone"]).default("visit"),
    needs: z.array(Need).max(SAFETY_NEEDS.length).optional(),
    note: z.string().max(TEXT_MAX).optional(),
    people: z.number().int().min(SAFETY_PEOPLE.min).max(SAFETY_PEOPLE.max).nullable().optional(),
  })
  .openapi("SafetyVisit");

export const SafetyReportSchema = z
  .object({
    check: SafetyCheckSchema,
    within: z.object({ h1: z.number().int(), h3: z.number().int(), h24: z.number().int() }),
    byChannel: z.object({
      app: z.number().int(),
      visit: z.number().int(),
      phone: z.number().int(),
      paper: z.number().int(),
    }),
    overTime: z.array(z.object({ hour: z.number().int(), answered: z.number().int() })),
  })
  .openapi("SafetyReport");

export const HouseholdSafetySchema = z
  .object({
    checks: z.array(
      z.object({
        id: z.string(),
        message: z.string(),
        drill: z.boolean(),
        origin: z.enum(ORIGINS),
        startedAt: Timestamp,
        answer: SafetyAnswerSchema.nullable(),
      }),
    ),
  })
  .openapi("HouseholdSafety");

// ---------- 要支援 ----------

export const SupportBody = z
  .strictObject({
    needs: z.array(z.enum(SUPPORT_NEEDS)).max(SUPPORT_NEEDS.length),
    note: z.string().max(TEXT_MAX).default(""),
    supporterIds: z.array(z.string().min(1).max(64)).max(10).default([]),
    consent: z.literal(true).openapi({ description: "The household agrees to be on the register (required)" }),
  })
  .openapi("SupportInput");

export const OwnSupportSchema = z.object({
  entry: SupportEntrySchema.nullable(),
  supporting: z
    .number()
    .int()
    .openapi({ description: "How many households named this member as a supporter (their entries: GET /api/support)" }),
});
export const HouseholdSupportSchema = z.object({ entry: SupportEntrySchema.nullable() });
export const SupportListSchema = z.object({
  households: z.array(
    SupportEntrySchema.extend({
      householdId: z.string(),
      label: z.string(),
      blockId: z.string(),
      blockName: z.string(),
    }),
  ),
});
export const SupportCandidatesSchema = z.object({
  members: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
});

export type SafetyCheck = z.output<typeof SafetyCheckSchema>;
export type SafetyBoard = z.output<typeof SafetyBoardSchema>;
export type SafetyReport = z.output<typeof SafetyReportSchema>;
export type HouseholdSafety = z.output<typeof HouseholdSafetySchema>;
export type SupportEntryOut = z.output<typeof SupportEntrySchema>;
export type SupportList = z.output<typeof SupportListSchema>;
export type OwnSupport = z.output<typeof OwnSupportSchema>;
