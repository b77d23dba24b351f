// What every draft has, whoever writes it (a leader, the city), and the checks made on it before asking the server
// (the server checks the same things; its field messages are shown the same way).
import { todayInJapan } from "../dates";
import type { ComposeText } from "./DraftCompose";

export type Priority = "normal" | "urgent";

export interface DraftBase {
  title: string;
  body: string;
  priority: Priority;
  /** YYYY-MM-DD (a day in Japan) or "" for none. */
  dueDate: string;
}

/** What must be fixed in the common fields before saving (and, with `publishing`, before publishing), by field. */
export function checkDraftBase(f: DraftBase, publishing: boolean, text: ComposeText): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!f.title.trim()) fields.title = text("compose.titleMissing");
  if (!f.body.trim()) fields.body = text("compose.bodyMissing");
  if (f.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(f.dueDate)) fields.dueAt = text("compose.dueInvalid");
  else if (publishing && f.dueDate && f.dueDate < todayInJapan()) fields.dueAt = text("compose.duePast");
  return fields;
}

/** The common fields as the API takes them. A plain date: the server reads it as the end of that day in Japan. */
export function basePayload(f: DraftBase) {
  return { title: f.title.trim(), body: f.body, priority: f.priority, dueAt: f.dueDate || null };
}
