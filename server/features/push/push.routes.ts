// Web push: the server's public key (the applicationServerKey browsers subscribe with), this member's devices
// and their preference.
import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, sendQueuedPushes, STAFF } from "../../context";
import { PUSH_MODES, type Role } from "../../db/schema";
import { createRouter, ErrorSchema, errorResponses, IdParam, iso, json, jsonBody, Timestamp } from "../../lib/openapi";
import {
  getPreference,
  listSubscriptions,
  sendTestPush,
  setPreference,
  subscribe,
  unsubscribe,
  type SubscriptionView,
} from "./push.service";
import { circularPushFigures, remindUnread } from "./reminders.service";
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

const TestPushSchema = z.object({ endpoint: z.url().max(2048) }).strict().openapi("PushTest");
const TestPushResultSchema = z
  .object({
    result: z.enum(["sent", "gone", "failed"]).openapi({
      description: "sent: the push service took it; gone: the subscription no longer exists (deleted: subscribe again); failed: refused or unreachable",
    }),
  })
  .openapi("PushTestResult");

const PushFiguresSchema = z
  .object({
    pushes: z.object({ sent: z.number().int(), failed: z.number().int(), waiting: z.number().int() }),
    households: z.object({ targeted: z.number().int(), reachable: z.number().int(), unreachable: z.number().int() }),
    unreachableHouseholds: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        blockId: z.string(),
        blockName: z.string(),
        reason: z.enum(["paper", "no_device", "off"]).openapi({
          description: "paper: the household reads on paper; no_device: no member device subscribed; off: its members turned pushes off (or to urgent only)",
        }),
        read: z.boolean(),
      }),
    ),
    lastReminderAt: Timestamp.nullable(),
    autoReminderAt: Timestamp.nullable(),
  })
  .openapi("CircularPushFigures");

const RemindResultSchema = z
  .object({
    households: z.number().int().openapi({ description: "Unread households a reminder push was queued for" }),
    unread: z.number().int().openapi({ description: "Unread households in scope; the others need a visit or paper" }),
    pushes: z.number().int().openapi({ description: "Pushes queued (one per device)" }),
  })
  .openapi("RemindResult");

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
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/push/test",
      tags,
      summary: "Send a test notification to this member's device (by its endpoint) now",
      request: { body: jsonBody(TestPushSchema) },
      responses: { 200: json(TestPushResultSchema, "What the push service answered"), ...errorResponses },
    }),
    async (c) => {
      const fetch = c.get("deps").pushFetch;
      return c.json(await sendTestPush({ ctx: associationCtx(c, MEMBERS), input: c.req.valid("json"), ...(fetch ? { fetch } : {}) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/circulars/{id}/push",
      tags,
      summary: "Push figures of a circular: sent, failed, waiting, and the households push cannot reach",
      request: { params: IdParam },
      responses: { 200: json(PushFiguresSchema, "Figures"), ...errorResponses },
    }),
    async (c) => {
      const f = await circularPushFigures({ ctx: associationCtx(c, STAFF), input: c.req.valid("param") });
      return c.json({ ...f, lastReminderAt: iso(f.lastReminderAt), autoReminderAt: iso(f.autoReminderAt) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/circulars/{id}/remind",
      tags,
      summary: "Push a reminder to the households that have not read it (a block leader: their block); once an hour",
      request: { params: IdParam },
      responses: {
        200: json(RemindResultSchema, "Queued"),
        ...errorResponses,
        409: json(ErrorSchema, "Not published"),
        429: json(ErrorSchema, "Reminded less than an hour ago (code too_soon, Retry-After)"),
      },
    }),
    async (c) => {
      const queued = await remindUnread({ ctx: associationCtx(c, STAFF), input: c.req.valid("param") });
      sendQueuedPushes(c);
      return c.json(queued, 200);
    },
  );
