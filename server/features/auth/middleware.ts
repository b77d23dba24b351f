// Reads the session (if any) for every /api request and puts the actor on the context. Routes decide whether
// they need one (context.ts: requireActor, associationCtx).
import type { Context, MiddlewareHandler } from "hono";
import { nowOf, type AppEnv } from "../../context";
import { readSessionToken } from "./cookie";
import { validateSessionToken } from "./session";

export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = readSessionToken(c);
  if (token) {
    const { db, config } = c.get("deps");
    c.set("actor", (await validateSessionToken(db, config, token, nowOf(c))) ?? undefined);
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
