// The API client: same-origin fetch with the session cookie, errors as ApiError carrying the server's message in
// the current language.
import { lang } from "./i18n";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageJa: string,
    readonly messageEn: string,
    readonly fields: { path: string; message: string; messageEn: string }[] = [],
  ) {
    super(messageEn);
  }
  /** The message to show: Japanese, or English when the app is in English. */
  get display(): string {
    return lang.value === "en" ? this.messageEn : this.messageJa;
  }
  fieldMessage(path: string): string | undefined {
    const f = this.fields.find((x) => x.path === path);
    return f ? (lang.value === "en" ? f.messageEn : f.message) : undefined;
  }
}

/** No connection at all (as opposed to an answer from the server). */
export class OfflineError extends Error {}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, body, credentials: "same-origin" });
  } catch {
    throw new OfflineError("offline");
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string; messageEn: string; fields?: [] } } | null;
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(res.status, e?.code ?? "http_" + res.status, e?.message ?? "エラーが起きました。", e?.messageEn ?? "Something went wrong.", e?.fields ?? []);
  }
  // A service worker may answer from its cache while offline; it marks such answers.
  return data as T;
}

// ---- the shapes the resident screens use (see /api/openapi.json) ----
export type Role = "resident" | "block_leader" | "leader" | "city" | "admin";
export interface Me {
  id: string;
  displayName: string;
  role: Role;
  email: string | null;
  associationId: string | null;
  associationName: string | null;
  householdId: string | null;
  householdLabel: string | null;
  blockId: string | null;
}
export type BodyPart = { type: "text"; text: string } | { type: "link"; text: string; href: string };
export interface FeedEntry {
  id: string;
  title: string;
  priority: "normal" | "urgent";
  /** The association it came through (its name). */
  from: string;
  /** "city": sent by the city to every targeted association (「仙台市から」). */
  origin?: "association" | "city";
  /** On a city circular: the association leader's short note, shown on top. */
  leaderNote?: string | null;
  publishedAt: string | null;
  dueAt: string | null;
  readAt: string | null;
  channel: "app" | "paper" | null;
  attachmentCount: number;
}
export interface Attachment {
  id: string;
  circularId: string;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
}
export interface FeedCircular extends Omit<FeedEntry, "attachmentCount"> {
  body: string;
  bodyParts: BodyPart[];
  attachments: Attachment[];
}
export interface Ack {
  circularId: string;
  readAt: string;
  channel: "app" | "paper";
  changed: boolean;
}
