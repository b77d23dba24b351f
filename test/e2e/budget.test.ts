// The resident's first load stays small: at most 35 KB of JavaScript gzipped, counting the entry chunk and every
// chunk it imports statically (what a tablet must download before the first screen), and not the chunks loaded on
// demand (the leader screens). Reads the build in dist/web (npm test builds it first).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DIST } from "./harness";

const RESIDENT_JS_BUDGET = 35_000;

/** Static imports of an ES module chunk as Vite writes it (`import{a}from"./x.js"`, `import"./y.js"`, `export … from`). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  const re = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.m?js)["']/g;
  for (const m of code.matchAll(re)) found.add(m[1]!);
  return [...found];
}

function firstLoadChunks(): { file: string; bytes: number; gzip: number }[] {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const entries = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]!);
  const seen = new Map<string, { file: string; bytes: number; gzip: number }>();
  const visit = (url: string) => {
    const file = posix.normalize(url.replace(/^\//, ""));
    if (seen.has(file)) return;
    const code = readFileSync(join(DIST, file));
    seen.set(file, { file, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length });
    for (const dep of staticImports(code.toString("utf8"))) visit(posix.join(posix.dirname(file), dep));
  };
  for (const e of entries) visit(e);
  return [...seen.values()];
}

describe("resident JavaScript budget", () => {
  it("finds static imports and leaves dynamic ones out", () => {
    expect(
      staticImports(
        `import{a as b}from"./chunk-a.js";import"./side.js";export{c}from"./re.js";const L=()=>import("./lazy.js")`,
      ).sort(),
    ).toEqual(["./chunk-a.js", "./re.js", "./side.js"]);
  });

  it(`loads at most ${RESIDENT_JS_BUDGET / 1000} KB gzipped before the first screen`, () => {
    if (!existsSync(join(DIST, "index.html")))
      throw new Error("dist/web is missing: build the PWA first (npx vite build; npm test does it)");
    const chunks = firstLoadChunks();
    expect(chunks.length).toBeGreaterThan(0);
    const total = chunks.reduce((n, c) => n + c.gzip, 0);
    const detail = chunks.map((c) => `${c.file}: ${c.gzip} B gzipped (${c.bytes} B)`).join("\n");
    console.log(`resident first-load JavaScript: ${total} B gzipped`);
    expect(total, `first-load JavaScript ${total} B gzipped:\n${detail}`).toBeLessThanOrEqual(RESIDENT_JS_BUDGET);
    // The leader screens are not part of it.
    expect(
      chunks.some((c) => /Leader/i.test(c.file)),
      detail,
    ).toBe(false);
  });

  it("loads each interface language's file on demand, one chunk each, never before the first screen", () => {
    const firstLoad = new Set(firstLoadChunks().map((c) => c.file));
    const assets = readdirSync(join(DIST, "assets"));
    const sizes: string[] = [];
    for (const code of ["zh-Hans", "ko", "vi", "ne"]) {
      const chunk = assets.find((f) => f.startsWith(`${code}-`) && f.endsWith(".js"));
      expect(chunk, code).toBeDefined();
      expect(firstLoad.has(`assets/${chunk}`), code).toBe(false);
      sizes.push(`${code}: ${gzipSync(readFileSync(join(DIST, "assets", chunk!)), { level: 9 }).length} B gzipped`);
    }
    console.log(`interface language chunks: ${sizes.join(", ")}`);
  });

  it("loads @simplewebauthn/browser only on demand, and only from the staff chunks", () => {
    const firstLoad = new Set(firstLoadChunks().map((c) => c.file));
    const assets = readdirSync(join(DIST, "assets")).filter((f) => f.endsWith(".js"));
    const read = (f: string) => readFileSync(join(DIST, "assets", f), "utf8");
    // The library is the chunk that calls navigator.credentials.create/get.
    const webauthn = assets.filter((f) => /credentials\.create\(/.test(read(f)));
    expect(webauthn).toHaveLength(1);
    expect(firstLoad.has(`assets/${webauthn[0]}`)).toBe(false);
    // Whoever imports it does so dynamically, and is not a resident chunk.
    const importers = assets.filter((f) => f !== webauthn[0] && read(f).includes(webauthn[0]!));
    expect(importers.length).toBeGreaterThan(0);
    for (const f of importers) {
      expect(
        staticImports(read(f)).some((d) => d.endsWith(webauthn[0]!)),
        f,
      ).toBe(false);
      expect(firstLoad.has(`assets/${f}`), f).toBe(false);
    }
  });

  it("carries no morphological analyser or dictionary (ふりがな come from the server: docs/adr/0016)", () => {
    const files = readdirSync(DIST, { recursive: true, encoding: "utf8" }).filter((f) => /\.(m?js|gz|dat)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f, f).not.toMatch(/\.dat(\.gz)?$/);
      const code = readFileSync(join(DIST, f), "utf8");
      expect(/kuromoji|DictionaryLoader|unk_char\.dat/i.test(code), f).toBe(false);
    }
  });
});
