// Web push: the server's public key (the applicationServerKey browsers subscribe with), this member's devices
// and their preference.
import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx } from "../../context";
import { PUSH_MODES, type Role } from "../../db/schema";
import { createRouter, errorResponses, json, jsonBody, Timestamp } from "../../lib/openapi";
import {
  getPreference,
  listSubscriptions,
  setPreference,
  subscribe,
  unsubscribe,
  type SubscriptionView,
} from "./push.service";
import { vapidKeys } from "./vapid";

/** Everyone who belongs to an association can receive its pushes. */
const MEMBERS = ["resident", "block_leader", "leader"] as const satisfies readonly Role[];
const tags = ["通知 / Push"];

const b64u = (octets: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((octets * 4) / 3)}}={0,2}$`));

const SubscribeSchema = z
  .object({
    endpoint: z.url().max(2048),
    keys: z.object({
      p256dh: b64u(65).openapi({ description: "base64url ECDH P-256 public key, uncompressed (65 octets)" }),
      auth: b64u(16).openapi({ description: "base64url auth secret (16 octets)" }),
    }),
    userAgentLabel: z.string().trim().max(60).optional(),
  })
  .openapi("PushSubscribe");

const SubscriptionSchema = z
  .object({ id: z.string(), userAgentLabel: z.string(), createdAt: Timestamp, lastSuccessAt: Timestamp.nullable() })
  .openapi("PushSubscription");

const PreferenceSchema = z.object({ mode: z.enum(PUSH_MODES) }).strict().openapi("PushPreference");

const out = (s: SubscriptionView) => ({
  id: s.id,
  userAgentLabel: s.userAgentLabel,
  createdAt: s.createdAt.toISOString(),
  lastSuccessAt: s.lastSuccessAt?.toISOString() ?? null,
});

const PublicKeySchema = z
  .object({
    publicKey: z.string().openapi({ description: "VAPID public key, base64url uncompressed P-256 point (65 octets)" }),
  })
  .openapi("PushPublicKey");

export const pushRoutes = createRouter()
  .openapi(
  createRoute({
    method: "get",
    path: "/push/public-key",
    tags,
    summary: "The VAPID public key to subscribe with (PushManager.subscribe applicationServerKey)",
    responses: { 200: json(PublicKeySchema, "The key") },
  }),
  async (c) => {
    const { db, config } = c.get("deps");
    const keys = await vapidKeys(db, config);
    // Not cached: if the key changes, devices must see it on their next visit and re-subscribe.
    c.header("Cache-Control", "no-store");
    return c.json({ publicKey: keys.publicKey }, 200);
  },
)
  .openapi(
    createRoute({
      method: "post",
      path: "/push/subscriptions",
      tags,
      summary: "Subscribe this device (PushSubscription.toJSON()); the same endpoint again updates it",
      request: { body: jsonBody(SubscribeSchema) },
      responses: { 201: json(SubscriptionSchema, "Subscribed"), ...errorResponses },
    }),
    async (c) => c.json(out(await subscribe({ ctx: associationCtx(c, MEMBERS), input: c.req.valid("json") })), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/push/subscriptions",
      tags,
      summary: "This member's subscribed devices",
      responses: { 200: json(z.object({ subscriptions: z.array(SubscriptionSchema) }), "Devices"), ...errorResponses },
    }),
    async (c) => {
      const list = await listSubscriptions({ ctx: associationCtx(c, MEMBERS) });
      return c.json({ subscriptions: list.map(out) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/push/subscriptions/{id}",
      tags,
      summary: "Unsubscribe one of this member's devices",
      request: { params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) }) },
      responses: { 204: { description: "Removed" }, ...errorResponses },
    }),
    async (c) => {
      await unsubscribe({ ctx: associationCtx(c, MEMBERS), input: c.req.valid("param") });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/push/preferences",
      tags,
      summary: "What this member wants pushed: all, urgent only, or off (default all)",
      responses: { 200: json(PreferenceSchema, "Preference"), ...errorResponses },
    }),
    async (c) => c.json(await getPreference({ ctx: associationCtx(c, MEMBERS) }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/push/preferences",
      tags,
      summary: "Set what this member wants pushed",
      request: { body: jsonBody(PreferenceSchema) },
      responses: { 200: json(PreferenceSchema, "Preference"), ...errorResponses },
    }),
    async (c) => c.json(await setPreference({ ctx: associationCtx(c, MEMBERS), input: c.req.valid("json") }), 200),
  );
