// 引き継ぎ's request and response schemas, for the routes and (as inferred types, `import type` only) for the PWA.
import { z } from "@hono/zod-openapi";
import { HANDOVER_ROLES, ROLES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { IssuedInviteSchema } from "../invites/invites.schemas";
import { MAX_HANDOVER_ITEMS } from "./handover.service";

const Id = z.string().min(1).max(64);

export const TermSchema = z
  .object({
    startDate: z.string().openapi({ example: "2026-04-01", description: "First day (JST)" }),
    endDate: z.string().openapi({ example: "2027-03-31", description: "Last day (JST)" }),
    year: z.number().int().openapi({ example: 2026, description: "The 年度 by the year it starts in" }),
  })
  .openapi("Term");

export const OfficerSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    blockId: z.string().nullable(),
    blockName: z.string().nullable(),
    readOnlyUntil: Timestamp.nullable().openapi({ description: "Outgoing (前会長): read-only until then" }),
    isMe: z.boolean(),
  })
  .openapi("Officer");

export const HandoverSchema = z
  .object({
    id: z.string(),
    role: z.enum(HANDOVER_ROLES),
    blockId: z.string().nullable(),
    blockName: z.string().nullable(),
    outgoingMemberId: z.string().nullable(),
    outgoingName: z.string().nullable(),
    successorName: z.string().nullable(),
    status: z.enum(["pending", "expired", "completed", "cancelled"]),
    termStartDate: z.string(),
    createdAt: Timestamp,
    inviteExpiresAt: Timestamp.nullable(),
    completedAt: Timestamp.nullable(),
    cancelledAt: Timestamp.nullable(),
    readOnlyUntil: Timestamp.nullable(),
  })
  .openapi("Handover");

export const HandoverOverviewSchema = z
  .object({
    termStart: z.string().openapi({ example: "04-01" }),
    term: TermSchema,
    handoverTerm: TermSchema.openapi({ description: "The term a handover prepared now is for" }),
    officers: z.array(OfficerSchema),
    handovers: z.array(HandoverSchema),
  })
  .openapi("HandoverOverview");

export const HandoverItem = z.strictObject({
  role: z.enum(HANDOVER_ROLES),
  blockId: Id.optional(),
  outgoingMemberId: Id.nullable().optional().openapi({ description: "The officer stepping down, if any" }),
});

export const PrepareHandoverBody = z
  .strictObject({ items: z.array(HandoverItem).min(1).max(MAX_HANDOVER_ITEMS) })
  .openapi("PrepareHandoverRequest");

export const PreparedHandoverSchema = z
  .object({ handoverIds: z.array(z.string()), invites: z.array(IssuedInviteSchema), term: TermSchema })
  .openapi("PreparedHandover");

export const TermStartBody = z
  .strictObject({
    termStart: z
      .string()
      .regex(/^\d{2}-\d{2}$/)
      .openapi({ example: "04-01" }),
  })
  .openapi("TermStartRequest");

export const TermStartSchema = z.object({ termStart: z.string(), term: TermSchema }).openapi("TermStart");

export const CHECKLIST_KEYS = [
  "blocks",
  "households",
  "paperHouseholds",
  "unusedInvites",
  "circularsDue",
  "pushReach",
  "pendingHandovers",
] as const;

export const ChecklistSchema = z
  .object({
    term: TermSchema,
    lines: z.array(
      z.object({
        key: z.enum(CHECKLIST_KEYS),
        count: z.number().int(),
        total: z.number().int().nullable(),
        href: z.string(),
      }),
    ),
  })
  .openapi("HandoverChecklist");

export type Term = z.output<typeof TermSchema>;
export type Officer = z.output<typeof OfficerSchema>;
export type Handover = z.output<typeof HandoverSchema>;
export type HandoverOverview = z.output<typeof HandoverOverviewSchema>;
export type PreparedHandover = z.output<typeof PreparedHandoverSchema>;
export type PrepareHandoverInput = z.input<typeof PrepareHandoverBody>;
export type Checklist = z.output<typeof ChecklistSchema>;
export type ChecklistKey = (typeof CHECKLIST_KEYS)[number];
