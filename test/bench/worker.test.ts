// `npm run bench:worker` in its smoke mode: bundles the Worker (wrangler deploy --dry-run, which needs the built PWA
// in dist/web), starts it in workerd with every migration applied to D1, copies a tiny seed there and acknowledges
// through both the Worker and the Node server, printing its three tables. It failed unnoticed once (only the first
// migration applied to D1) because nothing ran it.
import { describe, expect, it } from "vitest";
import { runBenchSmoke, tablesIn } from "../helpers/bench";
import { requireBuild } from "../e2e/harness";
import { scaled } from "../helpers/timeouts";

describe("bench/worker.ts with BENCH_SMOKE=1", () => {
  it(
    "completes and prints its tables, with no failed acknowledgement",
    async () => {
      requireBuild();
      const r = await runBenchSmoke("bench/worker.ts", scaled(170_000));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("1. Worker bundle");
      expect(r.stdout).toMatch(/worker\.js\s*│\s*'[\d.]+ KiB'/);
      expect(r.stdout).toContain("2. Start-up in workerd");
      expect(r.stdout).toContain("3. POST /api/feed/:id/ack");
      expect(tablesIn(r.stdout)).toBe(3);
      // The last column of each acknowledgement row counts the answers that were not 200: the rows copied to D1
      // must serve the same sessions and receipts as the libSQL file.
      const failed = r.stdout
        .split("\n")
        .filter((l) => l.includes(" at a time"))
        .map((l) => l.match(/│\s*(\d+)\s*│\s*$/)?.[1]);
      expect(failed).toEqual(["0", "0", "0", "0"]);
    },
    scaled(180_000),
  );
});
