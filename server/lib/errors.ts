// Typed errors: services throw ServiceError; app.onError (app.ts) maps every error to one JSON shape:
// { error: { code, message (日本語), messageEn, requestId, fields? } }.
// An unexpected error answers 500 with a generic message and never echoes its own text.

export type ErrorCode =
  | "validation_failed"
  | "invalid_json"
  | "unauthorized"
  | "forbidden"
  | "csrf_rejected"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "too_soon"
  | "service_unavailable"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_soon: 429,
  service_unavailable: 503,
  internal: 500,
};

export interface FieldError {
  path: string;
  message: string;
  messageEn: string;
}

export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messageJa: string,
    readonly messageEn: string,
    readonly extra: { fields?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(messageEn);
    this.name = "ServiceError";
    this.status = STATUS[code];
  }
}

/** The errors services raise most, with wording a leader can act on. */
export const errors = {
  notFound: (what = "データ", whatEn = "item") =>
    new ServiceError("not_found", `${what}が見つかりません。`, `The ${whatEn} was not found.`),
  unauthorized: () =>
    new ServiceError(
      "unauthorized",
      "ログインが必要です。もう一度ログインしてください。",
      "You need to sign in. Please sign in again.",
    ),
  forbidden: () =>
    new ServiceError("forbidden", "この操作をする権限がありません。", "You do not have permission to do this."),
  conflict: (ja: string, en: string) => new ServiceError("conflict", ja, en),
  validation: (ja: string, en: string, fields?: FieldError[]) =>
    new ServiceError("validation_failed", ja, en, fields ? { fields } : {}),
};

/**
 * Whether a database error (anywhere in its `cause` chain) is a UNIQUE violation on `target`, e.g.
 * "blocks.association_id, blocks.name". libSQL and D1 both report SQLite's own message text.
 */
export function isUniqueViolation(e: unknown, target: string): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    const message = (cur as { message?: unknown }).message;
    if (typeof message === "string" && message.includes(`UNIQUE constraint failed: ${target}`)) return true;
  }
  return false;
}
