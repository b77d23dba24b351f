// How the server hands out the PWA (server/features/web): what may be cached for how long, what must be revalidated
// (the shell, the service worker, the manifest), the service worker's scope header, the page's CSP, gzip for text,
// 304 on an unchanged shell, and app routes answered with the shell while /api/ never is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { parseConfig } from "../../server/config";
import { cacheControlFor } from "../../server/features/web/web.routes";
import { createFileAssets } from "../../server/node/file-assets";
import { createFileBlobStore } from "../../server/node/file-blob-store";
import { migrateDatabase, openDatabase, type NodeDatabase } from "../../server/node/database";

let dir: string;
let database: NodeDatabase;
let app: ReturnType<typeof createApp>;
const SHELL = `<!doctype html><html lang="ja"><head><title>回覧板</title></head><body><div id="app"></div>${"<!-- padding -->".repeat(80)}</body></html>`;
const JS = `export const x = ${JSON.stringify("回覧".repeat(2000))};\n`;
const SW = `self.addEventListener("fetch", () => {});\n${"// padding\n".repeat(200)}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kairan-web-"));
  const web = join(dir, "web");
  mkdirSync(join(web, "assets"), { recursive: true });
  mkdirSync(join(web, "icons"), { recursive: true });
  writeFileSync(join(web, "index.html"), SHELL);
  writeFileSync(join(web, "sw.js"), SW);
  writeFileSync(join(web, "assets", "index-AbC123.js"), JS);
  writeFileSync(join(web, "assets", "tiny-AbC123.css"), "body{margin:0}");
  writeFileSync(join(web, "icons", "icon-192.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(web, "manifest.webmanifest"), JSON.stringify({ name: "回覧板", pad: "x".repeat(1200) }));
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  database = await openDatabase(`file:${join(dir, "t.db")}`);
  await migrateDatabase(database.db);
  app = createApp({
    config,
    db: database.db,
    blobs: createFileBlobStore(join(dir, "files")),
    assets: createFileAssets(web),
  });
});

afterAll(() => {
  database?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

describe("serving the PWA", () => {
  it("caches hashed assets for a year and revalidates the shell, the worker and the manifest", () => {
    expect(cacheControlFor("/assets/index-AbC123.js")).toBe("public, max-age=31536000, immutable");
    for (const p of ["/", "/index.html", "/sw.js", "/manifest.webmanifest"])
      expect(cacheControlFor(p), p).toBe("no-cache");
    expect(cacheControlFor("/icons/icon-192.png")).toBe("public, max-age=86400");
  });

  it("answers app routes with the shell (its CSP included), and files by their type", async () => {
    for (const p of ["/", "/join/AbCdEfGh12345678", "/c/abc", "/settings", "/leader/circulars"]) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await res.text()).toBe(SHELL);
    }
    const sw = await get("/sw.js");
    expect(sw.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(sw.headers.get("service-worker-allowed")).toBe("/");
    expect(sw.headers.get("cache-control")).toBe("no-cache");
    expect((await get("/manifest.webmanifest")).headers.get("content-type")).toBe("application/manifest+json");
    const png = await get("/icons/icon-192.png");
    expect([png.status, png.headers.get("content-type"), png.headers.get("content-length")]).toEqual([
      200,
      "image/png",
      "4",
    ]);
  });

  it("never answers /api/ with the shell, and 404s files that are not in the build", async () => {
    const api = await get("/api/no-such-route");
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toMatch(/^application\/json/);
    for (const p of ["/assets/gone-123.js", "/nope.png", "/../package.json", "/%2e%2e/package.json", "/%E0%A4%A.js"]) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.headers.get("cache-control"), p).toBe("no-cache");
    }
  });

  it("sends text gzipped to browsers that accept it, and plain to the others", async () => {
    for (const p of ["/assets/index-AbC123.js", "/", "/sw.js", "/manifest.webmanifest"]) {
      const zipped = await get(p, { "accept-encoding": "gzip, deflate, br" });
      expect(zipped.headers.get("content-encoding"), p).toBe("gzip");
      expect(zipped.headers.get("vary"), p).toBe("Accept-Encoding");
      const body = Buffer.from(await zipped.arrayBuffer());
      expect(Number(zipped.headers.get("content-length"))).toBe(body.length);
      const plain = await get(p);
      expect(plain.headers.get("content-encoding"), p).toBeNull();
      const text = await plain.text();
      expect(gunzipSync(body).toString("utf8"), p).toBe(text);
      expect(body.length, p).toBeLessThan(Buffer.byteLength(text));
    }
    // Tiny or binary files go as they are.
    expect(
      (await get("/assets/tiny-AbC123.css", { "accept-encoding": "gzip" })).headers.get("content-encoding"),
    ).toBeNull();
    expect(
      (await get("/icons/icon-192.png", { "accept-encoding": "gzip" })).headers.get("content-encoding"),
    ).toBeNull();
  });

  it("answers 304 when the shell or the worker has not changed", async () => {
    for (const p of ["/", "/join/xyz", "/sw.js"]) {
      const first = await get(p, { "accept-encoding": "gzip" });
      const etag = first.headers.get("etag");
      expect(etag, p).toMatch(/^W\/"[0-9a-f]{24}"$/);
      const again = await get(p, { "if-none-match": etag!, "accept-encoding": "gzip" });
      expect(again.status, p).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("cache-control")).toBe("no-cache");
      expect((await get(p, { "if-none-match": 'W/"0000"' })).status, p).toBe(200);
    }
    // Hashed assets need no revalidation at all.
    expect((await get("/assets/index-AbC123.js")).headers.get("etag")).toBeNull();
  });
});
