// `npm run build` / `npm start`: bundles the Node server (server/node.ts) into dist/server/node.js with esbuild, so
// production runs plain `node` on compiled JavaScript instead of the tsx loader (`npm run dev` keeps tsx).
// Output goes to dist/server only: vite empties dist/web, and each build leaves the other's folder alone.
// Kept external (loaded from node_modules): @libsql/client and libsql, which load a native addon by platform name.
// The migrations (drizzle/) and the PWA (dist/web) are found at run time from the project folder
// (server/node/paths.ts), so run the bundle from a checkout with `npm ci` done, as docs/deploy.md does.
//
// `npm start` runs it as `node --max-old-space-size=384 --max-semi-space-size=16 dist/server/node.js` (keep
// docs/deploy.md's ExecStart the same; bench/run.ts and test/cli/server.test.ts read the flags from package.json).
// Why: with V8's defaults (a 4 GiB heap limit on the 24 GiB development machine) the heap kept growing under
// acknowledgement load while what was still reachable stayed about 15-30 MiB: V8 raised its collection limits
// instead of collecting (heapTotal 96 -> 176 -> 187 MiB over three rounds, RSS 184 -> 266 MiB; measured with
// --expose-gc, heap snapshots and /proc/<pid>/smaps: the growth was V8's heap pages, not libSQL's native memory, and
// the live heap did not grow). A small old-space limit makes V8 collect instead: the heap stayed at about 50-65 MiB
// and RSS at about 140-160 MiB over the same rounds. The semi-spaces (young generation) are set as well, to 16 MiB:
// larger ones mean fewer scavenges under load; 8 MiB gave the same memory, and CPU per request differed only within
// the (large) noise of a shared machine. 384 MiB leaves room well above the live heap; a request needing more would
// crash the process (systemd restarts it), so raise the limit rather than drop it.

import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The options shared with bench/run.ts, which bundles its own server entry (bench/server.ts) the same way. */
export function serverBuildOptions({ entry, outfile }) {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // kuromoji reads its dictionary (node_modules/kuromoji/dict) from beside its own files: loaded from node_modules.
    external: ["@libsql/client", "libsql", "kuromoji"],
    // BudouX's entry imports linkedom for an HTML processor we never call (server/lib/no-dom.ts).
    alias: { linkedom: "./server/lib/no-dom.ts" },
    // CommonJS dependencies bundled into an ES module (web-push and its helpers) still call require() for Node's
    // built-ins; give the bundle a real one.
    banner: {
      js: "import { createRequire as __kairanRequire } from 'node:module'; const require = __kairanRequire(import.meta.url);",
    },
    // Written beside the bundle for `node --enable-source-maps`; Node does not load it otherwise (no cost by default).
    sourcemap: "linked",
    legalComments: "linked",
    logLevel: "warning",
  };
}

export async function buildServer({ entry = "server/node.ts", outfile = "dist/server/node.js" } = {}) {
  // The output folder is the bundle's own (dist/server, dist/bench): emptied so no stale chunk or map stays behind.
  rmSync(dirname(resolve(root, outfile)), { recursive: true, force: true });
  const t0 = performance.now();
  await build(serverBuildOptions({ entry, outfile }));
  return { outfile, ms: performance.now() - t0 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outfile, ms } = await buildServer();
  console.log(`server bundled into ${outfile} in ${Math.round(ms)} ms`);
}
