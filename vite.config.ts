import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";
import { VitePWA } from "vite-plugin-pwa";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

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
    VitePWA({
      strategies: "injectManifest",
      srcDir: "sw",
      filename: "sw.ts",
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        // Leader screens are not needed offline on a resident's tablet, but precaching them costs little.
        maximumFileSizeToCacheInBytes: 512 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
  test: {
    root: here("."),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two projects: the app on Node (libSQL file, disk) and the Workers entry inside workerd (D1, R2, static
    // assets), both from `vitest run`.
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/**/*.test.ts"], exclude: ["test/workerd/**"], pool: "forks" },
      },
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
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
