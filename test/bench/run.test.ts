// `npm run bench` (bench/run.ts) in its smoke mode: publish, acknowledgements and answers over HTTP, the feed, then the
// push, city and safety-check benches, each printing its tables.
import { describe, expect, it } from "vitest";
import { runBenchSmoke, tablesIn } from "../helpers/bench";
import { scaled } from "../helpers/timeouts";

describe("bench/run.ts with BENCH_SMOKE=1", () => {
  it(
    "completes and prints every part's tables",
    async () => {
      const r = await runBenchSmoke("bench/run.ts", scaled(290_000));
      expect(r.code, r.stderr).toBe(0);
      for (const part of [
        "1. Publish to",
        "2. Acknowledgements over HTTP",
        "2a. The Node server compiled",
        "2b. Answers over HTTP",
        "2c. Tallies of one circular",
        "3. A household's feed",
        "4b. Fan-out",
        "4c. A whole-city",
        "5. The city's dashboard",
        "6a. A whole-city check",
        "6b. Safety answers over HTTP",
        "6c. The city's live view during the burst",
        "7. 名簿を取り込む",
      ])
        expect(r.stdout).toContain(part);
      // 1, 2, 2a, 2b, 2c, 3, push encryption, 4b, 4c, the city's growth table, 6a, 6b, 7.
      expect(tablesIn(r.stdout)).toBe(13);
      expect(r.stdout).not.toContain("MISMATCH");
      expect(r.stdout).not.toContain("FAILED");
    },
    scaled(300_000),
  );
});
