import { createRoute } from "@hono/zod-openapi";
import { nowOf, requireActor } from "../../context";
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
      const { db, config } = c.get("deps");
      const input = c.req.valid("json");
      const result = await login(
        { db, config, now: nowOf(c) },
        { ...input, clientAddress: clientAddress(c), userAgent: c.req.header("user-agent") ?? "" },
      );
      setSessionCookie(c, result.token, result.expiresAt);
      return c.json(await describeMe(db, result.memberId), 200);
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
      const actor = c.get("actor");
      if (actor) await logout(c.get("deps").db, actor.sessionId);
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
    async (c) => c.json(await describeMe(c.get("deps").db, requireActor(c).memberId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/auth/sessions",
      tags,
      summary: "My signed-in devices",
      responses: { 200: json(SessionList, "Sessions"), ...errorResponses },
    }),
    async (c) => c.json({ sessions: await listOwnSessions(c.get("deps").db, requireActor(c), nowOf(c)) }, 200),
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
      const actor = requireActor(c);
      const { id } = c.req.valid("param");
      await endOwnSession(c.get("deps").db, actor, id);
      if (id === actor.sessionId) clearSessionCookie(c);
      return c.body(null, 204);
    },
  );
