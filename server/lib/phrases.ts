// Where Japanese text may break a line: between phrases (文節), never inside a word. BudouX (Google's small
// segmenter, its Japanese model ~24 KB of source) runs here on the server, so the residents' bundle carries no model:
// clients receive UTF-16 offsets and render a <wbr> at each one inside `word-break: keep-all`.
import { Parser, jaModel } from "budoux";

let parser: Parser | null = null;
// Titles and bodies repeat across households and requests: keep the answer by text, oldest out first, at most about
// a million characters of keys (2 MB), whatever the mix of short titles and long bodies.
const cache = new Map<string, number[]>();
const CACHE_CHARS = 1_000_000;
let cachedChars = 0;
const WORDY = /[A-Za-z0-9]/;

/**
 * The offsets (UTF-16, ascending, strictly inside the text) where a line may break between two phrases. A boundary
 * between two ASCII letters or digits is dropped: an English word or a number never breaks inside.
 */
export function phraseBreaks(text: string): number[] {
  if (text.length < 2) return [];
  const hit = cache.get(text);
  if (hit) return hit;
  parser ??= new Parser(jaModel);
  const breaks = parser
    .parseBoundaries(text)
    .filter((i) => i > 0 && i < text.length && !(WORDY.test(text[i - 1]!) && WORDY.test(text[i]!)));
  if (text.length <= CACHE_CHARS / 10) {
    for (const key of cache.keys()) {
      if (cachedChars + text.length <= CACHE_CHARS) break;
      cache.delete(key);
      cachedChars -= key.length;
    }
    cache.set(text, breaks);
    cachedChars += text.length;
  }
  return breaks;
}

/** The text cut at its breaks (what a client renders with a <wbr> between the pieces). */
export function phrases(text: string, breaks: number[] = phraseBreaks(text)): string[] {
  const out: string[] = [];
  let last = 0;
  for (const b of breaks) {
    out.push(text.slice(last, b));
    last = b;
  }
  if (last < text.length || out.length === 0) out.push(text.slice(last));
  return out.filter((p, i) => p !== "" || i === 0);
}
