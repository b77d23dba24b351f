// `npm run bench`: the figures for the core issue. Prints tables; asserts nothing (targets are read by people).
//  1. Publishing to an association of 1,000 households, beside a bare libSQL batch insert of 1,000 rows.
//  2. Acknowledgement throughput over HTTP on the Node server: real session cookies, distinct households,
//     50 connections, 20 s (BENCH_SECONDS), autocannon, beside a trivial Hono route; row count afterwards.
//  3. A household's feed with 200 circulars: p50 and p99.
//  4. Web push: encryption per core beside the bare operations, fan-out to 10,000 subscriptions, a whole-city
//     circular enqueued (bench/push.ts; alone: npm run bench:push).
//  5. The city's dashboard at scales 0.01, 0.1 and 1.0 beside a naive GROUP BY over receipts (bench/city.ts; alone:
//     npm run bench:city; BENCH_CITY_DB_DIR keeps and reuses the synthetic cities, BENCH_CITY_SCALES picks scales).
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../server/config";
import { openDatabase, migrateDatabase } from "../server/node/database";
import { seedBench, seedFeed, seedPublishAssociation } from "./fixtures";
import { benchCity } from "./city";
import { benchPush } from "./push";
import { publishCircular, createDraft } from "../server/features/circulars/circulars.service";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 50;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function benchPublish() {
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-pub-"));
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  const { db, client, close } = await openDatabase(`file:${join(dir, "bench.db")}`);
  await migrateDatabase(db);
  const ctx = await seedPublishAssociation(db, config, 1000);
  const publishTimes: number[] = [];
  const bareBatch: number[] = [];
  const bareMulti: number[] = [];
  await client.execute("CREATE TABLE bare (a TEXT, b TEXT, c TEXT, d TEXT, e INTEGER, PRIMARY KEY (a, b))");
  for (let i = 0; i < 30; i++) {
    const draft = await createDraft({
      ctx,
      input: { title: `お知らせ ${i}`, body: "本文", priority: "normal", audience: "all", blockIds: [], dueAt: null },
    });
    let t0 = performance.now();
    const r = await publishCircular({ ctx, input: { id: draft.id } });
    publishTimes.push(performance.now() - t0);
    if (r.audienceSize !== 1000) throw new Error(`audience ${r.audienceSize}`);

    const rows = Array.from({ length: 1000 }, (_, k) => [`c${i}`, `h${k}`, "a", "b", Date.now()]);
    t0 = performance.now();
    await client.batch(
      rows.map((args) => ({ sql: "INSERT INTO bare VALUES (?, ?, ?, ?, ?)", args })),
      "write",
    );
    bareBatch.push(performance.now() - t0);

    const placeholders = rows.map(() => "(?, ?, ?, ?, ?)").join(",");
    t0 = performance.now();
    await client.execute({
      sql: `INSERT INTO bare VALUES ${placeholders}`,
      args: rows.flatMap(([a, b, c, d, e]) => [`m${a}`, b!, c!, d!, e!]),
    });
    bareMulti.push(performance.now() - t0);
  }
  close();
  rmSync(dir, { recursive: true, force: true });
  const p = stats(publishTimes);
  const b = stats(bareBatch);
  const m = stats(bareMulti);
  console.log("\n1. Publish to 1,000 households (30 runs; publish = status change + 1,000 receipts + audit, one batch)");
  console.table({
    "publishCircular (service)": { p50: ms(p.p50), p99: ms(p.p99) },
    "bare libSQL batch, 1,000 INSERTs": { p50: ms(b.p50), p99: ms(b.p99) },
    "bare multi-row INSERT, 1,000 rows": { p50: ms(m.p50), p99: ms(m.p99) },
  });
  console.log(`   publish / bare batch = ${(p.p50 / b.p50).toFixed(2)}x (target: within 2x)`);
}

function startServer(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/server.ts"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`bench server exited ${code}`)));
  });
}

async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

