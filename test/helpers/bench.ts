// Runs a bench script as `npm run bench*` does (a real Node process through tsx) in its smoke mode (BENCH_SMOKE=1:
// tiny sizes, bench/smoke.ts), for test/bench/*.test.ts.
import { spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Resolves when the script exits, or after `limitMs` with the whole process group killed (code null): a bench that
 * ignored BENCH_SMOKE would otherwise go on building gigabytes beside the next tests.
 */
export function runBenchSmoke(script: string, limitMs: number, env: Record<string, string> = {}): Promise<BenchRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      // Its own process group, so the servers and seeders it starts go with it when the limit is reached.
      detached: true,
      // Wrangler (bench/worker.ts) would otherwise try to send telemetry from a machine without a network.
      env: { ...process.env, BENCH_SMOKE: "1", WRANGLER_SEND_METRICS: "false", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${limitMs} ms)`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The number of tables console.table printed (each starts with a top-left corner). */
export const tablesIn = (stdout: string): number => stdout.split("\n").filter((l) => l.startsWith("┌")).length;
