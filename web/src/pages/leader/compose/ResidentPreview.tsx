import { useState } from "preact/hooks";
import { CircularContent } from "../../../components/CircularContent";
import { RubyShown } from "../../../components/Phrases";
import { t } from "../../../i18n";
import { me } from "../../../session";
import { EasyBodyText } from "../../staff/EasyBodyText";
import { lt } from "../i18n";
import type { Circular } from "../leader-api";
import { QuestionSheet } from "../QuestionSheet";

/** The association's name as residents see it in 「〇〇町内会から」 (from /api/auth/me). */
export function associationName(): string {
  return (
    (me.value as { associationName?: string } | null | undefined)?.associationName ?? lt("leader.preview.fromFallback")
  );
}

/**
 * A saved draft drawn with the resident screen's own markup, classes and components (BodyText), so the leader
 * sees what a household's tablet will show, and its questions written out (as text: the choices drawn as boxes). The
 * 「確認しました」 button is a picture here: pressing it does nothing.
 */
export function ResidentPreview({ c }: { c: Circular }) {
  const ruby = c.titleRuby.length > 0 || c.bodyParts.some((p) => p.type === "text" && p.ruby?.length);
  // 「ふりがなも表示する」: as residents who chose 「ふりがなを表示」 will see it, whatever this device's setting.
  const [withRuby, setWithRuby] = useState(false);
  return (
    <RubyShown.Provider value={withRuby}>
      {ruby && (
        <div class="field">
          <label class="choice">
            <input
              type="checkbox"
              checked={withRuby}
              aria-describedby="preview-furigana-help"
              onChange={(e) => setWithRuby((e.target as HTMLInputElement).checked)}
            />
            {lt("leader.preview.furiganaShow")}
          </label>
          <p class="help" id="preview-furigana-help">
            {lt("leader.preview.furigana")}
          </p>
        </div>
      )}
      <div class="preview-frame">
        <article class="stack" aria-labelledby="preview-title">
          <CircularContent
            title={c.title}
            titleBreaks={c.titleBreaks}
            titleRuby={c.titleRuby}
            priority={c.priority}
            from={associationName()}
            publishedAt={new Date().toISOString()}
            dueAt={c.dueAt}
            bodyParts={c.bodyParts}
            attachments={c.attachments}
            heading="h2"
            idPrefix="preview"
            zoomImages={false}
          />
          <EasyBodyText parts={c.easyBodyParts} id="preview-easy-h" />
          {c.questions.length > 0 && (
            <section class="stack" aria-labelledby="preview-questions-h">
              <h3 id="preview-questions-h">{lt("leader.preview.questions")}</h3>
              <QuestionSheet questions={c.questions} anonymous={c.anonymous} />
            </section>
          )}
          <p class="btn primary big preview-ack" aria-hidden="true">
            {t("circular.ack")}
          </p>
        </article>
      </div>
    </RubyShown.Provider>
  );
}
