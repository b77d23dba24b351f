import { useEffect, useRef, useState } from "preact/hooks";
import type { AnswerValues, Question } from "../../../api";
import { serverLang, t } from "../../../i18n";
import { checkDraft, draftOf, type Draft, type DraftItem } from "./draft";
import { QuestionField } from "./QuestionField";

export interface AnswerFormProps {
  questions: Question[];
  /** The answer being changed (「回答を変える」): the tiles start as it was. */
  initial: AnswerValues | undefined;
  busy: boolean;
  /** Put focus on the first question when the form opens (after 「回答を変える」, not on arriving at the page). */
  focusOnOpen: boolean;
  /** Sends a checked answer; resolves with the server's problems by question id, if it refused it. */
  onSubmit(value: AnswerValues): Promise<Record<string, string> | undefined>;
  /** 「変えずに戻る」, while changing an answer. */
  onCancel?: () => void;
}

/** Focus on a question: what is wrong in it, else its chosen tile, else its first control. */
function focusQuestion(el: Element | null | undefined) {
  const target =
    el?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    el?.querySelector<HTMLElement>("input:checked") ??
    el?.querySelector<HTMLElement>("input, textarea");
  target?.focus();
}

/**
 * The questions and one 「回答する」. Before sending, the answer is checked by the server's own rules: what is wrong
 * is said under each question, and focus goes to the first one. The server's refusals are shown the same way.
 */
export function AnswerForm(p: AnswerFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(p.questions, p.initial));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [focusTick, setFocusTick] = useState(0);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (p.focusOnOpen) focusQuestion(form.current?.querySelector(".question"));
  }, []);
  useEffect(() => {
    if (focusTick > 0) focusQuestion(form.current?.querySelector(".question.invalid"));
  }, [focusTick]);

  function change(id: string, next: DraftItem) {
    setDraft((d) => ({ ...d, [id]: next }));
    setProblems((all) => {
      if (!(id in all)) return all;
      const rest = { ...all };
      delete rest[id];
      return rest;
    });
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (p.busy) return;
    const checked = checkDraft(p.questions, draft);
    const found = Object.fromEntries(Object.entries(checked.problems).map(([id, pr]) => [id, pr[serverLang()]]));
    const refused = Object.keys(found).length > 0 ? found : await p.onSubmit(checked.value);
    setProblems(refused ?? {});
    if (refused && Object.keys(refused).length > 0) setFocusTick((n) => n + 1);
  }

  const hasProblems = Object.keys(problems).length > 0;
  return (
    <form ref={form} class="stack answer-form" noValidate onSubmit={submit}>
      {p.questions.map((q, i) => (
        <QuestionField
          key={q.id}
          q={q}
          index={i}
          item={draft[q.id]!}
          onChange={(next) => change(q.id, next)}
          problem={problems[q.id]}
        />
      ))}
      <div role="alert">{hasProblems && <p class="notice error">{t("answers.check")}</p>}</div>
      <button type="submit" class="btn primary big" aria-disabled={p.busy}>
        {p.busy ? t("answers.sending") : t("answers.submit")}
      </button>
      {p.onCancel && (
        <button type="button" class="btn big" onClick={p.onCancel}>
          {t("answers.keep")}
        </button>
      )}
    </form>
  );
}
