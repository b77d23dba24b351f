// Invites' and joining's request and response schemas, for the routes and (as inferred types, `import type` only)
// for the PWA.
import { z } from "@hono/zod-openapi";
import { INVITE_KINDS, ROLES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";
import { MAX_INVITES_PER_REQUEST } from "./invites.service";

export const IssuedInviteSchema = z
  .object({
    id: z.string(),
    kind: z.enum(INVITE_KINDS),
    token: z.string().openapi({ description: "Shown once; only its hash is stored" }),
    code: z.string().openapi({ example: "K7MP3QXR" }),
    codeDisplay: z.string().openapi({ example: "K7MP-3QXR" }),
    url: z.string(),
    qrSvg: z.string().openapi({ description: "The QR code of `url`, as an SVG document" }),
    expiresAt: Timestamp,
    householdId: z.string().nullable(),
    householdLabel: z.string().nullable(),
    associationName: z.string(),
  })
  .openapi("IssuedInvite");

export const InviteSchema = z
  .object({
    id: z.string(),
    kind: z.enum(INVITE_KINDS),
    householdId: z.string().nullable(),
    householdLabel: z.string().nullable(),
    blockId: z.string().nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
  })
  .openapi("Invite");

const Secret = {
  token: z.string().min(16).max(128).optional(),
  code: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .openapi({ description: "Spaces, hyphens, lower case and full-width accepted" }),
};
const secretGiven = (v: { token?: string; code?: string }) => !!v.token !== !!v.code;
const secretMessage = { message: "招待リンクか招待コードのどちらかを送ってください。", path: ["code"] };

export const JoinBody = z
  .strictObject({ ...Secret, displayName: z.string().trim().max(40).optional() })
  .refine(secretGiven, secretMessage)
  .openapi("JoinRequest");
export const StaffJoinBody = z
  .strictObject({
    ...Secret,
    displayName: z.string().trim().min(1).max(40),
    email: z.email().max(254),
    password: z.string().min(8).max(200),
  })
  .refine(secretGiven, secretMessage)
  .openapi("StaffJoinRequest");

export const JoinedSchema = z
  .object({ memberId: z.string(), role: z.enum(ROLES), expiresAt: Timestamp })
  .openapi("Joined");

export const HouseholdInvitesBody = z.strictObject({
  householdIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_INVITES_PER_REQUEST),
});
export const IssuedInviteList = z.object({ invites: z.array(IssuedInviteSchema) });
export const StaffInviteBody = z.strictObject({
  kind: z.enum(["leader", "block_leader"]),
  blockId: z.string().min(1).max(64).optional(),
});
export const InviteQuery = z.object({ householdId: z.string().max(64).optional() });
export const InviteList = z.object({ invites: z.array(InviteSchema) });
export const TokenParam = z.object({
  token: z
    .string()
    .min(16)
    .max(128)
    .openapi({ param: { name: "token", in: "path" } }),
});
export const InvitePreviewSchema = z.object({
  kind: z.enum(INVITE_KINDS),
  associationName: z.string(),
  householdLabel: z.string().nullable(),
  blockName: z.string().nullable(),
  expiresAt: Timestamp,
});

// What the JSON carries (timestamps as ISO strings), and what a client sends.
export type IssuedInvite = z.output<typeof IssuedInviteSchema>;
export type Invite = z.output<typeof InviteSchema>;
export type InvitePreview = z.output<typeof InvitePreviewSchema>;
export type Joined = z.output<typeof JoinedSchema>;
export type JoinInput = z.input<typeof JoinBody>;
export type StaffJoinInput = z.input<typeof StaffJoinBody>;
