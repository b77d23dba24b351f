// `npm run bench:furigana` in its smoke mode: runs to the end and prints its three tables (the dictionary's load,
// analysis per text, memory once let go). The figures are not checked: at these sizes they mean nothing.
import { describe, expect, it } from "vitest";
import { runBenchSmoke, tablesIn } from "../helpers/bench";
import { scaled } from "../helpers/timeouts";

describe("bench/furigana.ts with BENCH_SMOKE=1", () => {
  it(
    "completes and prints its tables",
    async () => {
      const r = await runBenchSmoke("bench/furigana.ts", scaled(60_000));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("1. Loading IPADIC (kuromoji)");
      expect(tablesIn(r.stdout)).toBe(3);
    },
    scaled(70_000),
  );
});
