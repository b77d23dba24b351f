// Sign-in's request and response schemas, for the routes and (as inferred types, `import type` only) for the PWA.
import { z } from "@hono/zod-openapi";
import { ROLES } from "../../db/schema";
import { Timestamp } from "../../lib/openapi";

export const MeSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    email: z.string().nullable(),
    associationId: z.string().nullable(),
    associationName: z.string().nullable(),
    householdId: z.string().nullable(),
    householdLabel: z.string().nullable(),
    blockId: z.string().nullable(),
    readOnlyUntil: Timestamp.nullable().openapi({
      description: "An outgoing officer (前会長 after a handover): staff screens are read-only until then",
    }),
  })
  .openapi("Me");

export const LoginBody = z
  .strictObject({
    email: z.email().max(254),
    password: z.string().min(1).max(200),
  })
  .openapi("LoginRequest");

export const SessionSchema = z
  .object({
    id: z.string(),
    device: z.string(),
    current: z.boolean(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp,
    expiresAt: Timestamp,
  })
  .openapi("Session");

export const SessionList = z.object({ sessions: z.array(SessionSchema) });

// What the JSON carries (timestamps as ISO strings), and what a client sends.
export type Me = z.output<typeof MeSchema>;
export type Role = Me["role"];
export type Session = z.output<typeof SessionSchema>;
export type LoginInput = z.input<typeof LoginBody>;
