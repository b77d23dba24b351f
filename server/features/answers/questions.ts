// A circular's questions and a household's answer to them: the kinds, what a leader may ask, and the check of an
// answer against the questions. The check turns a valid answer into its tally items: one {q, c, n} per (question,
// choice) it counts for, so the tallies of every kind move by the same SQL (answer-batch.ts, docs/adr/0006).
import { z } from "@hono/zod-openapi";
import { errors, type FieldError } from "../../lib/errors";

export const QUESTION_KINDS = ["attendance", "single", "multiple", "number", "text"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const MAX_QUESTIONS = 10;
export const MAX_OPTIONS = 10;
export const ATTENDANCE = ["attend", "absent", "undecided"] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export const ATTENDANCE_LABELS: Record<Attendance, { ja: string; en: string }> = {
  attend: { ja: "出席", en: "Attend" },
  absent: { ja: "欠席", en: "Absent" },
  undecided: { ja: "未定", en: "Undecided" },
};
export const PEOPLE = { min: 1, max: 20 } as const;
export const TEXT_MAX = 200;
/** Number answers stay integers in this range (SQLite sums them exactly). */
const NUMBER_LIMIT = 1_000_000_000;

// ---------- what a leader asks (compose) ----------

const Label = z.string().trim().min(1).max(100);
const OptionLabel = z.string().trim().min(1).max(60);
const Base = { label: Label, required: z.boolean().default(true) };
const Int = z.number().int().min(-NUMBER_LIMIT).max(NUMBER_LIMIT);

export const QuestionInput = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("attendance"), ...Base }),
    z.strictObject({ kind: z.literal("single"), ...Base, options: z.array(OptionLabel).min(2).max(MAX_OPTIONS) }),
    z.strictObject({
      kind: z.literal("multiple"),
      ...Base,
      options: z.array(OptionLabel).min(2).max(MAX_OPTIONS),
      max: z.number().int().min(1).max(MAX_OPTIONS).nullable().default(null),
    }),
    z.strictObject({
      kind: z.literal("number"),
      ...Base,
      unit: z.string().trim().max(10).default(""),
      min: Int.nullable().default(null),
      max: Int.nullable().default(null),
    }),
    z.strictObject({ kind: z.literal("text"), ...Base }),
  ])
  .openapi("QuestionInput");

export const QuestionsInput = z.array(QuestionInput).max(MAX_QUESTIONS);
/** The questions as a leader asked them, checked by the schema (before toQuestions gives them ids). */
export type AskedQuestions = z.output<typeof QuestionsInput>;

const OptionSchema = z.object({ id: z.string(), label: z.string() });
export const QuestionSchema = z
  .object({
    id: z.string().openapi({ example: "q1" }),
    kind: z.enum(QUESTION_KINDS),
    label: z.string(),
    required: z.boolean(),
    options: z.array(OptionSchema).openapi({ description: "出欠: attend/absent/undecided; empty for number and text" }),
    max: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "several choices: at most this many; number: the maximum" }),
    min: z.number().int().nullable().openapi({ description: "number: the minimum; 出欠: 人数 from 1" }),
    unit: z.string().openapi({ description: "number: the unit (人, 個); 出欠: 人" }),
  })
  .openapi("Question");

export type QuestionIn = z.input<typeof QuestionInput>;
export type Question = z.output<typeof QuestionSchema>;

/**
 * The stored form of what a leader asked: ids by position (q1…, o1…), which is safe because questions are frozen
 * once published and no answer exists before; a city circular's copies keep the same ids. Throws a validation error
 * naming the question when a choice list repeats itself or a range is upside down.
 */
export function toQuestions(input: AskedQuestions): Question[] {
  const fields: FieldError[] = [];
  const out = input.map((q, i): Question => {
    const id = `q${i + 1}`;
    const path = `questions.${i}`;
    const options =
      q.kind === "attendance"
        ? ATTENDANCE.map((a) => ({ id: a, label: ATTENDANCE_LABELS[a].ja }))
        : q.kind === "single" || q.kind === "multiple"
          ? q.options.map((label, k) => ({ id: `o${k + 1}`, label }))
          : [];
    if (new Set(options.map((o) => o.label)).size !== options.length)
      fields.push({ path, message: "同じ選択肢が2つあります。", messageEn: "Two options are the same." });
    if (q.kind === "multiple" && q.max !== null && q.max > q.options.length)
      fields.push({
        path,
        message: "選べる数が選択肢の数より多くなっています。",
        messageEn: "The maximum is larger than the number of options.",
      });
    if (q.kind === "number" && q.min !== null && q.max !== null && q.min > q.max)
      fields.push({
        path,
        message: "最小が最大より大きくなっています。",
        messageEn: "The minimum exceeds the maximum.",
      });
    return {
      id,
      kind: q.kind,
      label: q.label,
      required: q.required,
      options,
      max: q.kind === "multiple" || q.kind === "number" ? q.max : q.kind === "attendance" ? PEOPLE.max : null,
      min: q.kind === "number" ? q.min : q.kind === "attendance" ? PEOPLE.min : null,
      unit: q.kind === "number" ? q.unit : q.kind === "attendance" ? "人" : "",
    };
  });
  if (fields.length > 0)
    throw errors.validation(
      `質問を確認してください。${fields.map((f) => f.message).join(" ")}`,
      `Please check the questions. ${fields.map((f) => f.messageEn).join(" ")}`,
      fields,
    );
  return out;
}

