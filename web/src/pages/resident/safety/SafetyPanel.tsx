// One open 安否確認, as the home banner and the answer screen (/safety/<id>) both show it: the message, 「訓練」 on a
// drill, what the household has answered (or 「送信待ち」 while it waits on the device), and the two large buttons.
// 「無事です」 answers at once, in one tap; 「助けが必要です」 opens a short form (HelpForm) with nothing required.
// Either answer can be changed while the check is open. Answers go through the answers' own path and offline queue
// (answer-queue.ts): a safety check is a circular whose questions are fixed (safety-questions.ts).
import { useEffect, useRef, useState } from "preact/hooks";
import { answerOutcomes, pendingAnswers, submitAnswer } from "../../../answer-queue";
import { ApiError } from "../../../api";
import { formatDateTime } from "../../../format";
import { t } from "../../../i18n";
import { dismissEnded, endedChecks, markEnded, setSafetyAnswer, type SafetyCheck } from "../../../safety";
import {
  safetyAnswerOf,
  safetyAnswerValues,
  type SafetyAnswer,
} from "../../../../../server/features/safety/safety-questions";
import { HelpForm, type HelpDetails } from "./HelpForm";

const stateWords = (s: SafetyAnswer["state"]) => t(s === "safe" ? "safety.safe" : "safety.help");

/** What a 「助けが必要です」 answer said besides: needs, note, people. */
function Details({ a }: { a: SafetyAnswer }) {
  const lines = [
    a.needs.length > 0 &&
      t("safety.sentNeeds", { needs: a.needs.map((n) => t(`safety.need.${n}`)).join(t("safety.listJoin")) }),
    a.note && t("safety.sentNote", { note: a.note }),
    a.people !== null && t("safety.sentPeople", { n: a.people }),
  ].filter((x): x is string => !!x);
  if (lines.length === 0) return null;
  return (
    <ul class="safety-details">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

export interface SafetyPanelProps {
  check: SafetyCheck;
  /** h1 on the answer screen, h2 as the banner on home. */
  level: 1 | 2;
}

export function SafetyPanel({ check, level }: SafetyPanelProps) {
  const waiting = pendingAnswers.value[check.id];
  const outcome = answerOutcomes.value[check.id];
  const [form, setForm] = useState(false);
  const [busy, setBusy] = useState<"safe" | "help" | null>(null);
  // This screen sent an answer (said 「送りました」 once the server has it).
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The check ended meanwhile (409): said here, the buttons go, and the banner stays until 「閉じる」.
  const closed = endedChecks.value.some((c) => c.id === check.id);
  const [moved, setMoved] = useState(0);
  const status = useRef<HTMLDivElement>(null);
  const caught = useRef<ApiError | null>(null);
  useEffect(() => {
    if (moved > 0) status.current?.focus();
  }, [moved]);

  const shown: SafetyAnswer | null = waiting ? safetyAnswerOf(waiting.answers) : check.answer;

  async function send(state: SafetyAnswer["state"], details?: HelpDetails) {
    if (busy) return;
    setBusy(state);
    setError(null);
    try {
      const r = await submitAnswer(check.id, safetyAnswerValues({ state, ...details }));
      if (r === "gone") {
        markEnded(check);
        return;
      }
      if (r !== "pending")
        setSafetyAnswer(check.id, {
          ...safetyAnswerOf(r.answer.value),
          channel: r.answer.channel,
          answeredAt: r.answer.answeredAt,
        });
      setForm(false);
      setSent(true);
      setMoved((n) => n + 1);
    } catch (e) {
      caught.current = e instanceof ApiError ? e : null;
      if (e instanceof ApiError && e.status === 409) {
        setForm(false);
        markEnded(check);
      } else setError(e instanceof ApiError ? e.display : t("safety.failed"));
    } finally {
      setBusy(null);
    }
  }

  // What a send from the queue (after the connection came back) ended with, when this screen did not see it.
  const replaced = outcome && !(outcome instanceof ApiError) && !outcome.accepted;
  const refused =
    outcome instanceof ApiError && outcome !== caught.current
      ? outcome.status === 409
        ? t("safety.closed")
        : outcome.display
      : null;

  const H = level === 1 ? "h1" : "h2";
  const headId = `safety-${check.id}-h`;
  const answer = check.answer;
  return (
    <section class={check.drill ? "safety-banner drill" : "safety-banner"} aria-labelledby={headId}>
      <H id={headId} class="safety-title">
        {check.drill && <span class="safety-drill">{t("safety.drill")}</span>} {t("safety.title")}
      </H>
      <div class="safety-body stack">
        {check.drill && <p class="safety-drill-note">{t("safety.drillNote")}</p>}
        {check.origin === "city" && <p>{t("safety.fromCity")}</p>}
        <p class="safety-message">{check.message}</p>
        <p class="muted">{t("safety.started", { date: formatDateTime(check.startedAt) })}</p>
        <div class="stack safety-status" aria-live="polite" tabIndex={-1} ref={status}>
          {waiting ? (
            <p class="ack-pending">
              {t("safety.waiting", { state: stateWords(safetyAnswerOf(waiting.answers).state) })}
            </p>
          ) : answer ? (
            <>
              {sent && <p class="ack-done">✓ {t("safety.sent")}</p>}
              {replaced && <p class="notice">{t("safety.replaced")}</p>}
              <p class={answer.state === "help" ? "safety-answer help" : "safety-answer"}>
                {answer.channel === "app"
                  ? t("safety.answered", { state: stateWords(answer.state), date: formatDateTime(answer.answeredAt) })
                  : t("safety.recorded", {
                      state: stateWords(answer.state),
                      how: t(`safety.how.${answer.channel}`),
                      date: formatDateTime(answer.answeredAt),
                    })}
              </p>
            </>
          ) : null}
          {shown && shown.state === "help" && <Details a={shown} />}
        </div>
        {closed ? (
          <button type="button" class="btn big" onClick={() => dismissEnded(check.id)}>
            {t("safety.dismiss")}
          </button>
        ) : form ? (
          <HelpForm
            checkId={check.id}
            initial={shown?.state === "help" ? shown : null}
            busy={busy === "help"}
            onSubmit={(d) => void send("help", d)}
            onCancel={() => {
              setForm(false);
              setMoved((n) => n + 1);
            }}
          />
        ) : (
          <>
            <p class="safety-ask">{t(shown ? "safety.change" : "safety.ask")}</p>
            <div class="safety-buttons">
              <button
                type="button"
                class="btn big safety-safe"
                onClick={() => void send("safe")}
                aria-disabled={busy !== null}
              >
                {busy === "safe" ? t("safety.sending") : t("safety.safe")}
              </button>
              <button
                type="button"
                class="btn big safety-help"
                onClick={() => {
                  if (busy) return;
                  setError(null);
                  setForm(true);
                }}
                aria-disabled={busy !== null}
              >
                {t("safety.help")}
              </button>
            </div>
          </>
        )}
        <div role="alert">
          {closed ? (
            <p class="notice">{t("safety.closed")}</p>
          ) : (
            (error ?? refused) && <p class="notice error">{error ?? refused}</p>
          )}
        </div>
      </div>
    </section>
  );
}
