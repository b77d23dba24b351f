// What makes one answer to one question valid, and the words that say what is wrong (ja, en). Nothing is imported
// at run time: the server checks every answer with it (checkAnswer in questions.ts), and the residents' answer form
// (web/src/pages/resident/answers/) runs the same check before sending, so a resident reads the server's own words
// next to the question, offline too. An answer that passes is returned as the server stores it (text trimmed, the
// choices in the questions' order), so the device can tell its own answer from another member's.
import type { AnswerValue, Question, TallyItem } from "./questions";

export const ATTENDANCE = ["attend", "absent", "undecided"] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export const ATTENDANCE_LABELS: Record<Attendance, { ja: string; en: string }> = {
  attend: { ja: "出席", en: "Attend" },
  absent: { ja: "欠席", en: "Absent" },
  undecided: { ja: "未定", en: "Undecided" },
};
/** 出欠 「出席」: how many people. */
export const PEOPLE = { min: 1, max: 20 } as const;
export const TEXT_MAX = 200;
/** Number answers stay integers in this range (SQLite sums them exactly). */
export const NUMBER_LIMIT = 1_000_000_000;

/** What is wrong with an answer to one question, without the question's name (the form shows it beside it). */
export interface Problem {
  ja: string;
  en: string;
}

const wrong = (ja: string, en: string) => ({ problem: { ja, en } });
const notAnOption = () => wrong("選択肢から選んでください。", "Choose one of the options.");
const wrongShape = () => wrong("回答の形が質問と合いません。", "The answer does not fit the question.");

/** Whether the answer leaves the question unanswered. */
export function isUnanswered(a: AnswerValue | undefined): a is undefined {
  return (
    a === undefined ||
    ("text" in a && a.text.trim() === "") ||
    ("choices" in a && a.choices.length === 0) ||
    ("choice" in a && a.choice === "")
  );
}

/**
 * A whole number as a person types it, on a Japanese keyboard too (全角 digits and minus: 「１０」「－３」): null when
 * nothing is typed, NaN when it is not a whole number. The residents' form, the leaders' paper answer and compose's
 * ranges all read numbers this way.
 */
export function wholeNumber(text: string): number | null {
  const plain = text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－ー−]/g, "-")
    .trim();
  if (plain === "") return null;
  return /^-?\d+$/.test(plain) ? Number(plain) : Number.NaN;
}

/** How a screen says an answer's parts in its own language (answerWords). */
export interface AnswerWording {
  none: string;
  /** 「出席（2人）」 */
  withPeople: (choice: string, n: number) => string;
  /** Between several choices: 「、」 */
  join: string;
  option: (q: Question, id: string) => string;
}

/** One question's answer in words: 「出席（2人）」, 「軍手、ほうき」, 「3人」, the text; `none` when unanswered. */
export function answerWords(q: Question, a: AnswerValue | undefined, say: AnswerWording): string {
  if (!a) return say.none;
  if ("choice" in a) {
    const choice = say.option(q, a.choice);
    return a.people != null ? say.withPeople(choice, a.people) : choice;
  }
  if ("choices" in a) return a.choices.map((c) => say.option(q, c)).join(say.join);
  if ("number" in a) return `${a.number}${q.unit}`;
  return a.text;
}

/** The characters of a short text as the limit counts them (code points, so an emoji is one). */
export const textLength = (text: string) => [...text.trim()].length;

/**
 * One question's answer: what is wrong with it, or the answer as stored (undefined: an optional question left
 * unanswered) and its tally items (docs/adr/0006).
 */
export function checkQuestion(
  q: Question,
  a: AnswerValue | undefined,
): { problem: Problem } | { value: AnswerValue | undefined; items: TallyItem[] } {
  if (isUnanswered(a)) return q.required ? { problem: missing(q) } : { value: undefined, items: [] };
  const answered = (value: AnswerValue, ...more: TallyItem[]) => ({ value, items: [{ q: q.id, c: "*" }, ...more] });
  const options = new Set(q.options.map((o) => o.id));
  switch (q.kind) {
    case "attendance": {
      if (!("choice" in a) || !options.has(a.choice)) return notAnOption();
      if (a.choice !== "attend") return answered({ choice: a.choice }, { q: q.id, c: a.choice });
      const people = a.people;
      if (people === undefined || people === null) return wrong("人数を選んでください。", "Choose how many people.");
      if (!Number.isInteger(people) || people < PEOPLE.min || people > PEOPLE.max)
        return wrong(
          `人数は${PEOPLE.min}〜${PEOPLE.max}人で選んでください。`,
          `Choose ${PEOPLE.min} to ${PEOPLE.max} people.`,
        );
      return answered({ choice: "attend", people }, { q: q.id, c: "attend", n: people });
    }
    case "single": {
      if (!("choice" in a) || !options.has(a.choice) || ("people" in a && a.people != null)) return notAnOption();
      return answered({ choice: a.choice }, { q: q.id, c: a.choice });
    }
    case "multiple": {
      if (!("choices" in a) || a.choices.some((c) => !options.has(c))) return notAnOption();
      const chosen = q.options.map((o) => o.id).filter((id) => a.choices.includes(id));
      if (q.max !== null && chosen.length > q.max)
        return wrong(`選べるのは${q.max}つまでです。`, `Choose at most ${q.max}.`);
      return answered({ choices: chosen }, ...chosen.map((c) => ({ q: q.id, c })));
    }
    case "number": {
      if (!("number" in a)) return wrongShape();
      if (!Number.isInteger(a.number)) return wrong("整数で入力してください。", "Enter a whole number.");
      const min = q.min ?? -NUMBER_LIMIT;
      const max = q.max ?? NUMBER_LIMIT;
      if (a.number < min || a.number > max) {
        const range = numberRange(q);
        return wrong(`${range.ja}で入力してください。`, `Enter a number ${range.en}.`);
      }
      return answered({ number: a.number }, { q: q.id, c: "", n: a.number });
    }
    case "text": {
      if (!("text" in a)) return wrongShape();
      if (textLength(a.text) > TEXT_MAX)
        return wrong(`${TEXT_MAX}文字以内で入力してください。`, `Use at most ${TEXT_MAX} characters.`);
      return answered({ text: a.text.trim() });
    }
  }
}

function missing(q: Question): Problem {
  switch (q.kind) {
    case "attendance":
      return { ja: "出席・欠席・未定から選んでください。", en: "Choose attend, absent or undecided." };
    case "single":
      return { ja: "1つ選んでください。", en: "Choose one." };
    case "multiple":
      return { ja: "1つ以上選んでください。", en: "Choose at least one." };
    case "number":
      return { ja: "数を入力してください。", en: "Enter a number." };
    case "text":
      return { ja: "入力してください。", en: "Please write an answer." };
  }
}

/** A number question's range in words (「0人から10人まで」, "from 0 to 10 人"); empty Japanese when it has none. */
export function numberRange(q: Pick<Question, "min" | "max" | "unit">): Problem {
  const u = q.unit;
  const ja =
    q.min !== null && q.max !== null
      ? `${q.min}${u}から${q.max}${u}まで`
      : q.min !== null
        ? `${q.min}${u}以上`
        : q.max !== null
          ? `${q.max}${u}以下`
          : "";
  return { ja, en: `from ${q.min ?? "-"} to ${q.max ?? "-"}${u ? ` ${u}` : ""}` };
}
