// Web push: the server's public key (the applicationServerKey browsers subscribe with), this member's devices
// and their preference.
import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, MEMBERS, sendQueuedPushes, STAFF } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, iso, json, jsonBody } from "../../lib/openapi";
import {
  PreferenceSchema,
  PublicKeySchema,
  PushFiguresSchema,
  RemindResultSchema,
  SubscribeSchema,
  SubscriptionList,
  SubscriptionParam,
  SubscriptionSchema,
  TestPushResultSchema,
  TestPushSchema,
} from "./push.schemas";
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
const tags = ["通知 / Push"];

const out = (s: SubscriptionView) => ({
  id: s.id,
  userAgentLabel: s.userAgentLabel,
  createdAt: s.createdAt.toISOString(),
  lastSuccessAt: s.lastSuccessAt?.toISOString() ?? null,
});

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
      responses: { 200: json(SubscriptionList, "Devices"), ...errorResponses },
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
      request: { params: SubscriptionParam },
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
      return c.json(
        await sendTestPush({
          ctx: associationCtx(c, MEMBERS),
          input: c.req.valid("json"),
          ...(fetch ? { fetch } : {}),
        }),
        200,
      );
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
      summary:
        "Push a reminder to the households that have not read it, or (to=unanswered) not answered its questions (a block leader: their block); once an hour",
      request: {
        params: IdParam,
        query: z.object({
          to: z
            .enum(["unread", "unanswered"])
            .default("unread")
            .openapi({ description: "unanswered: 「未回答の世帯に再通知」" }),
        }),
      },
      responses: {
        200: json(RemindResultSchema, "Queued"),
        ...errorResponses,
        409: json(ErrorSchema, "Not published"),
        429: json(ErrorSchema, "Reminded less than an hour ago (code too_soon, Retry-After)"),
      },
    }),
    async (c) => {
      const queued = await remindUnread({
        ctx: associationCtx(c, STAFF),
        input: { ...c.req.valid("param"), to: c.req.valid("query").to },
      });
      sendQueuedPushes(c);
      return c.json(queued, 200);
    },
  );
