// Staff passkeys: adding, listing and removing one's own (signed in), and signing in with one (anyone).
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requestCtx, signedInCtx, type AppEnv } from "../../context";
import { createRouter, ErrorSchema, errorResponses, json, jsonBody } from "../../lib/openapi";
import { MeSchema } from "../auth/auth.schemas";
import { setSessionCookie } from "../auth/cookie";
import { clientAddress } from "../auth/middleware";
import {
  CreationOptions,
  PasskeyList,
  PasskeyParam,
  PasskeySchema,
  RegistrationBody,
  RequestOptions,
  SignInBody,
} from "./passkeys.schemas";
import {
  deletePasskey,
  finishRegistration,
  listPasskeys,
  signInWithPasskey,
  startRegistration,
  startSignIn,
} from "./passkeys.service";

const tags = ["パスキー / Passkeys"];

/** The origin this request came to: the relying party when PUBLIC_ORIGIN is not configured (development, tests). */
const requestOrigin = (c: Context<AppEnv>) => new URL(c.req.url).origin;
const userAgent = (c: Context<AppEnv>) => c.req.header("user-agent") ?? "";

export const passkeyRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/passkeys/registration/options",
      tags,
      summary: "Start adding a passkey (staff): options for navigator.credentials.create()",
      responses: { 200: json(CreationOptions, "Creation options with a new challenge"), ...errorResponses },
    }),
    async (c) => {
      const options = await startRegistration({ ctx: signedInCtx(c), input: { requestOrigin: requestOrigin(c) } });
      c.header("Cache-Control", "no-store");
      return c.json(options, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/passkeys",
      tags,
      summary: "Add a passkey (staff): the authenticator's answer to the registration challenge",
      request: { body: jsonBody(RegistrationBody) },
      responses: {
        201: json(PasskeySchema, "Added"),
        ...errorResponses,
        409: json(ErrorSchema, "Already registered"),
      },
    }),
    async (c) => {
      const { response, name } = c.req.valid("json");
      const passkey = await finishRegistration({
        ctx: signedInCtx(c),
        input: { requestOrigin: requestOrigin(c), response, name, userAgent: userAgent(c) },
      });
      return c.json(passkey, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/passkeys",
      tags,
      summary: "My passkeys (staff)",
      responses: { 200: json(PasskeyList, "Passkeys, newest first"), ...errorResponses },
    }),
    async (c) => c.json({ passkeys: await listPasskeys({ ctx: signedInCtx(c) }) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/passkeys/{id}",
      tags,
      summary: "Remove one of my passkeys (staff)",
      request: { params: PasskeyParam },
      responses: { 204: { description: "Removed" }, ...errorResponses },
    }),
    async (c) => {
      await deletePasskey({ ctx: signedInCtx(c), input: { id: c.req.valid("param").id } });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/passkey/options",
      tags,
      summary: "Start signing in with a passkey: options for navigator.credentials.get()",
      responses: { 200: json(RequestOptions, "Request options with a new challenge"), ...errorResponses },
    }),
    async (c) => {
      const options = await startSignIn({
        ctx: requestCtx(c),
        input: { requestOrigin: requestOrigin(c), clientAddress: clientAddress(c) },
      });
      c.header("Cache-Control", "no-store");
      return c.json(options, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/passkey",
      tags,
      summary: "Sign in with a passkey (leaders, block leaders, city staff)",
      request: { body: jsonBody(SignInBody) },
      responses: { 200: json(MeSchema, "Signed in; the session cookie is set"), ...errorResponses },
    }),
    async (c) => {
      const { response } = c.req.valid("json");
      const result = await signInWithPasskey({
        ctx: requestCtx(c),
        input: { requestOrigin: requestOrigin(c), response, userAgent: userAgent(c), clientAddress: clientAddress(c) },
      });
      setSessionCookie(c, result.token, result.expiresAt);
      return c.json(result.me, 200);
    },
  );
