// CSV that opens in Excel: UTF-8 with a BOM (without it Excel reads Japanese as Shift_JIS), CRLF line ends, RFC 4180
// quoting. The first row is the Japanese headers, the second the English codes (the same as the JSON keys; see
// docs/city-export.md). Suppressed or missing figures are 「—」, as on the page.
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
