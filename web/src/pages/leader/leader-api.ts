// The shapes the leader screens use (see /api/openapi.json) and the upload to a leader's draft (staff/upload.ts).
import type { Circular, Counts } from "../../../../server/features/circulars/circulars.schemas";
import type { Household } from "../../../../server/features/households/households.schemas";
import type { BoardHousehold } from "../../../../server/features/receipts/receipts.schemas";
import type { Attachment } from "../../api";
import { uploadFile } from "../staff/upload";

// The server's response schemas, as types only (erased at build time: nothing of the server reaches the chunk).
export type { AnswerBoard } from "../../../../server/features/answers/answers.schemas";
export type { Circular, CircularSummary, Counts } from "../../../../server/features/circulars/circulars.schemas";
export type { Block, Household } from "../../../../server/features/households/households.schemas";
export type { IssuedInvite, InvitePreview } from "../../../../server/features/invites/invites.schemas";
export type { PushFigures, RemindResult, UnreachableHousehold } from "../../../../server/features/push/push.schemas";
export type { Board, BoardBlock, BoardHousehold, Receipt } from "../../../../server/features/receipts/receipts.schemas";
export type { WatchedHousehold } from "../../../../server/features/watch/watch.schemas";
export type { SupportEntryOut, SupportList } from "../../../../server/features/safety/safety.schemas";

export type Priority = Circular["priority"];
export type Audience = Circular["audience"];
export type Channel = Household["channel"];

/** The same counts the server computes, for updating a block after a paper acknowledgement without a reload. */
export function tally(households: BoardHousehold[]): Counts {
  const read = households.filter((h) => h.readAt).length;
  const paper = households.filter((h) => h.readAt && h.channel === "paper").length;
  const targeted = households.length;
  return {
    targeted,
    read,
    unread: targeted - read,
    readByApp: read - paper,
    readByPaper: paper,
    rate: targeted ? read / targeted : 0,
  };
}

/** Uploads one file to a leader's draft (see uploadFile). */
export function uploadAttachment(
  circularId: string,
  file: File,
  onProgress: (share: number) => void,
): Promise<Attachment> {
  return uploadFile(`/api/circulars/${encodeURIComponent(circularId)}/attachments`, file, onProgress);
}
export type {
  Checklist,
  ChecklistKey,
  Handover,
  HandoverOverview,
  Officer,
  PreparedHandover,
  PrepareHandoverInput,
} from "../../../../server/features/handover/handover.schemas";
