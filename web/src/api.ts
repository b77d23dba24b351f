// The API client: same-origin fetch with the session cookie, errors as ApiError carrying the server's message in
// the current language.
import { lang, serverLang, t } from "./i18n";

/**
 * The server's errors a resident can meet whose message says no more than its code: in a language the server does not
 * speak (zh-Hans, ko, vi, ne) they are shown from the language's file (「error.<code>」). Every other error (a
 * validation or conflict message whose words are the point) is shown in English there, the server's second language.
 */
const SAID_BY_CODE = new Set([
  "unauthorized",
  "forbidden",
  "not_found",
  "gone",
  "rate_limited",
  "too_soon",
  "service_unavailable",
  "internal",
]);

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
  /** The message to show: Japanese, English, or by its code in another language (else English: see above). */
  get display(): string {
    if (serverLang() === "ja") return this.messageJa;
    if (lang.value !== "en" && SAID_BY_CODE.has(this.code)) return t(`error.${this.code}`);
    return this.messageEn;
  }
  fieldMessage(path: string): string | undefined {
    const f = this.fields.find((x) => x.path === path);
    return f ? (serverLang() === "ja" ? f.message : f.messageEn) : undefined;
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
  const data = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string; messageEn: string; fields?: [] };
  } | null;
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(
      res.status,
      e?.code ?? "http_" + res.status,
      e?.message ?? "エラーが起きました。",
      e?.messageEn ?? "Something went wrong.",
      e?.fields ?? [],
    );
  }
  // A service worker may answer from its cache while offline; it marks such answers.
  return data as T;
}

// ---- the shapes the resident screens use: the server's own response schemas, as types only ----
// `import type` / `export type` are erased at build time: no schema (and no zod) ever reaches a web chunk.
export type { Me, Role } from "../../server/features/auth/auth.schemas";
export type { Attachment, BodyPart, RubySpans } from "../../server/features/circulars/circulars.schemas";
export type { Ack, FeedCircular, FeedEntry } from "../../server/features/feed/feed.schemas";
export type { AnswerResult, HouseholdAnswer } from "../../server/features/answers/answers.schemas";
export type { AnswerValue, AnswerValues, Question } from "../../server/features/answers/questions";
export type { HouseholdSafety } from "../../server/features/safety/safety.schemas";
