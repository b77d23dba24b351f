// The answer form's state (what the resident has chosen and typed so far), the check before sending (the server's
// own rules and words, answer-rules.ts), and an answer in words (「出席（2人）」).
import {
  ATTENDANCE_LABELS,
  answerWords,
  checkQuestion,
  type Attendance,
  type Problem,
  wholeNumber,
} from "../../../../../server/features/answers/answer-rules";
import type { AnswerValue, AnswerValues, Question } from "../../../api";
import { t } from "../../../i18n";

/** One question's state: a choice (出欠, one choice) and 人数, several choices, or typed text (number, short text). */
export interface DraftItem {
  choice: string | null;
  people: string;
  choices: string[];
  text: string;
}
export type Draft = Record<string, DraftItem>;

const BLANK: DraftItem = { choice: null, people: "1", choices: [], text: "" };

/** The form for a first answer (人数 starts at 1), or filled with the answer being changed. */
export function draftOf(questions: Question[], answer: AnswerValues | undefined): Draft {
  const draft: Draft = {};
  for (const q of questions) {
    const a = answer?.[q.id];
    const item = { ...BLANK };
    if (a && "choice" in a) {
      item.choice = a.choice;
      if (a.people != null) item.people = String(a.people);
    } else if (a && "choices" in a) item.choices = a.choices;
    else if (a && "number" in a) item.text = String(a.number);
    else if (a && "text" in a) item.text = a.text;
    draft[q.id] = item;
  }
  return draft;
}

function valueOf(q: Question, d: DraftItem | undefined): AnswerValue | undefined {
  if (!d) return undefined;
  switch (q.kind) {
    case "attendance":
      return d.choice === null
        ? undefined
        : { choice: d.choice, people: d.choice === "attend" ? wholeNumber(d.people) : undefined };
    case "single":
      return d.choice === null ? undefined : { choice: d.choice };
    case "multiple":
      return d.choices.length === 0 ? undefined : { choices: d.choices };
    case "number": {
      const n = wholeNumber(d.text);
      return n === null ? undefined : { number: n };
    }
    case "text":
      return d.text.trim() === "" ? undefined : { text: d.text };
  }
}

/** The answer to send (as the server will store it), or what is wrong, by question id. */
export function checkDraft(
  questions: Question[],
  draft: Draft,
): { value: AnswerValues; problems: Record<string, Problem> } {
  const value: AnswerValues = {};
  const problems: Record<string, Problem> = {};
  for (const q of questions) {
    const checked = checkQuestion(q, valueOf(q, draft[q.id]));
    if ("problem" in checked) problems[q.id] = checked.problem;
    else if (checked.value) value[q.id] = checked.value;
  }
  return { value, problems };
}

/** A choice's words: 出欠's in the app's language, the leader's own options as written. */
export function optionLabel(q: Question, id: string): string {
  if (q.kind === "attendance" && id in ATTENDANCE_LABELS) return t(`answers.attendance.${id as Attendance}`);
  return q.options.find((o) => o.id === id)?.label ?? id;
}

/** An answer as a resident reads it: 「出席（2人）」, 「軍手、ほうき」, 「3人」, the text; 「回答なし」. */
export function answerText(q: Question, a: AnswerValue | undefined): string {
  return answerWords(q, a, {
    none: t("answers.none"),
    withPeople: (choice, n) => t("answers.withPeople", { choice, n }),
    join: t("answers.join"),
    option: optionLabel,
  });
}
