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

/** Rows of cells as a CSV document (null or undefined: 「—」). */
export function csvDocument(rows: readonly (readonly unknown[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  return csvDocument([
    columns.map((c) => c.ja),
    columns.map((c) => c.code),
    ...rows.map((r) => columns.map((c) => r[c.code])),
  ]);
}

/** Answers a CSV download (`name`.csv), never cached. Also the roster's export (features/roster). */
export function sendCsv(c: Context<AppEnv>, name: string, body: string) {
  return c.body(body, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": contentDisposition("attachment", `${name}.csv`),
    "Cache-Control": "no-store",
  });
}

/** The OpenAPI description of a route's CSV answer (beside its JSON). */
export const csvResponse = { content: { "text/csv": { schema: z.string() } }, description: "CSV (UTF-8 with BOM)" };
