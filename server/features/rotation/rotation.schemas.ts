// 班長 rotation's request and response schemas, for the routes and (as inferred types, `import type` only) for the
// leader chunk's 「輪番」 editor and the 「班長になりました」 guide.
import { z } from "@hono/zod-openapi";
import { CHANNELS } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { IssuedInviteSchema } from "../invites/invites.schemas";

/** At most this many households in one block's order (a block is 10–15; large ones stay far below). */
export const MAX_ROTATION_HOUSEHOLDS = 500;

export const BlockParam = z.object({
  blockId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "blockId", in: "path" } }),
});

export const RotationOrderBody = z
  .strictObject({
    households: z
      .array(z.strictObject({ id: z.string().min(1).max(64), exempt: z.boolean().default(false) }))
      .max(MAX_ROTATION_HOUSEHOLDS)
      .openapi({ description: "The block's households in rotation order, first to last, with 免除 (exempt) marks" }),
  })
  .openapi("RotationOrderInput");

export const RotateBody = z
  .strictObject({
    version: z.number().int().min(0).openapi({
      description: "The rotation's version the confirmation showed: a second press with it changes nothing",
    }),
  })
  .openapi("RotateInput");

export const RotationHouseholdSchema = z.object({
  id: z.string(),
  label: z.string(),
  channel: z.enum(CHANNELS),
  exempt: z.boolean(),
  left: z.boolean(),
  members: z.number().int().openapi({ description: "Members who could become 班長" }),
  skip: z.enum(["paper", "exempt", "left", "officer"]).nullable().openapi({
    description: "Why the turn passes it by (紙, 免除, 退会, only officers live there); null: it takes turns",
  }),
});

export const NextTurnSchema = z.object({
  householdId: z.string(),
  label: z.string(),
  memberId: z.string().nullable(),
  memberName: z.string().nullable().openapi({ description: "Who becomes 班長; null: nobody has joined yet (invite)" }),
});

export const RotationSchema = z
  .object({
    blockId: z.string(),
    blockName: z.string(),
    configured: z.boolean().openapi({ description: "The order was saved: the term job rotates this block" }),
    version: z.number().int(),
    awaiting: z.boolean().openapi({ description: "The turn's household has not joined yet: no 班長 until it does" }),
    rotatedAt: Timestamp.nullable(),
    currentHouseholdId: z.string().nullable(),
    leaders: z.array(z.object({ id: z.string(), name: z.string() })),
    households: z.array(RotationHouseholdSchema),
    next: NextTurnSchema.nullable(),
  })
  .openapi("Rotation");

export const RotateResult = z
  .object({
    rotation: RotationSchema,
    invite: IssuedInviteSchema.nullable().openapi({
      description: "The next household's invite to print, if it has no member",
    }),
  })
  .openapi("RotateResult");

export const GuideSchema = z
  .object({
    guide: z
      .object({
        blockId: z.string(),
        blockName: z.string(),
        associationName: z.string(),
        unseen: z.boolean().openapi({ description: "Made 班長 by a rotation and not shown the guide yet" }),
        since: Timestamp.nullable(),
      })
      .nullable(),
  })
  .openapi("HanchoGuide");

export type Rotation = z.output<typeof RotationSchema>;
export type RotationHousehold = z.output<typeof RotationHouseholdSchema>;
export type RotateResultOut = z.output<typeof RotateResult>;
export type HanchoGuide = z.output<typeof GuideSchema>;
