// createApp(deps): the one Hono app. The runtime entries (node.ts, worker.ts) build the deps and serve it.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { requestId } from "hono/request-id";
import type { AppEnv, Deps } from "./context";
import { answerRoutes } from "./features/answers/answers.routes";
import { attachmentRoutes, UPLOAD_PATH } from "./features/attachments/attachments.routes";
import { auditRoutes } from "./features/audit/audit.routes";
import { ROSTER_UPLOAD_PATH, rosterRoutes } from "./features/roster/roster.routes";
import { authRoutes } from "./features/auth/auth.routes";
import { sessionMiddleware } from "./features/auth/middleware";
import { circularRoutes } from "./features/circulars/circulars.routes";
import { cityCircularRoutes } from "./features/city-circulars/city-circulars.routes";
import { cityRoutes } from "./features/city/city.routes";
import { feedRoutes } from "./features/feed/feed.routes";
import { furiganaRoutes } from "./features/furigana/furigana.routes";
import { handoverRoutes } from "./features/handover/handover.routes";
import { healthRoutes } from "./features/health/health.routes";
import { householdRoutes } from "./features/households/households.routes";
import { inviteRoutes } from "./features/invites/invites.routes";
import { passkeyRoutes } from "./features/passkeys/passkeys.routes";
import { pushRoutes } from "./features/push/push.routes";
import { receiptRoutes } from "./features/receipts/receipts.routes";
import { rotationRoutes } from "./features/rotation/rotation.routes";
import { safetyRoutes } from "./features/safety/safety.routes";
import { watchRoutes } from "./features/watch/watch.routes";
import { webRoutes } from "./features/web/web.routes";
import { apiReference } from "./lib/api-docs";
import { errorResponse, handleError } from "./lib/error-handler";
import { ServiceError } from "./lib/errors";
import { createRouter } from "./lib/openapi";
import { securityHeaders } from "./lib/security-headers";

function allowedOrigin(c: Context<AppEnv>, origin: string): boolean {
  const { publicOrigin } = c.get("deps").config;
  return origin === new URL(c.req.url).origin || origin === publicOrigin;
}

/**
 * Hono's csrf() checks the Origin of form-like requests (the ones a foreign page can send without a preflight).
 * We go one step further: any state-changing request that names a foreign Origin is refused, whatever its type.
 */
const originCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header("origin");
  if (origin && !/^(GET|HEAD|OPTIONS)$/.test(c.req.method) && !allowedOrigin(c, origin)) {
    return errorResponse(
      c,
      new ServiceError(
        "csrf_rejected",
        "このページからの送信は受け付けられません。アプリを開き直してからお試しください。",
        "Request rejected: it did not come from this site (Origin check).",
      ),
    );
  }
  await next();
};

/**
 * A request that certainly has no body: Content-Length 0, or (HTTP/1.x, where a body needs one of them) neither
 * Content-Length nor Transfer-Encoding. Hono's bodyLimit reads `c.req.raw.body`, which on Node builds a full Request
 * (with its abort signal) for every request; a bodiless POST such as 「確認しました」 has nothing to limit, and skipping
 * that raised acknowledgements from about 2,150 to 2,750–3,000/s here. Elsewhere (Workers, HTTP/2, in-process
 * tests) the Node request is not there and bodyLimit decides.
 */
function certainlyBodiless(c: Context<AppEnv>): boolean {
  const length = c.req.header("content-length");
  if (length === "0") return true;
  const incoming = (c.env as { incoming?: { httpVersionMajor?: number } } | undefined)?.incoming;
  return incoming?.httpVersionMajor === 1 && length === undefined && !c.req.header("transfer-encoding");
}

/**
 * On Node over HTTP/1.x, a small JSON body is read straight from the request's IncomingMessage (`c.env.incoming`, an
 * async iterable of bytes: no node:* import) into the request's body cache, so that neither bodyLimit nor the JSON
 * validator builds a web Request and its stream for it (about 10% of an answer's CPU). Only with a Content-Length
 * within the limit and a JSON content type; anything else goes through bodyLimit as before.
 */
async function readJsonFromNode(c: Context<AppEnv>, limit: number): Promise<boolean> {
  const incoming = (c.env as { incoming?: AsyncIterable<Uint8Array> & { httpVersionMajor?: number } } | undefined)
    ?.incoming;
  if (incoming?.httpVersionMajor !== 1 || c.req.header("transfer-encoding")) return false;
  const length = Number(c.req.header("content-length"));
  if (!Number.isInteger(length) || length <= 0 || length > limit) return false;
  if (!/^application\/(?:[\w.-]+\+)?json(?:\s*;|$)/i.test(c.req.header("content-type") ?? "")) return false;
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of incoming) text += decoder.decode(chunk, { stream: true });
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text + decoder.decode());
  return true;
}

const tooLarge = (c: Context<AppEnv>) =>
  errorResponse(
    c,
    new ServiceError("payload_too_large", "送られたデータが大きすぎます。", "The request body is too large."),
  );

export function createApp(deps: Deps) {
  const app = createRouter();
  const jsonLimit = bodyLimit({ maxSize: deps.config.maxJsonBytes, onError: tooLarge });
  // An upload is one file plus the multipart envelope.
  const uploadLimit = bodyLimit({ maxSize: deps.config.attachments.maxBytes + 64 * 1024, onError: tooLarge });

  app.use("*", requestId());
  app.use("*", securityHeaders({ https: deps.config.publicOrigin?.startsWith("https:") ?? false }));
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("/api/*", originCheck);
  app.use("/api/*", csrf({ origin: (origin, c) => allowedOrigin(c as Context<AppEnv>, origin) }));
  app.use("/api/*", async (c, next) => {
    if (certainlyBodiless(c)) return next();
    if (UPLOAD_PATH.test(c.req.path) || ROSTER_UPLOAD_PATH.test(c.req.path)) return uploadLimit(c, next);
    if (await readJsonFromNode(c, deps.config.maxJsonBytes)) return next();
    return jsonLimit(c, next);
  });
  app.use("/api/*", sessionMiddleware);

  const api = app
    .route("/api", healthRoutes)
    .route("/api", authRoutes)
    .route("/api", passkeyRoutes)
    .route("/api", inviteRoutes)
    .route("/api", handoverRoutes)
    .route("/api", householdRoutes)
    .route("/api", rosterRoutes)
    .route("/api", circularRoutes)
    .route("/api", furiganaRoutes)
    .route("/api", attachmentRoutes)
    .route("/api", receiptRoutes)
    .route("/api", feedRoutes)
    .route("/api", answerRoutes)
    .route("/api", safetyRoutes)
    .route("/api", watchRoutes)
    .route("/api", rotationRoutes)
    .route("/api", auditRoutes)
    .route("/api", pushRoutes)
    .route("/api", cityRoutes)
    .route("/api", cityCircularRoutes);

  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Kairan API",
      version: "0.1.0",
      description:
        "回覧板 Kairan: circulars, per-household receipts, households and invites for neighborhood associations. " +
        "Errors answer { error: { code, message (日本語), messageEn, requestId } }.",
    },
  });
  app.get("/api/docs", apiReference());

  // The PWA (and its fallback for app routes) comes after every /api route.
  app.route("/", webRoutes(deps.assets));

  app.notFound((c) =>
    c.req.path === "/api" || c.req.path.startsWith("/api/")
      ? errorResponse(c, new ServiceError("not_found", "ページが見つかりません。", "No such API route."))
      : c.text("Not found", 404),
  );
  app.onError(handleError);
  return api;
}

export type App = ReturnType<typeof createApp>;
