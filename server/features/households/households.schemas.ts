// Blocks', households' and members' request and response schemas, for the routes and (as inferred types,
// `import type` only) for the PWA's leader screens.
import { z } from "@hono/zod-openapi";
import { CHANNELS, ROLES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";

/** The longest block or household name (also the roster import's limit). */
export const NAME_MAX = 40;
export const Name = z.string().trim().min(1).max(NAME_MAX);

export const BlockSchema = z
  .object({ id: z.string(), name: z.string(), sortOrder: z.number().int(), households: z.number().int() })
  .openapi("Block");
export const BlockCreate = z.strictObject({ name: Name, sortOrder: z.number().int().min(0).max(9999).optional() });
export const BlockUpdate = z.strictObject({
  name: Name.optional(),
  sortOrder: z.number().int().min(0).max(9999).optional(),
});

export const HouseholdSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    blockId: z.string(),
    blockName: z.string(),
    channel: z.enum(CHANNELS),
    joinedAt: Timestamp,
    leftAt: Timestamp.nullable(),
    members: z.number().int(),
    devices: z.number().int().openapi({ description: "Signed-in devices (sessions not expired)" }),
  })
  .openapi("Household");
export const HouseholdCreate = z.strictObject({
  label: Name.openapi({ example: "山田" }),
  blockId: z.string().min(1).max(64),
  channel: z.enum(CHANNELS).default("app"),
});
export const HouseholdUpdate = z.strictObject({
  label: Name.optional(),
  blockId: z.string().min(1).max(64).optional(),
  channel: z.enum(CHANNELS).optional(),
  left: z.boolean().optional().openapi({ description: "true: the household has left the association" }),
});
export const HouseholdQuery = z.object({
  blockId: z.string().max(64).optional(),
  includeLeft: z.enum(["true", "false"]).optional(),
});

export const MemberSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    email: z.string().nullable(),
    householdId: z.string().nullable(),
    blockId: z.string().nullable(),
    disabledAt: Timestamp.nullable(),
    createdAt: Timestamp,
    lastSeenAt: Timestamp.nullable(),
  })
  .openapi("Member");
export const MemberUpdate = z.strictObject({
  displayName: Name.optional(),
  role: z.enum(["resident", "block_leader", "leader"]).optional(),
  blockId: z.string().min(1).max(64).nullable().optional(),
  disabled: z.boolean().optional(),
});

export const BlockList = z.object({ blocks: z.array(BlockSchema) });
export const BlockUpdated = z.object({ id: z.string(), name: z.string(), sortOrder: z.number() });
export const HouseholdList = z.object({ households: z.array(HouseholdSchema) });
export const SessionsEnded = z.object({ ended: z.number().int() });
export const MemberQuery = z.object({ householdId: z.string().max(64).optional() });
export const MemberList = z.object({ members: z.array(MemberSchema) });

// What the JSON carries (timestamps as ISO strings), and what a client sends.
export type Block = z.output<typeof BlockSchema>;
export type Household = z.output<typeof HouseholdSchema>;
export type Member = z.output<typeof MemberSchema>;
export type HouseholdCreateInput = z.input<typeof HouseholdCreate>;
export type HouseholdUpdateInput = z.input<typeof HouseholdUpdate>;
export type MemberUpdateInput = z.input<typeof MemberUpdate>;
