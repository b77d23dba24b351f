// Reads the session (if any) for every /api request and puts the actor on the context. Routes decide whether
// they need one (context.ts: requireActor, associationCtx).
import type { Context, MiddlewareHandler } from "hono";
import { nowOf, type AppEnv } from "../../context";
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
  }
  await next();
};

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
