// The API reference page (/api/docs): Scalar's viewer over /api/openapi.json. Its script (Scalar's standalone
// bundle, about 4.9 MB) is served by this app, never a CDN, so a city intranet without internet can read the API:
// the PWA build copies it from node_modules (vite.config.ts) into dist/web, which the Node server and the Worker's
// static assets both serve. It is kept out of git and out of the service worker's precache.
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../context";
import { newSecret } from "./ids";

/** Where the build puts the viewer's script, and where the page loads it from (same origin). */
export const API_REFERENCE_SCRIPT = "/vendor/scalar-api-reference.js";

/**
 * The page's own rules: scripts from here only (the inline start-up script by its nonce), nothing fetched from or
 * sent to another origin, no framing. Inline styles stay allowed: the viewer sets style attributes, which a nonce
 * cannot cover (Scalar's documentation says the same).
 */
function docsCsp(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The page. `cdn` makes it load Scalar's single-file bundle from our own URL (with a nonce, Scalar picks that
 * bundle too). Web fonts, telemetry and the developer toolbar would reach Scalar's servers, so they are off: the
 * page uses the system fonts. A fresh nonce per answer, in the page and its CSP header alike.
 */
export const apiReference = () =>
  Scalar<AppEnv>((c) => {
    const nonce = newSecret();
    c.header("Content-Security-Policy", docsCsp(nonce));
    c.header("Cache-Control", "no-store");
    return {
      url: "/api/openapi.json",
      pageTitle: "Kairan API",
      cdn: API_REFERENCE_SCRIPT,
      nonce,
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: "never",
    };
  });
