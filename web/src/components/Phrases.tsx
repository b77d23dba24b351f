import { createContext, type ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import type { RubySpans } from "../api";
import { settings } from "../settings";

/**
 * Text that breaks lines only between phrases (文節): the server's offsets become <wbr> inside an element styled
 * `word-break: keep-all` (class "phrases"), so 「…お願 / い」 cannot happen; `overflow-wrap: anywhere` still breaks a
 * phrase longer than the line. Without offsets (an older server, a cached copy) the text renders as before. The
 * association's words are Japanese whatever the interface language (`lang="ja"`: font and voice).
 * With 「ふりがなを表示」 on (settings.furigana), the server's ruby (docs/adr/0016) becomes <ruby>base<rt>reading</rt>
 * </ruby>; off, no <rt> is in the page. Chromium may break a line at a <ruby>'s edge even under keep-all
 * (「申し / 込み」), so with ruby each phrase is a span of its own (class "phrase", an inline-block that still wraps
 * inside when wider than the line); line ends stay outside them.
 */
/** True inside the leader's preview: ruby is shown whatever this device's setting (as residents who chose it see). */
export const RubyShown = createContext(false);

export function Phrases({ text, breaks, ruby }: { text: string; breaks?: number[]; ruby?: RubySpans }) {
  const forced = useContext(RubyShown);
  const shown = (settings.value.furigana || forced) && ruby?.length ? ruby : null;
  if (!breaks && !shown) return <>{text}</>;
  const inside = (b: number) => shown?.some(([s, e]) => b > s && b < e) ?? false;
  const cuts = new Set((breaks ?? []).filter((b) => b > 0 && b < text.length && !inside(b)));
  // With ruby, a phrase also ends around each line end, so that no inline-block holds one.
  const ends = shown ? [...text.matchAll(/\n+/g)].flatMap((m) => [m.index, m.index + m[0].length]) : [];
  const phraseEdges = [...new Set([0, ...cuts, ...ends, text.length])].sort((a, b) => a - b);
  const at = new Map(shown?.map((r) => [r[0], r]));
  const piece = (from: number, to: number): ComponentChildren[] => {
    const out: ComponentChildren[] = [];
    for (let i = from; i < to;) {
      const r = at.get(i);
      if (r && r[1] <= to) {
        out.push(
          <ruby key={i}>
            {text.slice(r[0], r[1])}
            <rt>{r[2]}</rt>
          </ruby>,
        );
        i = r[1];
        continue;
      }
      let j = i + 1;
      while (j < to && !at.has(j)) j++;
      out.push(text.slice(i, j));
      i = j;
    }
    return out;
  };
  const out: ComponentChildren[] = [];
  for (let k = 0; k < phraseEdges.length - 1; k++) {
    const from = phraseEdges[k]!;
    const to = phraseEdges[k + 1]!;
    if (cuts.has(from)) out.push(<wbr key={`w${from}`} />);
    const parts = piece(from, to);
    out.push(
      shown && parts.some((p) => typeof p === "object") && !text.slice(from, to).includes("\n") ? (
        <span key={from} class="phrase">
          {parts}
        </span>
      ) : (
        parts
      ),
    );
  }
  return (
    <span class={[breaks && "phrases", shown && "has-ruby"].filter(Boolean).join(" ") || undefined} lang="ja">
      {out}
    </span>
  );
}
