import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { associationCtx, LEADERS, originOf, requestCtx, type AppEnv } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
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
  revokeInvite,
} from "./invites.service";
import {
  HouseholdInvitesBody,
  InviteList,
  InvitePreviewSchema,
  InviteQuery,
  IssuedInviteList,
  IssuedInviteSchema,
  JoinBody,
  JoinedSchema,
  StaffInviteBody,
  StaffJoinBody,
  TokenParam,
} from "./invites.schemas";

/** The joining device: its address (throttling) and its browser (the session's label). */
function joinClient(c: Context<AppEnv>) {
  return { clientAddress: clientAddress(c), userAgent: c.req.header("user-agent") ?? "" };
}

const secretOf = (b: { token?: string; code?: string }) => (b.token ? { token: b.token } : { code: b.code ?? "" });

const tags = ["招待 / Invites"];
/** Joining: 404 is a link or code that matches no invite (check the typing), 410 one that has expired or been used. */
const spent = json(ErrorSchema, "招待は期限切れか使用済み / Invite expired, used or cancelled");

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
      request: { body: jsonBody(HouseholdInvitesBody) },
      responses: {
        201: json(IssuedInviteList, "Invites, in the order asked for"),
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
      request: { body: jsonBody(StaffInviteBody) },
      responses: { 201: json(IssuedInviteSchema, "Invite"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await createStaffInviteAsLeader({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("json"), origin: originOf(c) },
        }),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/invites",
      tags,
      summary: "Unused, unexpired invites",
      request: { query: InviteQuery },
      responses: { 200: json(InviteList, "Invites"), ...errorResponses },
    }),
    async (c) =>
      c.json({ invites: await listInvites({ ctx: associationCtx(c, LEADERS), input: c.req.valid("query") }) }, 200),
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
      request: { params: TokenParam },
      responses: { 200: json(InvitePreviewSchema, "Invite preview"), ...errorResponses, 410: spent },
    }),
    async (c) => c.json(await previewInvite({ ctx: requestCtx(c), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/join",
      tags,
      summary: "Join a household with the QR token or the 8-character code; signs this device in",
      request: { body: jsonBody(JoinBody) },
      responses: {
        201: json(JoinedSchema, "Joined"),
        ...errorResponses,
        410: spent,
        429: json(ErrorSchema, "Too many wrong codes"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const joined = await joinHousehold({
        ctx: requestCtx(c),
        input: { ...secretOf(body), ...joinClient(c), displayName: body.displayName },
      });
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
        410: spent,
        429: json(ErrorSchema, "Too many wrong codes"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const joined = await joinAsStaff({
        ctx: requestCtx(c),
        input: {
          ...secretOf(body),
          ...joinClient(c),
          displayName: body.displayName,
          email: body.email,
          password: body.password,
        },
      });
      setSessionCookie(c, joined.token, joined.expiresAt);
      return c.json({ memberId: joined.memberId, role: joined.role, expiresAt: joined.expiresAt.toISOString() }, 201);
    },
  );
