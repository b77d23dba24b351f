import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import type { Attachment, BodyPart, RubySpans } from "../api";
import { formatDate, formatSize } from "../format";
import { t } from "../i18n";
import { BodyText } from "./BodyText";
import { Phrases } from "./Phrases";

/** A photo shown inline; pressing it opens it large in a dialog (residents pinch-zoom badly on tablets). */
function ImageAttachment({ a, zoom }: { a: Attachment; zoom: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  if (!zoom)
    return (
      <li>
        <img src={a.url} alt={a.fileName} />
      </li>
    );
  return (
    <li>
      <button
        type="button"
        class="thumb"
        onClick={() => dialog.current?.showModal()}
        aria-label={t("circular.image", { name: a.fileName })}
      >
        <img src={a.url} alt={a.fileName} loading="lazy" />
      </button>
      <dialog ref={dialog} class="lightbox" aria-label={a.fileName}>
        <img src={a.url} alt={a.fileName} />
        <button type="button" class="btn primary" onClick={() => dialog.current?.close()}>
          {t("circular.close")}
        </button>
      </dialog>
    </li>
  );
}

export interface CircularContentProps {
  title: string;
  /** Where the title may break a line (phrase boundaries from the server); absent: breaks anywhere, as before. */
  titleBreaks?: number[];
  /** ふりがな of the title, shown where the resident chose 「ふりがなを表示」. */
  titleRuby?: RubySpans;
  priority: "normal" | "urgent";
  from: string;
  /** "city": marked 「仙台市から」, the association shown as the way it came. */
  origin?: "association" | "city";
  /** The association leader's note on a city circular, shown above the body. */
  leaderNote?: string | null;
  publishedAt: string | null;
  /** Shown while the household has not yet acknowledged. */
  dueAt: string | null;
  /** The due date has passed and the household has not acknowledged: 「期限を過ぎています」 beside it. */
  overdue?: boolean;
  bodyParts: BodyPart[];
  attachments: Attachment[];
  /** The resident screen's title is its h1; in the leader's preview the same markup sits under the page's h1. */
  heading: "h1" | "h2";
  idPrefix: string;
  /** Photos open large when pressed (the resident screen); the preview shows them plainly. */
  zoomImages: boolean;
  /** Between the meta line and the body (the read-aloud button). */
  beforeBody?: ComponentChildren;
}

/**
 * A circular as a household's tablet shows it: urgent banner, title, who sent it and when, the body as text and
 * safe links, photos inline, PDFs as links with their size. The resident screen and the leader's preview both draw
 * it with this one component, so the preview is exactly what residents see.
 */
export function CircularContent(p: CircularContentProps) {
  const images = p.attachments.filter((a) => a.contentType.startsWith("image/"));
  const files = p.attachments.filter((a) => !a.contentType.startsWith("image/"));
  const Title = p.heading;
  const Sub = p.heading === "h1" ? "h2" : "h3";
  return (
    <>
      {p.priority === "urgent" && <p class="banner-urgent">{t("card.urgent")}</p>}
      <Title id={`${p.idPrefix}-title`} class={p.heading === "h2" ? "as-h1" : undefined}>
        <Phrases text={p.title} breaks={p.titleBreaks} ruby={p.titleRuby} />
      </Title>
      {p.origin === "city" && (
        <p>
          <span class="badge city">{t("card.city")}</span>
        </p>
      )}
      <p class="circular-meta">
        {t(p.origin === "city" ? "card.via" : "circular.from", { from: p.from })}
        {p.publishedAt && <> ・ {formatDate(p.publishedAt)}</>}
        {p.dueAt && (
          <>
            <br />
            {t("circular.due", { date: formatDate(p.dueAt) })}
            {p.overdue && (
              <>
                <br />
                <strong class="overdue">{t("card.overdue")}</strong>
              </>
            )}
          </>
        )}
      </p>
      {p.beforeBody}
      {p.leaderNote && (
        <section class="leader-note" aria-labelledby={`${p.idPrefix}-note-h`}>
          <Sub id={`${p.idPrefix}-note-h`} class="leader-note-h">
            {t("circular.leaderNote")}
          </Sub>
          <p class="leader-note-text">{p.leaderNote}</p>
        </section>
      )}
      <BodyText parts={p.bodyParts} />
      {p.attachments.length > 0 && (
        <section aria-labelledby={`${p.idPrefix}-att-h`} class="stack">
          <Sub id={`${p.idPrefix}-att-h`} class={p.heading === "h2" ? "as-h2" : undefined}>
            {t("circular.attachments")}
          </Sub>
          <ul class="attachments">
            {images.map((a) => (
              <ImageAttachment key={a.id} a={a} zoom={p.zoomImages} />
            ))}
            {files.map((a) => (
              <li key={a.id}>
                <a class="btn" href={a.url} target="_blank" rel="noopener">
                  {t("circular.pdf", { name: a.fileName, size: formatSize(a.size) })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
