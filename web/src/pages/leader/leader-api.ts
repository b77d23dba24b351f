// The shapes the leader screens use (see /api/openapi.json) and the one request fetch cannot do: an upload that
// reports its progress (XMLHttpRequest's upload.onprogress).
import type { Circular, Counts } from "../../../../server/features/circulars/circulars.schemas";
import type { Household } from "../../../../server/features/households/households.schemas";
import type { BoardHousehold } from "../../../../server/features/receipts/receipts.schemas";
import { ApiError, OfflineError, type Attachment } from "../../api";

// The server's response schemas, as types only (erased at build time: nothing of the server reaches the chunk).
export type { Circular, CircularSummary, Counts } from "../../../../server/features/circulars/circulars.schemas";
export type { Block, Household } from "../../../../server/features/households/households.schemas";
export type { IssuedInvite, InvitePreview } from "../../../../server/features/invites/invites.schemas";
export type { PushFigures, RemindResult, UnreachableHousehold } from "../../../../server/features/push/push.schemas";
export type { Board, BoardBlock, BoardHousehold, Receipt } from "../../../../server/features/receipts/receipts.schemas";

export type Priority = Circular["priority"];
export type Audience = Circular["audience"];
export type Channel = Household["channel"];

/** The same counts the server computes, for updating a block after a paper acknowledgement without a reload. */
export function tally(households: BoardHousehold[]): Counts {
  const read = households.filter((h) => h.readAt).length;
  const paper = households.filter((h) => h.readAt && h.channel === "paper").length;
  const targeted = households.length;
  return { targeted, read, unread: targeted - read, readByApp: read - paper, readByPaper: paper, rate: targeted ? read / targeted : 0 };
}

function apiErrorFrom(status: number, text: string): ApiError {
  let e: { code?: string; message?: string; messageEn?: string; fields?: [] } | undefined;
  try {
    e = (JSON.parse(text) as { error?: typeof e }).error;
  } catch {
    e = undefined;
  }
  return new ApiError(status, e?.code ?? `http_${status}`, e?.message ?? "エラーが起きました。", e?.messageEn ?? "Something went wrong.", e?.fields ?? []);
}

/** Uploads one file to a leader's draft (see uploadFile). */
export function uploadAttachment(circularId: string, file: File, onProgress: (share: number) => void): Promise<Attachment> {
  return uploadFile(`/api/circulars/${encodeURIComponent(circularId)}/attachments`, file, onProgress);
}

/**
 * POSTs one file as multipart `file` to `url`. fetch() cannot report upload progress, so this uses XMLHttpRequest;
 * `onProgress` gets the share sent so far (0..1). Rejects with ApiError (the server's message) or OfflineError.
 */
export function uploadFile(url: string, file: File, onProgress: (share: number) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 201) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as Attachment);
      } else reject(apiErrorFrom(xhr.status, xhr.responseText));
    });
    xhr.addEventListener("error", () => reject(new OfflineError("offline")));
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
