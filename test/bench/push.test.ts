// `npm run bench:push` in its smoke mode: runs to the end and prints its three tables (encryption, fan-out through
// the loopback push service, the whole-city enqueue). The figures are not checked: at these sizes they mean nothing.
import { describe, expect, it } from "vitest";
import { runBenchSmoke, tablesIn } from "../helpers/bench";
import { scaled } from "../helpers/timeouts";

describe("bench/push.ts with BENCH_SMOKE=1", () => {
  it(
    "completes and prints its tables",
    async () => {
      const r = await runBenchSmoke("bench/push.ts", scaled(110_000));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("Push encryption per core");
      expect(r.stdout).toContain("4b. Fan-out of one urgent circular");
      expect(r.stdout).toContain("4c. A whole-city urgent circular");
      expect(tablesIn(r.stdout)).toBe(3);
    },
    scaled(120_000),
  );
});
