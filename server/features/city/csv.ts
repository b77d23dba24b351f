// CSV that opens in Excel: UTF-8 with a BOM (without it Excel reads Japanese as Shift_JIS), CRLF line ends, RFC 4180
// quoting. The first row is the Japanese headers, the second the English codes (the same as the JSON keys; see
// docs/city-export.md). Suppressed or missing figures are 「—」, as on the page.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { contentDisposition } from "../../lib/content-disposition";

export interface CsvColumn<T> {
  code: keyof T & string;
  ja: string;
}

export const SUPPRESSED_MARK = "—";

function cell(value: unknown): string {
  const text = value === null || value === undefined ? SUPPRESSED_MARK : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [
    columns.map((c) => cell(c.ja)).join(","),
    columns.map((c) => cell(c.code)).join(","),
    ...rows.map((r) => columns.map((c) => cell(r[c.code])).join(",")),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Answers a CSV download (`name`.csv), never cached. */
export function sendCsv(c: Context<AppEnv>, name: string, body: string) {
  return c.body(body, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": contentDisposition("attachment", `${name}.csv`),
    "Cache-Control": "no-store",
  });
}

/** The OpenAPI description of a route's CSV answer (beside its JSON). */
export const csvResponse = { content: { "text/csv": { schema: z.string() } }, description: "CSV (UTF-8 with BOM)" };
