// A circular's body is plain text. Clients render it from these parts as text nodes and <a> elements, so no
// HTML written by anyone ever reaches a page unescaped; line breaks stay in the text (CSS white-space: pre-wrap).
// A text part may carry `breaks`: the offsets of its phrase (文節) boundaries, where a client puts a <wbr>; and `ruby`:
// its ふりがな (features/furigana), where a resident who chose 「ふりがなを表示」 sees <ruby>.
/** One ruby: the base text `[start, end)` of the text it belongs to, and its reading in hiragana. */
export type Ruby = [start: number, end: number, reading: string];
export type BodyPart =
  { type: "text"; text: string; breaks?: number[]; ruby?: Ruby[] } | { type: "link"; text: string; href: string };

// http(s) URLs up to the first whitespace, Japanese bracket or full-width character; trailing punctuation stays text.
import { phraseBreaks } from "./phrases";

const URL_RE = /https?:\/\/[^\s<>"'「」『』（）()、。\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]+/g;
const TRAILING = /[.,;:!?)\]]+$/;

export function linkify(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const m of body.matchAll(URL_RE)) {
    let url = m[0];
    const trail = url.match(TRAILING)?.[0] ?? "";
    url = url.slice(0, url.length - trail.length);
    const start = m.index;
    let href: string | null = null;
    try {
      const u = new URL(url);
      if (u.protocol === "http:" || u.protocol === "https:") href = u.href;
    } catch {
      href = null;
    }
    if (!href) continue;
    if (start > last) parts.push({ type: "text", text: body.slice(last, start) });
    parts.push({ type: "link", text: url, href });
    last = start + url.length;
  }
  if (last < body.length) parts.push({ type: "text", text: body.slice(last) });
  return parts;
}

/**
 * linkify, with each text part's phrase boundaries (BudouX) for clients that break lines between phrases, and its
 * share of the body's ruby (offsets on the body) where there is any, relative to the part.
 */
export function linkifyPhrased(body: string, ruby: readonly Ruby[] = []): BodyPart[] {
  let at = 0;
  return linkify(body).map((p) => {
    const start = at;
    at += p.text.length;
    if (p.type !== "text") return p;
    const own = ruby.filter(([s, e]) => s >= start && e <= at).map(([s, e, r]): Ruby => [s - start, e - start, r]);
    return { ...p, breaks: phraseBreaks(p.text), ...(own.length ? { ruby: own } : {}) };
  });
}

/** Normalises what a leader pasted: CRLF to LF, no trailing spaces at line ends, no NULs. */
export function cleanBody(body: string): string {
  return (
    body
      .replace(/\r\n?/g, "\n")
      // oxlint-disable-next-line no-control-regex -- NUL bytes are exactly what this removes
      .replace(/\u0000/g, "")
      .replace(/[ \t]+$/gm, "")
      .trim()
  );
}
