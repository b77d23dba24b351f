// A circular's questions on the resident's screen, in their own chunk with their strings and styles (loaded by the
// circular page only when the circular asks something). One of four things shows:
//   the form          while answers are open and the household has not answered (or taps 「回答を変える」)
//   送信待ち           an answer made offline, waiting on the device (answer-queue.ts), with what it says
//   回答済み           the household's answer in words (「出席（2人）」), and 「回答を変える」 while answers are open
//   締め切りました       past the due date (the server's or this device's clock), with the answer or that there is none
import { useEffect, useRef, useState } from "preact/hooks";
import { answerOutcomes, pendingAnswers, submitAnswer } from "../../../answer-queue";
import { ApiError, type AnswerResult, type AnswerValues, type FeedCircular } from "../../../api";
import { formatDateTime } from "../../../format";
import { extendMessages, t } from "../../../i18n";
import { answersEn } from "../../../i18n/answers.en";
import { answersJa } from "../../../i18n/answers.ja";
import { AnswerForm } from "./AnswerForm";
import { answerText } from "./draft";
import "./answers.css";

extendMessages({ ja: answersJa, en: answersEn }, "resident");

export interface AnswerSectionProps {
  c: FeedCircular;
  /** Answers are taken now (the server says so and the due date has not passed on this device). */
  open: boolean;
  /** The server took an answer (or kept another member's later one): the page shows it, and 確認済み. */
  onAnswered(r: AnswerResult): void;
  /** The circular is gone (withdrawn). */
  onGone(): void;
  /** Read the circular again (answers closed meanwhile). */
  reload(): void;
}

function AnswerList({ c, value }: { c: FeedCircular; value: AnswerValues }) {
  return (
    <dl class="answer-list">
      {c.questions.map((q) => (
        <div key={q.id}>
          <dt>{q.label}</dt>
          <dd>{answerText(q, value[q.id])}</dd>
        </div>
      ))}
    </dl>
  );
}

export function AnswerSection({ c, open, onAnswered, onGone, reload }: AnswerSectionProps) {
  const waiting = pendingAnswers.value[c.id];
  const outcome = answerOutcomes.value[c.id];
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // After 「回答する」 or 「変えずに戻る」, focus goes to what the section now says (a screen reader reads it).
  const [moved, setMoved] = useState(0);
  const result = useRef<HTMLDivElement>(null);
  const caught = useRef<ApiError | null>(null);
  useEffect(() => {
    if (moved > 0) result.current?.focus();
  }, [moved]);

  async function send(value: AnswerValues): Promise<Record<string, string> | undefined> {
    setBusy(true);
    setError(null);
    try {
      const r = await submitAnswer(c.id, value);
      if (r === "gone") {
        onGone();
        return undefined;
      }
      if (r !== "pending") onAnswered(r);
      setEditing(false);
      setMoved((n) => n + 1);
    } catch (e) {
      caught.current = e instanceof ApiError ? e : null;
      if (e instanceof ApiError && e.status === 400) {
        const byQuestion = c.questions.flatMap((q) => {
          const m = e.fieldMessage(`answers.${q.id}`);
          return m ? [[q.id, m] as const] : [];
        });
        if (byQuestion.length > 0) return Object.fromEntries(byQuestion);
      }
      setError(e instanceof ApiError ? e.display : t("answers.failed"));
      if (e instanceof ApiError && e.status === 409) {
        setEditing(false);
        reload();
      }
    } finally {
      setBusy(false);
    }
    return undefined;
  }

  function change() {
    setError(null);
    setEditing(true);
  }

  // What a send from the queue (after the connection came back) ended with, when this page did not see it happen.
  const replaced = outcome && !(outcome instanceof ApiError) && !outcome.accepted;
  const refused = outcome instanceof ApiError && outcome !== caught.current ? outcome.display : null;

  let body;
  // While its own send runs, the form stays (the answer waits in the queue meanwhile): a refusal is shown in it.
  if (editing || busy || (open && !waiting && !c.answer)) {
    body = (
      <>
        <p>{t("answers.lead")}</p>
        {c.anonymous && <p class="notice">{t("answers.anonymous")}</p>}
        <AnswerForm
          questions={c.questions}
          initial={editing ? (waiting?.answers ?? c.answer?.value) : undefined}
          busy={busy}
          focusOnOpen={editing}
          onSubmit={send}
          onCancel={
            editing
              ? () => {
                  setEditing(false);
                  setMoved((n) => n + 1);
                }
              : undefined
          }
        />
      </>
    );
  } else {
    const shown = waiting?.answers ?? c.answer?.value;
    body = (
      <>
        <div class="stack answer-result" tabIndex={-1} ref={result}>
          {waiting ? (
            <p class="ack-pending">{t("circular.pending")}</p>
          ) : c.answer ? (
            <>
              {replaced && <p class="notice">{t("answers.replaced")}</p>}
              <p class="ack-done">
                ✓{" "}
                {t(c.answer.channel === "paper" ? "answers.donePaper" : "answers.done", {
                  date: formatDateTime(c.answer.answeredAt),
                })}
              </p>
              {c.answer.answeredByName && <p class="muted">{t("answers.by", { name: c.answer.answeredByName })}</p>}
            </>
          ) : null}
          {!open && !waiting && <p class="notice">{t(shown ? "answers.closed" : "answers.closedNone")}</p>}
          {shown && (
            <>
              <h3>{t(waiting ? "answers.waiting" : "answers.yours")}</h3>
              <AnswerList c={c} value={shown} />
            </>
          )}
        </div>
        {open && (
          <button type="button" class="btn big" onClick={change}>
            {t("answers.change")}
          </button>
        )}
      </>
    );
  }

  return (
    <section class="stack answers" aria-labelledby="answers-h">
      <h2 id="answers-h">{t("answers.title")}</h2>
      {body}
      <div role="alert">{(error ?? refused) && <p class="notice error">{error ?? refused}</p>}</div>
    </section>
  );
}
