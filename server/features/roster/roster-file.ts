// A 名簿 file as the cells of its first sheet: an .xlsx workbook (read-excel-file, whose `universal` build runs on Node
// and in workerd alike), or a CSV as Excel in Japan saves it: UTF-8 with or without a BOM, or Shift_JIS (CP932),
// decoded with the platform's TextDecoder (Node and workerd both have shift_jis). Every cell comes back as text.
import { readSheet } from "read-excel-file/universal";
import { errors } from "../../lib/errors";

/** A ZIP archive's first bytes ("PK\x03\x04"): every .xlsx is one. */
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export async function readRosterFile(bytes: Uint8Array): Promise<string[][]> {
  if (bytes.length === 0) throw unreadable();
  if (isZip(bytes)) {
    let sheet: unknown[][];
    try {
      sheet = await readSheet(bytes.slice().buffer);
    } catch {
      throw unreadable();
    }
    return sheet.map((row) => row.map(cellText));
  }
  return parseCsv(decodeCsv(bytes));
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/** UTF-8 (a BOM, or bytes that are valid UTF-8), else Shift_JIS: what Excel writes for 「CSV」 on a Japanese PC. */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8.
  }
  try {
    return new TextDecoder("shift_jis", { fatal: true }).decode(bytes);
  } catch {
    throw unreadable();
  }
}

/** RFC 4180 as Excel writes it: commas, double quotes doubled inside quoted cells, CRLF or LF, cells spanning lines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const unreadable = () =>
  errors.validation(
    "ファイルを読めませんでした。Excel の「.xlsx」か「CSV」で保存したファイルを選んでください。",
    "The file could not be read. Choose an .xlsx workbook or a CSV file.",
  );
