// `npm run bench:worker`: the Cloudflare Worker's figures. Prints tables; asserts nothing.
//  1. Bundle size: `wrangler deploy --dry-run --outdir`, raw and gzipped (Cloudflare's limits: 3 MB free, 10 MB
//     paid, gzipped).
//  2. Start-up in workerd (Miniflare, the runtime wrangler dev and the vitest pool use): workerd ready, then the
//     first request (module evaluation, createApp, first D1 query), then a warm one.
//  3. Acknowledgement latency for the same requests, one at a time and 10 at a time, in workerd on D1 beside the
//     Node server (bench/server.ts, the `npm start` setup) on a libSQL file; both seeded with the same rows.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { createClient } from "@libsql/client";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { parseConfig } from "../server/config";
import { seedBench } from "./fixtures";
import { sized } from "./smoke";

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? sized(400, 20));
const ROOT = new URL("..", import.meta.url).pathname;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return {
    p50: `${at(0.5).toFixed(2)} ms`,
    p99: `${at(0.99).toFixed(2)} ms`,
    mean: `${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} ms`,
  };
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function bundle() {
  const out = mkdtempSync(join(tmpdir(), "kairan-worker-bundle-"));
  const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${r.stdout}\n${r.stderr}`);
  const file = join(out, "worker.js");
  const raw = statSync(file).size;
  const gz = gzipSync(readFileSync(file), { level: 9 }).length;
  console.log("\n1. Worker bundle (wrangler deploy --dry-run; the PWA is uploaded separately as static assets)");
  console.table({ "worker.js": { raw: kb(raw), gzipped: kb(gz), "limit (gzipped)": "3 MB free / 10 MB paid" } });
  return file;
}

/** Every migration in drizzle/, in the journal's order (as `wrangler d1 migrations apply` and the Node server do). */
function migrations(): string[] {
  const journal = JSON.parse(readFileSync(join(ROOT, "drizzle/meta/_journal.json"), "utf8")) as {
    entries: { idx: number; tag: string }[];
  };
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .flatMap((e) => readFileSync(join(ROOT, `drizzle/${e.tag}.sql`), "utf8").split("--> statement-breakpoint"))
    .filter((stmt) => stmt.trim());
}

/** Copies every row of the seeded libSQL file into D1 (same ids, same session tokens). */
async function copyToD1(url: string, mf: Miniflare) {
  const d1 = await mf.getD1Database("DB");
  for (const stmt of migrations()) await d1.prepare(stmt).run();
  const src = createClient({ url });
  for (const table of [
    "wards",
    "districts",
    "associations",
    "blocks",
    "households",
    "members",
    "sessions",
    "circulars",
    "receipts",
  ]) {
    const result = await src.execute(`SELECT * FROM ${table}`);
    // Columns named: the libSQL file and D1 have the same schema, but a positional INSERT would break silently
    // on any column order difference.
    const insert = `INSERT INTO ${table} (${result.columns.map((c) => `"${c}"`).join(", ")}) VALUES (${result.columns.map(() => "?").join(", ")})`;
    for (let i = 0; i < result.rows.length; i += 200) {
      const chunk = result.rows.slice(i, i + 200);
      await d1.batch(chunk.map((row) => d1.prepare(insert).bind(...result.columns.map((c) => row[c]))));
    }
  }
  src.close();
}

function startNode(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/server.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`bench server exited ${code}`)));
  });
}

type Send = (path: string, init: RequestInit) => Promise<{ status: number; text(): Promise<string> }>;

/** Acknowledges each pair once: `concurrency` requests in flight. Returns per-request latencies. */
async function acks(send: Send, origin: string, pairs: { token: string; circularId: string }[], concurrency: number) {
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  async function lane() {
    while (next < pairs.length) {
      const p = pairs[next++]!;
      const t0 = performance.now();
      const res = await send(`/api/feed/${p.circularId}/ack`, {
        method: "POST",
        headers: { cookie: `kairan_session=${p.token}`, origin },
      });
      await res.text();
      times.push(performance.now() - t0);
      if (res.status !== 200) failed++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { times, failed };
}

async function main() {
  const script = bundle();
  const config = parseConfig({ SEED_DEMO: "false" });
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-worker-"));
  // Two circulars: the first for one-at-a-time, the second for 10 at a time; every request is a first ack.
  const nodeUrl = `file:${join(dir, "node.db")}`;
  const { pairs } = await seedBench(nodeUrl, config, HOUSEHOLDS, 2);
  const [serial, parallel] = [pairs.slice(0, HOUSEHOLDS), pairs.slice(HOUSEHOLDS)];

  // workerd: the bundled Worker with a D1 database and an R2 bucket, like wrangler dev.
  const t0 = performance.now();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: script,
      modulesRoot: dirname(script),
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
      d1Databases: ["DB"],
      r2Buckets: ["FILES"],
      bindings: { SEED_DEMO: "false" },
      d1Persist: join(dir, "d1"),
    }),
  );
  await mf.ready;
  const ready = performance.now() - t0;
  await copyToD1(nodeUrl, mf);
  let t1 = performance.now();
  const first = await mf.dispatchFetch("http://localhost/api/health");
  await first.text();
  const firstMs = performance.now() - t1;
  t1 = performance.now();
  await (await mf.dispatchFetch("http://localhost/api/health")).text();
  const warmMs = performance.now() - t1;
  console.log("\n2. Start-up in workerd (Miniflare on this machine)");
  console.table({
    "workerd ready (process start, module evaluation)": { ms: ready.toFixed(0) },
    "first request (createApp, first D1 query)": { ms: firstMs.toFixed(1) },
    "warm request (/api/health)": { ms: warmMs.toFixed(1) },
  });

  const origin = "http://localhost";
  const workerSend: Send = (path, init) => mf.dispatchFetch(`${origin}${path}`, init as never);
  const w1 = await acks(workerSend, origin, serial, 1);
  const w10 = await acks(workerSend, origin, parallel, 10);
  await mf.dispose();

  // Node: a fresh copy of the same seed (the Worker's run used the D1 copy; the libSQL file is untouched).
  const port = 3300 + Math.floor(Math.random() * 500);
  const server = await startNode({ DATABASE_URL: nodeUrl, DATA_DIR: dir, PORT: String(port), SEED_DEMO: "false" });
  const base = `http://127.0.0.1:${port}`;
  const nodeSend: Send = (path, init) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as object), origin: base } });
  try {
    const n1 = await acks(nodeSend, base, serial, 1);
    const n10 = await acks(nodeSend, base, parallel, 10);
    console.log(`\n3. POST /api/feed/:id/ack, ${HOUSEHOLDS} distinct first acknowledgements per row, same seed`);
    console.table({
      "workerd + D1, 1 at a time": { ...stats(w1.times), failed: w1.failed },
      "Node + libSQL file, 1 at a time": { ...stats(n1.times), failed: n1.failed },
      "workerd + D1, 10 at a time": { ...stats(w10.times), failed: w10.failed },
      "Node + libSQL file, 10 at a time": { ...stats(n10.times), failed: n10.failed },
    });
    console.log(
      "   workerd here is local (Miniflare's D1 is SQLite on this disk, no network); on Cloudflare, D1 or Turso adds\n" +
        "   the round trip from the Worker's location to the database's. Node is reached over loopback HTTP, workerd\n" +
        "   through Miniflare's dispatchFetch (also loopback HTTP into workerd).",
    );
  } finally {
    server.kill("SIGTERM");
  }
}

await main();
