// The shapes the leader screens use (see /api/openapi.json) and the one request fetch cannot do: an upload that
// reports its progress (XMLHttpRequest's upload.onprogress).
import { ApiError, OfflineError, type Attachment, type BodyPart } from "../../api";

export type Priority = "normal" | "urgent";
export type Audience = "all" | "blocks";
export type Channel = "app" | "paper";

export interface Counts {
  targeted: number;
  read: number;
  unread: number;
  readByApp: number;
  readByPaper: number;
  rate: number;
}

export interface CircularSummary {
  id: string;
  title: string;
  priority: Priority;
  audience: Audience;
  status: "draft" | "published" | "withdrawn";
  authorName: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  dueAt: string | null;
  withdrawnAt: string | null;
  /** "city": sent by the city; leaders add a note but cannot edit or withdraw it. */
  origin?: "association" | "city";
  /** The leader's note on a city circular (at most 200 characters). */
  leaderNote?: string | null;
  blocks: { id: string; name: string }[];
  counts: Counts | null;
}

export interface Circular extends CircularSummary {
  body: string;
  bodyParts: BodyPart[];
  attachments: Attachment[];
}

export interface Block {
  id: string;
  name: string;
  sortOrder: number;
  households: number;
}

export interface Household {
  id: string;
  label: string;
  blockId: string;
  blockName: string;
  channel: Channel;
  joinedAt: string;
  leftAt: string | null;
  members: number;
  devices: number;
}

export interface BoardHousehold {
  id: string;
  label: string;
  householdChannel: Channel;
  readAt: string | null;
  channel: Channel | null;
  readByName: string | null;
}

export interface BoardBlock {
  id: string;
  name: string;
  counts: Counts;
  households: BoardHousehold[];
}

export interface Board {
  circular: { id: string; title: string; status: CircularSummary["status"]; publishedAt: string | null; dueAt: string | null };
  counts: Counts;
  blocks: BoardBlock[];
}

export interface Receipt {
  householdId: string;
  readAt: string | null;
  channel: Channel | null;
  readByName: string | null;
}

/** GET /api/circulars/{id}/push: pushes (one per device) and the households push cannot reach. */
export interface UnreachableHousehold {
  id: string;
  label: string;
  blockId: string;
  blockName: string;
  reason: "paper" | "no_device" | "off";
  read: boolean;
}

export interface PushFigures {
  pushes: { sent: number; failed: number; waiting: number };
  households: { targeted: number; reachable: number; unreachable: number };
  unreachableHouseholds: UnreachableHousehold[];
  lastReminderAt: string | null;
  autoReminderAt: string | null;
}

/** POST /api/circulars/{id}/remind */
export interface RemindResult {
  /** Unread households a reminder was queued for. */
  households: number;
  /** Unread households in scope (the rest cannot be reached by push). */
  unread: number;
  /** Pushes queued, one per device. */
  pushes: number;
}

export interface IssuedInvite {
  id: string;
  kind: "household" | "leader" | "block_leader";
  token: string;
  code: string;
  codeDisplay: string;
  url: string;
  qrSvg: string;
  expiresAt: string;
  householdId: string | null;
  householdLabel: string | null;
  associationName: string;
}

export interface InvitePreview {
  kind: "household" | "leader" | "block_leader";
  associationName: string;
  householdLabel: string | null;
  blockName: string | null;
  expiresAt: string;
}

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
