// What every draft has, whoever writes it (a leader, the city), and the checks made on it before asking the server
// (the server checks the same things; its field messages are shown the same way).
import { dateInputValue, todayInJapan } from "../dates";
import type { Question } from "../questions";
import type { ComposeText } from "./DraftCompose";
import { checkQuestions, questionDrafts, questionsPayload, type QuestionDraft } from "./questions-form";

export type Priority = "normal" | "urgent";

export interface DraftBase {
  title: string;
  body: string;
  /** The やさしい日本語 version of the body; null: none (the leader has not started one). */
  easyBody: string | null;
  priority: Priority;
  /** YYYY-MM-DD (a day in Japan) or "" for none. */
  dueDate: string;
  /** 「質問を追加」: the questions households answer, and whether the answers are 無記名. */
  questions: QuestionDraft[];
  anonymous: boolean;
}

export const EMPTY_BASE: DraftBase = {
  title: "",
  body: "",
  easyBody: null,
  priority: "normal",
  dueDate: "",
  questions: [],
  anonymous: false,
};

/** The common fields of a saved draft (a leader's Circular, the city's CityCircular) back into the form. */
export function baseFormOf(c: {
  title: string;
  body: string;
  easyBody: string | null;
  priority: Priority;
  dueAt: string | null;
  questions: Question[];
  anonymous: boolean;
}): DraftBase {
  return {
    title: c.title,
    body: c.body,
    easyBody: c.easyBody,
    priority: c.priority,
    dueDate: dateInputValue(c.dueAt),
    questions: questionDrafts(c.questions),
    anonymous: c.anonymous,
  };
}

/** What must be fixed in the common fields before saving (and, with `publishing`, before publishing), by field. */
export function checkDraftBase(f: DraftBase, publishing: boolean, text: ComposeText): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!f.title.trim()) fields.title = text("compose.titleMissing");
  if (!f.body.trim()) fields.body = text("compose.bodyMissing");
  if (f.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(f.dueDate)) fields.dueAt = text("compose.dueInvalid");
  else if (publishing && f.dueDate && f.dueDate < todayInJapan()) fields.dueAt = text("compose.duePast");
  return { ...fields, ...checkQuestions(f.questions) };
}

/** The common fields as the API takes them. A plain date: the server reads it as the end of that day in Japan. */
export function basePayload(f: DraftBase) {
  return {
    title: f.title.trim(),
    body: f.body,
    easyBody: f.easyBody?.trim() ? f.easyBody : null,
    priority: f.priority,
    dueAt: f.dueDate || null,
    questions: questionsPayload(f.questions),
    anonymous: f.anonymous,
  };
}
