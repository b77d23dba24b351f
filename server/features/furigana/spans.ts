// ふりがな (docs/adr/0016): the rules on readings, pure and runtime-agnostic. A morphological analyser (on Node,
// server/node/readings.ts) answers words with their readings on an exact text; this module checks them, turns them
// into hiragana, applies a leader's corrections and makes the ruby a client renders: `[start, end, reading]`, UTF-16
// offsets on the exact text, only over kanji (「申し込み」 gets ruby on 申 and 込, never on し or み).
import type { Ruby } from "../../lib/text";

export type { Ruby };

/** A word the analyser found on a text: offsets on that exact text and its reading (katakana or hiragana). */
export interface WordReading {
  start: number;
  end: number;
  reading: string;
}

/**
 * What a deployment that can compute readings injects (Deps.readings): the words of `text` with their readings.
 * Absent on Workers, where the dictionary does not fit (docs/adr/0016): circulars are then published without ふりがな.
 */
export type ReadingsProvider = (text: string) => Promise<WordReading[]>;

/** A circular's three texts: ruby is computed, stored and sent for each. */
export const FURIGANA_TEXTS = ["title", "body", "easyBody"] as const;
export type FuriganaText = (typeof FURIGANA_TEXTS)[number];
export type Furigana = Record<FuriganaText, Ruby[]>;
export type Texts = { title: string; body: string; easyBody: string | null };

/** A leader's corrections: word (as written, with kanji) → reading (hiragana). They apply to every occurrence. */
export type Fixes = Record<string, string>;

/** Longest word and reading taken from the analyser or a leader; more than this is not a word. */
export const WORD_MAX = 32;
export const READING_MAX = 64;
/** Most corrections a draft keeps. */
export const FIXES_MAX = 300;

// Kanji: the CJK blocks, 々 (repetition) and 〆; the readings: hiragana, katakana and the long vowel mark.
const KANJI = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006]/;
const KANJI_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006]+/g;
const KANA_ONLY = /^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe]+$/;

const AFTER_NUMBER = /[0-9０-９]/;

export const hasKanji = (s: string) => KANJI.test(s);
export const isKana = (s: string) => KANA_ONLY.test(s);

