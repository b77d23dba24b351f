import type { BodyPart } from "../api";
import { Phrases } from "./Phrases";

/**
 * A circular's body from the server's parts: text nodes and links, never HTML. Line breaks are kept by CSS
 * (white-space: pre-wrap); links open outside the app.
 */
export function BodyText({ parts, id }: { parts: BodyPart[]; id?: string }) {
  return (
    <div class="circular-body" id={id} lang="ja">
      {parts.map((p, i) =>
        p.type === "link" ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">
            {p.text}
          </a>
        ) : (
          <Phrases key={i} text={p.text} breaks={p.breaks} ruby={p.ruby} />
        ),
      )}
    </div>
  );
}
