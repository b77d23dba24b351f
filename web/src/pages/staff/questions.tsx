// A circular's questions as both staff chunks show them: the kinds' names, whole numbers typed in either width, and a
// question's counts as lines a person reads aloud (「出席 12世帯（25人）」「欠席 3世帯」), the same on the leaders'
// board and in the city's survey table.
import type { QuestionCounts } from "../../../../server/features/answers/answers.schemas";
import type { Question, QuestionKind } from "../../../../server/features/answers/questions";
import { serverLang } from "../../i18n";
import { st } from "./i18n";

// The server's shapes, as types only (erased at build time).
export type { QuestionCounts, QuestionTally } from "../../../../server/features/answers/answers.schemas";
export type {
  AnswerValue,
  AnswerValues,
  Question,
  QuestionIn,
  QuestionKind,
} from "../../../../server/features/answers/questions";

export const KINDS: QuestionKind[] = ["attendance", "single", "multiple", "number", "text"];
export const MAX_QUESTIONS = 10;
export const MAX_OPTIONS = 10;

export const kindName = (k: QuestionKind) => st(`staff.q.kind.${k}`);

export { PEOPLE, wholeNumber } from "../../../../server/features/answers/answer-rules";

const num = (n: number) => n.toLocaleString(serverLang() === "en" ? "en-GB" : "ja-JP");

/** A question's counts as lines: households per option (and the people of 「出席」), the sum of a number. */
export function tallyLines(q: Question, t: QuestionCounts): string[] {
  if (q.kind === "number") return [st("staff.tally.sum", { sum: num(t.sum ?? 0), unit: q.unit, n: num(t.answered) })];
  if (q.kind === "text") return [st("staff.tally.texts", { n: num(t.answered) })];
  return q.options.map((o) => {
    const c = t.options.find((x) => x.id === o.id);
    const n = num(c?.households ?? 0);
    return q.kind === "attendance" && o.id === "attend"
      ? st("staff.tally.people", { label: o.label, n, people: num(c?.amount ?? 0) })
      : st("staff.tally.option", { label: o.label, n });
  });
}

/** 「質問1　出られますか」 */
export const questionHeading = (q: Question, index: number) =>
  st("staff.tally.question", { n: index + 1, label: q.label });

/** The lines of tallyLines as a list (the board, the city's table). */
export function TallyLines({ q, t }: { q: Question; t: QuestionCounts }) {
  return (
    <ul class="tally-lines">
      {tallyLines(q, t).map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
