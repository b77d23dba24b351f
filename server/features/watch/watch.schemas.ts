// The 見守り API's request and response schemas, for the routes and (as inferred types, `import type` only) for the
// PWA's resident settings, the resident watcher's page and the leader's 「見守り」 screen.
import { z } from "@hono/zod-openapi";
import { Timestamp } from "../../lib/openapi";
import { TEXT_MAX } from "../answers/answer-rules";

/** How many days without any acknowledgement (while circulars arrive) before the watcher is told. */
export const WATCH_DAYS = [3, 7, 14] as const;
export type WatchDays = (typeof WATCH_DAYS)[number];
export const WATCH_CHANNELS = ["visit", "phone"] as const;

const Days = z
  .union([z.literal(3), z.literal(7), z.literal(14)])
  .default(7)
  .openapi({ description: "3, 7 or 14 days without any acknowledgement (default 7)", example: 7 });

export const WatchBody = z
  .strictObject({
    watcherId: z.string().min(1).max(64).nullable().default(null).openapi({
      description: "A member of the association who watches; null (the default): the household's block leader",
    }),
    days: Days,
  })
  .openapi("WatchInput");

export const CheckBody = z
  .strictObject({
    channel: z.enum(WATCH_CHANNELS).openapi({ description: "訪問 (visit) or 電話 (phone)" }),
    note: z.string().max(TEXT_MAX).default(""),
  })
  .openapi("WatchCheckInput");

const Person = z.object({ id: z.string(), name: z.string() });

export const WatchSchema = z
  .object({
    watcher: Person.nullable().openapi({ description: "The named watcher; null: the household's block leader" }),
    days: z.number().int(),
    requestedBy: z.enum(["household", "leader"]).openapi({ description: "Asked in the app, or recorded by a leader" }),
    createdAt: Timestamp,
  })
  .openapi("Watch");

export const OwnWatchSchema = z.object({ watch: WatchSchema.nullable() });

export const WatchedHouseholdSchema = z
  .object({
    householdId: z.string(),
    label: z.string(),
    blockId: z.string(),
    blockName: z.string(),
    watcher: Person.nullable(),
    days: z.number().int(),
    quiet: z.boolean().openapi({ description: "Gone quiet: told, and neither read since nor checked on" }),
    quietDays: z.number().int().openapi({ description: "Whole days since its latest acknowledgement (or the watch)" }),
    lastReadAt: Timestamp.nullable(),
    alertedAt: Timestamp.nullable(),
    checkedAt: Timestamp.nullable(),
    lastCheck: z
      .object({ channel: z.enum(WATCH_CHANNELS), note: z.string(), at: Timestamp, by: z.string() })
      .nullable(),
  })
  .openapi("WatchedHousehold");

export const WatchListSchema = z.object({ households: z.array(WatchedHouseholdSchema) });

export type WatchInput = z.output<typeof WatchBody>;
export type WatchOut = z.output<typeof WatchSchema>;
export type OwnWatch = z.output<typeof OwnWatchSchema>;
export type WatchedHousehold = z.output<typeof WatchedHouseholdSchema>;
export type WatchList = z.output<typeof WatchListSchema>;