/** The stored JSON back as questions (written by toQuestions only). */
export function parseQuestions(json: string): Question[] {
  return JSON.parse(json) as Question[];
}

// ---------- what a household answers ----------

export const AnswerValueSchema = z
  .union([
    z.strictObject({ choice: z.string().max(64), people: z.number().int().nullable().optional() }),
    z.strictObject({ choices: z.array(z.string().max(64)).max(MAX_OPTIONS) }),
    z.strictObject({ number: z.number() }),
    z.strictObject({ text: z.string().max(TEXT_MAX * 4) }),
  ])
  .openapi("AnswerValue", {
    description:
      '出欠 {choice: "attend"|"absent"|"undecided", people}; one choice {choice: "o1"}; several {choices: [...]}; ' +
      "number {number}; short text {text}",
  });
export type AnswerValue = z.output<typeof AnswerValueSchema>;
/** A household's answer: question id → value; questions left out are unanswered (allowed when optional). */
export const AnswerValuesSchema = z.record(z.string().max(8), AnswerValueSchema);
export type AnswerValues = Record<string, AnswerValue>;

/** One contribution to the tallies: question, choice ('*' = answered), amount. */
export interface TallyItem {
  q: string;
  c: string;
  n?: number;
}

/**
 * The items as stored (answers.items): one JSON object whose keys are "question|choice" and values the amounts, e.g.
 * {"*|*":0,"q1|*":0,"q1|attend":2}. SQL reads a key and its value straight from json_each, without parsing an object
 * per item (3–4x faster in the answer batch than an array of {q, c, n}). Ids never contain "|".
 */
export function itemsJson(items: TallyItem[]): string {
  return JSON.stringify(Object.fromEntries(items.map((i) => [`${i.q}|${i.c}`, i.n ?? 0])));
}

const problem = (q: Question, index: number, ja: string, en: string): FieldError => ({
  path: `answers.${q.id}`,
  message: `質問${index + 1}「${q.label}」: ${ja}`,
  messageEn: `Question ${index + 1} (${q.label}): ${en}`,
});

/**
 * Checks an answer against the questions. Valid: the answer as stored (only the questions answered, text trimmed)
 * and its tally items. Invalid: a 400 naming every question that is wrong, with a message next to each.
 */
