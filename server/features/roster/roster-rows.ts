// The rows of a 名簿 as the leader wrote them, read into households: columns found by their Japanese header in any
// order, full-width and half-width digits, letters and spaces taken as the same (「１班」 = 「1班」), and every
// mistake reported by its row number in words a leader can act on (「12行目: 班が空欄です」).
import type { Channel } from "../../db/schema";
import { NAME_MAX } from "../households/households.schemas";

export interface RosterRow {
  /** The row's number in the file (1 = the first line), for messages. */
  line: number;
  block: string;
  label: string;
  channel: Channel;
  note: string | null;
}

export interface RowError {
  line: number;
  message: string;
  messageEn: string;
}

/** The longest block or household name is theirs (households.schemas.ts); the longest note. */
const MAX_NAME = NAME_MAX;
const MAX_NOTE = 200;

/** The headers each column is known by (after normalising: no spaces). */
const COLUMNS = {
  block: ["班", "班名", "組", "block"],
  label: ["世帯名", "世帯", "氏名", "household"],
  channel: ["回覧方法", "回覧", "方法", "channel"],
  note: ["備考", "メモ", "note"],
} as const;
type Column = keyof typeof COLUMNS;

/** The channel words a leader may write (normalised, lower case). */
const CHANNEL_WORDS: Record<string, Channel> = {
  アプリ: "app",
  app: "app",
  端末: "app",
  紙: "paper",
  paper: "paper",
};

/** The export's words for each channel. */
export const CHANNEL_LABELS: Record<Channel, string> = { app: "アプリ", paper: "紙" };
export const HEADERS = ["班", "世帯名", "回覧方法", "備考"] as const;

/** NFKC (full-width digits, letters and the ideographic space become plain ones), spaces collapsed, trimmed. */
export function normalise(cell: string): string {
  return cell.normalize("NFKC").replace(/\s+/g, " ").trim();
}

/** A block written as a bare number (「1」, 「１」) is that number's 班. */
export function blockName(cell: string): string {
  const s = normalise(cell);
  return /^\d+$/.test(s) ? `${Number(s)}班` : s;
}

export function readRosterRows(cells: string[][]): { rows: RosterRow[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const headerAt = cells.findIndex((r) => r.some((c) => normalise(c) !== ""));
  if (headerAt < 0)
    return { rows: [], errors: [{ line: 1, message: "ファイルが空です。", messageEn: "The file is empty." }] };
  const header = cells[headerAt]!.map((c) => normalise(c).replace(/ /g, "").toLowerCase());
  const at = {} as Record<Column, number>;
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][])
    at[col] = header.findIndex((h) => names.includes(h));
  const missing = (["block", "label", "channel"] as const).filter((c) => at[c] < 0);
  if (missing.length > 0) {
    const ja = missing.map((c) => `「${COLUMNS[c][0]}」`).join("・");
    return {
      rows: [],
      errors: [
        {
          line: headerAt + 1,
          message: `${headerAt + 1}行目: ${ja}の列がありません。1行目に 班・世帯名・回覧方法（と 備考）の見出しを書いてください。`,
          messageEn: `Line ${headerAt + 1}: no ${missing.map((c) => COLUMNS[c].at(-1)).join(", ")} column. The first line must name the columns 班, 世帯名, 回覧方法 (and 備考).`,
        },
      ],
    };
  }

  const rows: RosterRow[] = [];
  const seen = new Map<string, number>();
  for (let i = headerAt + 1; i < cells.length; i++) {
    const cell = (col: Column) => (at[col] >= 0 ? normalise(cells[i]![at[col]] ?? "") : "");
    if (cells[i]!.every((c) => normalise(c) === "")) continue;
    const line = i + 1;
    const fail = (message: string, messageEn: string) =>
      errors.push({ line, message: `${line}行目: ${message}`, messageEn: `Line ${line}: ${messageEn}` });
    const block = blockName(cells[i]![at.block] ?? "");
    const label = cell("label");
    const word = cell("channel");
    const note = cell("note");
    const before = errors.length;
    if (!block) fail("班が空欄です。", "the block is empty.");
    else if (block.length > MAX_NAME)
      fail(`班の名前が長すぎます（${MAX_NAME}文字まで）。`, `the block name is longer than ${MAX_NAME} characters.`);
    if (!label) fail("世帯名が空欄です。", "the household name is empty.");
    else if (label.length > MAX_NAME)
      fail(`世帯名が長すぎます（${MAX_NAME}文字まで）。`, `the household name is longer than ${MAX_NAME} characters.`);
    const channel = CHANNEL_WORDS[word.toLowerCase()];
    if (!word)
      fail(
        "回覧方法が空欄です。「アプリ」か「紙」と書いてください。",
        "the channel is empty: write アプリ (app) or 紙 (paper).",
      );
    else if (!channel)
      fail(
        `回覧方法「${word}」は使えません。「アプリ」か「紙」と書いてください。`,
        `the channel "${word}" is not known: write アプリ (app) or 紙 (paper).`,
      );
    if (note.length > MAX_NOTE)
      fail(`備考が長すぎます（${MAX_NOTE}文字まで）。`, `the note is longer than ${MAX_NOTE} characters.`);
    if (errors.length > before || !channel) continue;
    const key = `${block}\u0000${label}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail(
        `${block}の「${label}」は${first}行目と同じです。区別できる名前にしてください（例: ${label}（一郎））。`,
        `"${label}" in ${block} is the same as line ${first}; make the names distinct.`,
      );
      continue;
    }
    seen.set(key, line);
    rows.push({ line, block, label, channel, note: note || null });
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ line: headerAt + 2, message: "世帯の行がありません。", messageEn: "The file lists no households." });
  return { rows, errors };
}
