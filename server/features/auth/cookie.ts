// The session cookie: HttpOnly, SameSite=Lax, Path=/; over https also Secure with the __Host- prefix (which
// pins it to this exact host and path).
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { nowOf, type AppEnv } from "../../context";

const NAME = "kairan_session";
const SECURE_NAME = `__Host-${NAME}`;

export function isHttps(c: Context<AppEnv>): boolean {
  const { config } = c.get("deps");
  if (config.publicOrigin?.startsWith("https:")) return true;
  if (config.trustProxy && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https") return true;
  return new URL(c.req.url).protocol === "https:";
}

/**
 * The lifetime is sent as Max-Age (seconds from now) rather than an Expires date: a household tablet whose clock
 * is wrong would misread a date, but counts seconds correctly.
 */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  const secure = isHttps(c);
  setCookie(c, secure ? SECURE_NAME : NAME, token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - nowOf(c).getTime()) / 1000)),
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  const secure = isHttps(c);
  deleteCookie(c, secure ? SECURE_NAME : NAME, { path: "/", secure, httpOnly: true, sameSite: "Lax" });
}

/** The token from the session cookie. */
export function readSessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, isHttps(c) ? SECURE_NAME : NAME) || undefined;
}

/** The token from `Authorization: Bearer`, for scripts and the CLI. */
export function readBearerToken(c: Context<AppEnv>): string | undefined {
  const auth = c.req.header("authorization");
  return auth?.startsWith("Bearer ") ? auth.slice(7).trim() : undefined;
}

/** The token from the cookie, or from `Authorization: Bearer` for scripts and the CLI. */
export function readSessionToken(c: Context<AppEnv>): string | undefined {
  return readSessionCookie(c) ?? readBearerToken(c);
}
