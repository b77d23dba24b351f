// The roster import's requests (the 名簿 file as a multipart upload) and answers, for the routes and (as inferred
// types, `import type` only) for the leader's import screen.
import { z } from "@hono/zod-openapi";
import { CHANNELS } from "../../db/schema";

const RosterFile = z.instanceof(File, { message: "名簿のファイルを選んでください。" }).openapi({
  type: "string",
  format: "binary",
  description: ".xlsx, or CSV in UTF-8 (with or without BOM) or Shift_JIS",
});

export const RosterUpload = z.object({ file: RosterFile });

export const RosterApply = z.object({
  file: RosterFile,
  token: z.string().min(1).max(100).openapi({ description: "The preview's token" }),
  leave: z
    .string()
    .max(200_000)
    .optional()
    .openapi({ description: "Comma-separated ids of the missing households to mark as moved out (転出)" }),
});

const Entry = z.object({ block: z.string(), channel: z.enum(CHANNELS), note: z.string().nullable() });

export const RosterPreviewSchema = z
  .object({
    token: z.string(),
    errors: z.array(z.object({ line: z.number().int(), message: z.string(), messageEn: z.string() })),
    newBlocks: z.array(z.string()),
    add: z.array(Entry.extend({ line: z.number().int(), label: z.string() })),
    change: z.array(
      z.object({ line: z.number().int(), householdId: z.string(), label: z.string(), before: Entry, after: Entry }),
    ),
    unchanged: z.number().int(),
    missing: z.array(
      z.object({ householdId: z.string(), block: z.string(), label: z.string(), channel: z.enum(CHANNELS) }),
    ),
  })
  .openapi("RosterPreview");

export const RosterApplied = z
  .object({
    added: z.number().int(),
    changed: z.number().int(),
    left: z.number().int(),
    newBlocks: z.number().int(),
    addedAppHouseholdIds: z.array(z.string()).openapi({ description: "New app households, for their invite sheets" }),
  })
  .openapi("RosterApplied");

export const RosterExportQuery = z.object({ format: z.enum(["csv", "xlsx"]).default("xlsx") });

export type RosterPreviewDto = z.infer<typeof RosterPreviewSchema>;
export type RosterAppliedDto = z.infer<typeof RosterApplied>;
