import { Fragment } from "preact";

/**
 * Text that breaks lines only between phrases (文節): the server's offsets become <wbr> inside an element styled
 * `word-break: keep-all` (class "phrases"), so 「…お願 / い」 cannot happen; `overflow-wrap: anywhere` still breaks a
 * phrase longer than the line. Without offsets (an older server, a cached copy) the text renders as before. The
 * association's words are Japanese whatever the interface language (`lang="ja"`: font and voice).
 */
export function Phrases({ text, breaks }: { text: string; breaks?: number[] }) {
  if (!breaks) return <>{text}</>;
  let last = 0;
  return (
    <span class="phrases" lang="ja">
      {breaks
        .filter((b) => b > 0 && b < text.length)
        .map((b, i) => {
          const piece = text.slice(last, b);
          last = b;
          return (
            <Fragment key={i}>
              {piece}
              <wbr />
            </Fragment>
          );
        })}
      {text.slice(last)}
    </span>
  );
}
