import { useEffect, useRef, useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { acknowledge, pendingAcks } from "../../ack-queue";
import { pendingAnswers } from "../../answer-queue";
import { api, ApiError, type AnswerResult, type FeedCircular } from "../../api";
import { CircularContent } from "../../components/CircularContent";
import { lazyPart } from "../../components/lazy-part";
import { ErrorNotice, Loading } from "../../components/Loading";
import { Layout } from "../../components/Layout";
import { formatDateTime, isPastDue } from "../../format";
import { t } from "../../i18n";
import { online } from "../../online";
import { settings, speechSupported } from "../../settings";

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

/** The questions and the answer (its own chunk: only circulars that ask something load it). */
const AnswerSection = lazyPart(() => import("./answers/AnswerSection").then((m) => m.AnswerSection));

/**
 * One notice in large, reflowed text, with the big 「確認しました」 button; once pressed, the receipt and a big
 * 「一覧へ戻る」 under it. A circular that asks something shows its questions after the body, and while answers are
 * open 「回答する」 is the main action (answering acknowledges too); 「確認しました」 stays for a household that only
 * reads.
 */
export function CircularPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const [c, setC] = useState<FeedCircular | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ackError, setAckError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The pressed 「確認しました」 is gone once it worked: focus goes to 「一覧へ戻る」, the next thing to do.
  const [acked, setAcked] = useState(false);
  // 「やさしい日本語で読む」 on, and the circular has a やさしい日本語 version: it comes first, the original a tap away.
  const [easy, setEasy] = useState(settings.value.easy);
  const back = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (acked) back.current?.focus();
  }, [acked]);

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
  // Likewise a queued answer: the household's answer as stored (another member's, if theirs came later).
  const waitingAnswer = pendingAnswers.value[id]?.answeredAt;
  useEffect(() => {
    if (c && !waitingAnswer) void load();
  }, [waitingAnswer]);

  async function ack() {
    if (busy || !c) return;
    setBusy(true);
    setAckError(null);
    try {
      const r = await acknowledge(c.id);
      if (r === "gone") setError(t("circular.notFound"));
      else {
        if (r !== "pending") setC({ ...c, readAt: r.readAt, channel: r.channel });
        setAcked(true);
      }
    } catch (e) {
      setAckError(e instanceof ApiError ? e.display : t("circular.ackFailed"));
    } finally {
      setBusy(false);
    }
  }

  function answered(r: AnswerResult) {
    setC((cur) => cur && { ...cur, answer: r.answer, readAt: r.readAt ?? cur.readAt, channel: cur.channel ?? "app" });
  }

  const waiting = !!pending || !!waitingAnswer;
  const asking = !!c && c.questions.length > 0;
  const answersOpen = !!c && asking && c.answersOpen && !isPastDue(c.dueAt);
  // The やさしい日本語 version is shown when chosen and there is one (its parts come with its text).
  const showEasy = easy && !!c?.easyBody;
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
            <CircularContent
              title={c.title}
              titleBreaks={c.titleBreaks}
              titleRuby={c.titleRuby}
              priority={c.priority}
              from={c.from}
              origin={c.origin}
              leaderNote={c.leaderNote}
              publishedAt={c.publishedAt}
              dueAt={c.readAt ? null : c.dueAt}
              overdue={!c.readAt && !waiting && isPastDue(c.dueAt)}
              bodyParts={showEasy ? c.easyBodyParts! : c.bodyParts}
              attachments={c.attachments}
              heading="h1"
              idPrefix="circular"
              zoomImages
              beforeBody={
                <>
                  <SpeakButton c={showEasy ? { ...c, body: c.easyBody! } : c} />
                  {c.easyBody && (
                    <button type="button" class="btn" onClick={() => setEasy(!easy)}>
                      {showEasy ? t("circular.showOriginal") : t("circular.showEasy")}
                    </button>
                  )}
                </>
              }
            />
            {asking && (
              <AnswerSection
                c={c}
                open={answersOpen}
                onAnswered={answered}
                onGone={() => setError(t("circular.notFound"))}
                reload={load}
              />
            )}
            <div aria-live="polite" class="stack">
              {c.readAt ? (
                <p class="ack-done">
                  ✓{" "}
                  {t(c.channel === "paper" ? "circular.ackedPaper" : "circular.acked", {
                    date: formatDateTime(c.readAt),
                  })}
                </p>
              ) : pending ? (
                <p class="ack-pending">{t("circular.pending")}</p>
              ) : waitingAnswer ? null : (
                <>
                  {answersOpen && !c.answer && <p class="muted">{t("circular.ackOnly")}</p>}
                  <button
                    type="button"
                    class={answersOpen && !c.answer ? "btn big" : "btn primary big"}
                    onClick={ack}
                    aria-disabled={busy}
                  >
                    {busy ? t("circular.acking") : t("circular.ack")}
                  </button>
                </>
              )}
              {ackError && (
                <p class="notice error" role="alert">
                  {ackError}
                </p>
              )}
              {!online.value && !c.readAt && !waiting && <p class="muted">{t("circular.offlineCopy")}</p>}
            </div>
            {(c.readAt || waiting) && (
              <a class="btn primary big no-print" href="/" ref={back}>
                {t("circular.backToList")}
              </a>
            )}
          </article>
        )}
      </div>
    </Layout>
  );
}
