// Web push: the server's public key (the applicationServerKey browsers subscribe with).
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, json } from "../../lib/openapi";
import { vapidKeys } from "./vapid";

const PublicKeySchema = z
  .object({
    publicKey: z.string().openapi({ description: "VAPID public key, base64url uncompressed P-256 point (65 octets)" }),
  })
  .openapi("PushPublicKey");

export const pushRoutes = createRouter().openapi(
  createRoute({
    method: "get",
    path: "/push/public-key",
    tags: ["通知 / Push"],
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
);
