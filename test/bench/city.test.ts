// `npm run bench:city` in its smoke mode: builds two tiny synthetic cities with bench/seed-city.ts (a child process
// of the bench), times every view and prints the growth table.
import { describe, expect, it } from "vitest";
import { runBenchSmoke, tablesIn } from "../helpers/bench";
import { scaled } from "../helpers/timeouts";

describe("bench/city.ts with BENCH_SMOKE=1", () => {
  it(
    "completes and prints its growth table",
    async () => {
      const r = await runBenchSmoke("bench/city.ts", scaled(110_000));
      expect(r.code, r.stderr).toBe(0);
      for (const view of ["overview city", "trends association", "needs-support"]) expect(r.stdout).toContain(view);
      expect(r.stdout).toContain("growth (ms; receipts");
      expect(tablesIn(r.stdout)).toBe(1);
    },
    scaled(120_000),
  );
});
