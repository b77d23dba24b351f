// 「質問を追加」 as a form holds it: each question with every kind's fields kept (switching the kind back and forth
// loses nothing typed), the checks made before asking the server (which checks the same, questions.ts on the server),
// and what is sent: only the fields of the chosen kind.
import { st } from "../i18n";
import { MAX_OPTIONS, wholeNumber, type Question, type QuestionIn, type QuestionKind } from "../questions";

export interface QuestionDraft {
  /** Stable while the question is moved around (list keys); not sent. */
  key: number;
  kind: QuestionKind;
  label: string;
  required: boolean;
  /** ひとつ選ぶ / いくつでも選ぶ. */
  options: string[];
  /** いくつでも選ぶ: at most this many; 数: the largest. As typed. */
  max: string;
  /** 数: the smallest and the unit. */
  min: string;
  unit: string;
}

let keys = 0;

export function newQuestion(): QuestionDraft {
  return { key: ++keys, kind: "attendance", label: "", required: true, options: ["", ""], max: "", min: "", unit: "" };
}

const text = (n: number | null) => (n === null ? "" : String(n));

/** A saved draft's questions back into the form. */
export function questionDrafts(questions: Question[]): QuestionDraft[] {
  return questions.map((q) => {
    const choice = q.kind === "single" || q.kind === "multiple";
    const number = q.kind === "number";
    return {
      key: ++keys,
      kind: q.kind,
      label: q.label,
      required: q.required,
      options: choice ? q.options.map((o) => o.label) : ["", ""],
      max: q.kind === "multiple" || number ? text(q.max) : "",
      min: number ? text(q.min) : "",
      unit: number ? q.unit : "",
    };
  });
}

/** The questions as the draft routes take them (checked first: checkQuestions). */
export function questionsPayload(drafts: QuestionDraft[]): QuestionIn[] {
  return drafts.map((d): QuestionIn => {
    const base = { label: d.label.trim(), required: d.required };
    const options = d.options.map((o) => o.trim());
    switch (d.kind) {
      case "single":
        return { kind: "single", ...base, options };
      case "multiple":
        return { kind: "multiple", ...base, options, max: wholeNumber(d.max) };
      case "number":
        return { kind: "number", ...base, unit: d.unit.trim(), min: wholeNumber(d.min), max: wholeNumber(d.max) };
      default:
        return { kind: d.kind, ...base };
    }
  });
}

/** What to fix in one question, or null. */
function problemOf(d: QuestionDraft): string | null {
  if (!d.label.trim()) return st("staff.q.labelMissing");
  if (d.kind === "single" || d.kind === "multiple") {
    const options = d.options.map((o) => o.trim());
    if (options.some((o) => !o)) return st("staff.q.optionEmpty");
    if (options.length < 2) return st("staff.q.optionsFew");
    if (new Set(options).size !== options.length) return st("staff.q.optionsSame");
  }
  if (d.kind === "multiple") {
    const max = wholeNumber(d.max);
    if (max !== null && !(max >= 1 && max <= Math.min(d.options.length, MAX_OPTIONS)))
      return st("staff.q.maxChoicesInvalid");
  }
  if (d.kind === "number") {
    const [min, max] = [wholeNumber(d.min), wholeNumber(d.max)];
    if (Number.isNaN(min) || Number.isNaN(max)) return st("staff.q.wholeNumber");
    if (min !== null && max !== null && min > max) return st("staff.q.rangeUpsideDown");
  }
  return null;
}

/**
 * What to fix, by field: `questions.<i>` next to each question, and `questions` itself so that the form's focus goes
 * to the first of them (errors.ts).
 */
export function checkQuestions(drafts: QuestionDraft[]): Record<string, string> {
  const fields: Record<string, string> = {};
  drafts.forEach((d, i) => {
    const problem = problemOf(d);
    if (problem) {
      fields[`questions.${i}`] = problem;
      fields.questions ??= problem;
    }
  });
  return fields;
}
