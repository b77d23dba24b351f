// A circular's questions and a household's answer to them: the kinds, what a leader may ask, and the check of an
// answer against the questions. The check turns a valid answer into its tally items: one {q, c, n} per (question,
// choice) it counts for, so the tallies of every kind move by the same SQL (answer-batch.ts, docs/adr/0006).
import { z } from "@hono/zod-openapi";
import { errors, type FieldError } from "../../lib/errors";
import { ATTENDANCE, ATTENDANCE_LABELS, checkQuestion, NUMBER_LIMIT, PEOPLE, TEXT_MAX } from "./answer-rules";

export { ATTENDANCE, ATTENDANCE_LABELS, PEOPLE, TEXT_MAX, type Attendance } from "./answer-rules";
export const QUESTION_KINDS = ["attendance", "single", "multiple", "number", "text"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const MAX_QUESTIONS = 10;
export const MAX_OPTIONS = 10;

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

/**
 * Checks an answer against the questions (each by answer-rules.ts, which the residents' form runs too). Valid: the
 * answer as stored (only the questions answered, text trimmed) and its tally items. Invalid: a 400 naming every
 * question that is wrong, with a message next to each.
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
    const checked = checkQuestion(q, input[q.id]);
    if ("problem" in checked)
      fields.push({
        path: `answers.${q.id}`,
        message: `質問${i + 1}「${q.label}」: ${checked.problem.ja}`,
        messageEn: `Question ${i + 1} (${q.label}): ${checked.problem.en}`,
      });
    else if (checked.value) {
      value[q.id] = checked.value;
      items.push(...checked.items);
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
