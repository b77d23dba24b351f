// The 「ふりがな」 panel's request and response (furigana.routes.ts), and (as types) the compose screen's.
import { z } from "@hono/zod-openapi";
import { FIXES_MAX, READING_MAX, WORD_MAX } from "./spans";

export const DraftReadingsSchema = z
  .object({
    available: z.boolean().openapi({
      description:
        "false where this deployment cannot compute readings (Workers): the circular goes out without ふりがな",
    }),
    words: z.array(
      z.object({
        word: z.string().openapi({ description: "A word with kanji, as written in the draft" }),
        reading: z.string().openapi({ description: "Its reading residents will see (hiragana)" }),
        suggested: z.string().openapi({ description: "The analyser's reading" }),
        corrected: z.boolean(),
      }),
    ),
  })
  .openapi("DraftReadings");

export const ReadingFixes = z
  .strictObject({
    fixes: z
      .array(
        z.strictObject({
          word: z.string().min(1).max(WORD_MAX),
          reading: z.string().min(1).max(READING_MAX),
        }),
      )
      .max(FIXES_MAX),
  })
  .openapi("ReadingFixes", {
    description: "Every correction of the draft (those not listed are dropped): the word as written, its reading",
  });

export type DraftReadings = z.output<typeof DraftReadingsSchema>;
export type ReadingFixesInput = z.input<typeof ReadingFixes>;
