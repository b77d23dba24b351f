// Web push's request and response schemas, for the routes and (as inferred types, `import type` only) for the PWA.
import { z } from "@hono/zod-openapi";
import { PUSH_MODES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";

const b64u = (octets: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((octets * 4) / 3)}}={0,2}$`));

export const SubscribeSchema = z
  .object({
    endpoint: z.url().max(2048),
    keys: z.object({
      p256dh: b64u(65).openapi({ description: "base64url ECDH P-256 public key, uncompressed (65 octets)" }),
      auth: b64u(16).openapi({ description: "base64url auth secret (16 octets)" }),
    }),
    userAgentLabel: z.string().trim().max(60).optional(),
  })
  .openapi("PushSubscribe");

export const SubscriptionSchema = z
  .object({ id: z.string(), userAgentLabel: z.string(), createdAt: Timestamp, lastSuccessAt: Timestamp.nullable() })
  .openapi("PushSubscription");

export const PreferenceSchema = z
  .object({ mode: z.enum(PUSH_MODES) })
  .strict()
  .openapi("PushPreference");

export const TestPushSchema = z
  .object({ endpoint: z.url().max(2048) })
  .strict()
  .openapi("PushTest");
export const TestPushResultSchema = z
  .object({
    result: z.enum(["sent", "gone", "failed"]).openapi({
      description:
        "sent: the push service took it; gone: the subscription no longer exists (deleted: subscribe again); failed: refused or unreachable",
    }),
  })
  .openapi("PushTestResult");

export const PushFiguresSchema = z
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
          description:
            "paper: the household reads on paper; no_device: no member device subscribed; off: its members turned pushes off (or to urgent only)",
        }),
        read: z.boolean(),
      }),
    ),
    lastReminderAt: Timestamp.nullable(),
    autoReminderAt: Timestamp.nullable(),
  })
  .openapi("CircularPushFigures");

export const RemindResultSchema = z
  .object({
    households: z.number().int().openapi({ description: "Unread households a reminder push was queued for" }),
    unread: z.number().int().openapi({ description: "Unread households in scope; the others need a visit or paper" }),
    pushes: z.number().int().openapi({ description: "Pushes queued (one per device)" }),
  })
  .openapi("RemindResult");

export const PublicKeySchema = z
  .object({
    publicKey: z.string().openapi({ description: "VAPID public key, base64url uncompressed P-256 point (65 octets)" }),
  })
  .openapi("PushPublicKey");

export const SubscriptionList = z.object({ subscriptions: z.array(SubscriptionSchema) });
export const SubscriptionParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

// What the JSON carries (timestamps as ISO strings), and what a client sends.
export type PushSubscriptionOut = z.output<typeof SubscriptionSchema>;
export type PushPreference = z.output<typeof PreferenceSchema>;
export type TestPushResult = z.output<typeof TestPushResultSchema>;
export type PushFigures = z.output<typeof PushFiguresSchema>;
export type UnreachableHousehold = PushFigures["unreachableHouseholds"][number];
export type RemindResult = z.output<typeof RemindResultSchema>;
export type PushPublicKey = z.output<typeof PublicKeySchema>;
export type SubscribeInput = z.input<typeof SubscribeSchema>;
