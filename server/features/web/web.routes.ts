// Serves the PWA: hashed assets cached for a year, the HTML shell and the service worker revalidated on every use (so
// an update reaches every tablet on its next visit; an ETag makes the check a 304 when nothing changed), and every
// app route (/join/<token>, /c/<id>, /leader/...) answered with the shell. Text is sent gzipped to browsers that
// accept it. /api is never answered from here. Runtime-agnostic: CompressionStream and Web Crypto only.
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

/** Hashed build output: the name changes whenever the content does. */
const isImmutable = (path: string) => path.startsWith("/assets/");

export function cacheControlFor(path: string): string {
  if (isImmutable(path)) return "public, max-age=31536000, immutable";
  if (path === "/sw.js" || path.endsWith(".html") || path === "/" || path.endsWith(".webmanifest")) return "no-cache";
  return "public, max-age=86400";
}

const COMPRESSIBLE = new Set(["html", "js", "mjs", "css", "svg", "webmanifest", "json", "txt"]);
/** Smaller files gain nothing from gzip. */
const MIN_COMPRESS_BYTES = 1024;

async function bytesOf(body: ReadableStream<Uint8Array> | Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(body as BodyInit).arrayBuffer());
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return bytesOf(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")));
}

async function etagOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  // Weak: the same file gzipped or not is the same resource to a cache.
  return `W/"${Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/** Gzipped hashed assets, made once per file (their content never changes under the same name). */
const gzipped = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
const MAX_GZIP_CACHE = 64;

function gzipOnce(path: string, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  let p = gzipped.get(path);
  if (!p) {
    if (gzipped.size >= MAX_GZIP_CACHE) gzipped.delete(gzipped.keys().next().value!);
    p = gzip(bytes);
    gzipped.set(path, p);
    p.catch(() => gzipped.delete(path));
  }
  return p;
}

const acceptsGzip = (c: Context<AppEnv>) => /\bgzip\b/i.test(c.req.header("accept-encoding") ?? "");

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

async function serve(c: Context<AppEnv>, assets: AssetStore, path: string) {
  const file = await assets.get(path);
  if (!file) return null;
  const ext = path.split(".").pop() ?? "";
  const headers: Record<string, string> = {
    "Content-Type": TYPES[ext] ?? "application/octet-stream",
    "Cache-Control": cacheControlFor(path),
    "X-Content-Type-Options": "nosniff",
  };
  if (ext === "html") {
    headers["Content-Security-Policy"] = APP_CSP;
    headers["Referrer-Policy"] = "same-origin";
  }
  if (path === "/sw.js") headers["Service-Worker-Allowed"] = "/";
  const compressible = COMPRESSIBLE.has(ext) && file.size >= MIN_COMPRESS_BYTES;
  const immutable = isImmutable(path);
  if (!compressible && immutable) {
    headers["Content-Length"] = String(file.size);
    return c.body(file.body as ReadableStream | Uint8Array<ArrayBuffer>, 200, headers);
  }
  let bytes = await bytesOf(file.body);
  if (compressible) headers.Vary = "Accept-Encoding";
  if (!immutable) {
    // Revalidated on every use: answer "not modified" when the browser has this very file.
    const etag = await etagOf(bytes);
    headers.ETag = etag;
    const strip = (t: string) => t.trim().replace(/^W\//, "");
    const sent = c.req.header("if-none-match");
    if (sent && sent.split(",").some((t) => strip(t) === strip(etag) || t.trim() === "*"))
      return c.body(null, 304, headers);
  }
  if (compressible && acceptsGzip(c)) {
    bytes = immutable ? await gzipOnce(path, bytes) : await gzip(bytes);
    headers["Content-Encoding"] = "gzip";
  }
  headers["Content-Length"] = String(bytes.length);
  return c.body(bytes, 200, headers);
}

export function webRoutes(assets: AssetStore | undefined) {
  const router = createRouter();
  router.get("*", async (c, next) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text("Not found", 404, { "Cache-Control": "no-cache" }); // a malformed %-escape
    }
    if (path.startsWith("/api/") || path === "/api") return next();
    // Not built yet: the home page says how to build; any other page is a plain 404.
    if (!assets)
      return path === "/" ? c.html(SHELL_MISSING) : c.text("Not found", 404, { "Cache-Control": "no-cache" });
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
