// The one place where errors become HTTP responses: { error: { code, message, messageEn, requestId, fields? } }.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../context";
import { ServiceError } from "./errors";

function fromHttpException(e: HTTPException): ServiceError {
  if (e.status === 400 && /JSON/i.test(e.message))
    return new ServiceError(
      "invalid_json",
      "送られたデータの形式が正しくありません（JSON を読み取れません）。",
      "The request body is not valid JSON.",
    );
  if (e.status === 400)
    return new ServiceError(
      "validation_failed",
      "送られたデータの形式が正しくありません。",
      "The request body is malformed.",
    );
  if (e.status === 403)
    return new ServiceError(
      "csrf_rejected",
      "このページからの送信は受け付けられません。アプリを開き直してからお試しください。",
      "Request rejected: it did not come from this site (Origin check).",
    );
  if (e.status === 413)
    return new ServiceError("payload_too_large", "送られたデータが大きすぎます。", "The request body is too large.");
  if (e.status === 401) return new ServiceError("unauthorized", "ログインが必要です。", "You need to sign in.");
  if (e.status === 404) return new ServiceError("not_found", "ページが見つかりません。", "No such API route.");
  // @hono/zod-openapi refuses a body whose Content-Type the route does not declare (text/plain to a JSON route).
  if (e.status === 415)
    return new ServiceError(
      "unsupported_media_type",
      "送られたデータの種類（Content-Type）がこの操作に合っていません。",
      "This route does not accept that Content-Type (JSON routes take application/json, uploads multipart/form-data).",
    );
  // Any other refusal of the request is the client's: never a 5xx for it.
  if (e.status < 500)
    return new ServiceError(
      "validation_failed",
      "送られたデータの形式が正しくありません。",
      "The request is malformed.",
    );
  return new ServiceError("internal", "処理できませんでした。", "The request could not be processed.");
}

export function errorResponse(c: Context<AppEnv>, e: ServiceError): Response {
  if (e.extra.retryAfterSeconds) c.header("Retry-After", String(e.extra.retryAfterSeconds));
  c.header("Cache-Control", "no-store");
  return c.json(
    {
      error: {
        code: e.code,
        message: e.messageJa,
        messageEn: e.messageEn,
        requestId: c.get("requestId") ?? "",
        ...(e.extra.fields ? { fields: e.extra.fields } : {}),
      },
    },
    e.status as ContentfulStatusCode,
  );
}

export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ServiceError) return errorResponse(c, err);
  if (err instanceof HTTPException) return errorResponse(c, fromHttpException(err));
  // Unexpected: log it with the request id, answer without echoing anything internal.
  console.error(`[${c.get("requestId") ?? "-"}] ${c.req.method} ${c.req.path}`, err);
  return errorResponse(
    c,
    new ServiceError(
      "internal",
      "サーバーで問題が起きました。しばらくしてからもう一度お試しください。",
      "Something went wrong on the server. Please try again later.",
    ),
  );
}
