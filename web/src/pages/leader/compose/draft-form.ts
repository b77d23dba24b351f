// A leader's draft: the common fields (../../staff/compose/draft-base.ts) and who receives it (everyone, or chosen
// blocks), what it sends, and the checks made before asking the server.
import { baseFormOf, basePayload, checkDraftBase, EMPTY_BASE, type DraftBase } from "../../staff/compose/draft-base";
import type { ComposeText } from "../../staff/compose/DraftCompose";
import { lt } from "../i18n";
import type { Audience, Block, Circular } from "../leader-api";

export interface DraftForm extends DraftBase {
  audience: Audience;
  blockIds: string[];
}

export const EMPTY_DRAFT: DraftForm = { ...EMPTY_BASE, audience: "all", blockIds: [] };

/** The fields in the order they appear, for focusing the first one that needs fixing. */
export const FIELD_ORDER = ["title", "body", "easyBody", "blockIds", "priority", "dueAt", "questions", "file"];

/** The compose screen's words: "leader.compose.title" and so on. */
export const composeText: ComposeText = (name, params) => lt(`leader.${name}`, params);

export function formFromCircular(c: Circular): DraftForm {
  return { ...baseFormOf(c), audience: c.audience, blockIds: c.blocks.map((b) => b.id) };
}

export function payloadOf(f: DraftForm) {
  return { ...basePayload(f), audience: f.audience, blockIds: f.audience === "blocks" ? f.blockIds : [] };
}

/** What must be fixed before saving (and, with `publishing`, before publishing), by field. */
export function checkDraft(f: DraftForm, publishing: boolean): Record<string, string> {
  const fields = checkDraftBase(f, publishing, composeText);
  if (f.audience === "blocks" && f.blockIds.length === 0) fields.blockIds = lt("leader.compose.blocksMissing");
  return fields;
}

/** Who receives it and how many households that is, from the blocks' household counts. */
export function audienceOf(f: DraftForm, blocks: Block[]): { names: string[]; households: number } {
  const chosen = f.audience === "all" ? blocks : blocks.filter((b) => f.blockIds.includes(b.id));
  return { names: chosen.map((b) => b.name), households: chosen.reduce((n, b) => n + b.households, 0) };
}
