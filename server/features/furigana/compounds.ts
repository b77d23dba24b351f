// Words of circulars that IPADIC splits and reads wrongly as their parts: 避難所 comes back as 避難/ひなん + 所/しょ,
// but is ひなんじょ. Where a listed word covers whole analysed words, it becomes one word with the listed reading. The
// leader corrects the rest in the compose screen's 「ふりがな」; extend this list with what leaders keep correcting.
import type { WordReading } from "./spans";

export const COMPOUNDS: Readonly<Record<string, string>> = {
  避難所: "ひなんじょ",
  指定避難所: "していひなんじょ",
  避難場所: "ひなんばしょ",
  保健所: "ほけんじょ",
  集会所: "しゅうかいじょ",
  給水所: "きゅうすいじょ",
  投票所: "とうひょうじょ",
  市役所: "しやくしょ",
  区役所: "くやくしょ",
  町内会: "ちょうないかい",
  自治会: "じちかい",
  回覧板: "かいらんばん",
  公民館: "こうみんかん",
};

const byLength = Object.keys(COMPOUNDS).sort((a, b) => b.length - a.length);

/** The analyser's (checked, hiragana) words with the listed compounds joined, longest first. */
export function joinCompounds(text: string, words: readonly WordReading[]): WordReading[] {
  let out = [...words];
  for (const compound of byLength) {
    for (let at = text.indexOf(compound); at >= 0; at = text.indexOf(compound, at + compound.length)) {
      const end = at + compound.length;
      const first = out.findIndex((w) => w.start === at);
      const last = out.findIndex((w) => w.end === end);
      // Only whole words: a compound inside a longer word (避難所 in 避難所長…) is left as analysed.
      if (first < 0 || last < first) continue;
      out = [...out.slice(0, first), { start: at, end, reading: COMPOUNDS[compound]! }, ...out.slice(last + 1)];
    }
  }
  return out;
}