async function benchAcks() {
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-ack-"));
  const url = `file:${join(dir, "bench.db")}`;
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  // Enough distinct (household, circular) receipts that every request in the run is a first acknowledgement.
  const households = 20_000;
  const circularsPerHousehold = 10;
  const seeded = await seedBench(url, config, households, circularsPerHousehold);
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = await startServer({ DATABASE_URL: url, DATA_DIR: dir, PORT: String(port), SEED_DEMO: "false" });
  const base = `http://127.0.0.1:${port}`;
  try {
    const trivial = await cannon({
      url: `${base}/bench/trivial`,
      method: "POST",
      connections: CONNECTIONS,
      duration: Math.max(5, Math.round(SECONDS / 2)),
      headers: { "content-type": "application/json", origin: base },
      body: "{}",
    });
    let i = 0;
    const pairs = seeded.pairs;
    const acks = await cannon({
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: "POST",
          setupRequest: (req) => {
            const p = pairs[i++ % pairs.length]!;
            return {
              ...req,
              method: "POST",
              path: `/api/feed/${p.circularId}/ack`,
              headers: { cookie: `kairan_session=${p.token}`, origin: base },
            };
          },
        },
      ],
    });
    const info = (await (await fetch(`${base}/bench/rss`, { method: "POST", headers: { origin: base } })).json()) as { rss: number; synchronous: number };
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    const { client, close } = await openDatabase(url);
    const read = await client.execute("SELECT count(*) AS n FROM receipts WHERE read_at IS NOT NULL");
    close();
    const rows = Number(read.rows[0]?.n ?? 0);
    console.log(
      `\n2. Acknowledgements over HTTP (Node server in a child process; autocannon, ${CONNECTIONS} connections, ${SECONDS} s; ` +
        `${households.toLocaleString()} households, each request a different receipt)`,
    );
    console.table({
      "trivial Hono POST": {
        "req/s": Math.round(trivial.requests.average),
        p50: `${trivial.latency.p50} ms`,
        p99: `${trivial.latency.p99} ms`,
        non2xx: trivial.non2xx,
      },
      "POST /api/feed/:id/ack": {
        "req/s": Math.round(acks.requests.average),
        p50: `${acks.latency.p50} ms`,
        p99: `${acks.latency.p99} ms`,
        non2xx: acks.non2xx,
      },
    });
    const ok = acks.requests.total - acks.non2xx;
    console.log(
      // Requests still in flight when the load stops are written but not counted by autocannon: at most one per connection.
      `   answered 2xx: ${ok}, receipts read in the database afterwards: ${rows} ` +
        `(${rows >= ok && rows - ok <= CONNECTIONS ? "every answered acknowledgement is there; the difference is requests in flight at the stop" : "MISMATCH"}); ` +
        `errors ${acks.errors}, timeouts ${acks.timeouts}`,
    );
    console.log(`   server RSS at the end: ${(info.rss / 1024 / 1024).toFixed(0)} MiB; PRAGMA synchronous = ${info.synchronous} (2 = FULL)`);
    console.log(`   target: >= 4,500 acknowledgements/s with p99 < 100 ms`);
  } finally {
    if (server.exitCode === null) server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchFeed() {
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-feed-"));
  const url = `file:${join(dir, "bench.db")}`;
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  const token = await seedFeed(url, config, 200);
  const port = 3990 + Math.floor(Math.random() * 9);
  const server = await startServer({ DATABASE_URL: url, DATA_DIR: dir, PORT: String(port), SEED_DEMO: "false" });
  try {
    const base = `http://127.0.0.1:${port}`;
    const res = await fetch(`${base}/api/feed`, { headers: { cookie: `kairan_session=${token}` } });
    const body = (await res.json()) as { circulars: unknown[]; unread: number };
    const rows: Record<string, Record<string, string | number>> = {};
    for (const connections of [1, 10]) {
      const r = await cannon({
        url: `${base}/api/feed`,
        connections,
        duration: Math.max(5, Math.round(SECONDS / 2)),
        headers: { cookie: `kairan_session=${token}` },
      });
      rows[`GET /api/feed, ${connections} connection${connections > 1 ? "s" : ""}`] = {
        "req/s": Math.round(r.requests.average),
        p50: `${r.latency.p50} ms`,
        p99: `${r.latency.p99} ms`,
        non2xx: r.non2xx,
      };
    }
    console.log(`\n3. A household's feed with ${body.circulars.length} circulars (${body.unread} unread)`);
    console.table(rows);
  } finally {
    server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`Kairan benchmarks: Node ${process.version}, ${new Date().toISOString()}`);
await benchPublish();
await benchAcks();
await benchFeed();
await benchPush();
await benchCity();
