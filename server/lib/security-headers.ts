// Security headers on every response, in one place: the PWA shell and its files, the JSON API, attachments, CSV
// exports and errors alike. A route that needs its own (an attachment's narrower CSP, the shell's app CSP, the API
// reference page's) sets it, and this keeps it.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";

/** A JSON (or CSV) answer is data, never a page: nothing may run, load or frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** A year, once the server is reached over https only (PUBLIC_ORIGIN). */
const HSTS = "max-age=31536000";

export function securityHeaders(opts: { https: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    const keep = (name: string, value: string) => {
      if (!h.has(name)) h.set(name, value);
    };
    keep("X-Content-Type-Options", "nosniff");
    keep("Referrer-Policy", "same-origin");
    if (opts.https) keep("Strict-Transport-Security", HSTS);
    // The API reference page (/api/docs) sets its own CSP, for a page with scripts (server/lib/api-docs.ts).
    if (c.req.path.startsWith("/api/")) {
      keep("Content-Security-Policy", API_CSP);
      keep("Cross-Origin-Resource-Policy", "same-origin");
    }
  };
}
