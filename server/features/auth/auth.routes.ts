import { createRoute } from "@hono/zod-openapi";
import { requestCtx, signedInCtx } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
import { LoginBody, MeSchema, SessionList } from "./auth.schemas";
import { describeMe, endOwnSession, listOwnSessions, login, logout } from "./auth.service";
import { clearSessionCookie, setSessionCookie } from "./cookie";
import { clientAddress } from "./middleware";

const tags = ["ログイン / Auth"];

export const authRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags,
      summary: "Sign in with email and password (leaders, block leaders, city staff)",
      request: { body: jsonBody(LoginBody) },
      responses: {
        200: json(MeSchema, "Signed in; the session cookie is set"),
        ...errorResponses,
        429: json(ErrorSchema, "Too many failed attempts"),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const result = await login({
        ctx: requestCtx(c),
        input: { ...input, clientAddress: clientAddress(c), userAgent: c.req.header("user-agent") ?? "" },
      });
      setSessionCookie(c, result.token, result.expiresAt);
      return c.json(result.me, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      tags,
      summary: "Sign out this device",
      responses: { 204: { description: "Signed out" }, ...errorResponses },
    }),
    async (c) => {
      // Signing out twice, or with an expired cookie, still clears the cookie.
      if (c.get("actor")) await logout({ ctx: signedInCtx(c) });
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/auth/me",
      tags,
      summary: "Who is signed in",
      responses: { 200: json(MeSchema, "The signed-in member"), ...errorResponses },
    }),
    async (c) => c.json(await describeMe({ ctx: signedInCtx(c) }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/auth/sessions",
      tags,
      summary: "My signed-in devices",
      responses: { 200: json(SessionList, "Sessions"), ...errorResponses },
    }),
    async (c) => c.json({ sessions: await listOwnSessions({ ctx: signedInCtx(c) }) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/auth/sessions/{id}",
      tags,
      summary: "End one of my sessions (sign a device out)",
      request: { params: IdParam },
      responses: { 204: { description: "Ended" }, ...errorResponses },
    }),
    async (c) => {
      const ctx = signedInCtx(c);
      const { id } = c.req.valid("param");
      await endOwnSession({ ctx, input: { id } });
      if (id === ctx.actor.sessionId) clearSessionCookie(c);
      return c.body(null, 204);
    },
  );
