// What the HTTP benchmarks share: running the bench server (bench/server.ts) bundled as `npm start` bundles the
// server, or through tsx; free ports; autocannon; the process's RSS read from outside; percentiles.
import autocannon from "autocannon";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { buildServer } from "../scripts/build-server.mjs";

/** BENCH_SMOKE=1: tiny sizes and about a second per load; the figures then mean nothing, only that it runs. */
export const SMOKE = process.env.BENCH_SMOKE === "1";
export const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 1 : 20));
export const CONNECTIONS = SMOKE ? 10 : 50;

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}
export const ms = (n: number) => `${n.toFixed(2)} ms`;

export const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Resident set size of a process, read from outside it (the same figure for the bundle and for tsx). */
export function rssOf(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(status, "utf8"))![1]) * 1024;
  return Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) * 1024;
}

/**
 * CPU time a process has used (user + system, all its threads), in ms, or null where /proc is missing. Read around a
 * load, it gives the server's CPU per request: steadier than requests a second on a shared machine, whose speed
 * varies by a third between runs, and it leaves out the load generator's share of the two cores.
 */
export function cpuMsOf(pid: number): number | null {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return null;
  // After the command's name, in parentheses: fields 14 and 15 of stat(5) are utime and stime, in clock ticks.
  const text = readFileSync(stat, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}
/** sysconf(_SC_CLK_TCK): 100 on Linux everywhere this runs. */
const CLOCK_TICKS = 100;

/** Runs `load` and answers its result with the server's CPU per request (µs), or null where it cannot be read. */
export async function withCpu(pid: number, load: () => Promise<autocannon.Result>) {
  const before = cpuMsOf(pid);
  const result = await load();
  const after = cpuMsOf(pid);
  const cpuUs =
    before === null || after === null ? null : ((after - before) * 1000) / Math.max(1, result.requests.total);
  return { result, cpuUs };
}

/** A table cell for withCpu's figure. */
export const cpuCell = (cpuUs: number | null) => (cpuUs === null ? "(no /proc)" : `${Math.round(cpuUs)} µs`);

/** The trivial POST's CPU per request as a share of `what`'s, for the line under a table ("" where unknown). */
export const cpuRatio = (trivialCpu: number | null, cpuUs: number | null, what: string) =>
  trivialCpu && cpuUs
    ? `; by the server's CPU per request, trivial / ${what} = ${((trivialCpu / cpuUs) * 100).toFixed(1)}%`
    : "";

/** How a server is run: the bundle as `npm start` runs it, or TypeScript through tsx as before (and as `npm run dev`). */
export type Mode = "bundle" | "tsx";
export const BENCH_BUNDLE = "dist/bench/server.js";
/** The node flags `npm start` gives the bundle (the V8 heap limits, scripts/build-server.mjs), read from package.json. */
export const START_FLAGS = (() => {
  const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
  const run = start.split("&&").at(-1)!.trim().split(/\s+/);
  if (run[0] !== "node" || run.at(-1) !== "dist/server/node.js")
    throw new Error(`npm start does not end in node ... dist/server/node.js: ${start}`);
  return run.slice(1, -1);
})();

export interface Started {
  child: ChildProcess;
  base: string;
  /** From spawn to the first 200 from /api/health. */
  startMs: number;
}

export async function startServer(args: string[], env: Record<string, string>): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}`))),
  );
  const base = `http://127.0.0.1:${env.PORT}`;
  const healthy = (async () => {
    for (;;) {
      try {
        if ((await fetch(`${base}/api/health`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await Promise.race([healthy, exited]);
  exited.catch(() => {}); // a later exit (SIGTERM at the end) is expected
  return { child, base, startMs: performance.now() - t0 };
}

/** The bench server (bench/server.ts: createApp plus the trivial route) as a bundle or through tsx. */
export function startBenchServer(mode: Mode, env: Record<string, string>) {
  return startServer(mode === "bundle" ? [...START_FLAGS, BENCH_BUNDLE] : ["--import", "tsx", "bench/server.ts"], env);
}

export async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await gone;
}

/** A port nobody listens on (the OS picks it), so /api/health cannot be answered by another server on the machine. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

let benchBuild: ReturnType<typeof buildServer> | undefined;
/** bench/server.ts bundled the way `npm start` bundles server/node.ts (scripts/build-server.mjs), once a run. */
export function buildBenchServer() {
  return (benchBuild ??= buildServer({ entry: "bench/server.ts", outfile: BENCH_BUNDLE }));
}

/** The baseline every HTTP bench is read against: a POST that parses nothing and touches no database. */
export function trivialPost(base: string) {
  return cannon({
    url: `${base}/bench/trivial`,
    method: "POST",
    connections: CONNECTIONS,
    duration: SMOKE ? SECONDS : Math.max(5, Math.round(SECONDS / 2)),
    headers: { "content-type": "application/json", origin: base },
    body: "{}",
  });
}

/**
 * Rounds of POSTs, each request to the next (household, circular) pair (a resident's session and a circular), so that
 * every request is a different household's first: `path` of the pair, and a JSON `body` if any. The pairs are shared by
 * all rounds made by one `pairRounds`.
 */
export function pairRounds(opts: {
  pairs: { token: string; circularId: string }[];
  path: (circularId: string) => string;
  body?: string;
}) {
  let next = 0;
  return (base: string, duration = SECONDS) =>
    cannon({
      url: base,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: "POST",
          setupRequest: (req) => {
            const p = opts.pairs[next++ % opts.pairs.length]!;
            return {
              ...req,
              method: "POST",
              path: opts.path(p.circularId),
              headers: {
                cookie: `kairan_session=${p.token}`,
                origin: base,
                ...(opts.body ? { "content-type": "application/json" } : {}),
              },
              ...(opts.body ? { body: opts.body } : {}),
            };
          },
        },
      ],
    });
}
