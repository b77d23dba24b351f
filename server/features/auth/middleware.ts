// Reads the session (if any) for every /api request and puts the actor on the context. Routes decide whether
// they need one (context.ts: requireActor, associationCtx).
import type { Context, MiddlewareHandler } from "hono";
import { nowOf, type AppEnv } from "../../context";
import { errorResponse } from "../../lib/error-handler";
import { ServiceError } from "../../lib/errors";
import { readBearerToken, readSessionCookie, setSessionCookie } from "./cookie";
import { validateSession } from "./session";

export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const fromCookie = readSessionCookie(c);
  const token = fromCookie ?? readBearerToken(c);
  if (token) {
    const { db, config } = c.get("deps");
    const session = await validateSession(db, config, token, nowOf(c));
    c.set("actor", session?.actor);
    // The expiry slid (at most once an hour): the cookie's must slide too. A later clearSessionCookie (logout)
    // comes after this one in the response and wins.
    if (session?.renewedUntil && fromCookie) setSessionCookie(c, token, session.renewedUntil);
    // An outgoing officer (「前会長」, features/handover) reads but changes nothing: the one place every write of
    // theirs is refused, whatever the route. Signing out stays possible.
    if (session?.actor.readOnlyUntil && !READS.test(c.req.method) && !WRITES_ALLOWED_READ_ONLY.has(c.req.path))
      return errorResponse(c, readOnly());
  }
  await next();
};

const READS = /^(GET|HEAD|OPTIONS)$/;
const WRITES_ALLOWED_READ_ONLY = new Set(["/api/auth/logout"]);

const readOnly = () =>
  new ServiceError(
    "forbidden",
    "引き継ぎが済んだため、閲覧だけできます。変更は新しい役員の方が行います。",
    "Your role has been handed over: you can view, but changes are made by the new officer.",
  );

/** The client's address for throttling: the runtime's own view, or the proxy's when configured to trust it. */
export function clientAddress(c: Context<AppEnv>): string {
  const { config, clientAddress: fromRuntime } = c.get("deps");
  if (config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const last = forwarded?.split(",").pop()?.trim();
    if (last) return last;
  }
  return fromRuntime?.(c) ?? "unknown";
}
