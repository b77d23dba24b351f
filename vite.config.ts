import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import preact from "@preact/preset-vite";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// KAIRAN_TEST_TIMEOUT_SCALE, read as test/helpers/timeouts.ts reads it for the e2e helpers' own waits (not imported
// from there: vite's config loader would want a .ts extension the type-check refuses).
const scaleRaw = Number(process.env.KAIRAN_TEST_TIMEOUT_SCALE ?? "1");
const scaled = (ms: number) => Math.round(ms * (Number.isFinite(scaleRaw) && scaleRaw > 0 ? scaleRaw : 1));

/**
 * The API reference viewer's script (Scalar's standalone bundle), copied from node_modules into the build where
 * /api/docs loads it (API_REFERENCE_SCRIPT in server/lib/api-docs.ts: the same path, written out here because the
 * config loader wants no extensionless imports; test/workerd/flows.test.ts fetches it from the built page), so the
 * page needs no CDN: dist/web is what the Node server and the Worker's static assets serve. `npm run dev:web` serves
 * it from node_modules. Never committed, never precached.
 */
const API_REFERENCE_SCRIPT = "/vendor/scalar-api-reference.js";

function apiReferenceViewer(): Plugin {
  // The package's main entry is dist/index.js; its browser bundle sits beside it (not in the package's exports).
  const file = join(dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")), "browser/standalone.js");
  return {
    name: "kairan-api-reference-viewer",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: API_REFERENCE_SCRIPT.slice(1), source: readFileSync(file) });
    },
    configureServer(server) {
      server.middlewares.use(API_REFERENCE_SCRIPT, (_req, res) => {
        res.setHeader("Content-Type", "text/javascript; charset=utf-8");
        res.end(readFileSync(file));
      });
    },
  };
}

/**
 * Beside the build's own list of chunks, the two figures of the residents' budget (issue 15): what a tablet downloads
 * before the first screen (the entry and every chunk it imports statically, gzipped as test/e2e/budget.test.ts counts
 * them; the budget is 35 KB) and each interface language's chunk, fetched only by a device set to it.
 */
function residentBudget(): Plugin {
  type Chunk = { fileName: string; name: string; imports: string[] };
  const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;
  return {
    name: "kairan-resident-budget",
    apply: "build",
    // Once written: the files as served (the code handed to generateBundle still changes on the way to the disk).
    writeBundle(options, bundle) {
      const gz = (c: Chunk) => gzipSync(readFileSync(join(options.dir!, c.fileName)), { level: 9 }).length;
      const chunks = Object.values(bundle).flatMap((o) => (o.type === "chunk" ? [o] : []));
      const entry = chunks.find((c) => c.isEntry && c.facadeModuleId?.endsWith("/web/index.html"));
      if (!entry || !options.dir) return; // another build (the service worker's)
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const first = new Set<Chunk>();
      const visit = (c: Chunk) => {
        if (first.has(c)) return;
        first.add(c);
        for (const f of c.imports) if (byName.has(f)) visit(byName.get(f)!);
      };
      visit(entry);
      const total = [...first].reduce((n, c) => n + gz(c), 0);
      const languages = chunks
        .filter((c) => /\/web\/src\/i18n\/lang\/[\w-]+\.ts$/.test(c.facadeModuleId ?? ""))
        .map((c) => `${c.name} ${kb(gz(c))}`)
        .sort();
      console.log(
        `\nresident first load: ${kb(total)} of JavaScript gzipped (budget 35 KB), ${first.size} chunks\n` +
          `interface languages, each on demand: ${languages.join(", ")}`,
      );
    },
  };
}

// Vite builds the PWA from web/ into dist/web (served by the Node server); vitest runs the tests from the project
// root. The service worker is our own module (web/sw/sw.ts), compiled by vite-plugin-pwa in injectManifest mode,
// which injects the list of app-shell files to precache.
export default defineConfig({
  root: here("web"),
  publicDir: here("web/public"),
  build: {
    outDir: here("dist/web"),
    emptyOutDir: true,
    target: "es2022",
    // The sizes are part of the budget (resident screens: 35 KB of JavaScript gzipped), so always print them.
    reportCompressedSize: true,
  },
  plugins: [
    preact(),
    apiReferenceViewer(),
    residentBudget(),
    VitePWA({
      strategies: "injectManifest",
      srcDir: "sw",
      filename: "sw.ts",
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        // The API reference viewer (about 4.9 MB) is for developers at /api/docs, never for a resident's tablet.
        globIgnores: ["**/node_modules/**/*", "vendor/**"],
        // Leader screens are not needed offline on a resident's tablet, but precaching them costs little.
        maximumFileSizeToCacheInBytes: 512 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
  test: {
    root: here("."),
    // KAIRAN_TEST_TIMEOUT_SCALE stretches every limit at once on a loaded machine (test/helpers/timeouts.ts).
    testTimeout: scaled(30_000),
    hookTimeout: scaled(120_000),
    // The app on Node (libSQL file, disk) split by what a run needs: api (in-process, plus the CLI and the push
    // crypto), e2e (the built PWA and Chromium), bench (each bench script's smoke mode; bench:worker needs the
    // built PWA too); and the Workers entry inside workerd (D1, R2, static assets). `vitest run` runs them all;
    // `vitest run --project e2e` one (npm run test:api / test:e2e / test:bench / test:workerd).
    projects: [
      {
        extends: true,
        test: {
          name: "api",
          include: ["test/api/**/*.test.ts", "test/cli/**/*.test.ts", "test/push/**/*.test.ts"],
          pool: "forks",
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          pool: "forks",
          // expect.poll reads the page from outside; its default of 1 s was what ran out first when Chromium was
          // starved of CPU. Prefer Playwright's own waits (locator.waitFor, waitForRequest), which the harness scales too.
          expect: { poll: { timeout: scaled(5_000) } },
        },
      },
      { extends: true, test: { name: "bench", include: ["test/bench/**/*.test.ts"], pool: "forks" } },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: here("wrangler.toml") },
            miniflare: {
              // The drizzle-kit migrations, applied to the test D1 database by test/workerd/setup.ts.
              // PUSH_ALLOW_HTTP_ENDPOINTS: the test push service listens on loopback (test/workerd/push-service-setup.ts).
              bindings: { TEST_MIGRATIONS: await readD1Migrations(here("drizzle")), PUSH_ALLOW_HTTP_ENDPOINTS: "true" },
            },
          })),
        ],
        test: {
          name: "workerd",
          root: here("."),
          include: ["test/workerd/**/*.test.ts"],
          setupFiles: ["test/workerd/setup.ts"],
          globalSetup: ["test/workerd/push-service-setup.ts"],
          testTimeout: scaled(30_000),
          hookTimeout: scaled(120_000),
        },
      },
    ],
  },
});
