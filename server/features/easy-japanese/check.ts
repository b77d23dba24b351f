// やさしい日本語チェック: marks what the national guideline (『在留支援のためのやさしい日本語ガイドライン』,
// 出入国在留管理庁・文化庁, 2020) advises against in a notice. Pure functions, no imports beyond the word list:
// the staff compose form runs it as the leader types, and the server's tests run the same code.
import { DIFFICULT_WORDS, EVERYDAY_KATAKANA } from "./words";

export const EASY_RULES = [
  "long_sentence",
  "double_negative",
  "honorific",
  "difficult_word",
  "katakana",
  "kanji_ratio",
] as const;
export type EasyRule = (typeof EASY_RULES)[number];

/** One hint: the span [start, end) of the text, what to do in plain words, and a rewrite when there is one. */
export interface EasyHint {
  rule: EasyRule;
  start: number;
  end: number;
  message: string;
  messageEn: string;
  suggestion?: string;
}

/** A sentence longer than this many characters (spaces not counted) gets a hint. */
export const MAX_SENTENCE = 30;
/** Kanji over this share of the letters (kana, kanji, latin, digits) gets one hint for the whole text. */
export const MAX_KANJI_RATIO = 0.3;
/** Shorter texts are not judged by their kanji share. */
const MIN_LETTERS_FOR_RATIO = 10;

const SENTENCE_END = /[。！？!?\n]/;
const KANJI = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]/u;
const LETTER = /[\p{L}\p{N}]/u;

const DOUBLE_NEGATIVES = [
  /ないことはない/g,
  /ないことも(?:ない|ありません)/g,
  /なくはない/g,
  /なくもない/g,
  /ないわけではない/g,
  /ないわけではありません/g,
  /ないわけにはいか(?:ない|ず|ありません)/g,
  /ざるを得(?:ない|ません)/g,
  /ざるをえ(?:ない|ません)/g,
];

/** Honorific chains, with the plain form the guideline recommends (です・ます). */
const HONORIFICS: readonly { re: RegExp; plain: string }[] = [
  { re: /させていただきます/g, plain: "します" },
  { re: /させていただきたいと思います/g, plain: "します" },
  { re: /いただけますでしょうか/g, plain: "ください" },
  { re: /いただけないでしょうか/g, plain: "ください" },
  { re: /くださいますよう(?:お願い(?:いたします|申し上げます|します))?/g, plain: "ください" },
  { re: /お願い申し上げます/g, plain: "おねがいします" },
  { re: /いたしております/g, plain: "しています" },
  { re: /させていただ/g, plain: "し" },
];

const KATAKANA_RUN = /[\u30a1-\u30fa\u30fc]{3,}/g;

const WORDS = [...DIFFICULT_WORDS].sort((a, b) => b.word.length - a.word.length);
const EVERYDAY = new Set(EVERYDAY_KATAKANA);

const overlaps = (taken: EasyHint[], start: number, end: number) => taken.some((h) => start < h.end && h.start < end);

/** Every hint for `text`, in the order of the text (the kanji ratio, which covers it all, first). */
export function checkEasyJapanese(text: string): EasyHint[] {
  const hints: EasyHint[] = [];
  const spans: EasyHint[] = []; // word-level hints, which must not overlap one another

  for (const w of WORDS) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(w.word, from);
      if (at < 0) break;
      from = at + w.word.length;
      if (overlaps(spans, at, from)) continue;
      spans.push({
        rule: "difficult_word",
        start: at,
        end: from,
        message: `「${w.word}」は むずかしい ことばです。「${w.plain}」と 書きましょう。`,
        messageEn: `"${w.word}" (${w.en}) is a difficult word. Write "${w.plain}".`,
        suggestion: w.plain,
      });
    }
  }

  for (const { re, plain } of HONORIFICS) {
    for (const m of text.matchAll(re)) {
      const end = m.index + m[0].length;
      if (overlaps(spans, m.index, end)) continue;
      spans.push({
        rule: "honorific",
        start: m.index,
        end,
        message: `「${m[0]}」は ていねいすぎて わかりにくいです。「${plain}」と 書きましょう。`,
        messageEn: `"${m[0]}" is a chain of honorifics. Write the plain polite form "${plain}".`,
        suggestion: plain,
      });
    }
  }

  for (const re of DOUBLE_NEGATIVES) {
    for (const m of text.matchAll(re)) {
      const end = m.index + m[0].length;
      if (overlaps(spans, m.index, end)) continue;
      spans.push({
        rule: "double_negative",
        start: m.index,
        end,
        message: `「${m[0]}」は 「ない」が 2つあって わかりにくいです。「〜ます」「〜です」で 書きましょう。`,
        messageEn: `"${m[0]}" is a double negative. Say it positively.`,
      });
    }
  }

  for (const m of text.matchAll(KATAKANA_RUN)) {
    const end = m.index + m[0].length;
    if (EVERYDAY.has(m[0]) || overlaps(spans, m.index, end)) continue;
    spans.push({
      rule: "katakana",
      start: m.index,
      end,
      message: `「${m[0]}」は カタカナの ことばです。わからない 人が います。ほかの ことばで 書くか、せつめいを つけましょう。`,
      messageEn: `"${m[0]}" is a katakana loanword many readers do not know. Use a Japanese word or explain it.`,
    });
  }

  hints.push(...longSentences(text));

  const letters = [...text].filter((ch) => LETTER.test(ch));
  const kanji = letters.filter((ch) => KANJI.test(ch)).length;
  const ratio = letters.length ? kanji / letters.length : 0;
  const ratioHints: EasyHint[] = [];
  if (letters.length >= MIN_LETTERS_FOR_RATIO && ratio > MAX_KANJI_RATIO) {
    const pct = Math.round(ratio * 100);
    ratioHints.push({
      rule: "kanji_ratio",
      start: 0,
      end: text.length,
      message: `漢字が 多いです（${pct}%）。漢字は 30%ぐらいまでに して、ひらがなで 書きましょう。`,
      messageEn: `Kanji make up ${pct}% of the letters. Keep them to about 30% and write the rest in hiragana.`,
    });
  }

  return [...ratioHints, ...[...hints, ...spans].sort((a, b) => a.start - b.start || a.end - b.end)];
}

function longSentences(text: string): EasyHint[] {
  const out: EasyHint[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (i < text.length && !SENTENCE_END.test(ch ?? "")) continue;
    const end = i < text.length && ch !== "\n" ? i + 1 : i;
    const sentence = text.slice(start, end);
    const lead = sentence.length - sentence.trimStart().length;
    const length = [...sentence.replace(/\s/g, "")].length;
    if (length > MAX_SENTENCE)
      out.push({
        rule: "long_sentence",
        start: start + lead,
        end,
        message: `この 文は ${length}字です。30字ぐらいまでの みじかい 文に 分けましょう。`,
        messageEn: `This sentence has ${length} characters. Split it into sentences of about 30 characters.`,
      });
    start = i + 1;
  }
  return out;
}

/** The text with the hint's span replaced by its suggestion (unchanged when it has none). */
export function acceptHint(text: string, hint: EasyHint): string {
  if (hint.suggestion === undefined) return text;
  return text.slice(0, hint.start) + hint.suggestion + text.slice(hint.end);
}
