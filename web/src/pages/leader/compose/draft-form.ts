// The compose form's state, what it sends, and the checks made before asking the server (the server checks the
// same things and its field messages are shown the same way).
import { dateInputValue, todayInJapan } from "../dates";
import { lt } from "../i18n";
import type { Audience, Block, Circular, Priority } from "../leader-api";

export interface DraftForm {
  title: string;
  body: string;
  priority: Priority;
  audience: Audience;
  blockIds: string[];
  /** YYYY-MM-DD (a day in Japan) or "" for none. */
  dueDate: string;
}

export const EMPTY_DRAFT: DraftForm = { title: "", body: "", priority: "normal", audience: "all", blockIds: [], dueDate: "" };

/** The fields in the order they appear, for focusing the first one that needs fixing. */
export const FIELD_ORDER = ["title", "body", "blockIds", "priority", "dueAt", "file"];

export function formFromCircular(c: Circular): DraftForm {
  return {
    title: c.title,
    body: c.body,
    priority: c.priority,
    audience: c.audience,
    blockIds: c.blocks.map((b) => b.id),
    dueDate: dateInputValue(c.dueAt),
  };
}

export function payloadOf(f: DraftForm) {
  return {
    title: f.title.trim(),
    body: f.body,
    priority: f.priority,
    audience: f.audience,
    blockIds: f.audience === "blocks" ? f.blockIds : [],
    // A plain date: the server reads it as the end of that day in Japan.
    dueAt: f.dueDate || null,
  };
}

/** What must be fixed before saving (and, with `publishing`, before publishing), by field. */
export function checkDraft(f: DraftForm, publishing: boolean): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!f.title.trim()) fields.title = lt("leader.compose.titleMissing");
  if (!f.body.trim()) fields.body = lt("leader.compose.bodyMissing");
  if (f.audience === "blocks" && f.blockIds.length === 0) fields.blockIds = lt("leader.compose.blocksMissing");
  if (f.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(f.dueDate)) fields.dueAt = lt("leader.compose.dueInvalid");
  else if (publishing && f.dueDate && f.dueDate < todayInJapan()) fields.dueAt = lt("leader.compose.duePast");
  return fields;
}

/** Who receives it and how many households that is, from the blocks' household counts. */
export function audienceOf(f: DraftForm, blocks: Block[]): { names: string[]; households: number } {
  const chosen = f.audience === "all" ? blocks : blocks.filter((b) => f.blockIds.includes(b.id));
  return { names: chosen.map((b) => b.name), households: chosen.reduce((n, b) => n + b.households, 0) };
}