export function checkAnswer(questions: Question[], input: AnswerValues): { value: AnswerValues; items: TallyItem[] } {
  const fields: FieldError[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(input))
    if (!known.has(id))
      fields.push({
        path: `answers.${id}`,
        message: "この回覧にない質問への回答です。",
        messageEn: "There is no such question on this circular.",
      });
  const value: AnswerValues = {};
  const items: TallyItem[] = [{ q: "*", c: "*" }];
  questions.forEach((q, i) => {
    const a = input[q.id];
    const wrong = (ja: string, en: string) => fields.push(problem(q, i, ja, en));
    const empty =
      a === undefined ||
      ("text" in a && a.text.trim() === "") ||
      ("choices" in a && a.choices.length === 0) ||
      ("choice" in a && a.choice === "");
    if (empty) {
      if (q.required) wrong(...missing(q));
      return;
    }
    const mark = () => items.push({ q: q.id, c: "*" });
    const options = new Set(q.options.map((o) => o.id));
    switch (q.kind) {
      case "attendance": {
        if (!("choice" in a) || !options.has(a.choice)) return wrong(...notAnOption);
        if (a.choice === "attend") {
          const people = a.people;
          if (people === undefined || people === null)
            return wrong("人数を選んでください。", "Choose how many people.");
          if (people < PEOPLE.min || people > PEOPLE.max)
            return wrong(
              `人数は${PEOPLE.min}〜${PEOPLE.max}人で選んでください。`,
              `Choose ${PEOPLE.min} to ${PEOPLE.max} people.`,
            );
          value[q.id] = { choice: "attend", people };
          mark();
          items.push({ q: q.id, c: "attend", n: people });
          return;
        }
        value[q.id] = { choice: a.choice };
        mark();
        items.push({ q: q.id, c: a.choice });
        return;
      }
      case "single": {
        if (!("choice" in a) || !options.has(a.choice) || ("people" in a && a.people != null))
          return wrong(...notAnOption);
        value[q.id] = { choice: a.choice };
        mark();
        items.push({ q: q.id, c: a.choice });
        return;
      }
      case "multiple": {
        if (!("choices" in a) || a.choices.some((c) => !options.has(c))) return wrong(...notAnOption);
        const chosen = q.options.map((o) => o.id).filter((id) => a.choices.includes(id));
        if (q.max !== null && chosen.length > q.max)
          return wrong(`選べるのは${q.max}つまでです。`, `Choose at most ${q.max}.`);
        value[q.id] = { choices: chosen };
        mark();
        for (const c of chosen) items.push({ q: q.id, c });
        return;
      }
      case "number": {
        if (!("number" in a)) return wrong(...wrongShape);
        if (!Number.isInteger(a.number)) return wrong("整数で入力してください。", "Enter a whole number.");
        const min = q.min ?? -NUMBER_LIMIT;
        const max = q.max ?? NUMBER_LIMIT;
        if (a.number < min || a.number > max)
          return wrong(
            `${rangeJa(q)}で入力してください。`,
            `Enter a number from ${q.min ?? "-"} to ${q.max ?? "-"}${q.unit ? ` ${q.unit}` : ""}.`,
          );
        value[q.id] = { number: a.number };
        mark();
        items.push({ q: q.id, c: "", n: a.number });
        return;
      }
      case "text": {
        if (!("text" in a)) return wrong(...wrongShape);
        const text = a.text.trim();
        if ([...text].length > TEXT_MAX)
          return wrong(`${TEXT_MAX}文字以内で入力してください。`, `Use at most ${TEXT_MAX} characters.`);
        value[q.id] = { text };
        mark();
        return;
      }
    }
  });
  if (fields.length > 0)
    throw errors.validation(
      `回答を確認してください。${fields.map((f) => f.message).join(" ")}`,
      `Please check the answer. ${fields.map((f) => f.messageEn).join(" ")}`,
      fields,
    );
  return { value, items };
}

const notAnOption = ["選択肢から選んでください。", "Choose one of the options."] as const;
const wrongShape = ["回答の形が質問と合いません。", "The answer does not fit the question."] as const;

function missing(q: Question): [string, string] {
  switch (q.kind) {
    case "attendance":
      return ["出席・欠席・未定から選んでください。", "Choose attend, absent or undecided."];
    case "single":
      return ["1つ選んでください。", "Choose one."];
    case "multiple":
      return ["1つ以上選んでください。", "Choose at least one."];
    case "number":
      return ["数を入力してください。", "Enter a number."];
    case "text":
      return ["入力してください。", "Please write an answer."];
  }
}

function rangeJa(q: Question): string {
  const u = q.unit;
  if (q.min !== null && q.max !== null) return `${q.min}${u}から${q.max}${u}まで`;
  if (q.min !== null) return `${q.min}${u}以上`;
  return `${q.max}${u}以下`;
}

// ---------- the questions on a draft: one shape for association and city circulars ----------

/** A new draft's questions (none by default) and whether it is 無記名. */
export const AskFields = { questions: QuestionsInput.default([]), anonymous: z.boolean().default(false) };
/** A draft's change: either may be left out. */
export const AskUpdateFields = { questions: QuestionsInput.optional(), anonymous: z.boolean().optional() };
/** A circular's questions in a response. */
export const AskedFields = { questions: z.array(QuestionSchema), anonymous: z.boolean() };

/** The columns to write for what a draft's input says of its questions (nothing for what it leaves out). */
export function askColumns(input: { questions?: AskedQuestions | undefined; anonymous?: boolean | undefined }) {
  return {
    ...(input.questions === undefined ? {} : { questions: JSON.stringify(toQuestions(input.questions)) }),
    ...(input.anonymous === undefined ? {} : { anonymous: input.anonymous }),
  };
}

/** A circular row's questions as the API answers them. */
export const askedOf = (row: { questions: string; anonymous: boolean }) => ({
  questions: parseQuestions(row.questions),
  anonymous: row.anonymous,
});
