import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { associationCtx, LEADERS, nowOf, type AppEnv } from "../../context";
import { INVITE_KINDS, ROLES } from "../../db/schema";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody, Timestamp } from "../../lib/openapi";
import { setSessionCookie } from "../auth/cookie";
import { clientAddress } from "../auth/middleware";
import {
  createHouseholdInvite,
  createHouseholdInvites,
  createStaffInviteAsLeader,
  joinAsStaff,
  joinHousehold,
  listInvites,
  previewInvite,
  MAX_INVITES_PER_REQUEST,
  revokeInvite,
} from "./invites.service";

const IssuedInviteSchema = z
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

const InviteSchema = z
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
  code: z.string().min(1).max(40).optional().openapi({ description: "Spaces, hyphens, lower case and full-width accepted" }),
};
const secretGiven = (v: { token?: string; code?: string }) => !!v.token !== !!v.code;
const secretMessage = { message: "招待リンクか招待コードのどちらかを送ってください。", path: ["code"] };

const JoinBody = z
  .strictObject({ ...Secret, displayName: z.string().trim().max(40).optional() })
  .refine(secretGiven, secretMessage)
  .openapi("JoinRequest");
const StaffJoinBody = z
  .strictObject({
    ...Secret,
    displayName: z.string().trim().min(1).max(40),
    email: z.email().max(254),
    password: z.string().min(8).max(200),
  })
  .refine(secretGiven, secretMessage)
  .openapi("StaffJoinRequest");

const JoinedSchema = z.object({ memberId: z.string(), role: z.enum(ROLES), expiresAt: Timestamp }).openapi("Joined");

function originOf(c: Context<AppEnv>): string {
  return c.get("deps").config.publicOrigin ?? new URL(c.req.url).origin;
}

function joinDeps(c: Context<AppEnv>) {
  const { db, config } = c.get("deps");
  return { db, config, now: nowOf(c), clientAddress: clientAddress(c), userAgent: c.req.header("user-agent") ?? "" };
}

const secretOf = (b: { token?: string; code?: string }) => (b.token ? { token: b.token } : { code: b.code ?? "" });

const tags = ["招待 / Invites"];

export const inviteRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/households/{id}/invites",
      tags,
      summary: "Create a household invite: QR code (SVG) and short code, valid 14 days, single use",
      request: { params: IdParam },
      responses: { 201: json(IssuedInviteSchema, "Invite"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await createHouseholdInvite({
          ctx: associationCtx(c, LEADERS),
          input: { householdId: c.req.valid("param").id, origin: originOf(c) },
        }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invites/households",
      tags,
      summary: "Create one household invite for each of several households (for printing invite sheets); all or none",
      request: {
        body: jsonBody(
          z.strictObject({ householdIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_INVITES_PER_REQUEST) }),
        ),
      },
      responses: {
        201: json(z.object({ invites: z.array(IssuedInviteSchema) }), "Invites, in the order asked for"),
        ...errorResponses,
        409: json(ErrorSchema, "A household has left the association"),
      },
    }),
    async (c) =>
      c.json(
        {
          invites: await createHouseholdInvites({
            ctx: associationCtx(c, LEADERS),
            input: { householdIds: c.req.valid("json").householdIds, origin: originOf(c) },
          }),
        },
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invites/staff",
      tags,
      summary: "Invite a leader or block leader (they set their email and password when joining)",
      request: {
        body: jsonBody(
          z.strictObject({ kind: z.enum(["leader", "block_leader"]), blockId: z.string().min(1).max(64).optional() }),
        ),
      },
      responses: { 201: json(IssuedInviteSchema, "Invite"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await createStaffInviteAsLeader({ ctx: associationCtx(c, LEADERS), input: { ...c.req.valid("json"), origin: originOf(c) } }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/invites",
      tags,
      summary: "Unused, unexpired invites",
      request: { query: z.object({ householdId: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ invites: z.array(InviteSchema) }), "Invites"), ...errorResponses },
    }),
    async (c) => c.json({ invites: await listInvites({ ctx: associationCtx(c, LEADERS), input: c.req.valid("query") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/invites/{id}",
      tags,
      summary: "Cancel an unused invite",
      request: { params: IdParam },
      responses: { 204: { description: "Cancelled" }, ...errorResponses },
    }),
    async (c) => {
      await revokeInvite({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/join/{token}",
      tags,
      summary: "What an invite link is for (association, household), without using it",
      request: { params: z.object({ token: z.string().min(16).max(128).openapi({ param: { name: "token", in: "path" } }) }) },
      responses: {
        200: json(
          z.object({
            kind: z.enum(INVITE_KINDS),
            associationName: z.string(),
            householdLabel: z.string().nullable(),
            blockName: z.string().nullable(),
            expiresAt: Timestamp,
          }),
          "Invite preview",
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await previewInvite(c.get("deps").db, c.req.valid("param").token, nowOf(c)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/join",
      tags,
      summary: "Join a household with the QR token or the 8-character code; signs this device in",
      request: { body: jsonBody(JoinBody) },
      responses: { 201: json(JoinedSchema, "Joined"), ...errorResponses, 429: json(ErrorSchema, "Too many wrong codes") },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const joined = await joinHousehold(joinDeps(c), { ...secretOf(body), displayName: body.displayName });
      setSessionCookie(c, joined.token, joined.expiresAt);
      return c.json({ memberId: joined.memberId, role: joined.role, expiresAt: joined.expiresAt.toISOString() }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/join/staff",
      tags,
      summary: "Accept a leader or block leader invite, setting email and password",
      request: { body: jsonBody(StaffJoinBody) },
      responses: {
        201: json(JoinedSchema, "Joined"),
        ...errorResponses,
        409: json(ErrorSchema, "Email already registered"),
        429: json(ErrorSchema, "Too many wrong codes"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const joined = await joinAsStaff(joinDeps(c), {
        ...secretOf(body),
        displayName: body.displayName,
        email: body.email,
        password: body.password,
      });
      setSessionCookie(c, joined.token, joined.expiresAt);
      return c.json({ memberId: joined.memberId, role: joined.role, expiresAt: joined.expiresAt.toISOString() }, 201);
    },
  );
