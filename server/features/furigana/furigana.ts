// ふりがな on circulars (docs/adr/0016), one implementation for an association's drafts and the city's: the words of
// a saved draft with their readings for the compose screen's 「ふりがな」 panel, the leader's corrections (checked,
// kept with the draft), the ruby stored when the draft is published (publishedFurigana, called by both
// publications; a city circular's copies take it with the rest of the row) and the texts as clients receive them.
import { errors, type FieldError } from "../../lib/errors";
import { linkifyPhrased } from "../../lib/text";
import { phraseBreaks } from "../../lib/phrases";
import { joinCompounds } from "./compounds";
import {
  checkedWords,
  fittingRuby,
  FURIGANA_TEXTS,
  hasKanji,
  isKana,
  parseFixes,
  parseFurigana,
  READING_MAX,
  rubyOf,
  toHiragana,
  withFixes,
  WORD_MAX,
  type Fixes,
  type Furigana,
  type ReadingsProvider,
  type Ruby,
  type Texts,
  type WordReading,
} from "./spans";

/** Most words the panel lists (a long body has many; the first ones are where corrections matter). */
const WORDS_MAX = 400;

async function analysed(provider: ReadingsProvider, text: string): Promise<WordReading[]> {
  if (!text) return [];
  return joinCompounds(text, checkedWords(text, await provider(text)));
}

export interface DraftWord {
  word: string;
  /** What residents will see: the correction, else the analyser's. */
  reading: string;
  suggested: string;
  corrected: boolean;
}

/** The words of a draft's texts with their readings, each word once (in order of first appearance). */
export async function draftWords(
  provider: ReadingsProvider | undefined,
  texts: Texts,
  fixes: Fixes,
): Promise<{ available: boolean; words: DraftWord[] }> {
  if (!provider) return { available: false, words: [] };
  const seen = new Map<string, DraftWord>();
  for (const key of FURIGANA_TEXTS) {
    const text = texts[key] ?? "";
    for (const w of await analysed(provider, text)) {
      const word = text.slice(w.start, w.end);
      if (seen.has(word)) continue;
      const fixed = fixes[word];
      seen.set(word, { word, suggested: w.reading, reading: fixed ?? w.reading, corrected: fixed !== undefined });
    }
  }
  return { available: true, words: [...seen.values()].slice(0, WORDS_MAX) };
}

/**
 * A leader's corrections checked: each word with kanji, at most WORD_MAX long, found in the draft's texts, once; each
 * reading hiragana or katakana only (stored in hiragana), 1 to READING_MAX long. 422 naming every bad entry.
 */
export function checkFixes(texts: Texts, input: readonly { word: string; reading: string }[]): Fixes {
  const fixes: Fixes = {};
  const fields: FieldError[] = [];
  const all = FURIGANA_TEXTS.map((k) => texts[k] ?? "").join("\n");
  input.forEach(({ word, reading }, i) => {
    const r = reading.trim();
    if (!hasKanji(word) || word.length > WORD_MAX || !all.includes(word) || word in fixes)
      fields.push({
        path: `fixes.${i}.word`,
        message: `「${word.slice(0, WORD_MAX)}」は、この回覧の漢字のことばではありません。`,
        messageEn: `"${word.slice(0, WORD_MAX)}" is not a word with kanji in this circular (or is given twice).`,
      });
    else if (!isKana(r) || r.length > READING_MAX)
      fields.push({
        path: `fixes.${i}.reading`,
        message: `「${word}」の読みは、ひらがなかカタカナで${READING_MAX}文字までにしてください。`,
        messageEn: `The reading of "${word}" must be hiragana or katakana, up to ${READING_MAX} characters.`,
      });
    else fixes[word] = toHiragana(r);
  });
  if (fields.length)
    throw errors.validation(
      `ふりがなを確認してください。${fields[0]!.message}`,
      `Please check the readings. ${fields[0]!.messageEn}`,
      fields,
    );
  return fixes;
}

/**
 * The ruby to store with a circular when it is published (JSON), or null where the deployment cannot compute readings
 * (Workers) or the analyser failed: the circular then goes out without ふりがな rather than not at all. The texts are
 * analysed as they are published, so ruby never points at text that changed since the panel was shown; the leader's
 * corrections apply to every word written as they corrected it, and one whose word is no longer there is dropped.
 */
export async function publishedFurigana(
  provider: ReadingsProvider | undefined,
  texts: Texts,
  fixesJson: string | null,
): Promise<string | null> {
  if (!provider) return null;
  const fixes = parseFixes(fixesJson);
  try {
    const out: Partial<Furigana> = {};
    for (const key of FURIGANA_TEXTS) {
      const text = texts[key] ?? "";
      out[key] = rubyOf(text, withFixes(text, await analysed(provider, text), fixes));
    }
    return JSON.stringify(out);
  } catch (e) {
    console.error("furigana: readings failed, publishing without them", e);
    return null;
  }
}

/**
 * A circular's title, body and やさしい日本語 version as residents and leaders receive them: phrase breaks (lib/phrases)
 * and the stored ruby that still fits each text, the body's split over its text parts (lib/text).
 */
export function circularTextFields(row: Texts & { furigana: string | null }) {
  const stored = parseFurigana(row.furigana);
  return {
    titleBreaks: phraseBreaks(row.title),
    titleRuby: fittingRuby(row.title, stored?.title),
    body: row.body,
    bodyParts: linkifyPhrased(row.body, fittingRuby(row.body, stored?.body)),
    easyBody: row.easyBody,
    easyBodyParts:
      row.easyBody === null ? null : linkifyPhrased(row.easyBody, fittingRuby(row.easyBody, stored?.easyBody)),
  };
}

/** A title's ruby alone (the feed's list), from the stored JSON's `title` (SQLite's json_extract(furigana, '$.title')). */
export function titleRuby(title: string, json: string | null): Ruby[] {
  if (!json) return [];
  try {
    return fittingRuby(title, JSON.parse(json));
  } catch {
    return [];
  }
}
