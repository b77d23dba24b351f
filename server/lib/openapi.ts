// Shared pieces for declaring routes: every feature router is an OpenAPIHono whose validation failures become
// our error shape, and whose routes share the error responses below.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { validationError } from "./validation";

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      // The validator hands over what it validated as `data` (not in the hook's type for failures).
      if (!result.success) throw validationError(result.error, "data" in result ? { input: result.data } : undefined);
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string().openapi({ example: "入力内容を確認してください。タイトルを入力してください。" }),
      messageEn: z.string().openapi({ example: "Please check your input. title is required." }),
      requestId: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string(), messageEn: z.string() })).optional(),
    }),
  })
  .openapi("Error");

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true };
}

const err = (description: string) => json(ErrorSchema, description);

/** Error responses most routes can give; spread into `responses`. */
export const errorResponses = {
  400: err("入力内容に誤りがあります / Invalid input"),
  401: err("ログインが必要です / Not signed in"),
  403: err("権限がありません / Not allowed"),
  404: err("見つかりません / Not found"),
} as const;

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "k3m9x2c7v4b8n6q1w5e0r2t4ya" }),
});

/** A household in the path (/households/{householdId}/…). */
export const HouseholdParam = z.object({
  householdId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "householdId", in: "path" } }),
});

/** ISO 8601 timestamps in responses (UTC); the clients show them in JST. */
export const Timestamp = z.string().openapi({ format: "date-time", example: "2026-11-26T05:03:00.000Z" });
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