/** Katakana to hiragana (ヴ → ゔ; ー stays). */
export function toHiragana(s: string): string {
  return s.replace(/[\u30a1-\u30f6\u30fd\u30fe]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

/**
 * The analyser's words, checked on the exact text: offsets inside it and ascending without overlap, the base with
 * kanji and at most WORD_MAX long, the reading kana only (at most READING_MAX), not a one-kanji counter after a
 * number; readings in hiragana. Anything else is dropped: a word gets no ruby rather than a wrong one.
 */
export function checkedWords(text: string, words: readonly WordReading[]): WordReading[] {
  const out: WordReading[] = [];
  let last = 0;
  for (const w of [...words].sort((a, b) => a.start - b.start)) {
    if (!Number.isInteger(w.start) || !Number.isInteger(w.end)) continue;
    if (w.start < last || w.end <= w.start || w.end > text.length || w.end - w.start > WORD_MAX) continue;
    const base = text.slice(w.start, w.end);
    if (!hasKanji(base) || typeof w.reading !== "string" || !isKana(w.reading) || w.reading.length > READING_MAX)
      continue;
    // A counter after a number (12月, 7日, 3時) is read by the number (がつ, なのか, じ), which the analyser does not
    // know: IPADIC gives 月/つき and 日/にち. No ruby rather than a wrong one.
    if (base.length === 1 && AFTER_NUMBER.test(text[w.start - 1] ?? "")) continue;
    out.push({ start: w.start, end: w.end, reading: toHiragana(w.reading) });
    last = w.end;
  }
  return out;
}

/**
 * A word's ruby, kanji only: its kana (送り仮名 and the like) are matched in the reading, so 「申し込み」 + もうしこみ
 * gives 申/もう and 込/こ. Offsets are relative to the word. When the reading does not fit the kana around the kanji
 * (a correction that changed them), the whole kanji part between the first and last kanji gets the reading less the
 * kana it begins and ends with; never ruby over a kana-only head or tail.
 */
export function splitOkurigana(word: string, reading: string): Ruby[] {
  const parts: { kanji: boolean; text: string; at: number }[] = [];
  let at = 0;
  for (const m of word.matchAll(KANJI_RUN)) {
    if (m.index > at) parts.push({ kanji: false, text: word.slice(at, m.index), at });
    parts.push({ kanji: true, text: m[0], at: m.index });
    at = m.index + m[0].length;
  }
  if (at < word.length) parts.push({ kanji: false, text: word.slice(at), at });
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = parts.map((p) => (p.kanji ? "(.+?)" : escape(toHiragana(p.text)))).join("");
  const m = new RegExp(`^${pattern}$`).exec(reading);
  const kanjiParts = parts.filter((p) => p.kanji);
  if (m) return kanjiParts.map((p, i) => [p.at, p.at + p.text.length, m[i + 1]!]);
  // The fallback: one ruby from the first kanji to the last, the reading less the kana head and tail that match.
  const first = kanjiParts[0]!;
  const lastPart = kanjiParts[kanjiParts.length - 1]!;
  const head = toHiragana(word.slice(0, first.at));
  const tail = toHiragana(word.slice(lastPart.at + lastPart.text.length));
  let r = reading;
  if (head && r.startsWith(head)) r = r.slice(head.length);
  if (tail && r.endsWith(tail) && r.length > tail.length) r = r.slice(0, r.length - tail.length);
  return [[first.at, lastPart.at + lastPart.text.length, r]];
}

/** The words' readings with the leader's corrections put in (by the word as written). */
export function withFixes(text: string, words: readonly WordReading[], fixes: Fixes): WordReading[] {
  return words.map((w) => {
    const fixed = fixes[text.slice(w.start, w.end)];
    return fixed === undefined ? w : { ...w, reading: fixed };
  });
}

/** The ruby of a text from its checked words: each word split at its kana, offsets on the text. */
export function rubyOf(text: string, words: readonly WordReading[]): Ruby[] {
  return words.flatMap((w) =>
    splitOkurigana(text.slice(w.start, w.end), w.reading).map(([s, e, r]): Ruby => [w.start + s, w.start + e, r]),
  );
}

/**
 * Stored ruby read back for a text: kept only if it still fits the exact text (offsets inside it, ascending, the
 * base with kanji, the reading hiragana). A text changed after publication (it cannot be, but a copy might) loses
 * the ruby that no longer fits rather than showing a wrong one.
 */
export function fittingRuby(text: string, ruby: unknown): Ruby[] {
  if (!Array.isArray(ruby)) return [];
  const out: Ruby[] = [];
  let last = 0;
  for (const r of ruby) {
    if (!Array.isArray(r) || r.length !== 3) continue;
    const [s, e, reading] = r as unknown[];
    if (typeof s !== "number" || typeof e !== "number" || typeof reading !== "string") continue;
    if (!Number.isInteger(s) || !Number.isInteger(e) || s < last || e <= s || e > text.length) continue;
    if (!hasKanji(text.slice(s, e)) || !isKana(reading) || reading.length > READING_MAX) continue;
    out.push([s, e, reading]);
    last = e;
  }
  return out;
}

/** Stored furigana (a circular's `furigana` column) parsed; null: none. */
export function parseFurigana(json: string | null): Partial<Record<FuriganaText, unknown>> | null {
  if (!json) return null;
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" ? (v as Partial<Record<FuriganaText, unknown>>) : null;
  } catch {
    return null;
  }
}

/** Stored corrections (a draft's `furigana_fixes` column) parsed: only well-formed entries. */
export function parseFixes(json: string | null): Fixes {
  const v = parseFurigana(json) as Record<string, unknown> | null;
  const out: Fixes = {};
  for (const [word, reading] of Object.entries(v ?? {}))
    if (hasKanji(word) && typeof reading === "string" && isKana(reading)) out[word] = toHiragana(reading);
  return out;
}
