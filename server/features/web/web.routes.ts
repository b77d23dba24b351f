// Serves the PWA: hashed assets cached for a year, the HTML shell and the service worker never cached (so an update
// reaches every tablet on its next visit), and every app route (/join/<token>, /c/<id>, /leader/...) answered with
// the shell. /api is never answered from here.
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import type { AssetStore } from "../../lib/assets";
import { createRouter } from "../../lib/openapi";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  webmanifest: "application/manifest+json",
  json: "application/json",
  txt: "text/plain; charset=utf-8",
};

export function cacheControlFor(path: string): string {
  if (path.startsWith("/assets/")) return "public, max-age=31536000, immutable";
  if (path === "/sw.js" || path.endsWith(".html") || path === "/") return "no-cache";
  return "public, max-age=86400";
}

/** The page's own rules: scripts only from here, no framing, nothing sent elsewhere. */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SHELL_MISSING = `<!doctype html><html lang="ja"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>回覧板 Kairan</title>
<body style="font:20px/1.7 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem"><h1>回覧板 Kairan</h1>
<p>サーバーは動いていますが、画面（アプリ）がまだ作られていません。<code>npm run build</code> を実行してください。</p>
<p lang="en">The server is running but the app has not been built: run <code>npm run build</code>. API reference: <a href="/api/docs">/api/docs</a>.</p>`;

async function serve(c: Context<AppEnv>, assets: AssetStore, path: string, status: 200 = 200) {
  const file = await assets.get(path);
  if (!file) return null;
  const ext = path.split(".").pop() ?? "";
  const headers: Record<string, string> = {
    "Content-Type": TYPES[ext] ?? "application/octet-stream",
    "Content-Length": String(file.size),
    "Cache-Control": cacheControlFor(path),
    "X-Content-Type-Options": "nosniff",
  };
  if (ext === "html") {
    headers["Content-Security-Policy"] = APP_CSP;
    headers["Referrer-Policy"] = "same-origin";
  }
  if (path === "/sw.js") headers["Service-Worker-Allowed"] = "/";
  return c.body(file.body as ReadableStream | Uint8Array<ArrayBuffer>, status, headers);
}

export function webRoutes(assets: AssetStore | undefined) {
  const router = createRouter();
  router.get("*", async (c, next) => {
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    if (path.startsWith("/api/") || path === "/api") return next();
    if (!assets) return c.html(SHELL_MISSING);
    // A real file of the build (no directory walking: the store only knows the build's own files).
    if (path !== "/" && /\.[a-z0-9]+$/i.test(path) && !path.includes("..")) {
      const file = await serve(c, assets, path);
      if (file) return file;
      return c.text("Not found", 404, { "Cache-Control": "no-cache" });
    }
    // An app route: the shell, which routes on the client.
    return (await serve(c, assets, "/index.html")) ?? c.html(SHELL_MISSING);
  });
  return router;
}
