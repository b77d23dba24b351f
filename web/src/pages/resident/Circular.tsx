import { useEffect, useRef, useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { acknowledge, pendingAcks } from "../../ack-queue";
import { api, ApiError, type Attachment, type FeedCircular } from "../../api";
import { BodyText } from "../../components/BodyText";
import { ErrorNotice, Loading } from "../../components/Loading";
import { Layout } from "../../components/Layout";
import { formatDate, formatDateTime, formatSize } from "../../format";
import { t } from "../../i18n";
import { online } from "../../online";
import { settings, speechSupported } from "../../settings";

function ImageAttachment({ a }: { a: Attachment }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const label = t("circular.image", { name: a.fileName });
  return (
    <li>
      <button type="button" class="thumb" onClick={() => dialog.current?.showModal()} aria-label={label}>
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

function SpeakButton({ c }: { c: FeedCircular }) {
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => () => window.speechSynthesis?.cancel(), []);
  if (!speechSupported || !settings.value.speech) return null;
  function toggle() {
    const synth = window.speechSynthesis;
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const u = new SpeechSynthesisUtterance(`${c.title}。\n${c.body}`);
    u.lang = "ja-JP";
    const voice = synth.getVoices().find((v) => v.lang.startsWith("ja"));
    if (voice) u.voice = voice;
    u.rate = 0.9;
    u.onend = () => setSpeaking(false);
    synth.speak(u);
    setSpeaking(true);
  }
  return (
    <button type="button" class="btn" onClick={toggle} aria-pressed={speaking}>
      {speaking ? t("circular.stopSpeaking") : t("circular.speak")}
    </button>
  );
}

/** One notice in large, reflowed text, with the big 「確認しました」 button. */
export function CircularPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const [c, setC] = useState<FeedCircular | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ackError, setAckError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      setC(await api<FeedCircular>(`/api/feed/${encodeURIComponent(id)}`));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? (e.status === 404 ? t("circular.notFound") : e.display) : t("app.offline"));
    }
  }
  useEffect(() => {
    void load();
  }, [id]);
  // A queued acknowledgement that just went through: show the receipt.
  const pending = pendingAcks.value[id];
  useEffect(() => {
    if (c && !c.readAt && !pending && !busy) void load();
  }, [pending]);

  async function ack() {
    if (busy || !c) return;
    setBusy(true);
    setAckError(null);
    try {
      const r = await acknowledge(c.id);
      if (r === "gone") setError(t("circular.notFound"));
      else if (r !== "pending") setC({ ...c, readAt: r.readAt, channel: r.channel });
    } catch (e) {
      setAckError(e instanceof ApiError ? e.display : t("circular.ackFailed"));
    } finally {
      setBusy(false);
    }
  }

  const images = c?.attachments.filter((a) => a.contentType.startsWith("image/")) ?? [];
  const files = c?.attachments.filter((a) => !a.contentType.startsWith("image/")) ?? [];

  return (
    <Layout title={c?.title ?? t("app.name")}>
      <div class="stack">
        <p class="no-print">
          <a class="link-target" href="/">
            <span aria-hidden="true">←</span>
            <span>{t("nav.back")}</span>
          </a>
        </p>
        {error && <ErrorNotice message={error} onRetry={load} />}
        {!c && !error && <Loading />}
        {c && (
          <article class="stack" aria-labelledby="circular-title">
            {c.priority === "urgent" && <p class="banner-urgent">{t("card.urgent")}</p>}
            <h1 id="circular-title">{c.title}</h1>
            <p class="circular-meta">
              {t("circular.from", { from: c.from })}
              {c.publishedAt && <> ・ {formatDate(c.publishedAt)}</>}
              {c.dueAt && !c.readAt && (
                <>
                  <br />
                  {t("circular.due", { date: formatDate(c.dueAt) })}
                </>
              )}
            </p>
            <SpeakButton c={c} />
            <BodyText parts={c.bodyParts} />
            {c.attachments.length > 0 && (
              <section aria-labelledby="att-h" class="stack">
                <h2 id="att-h">{t("circular.attachments")}</h2>
                <ul class="attachments">
                  {images.map((a) => (
                    <ImageAttachment key={a.id} a={a} />
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
            <div aria-live="polite">
              {c.readAt ? (
                <p class="ack-done">
                  ✓ {t(c.channel === "paper" ? "circular.ackedPaper" : "circular.acked", { date: formatDateTime(c.readAt) })}
                </p>
              ) : pending ? (
                <p class="ack-pending">{t("circular.pending")}</p>
              ) : (
                <button type="button" class="btn primary big" onClick={ack} aria-disabled={busy}>
                  {busy ? t("circular.acking") : t("circular.ack")}
                </button>
              )}
              {ackError && (
                <p class="notice error" role="alert">
                  {ackError}
                </p>
              )}
              {!online.value && !c.readAt && !pending && <p class="muted">{t("circular.offlineCopy")}</p>}
            </div>
          </article>
        )}
      </div>
    </Layout>
  );
}
