import { BodyText } from "../../../components/BodyText";
import { formatDate, formatSize } from "../../../format";
import { t } from "../../../i18n";
import { me } from "../../../session";
import { lt } from "../i18n";
import type { Circular } from "../leader-api";

/**
 * The association's name as residents see it in 「〇〇町内会から」. /api/auth/me does not carry it yet; until it
 * does, a neutral 「町内会から」 stands in.
 */
export function associationName(): string {
  return (me.value as { associationName?: string } | null | undefined)?.associationName ?? lt("leader.preview.fromFallback");
}

/**
 * A saved draft drawn with the resident screen's own markup, classes and components (BodyText), so the leader
 * sees what a household's tablet will show. The 「確認しました」 button is a picture here: pressing it does nothing.
 */
export function ResidentPreview({ c }: { c: Circular }) {
  const images = c.attachments.filter((a) => a.contentType.startsWith("image/"));
  const files = c.attachments.filter((a) => !a.contentType.startsWith("image/"));
  return (
    <div class="preview-frame">
      <article class="stack" aria-labelledby="preview-title">
        {c.priority === "urgent" && <p class="banner-urgent">{t("card.urgent")}</p>}
        <h2 id="preview-title" class="as-h1">
          {c.title}
        </h2>
        <p class="circular-meta">
          {t("circular.from", { from: associationName() })} ・ {formatDate(new Date())}
          {c.dueAt && (
            <>
              <br />
              {t("circular.due", { date: formatDate(c.dueAt) })}
            </>
          )}
        </p>
        <BodyText parts={c.bodyParts} />
        {c.attachments.length > 0 && (
          <section aria-labelledby="preview-att-h" class="stack">
            <h3 id="preview-att-h" class="as-h2">
              {t("circular.attachments")}
            </h3>
            <ul class="attachments">
              {images.map((a) => (
                <li key={a.id}>
                  <img src={a.url} alt={a.fileName} />
                </li>
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
        <p class="btn primary big preview-ack" aria-hidden="true">
          {t("circular.ack")}
        </p>
      </article>
    </div>
  );
}
