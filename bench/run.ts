// `npm run bench`: the figures for the core issue. Prints tables; asserts nothing (targets are read by people).
//  1. Publishing to an association of 1,000 households, beside a bare libSQL batch insert of 1,000 rows.
//  2. Acknowledgement throughput over HTTP on the Node server bundled as `npm start` runs it: real session cookies,
//     distinct households, 50 connections, 20 s (BENCH_SECONDS), autocannon, as a ratio to a trivial Hono POST in
//     the same run; three rounds back to back with the server's RSS after each (memory must stop growing), one round
//     through tsx as before; row count afterwards. 2a: start-up time to a healthy /api/health and idle RSS of
//     server/node.ts, bundled and through tsx.
//  2b. Answers to a circular's three questions over HTTP, like the acknowledgements, beside the trivial POST; the
//     tallies of one circular in a 1,000-household association (bench/answers.ts).
//  3. A household's feed with 200 circulars: p50 and p99.
//  4. Web push: encryption per core beside the bare operations, fan-out to 10,000 subscriptions, a whole-city
//     circular enqueued (bench/push.ts; alone: npm run bench:push).
//  5. The city's dashboard at scales 0.01, 0.1 and 1.0 beside a naive GROUP BY over receipts (bench/city.ts; alone:
//     npm run bench:city; BENCH_CITY_DB_DIR keeps and reuses the synthetic cities, BENCH_CITY_SCALES picks scales).
//  6. 安否確認 at Sendai's scale: a whole-city check enqueued, safety answers over HTTP beside the trivial POST, the
//     city's live view during the burst (bench/safety.ts; alone: npm run bench:safety; BENCH_SAFETY_SCALE).
// BENCH_ONLY=acks,feed runs only the parts named; BENCH_SMOKE=1 makes every part tiny (below).
import type autocannon from "autocannon";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildServer } from "../scripts/build-server.mjs";
import { parseConfig } from "../server/config";
import { openDatabase, migrateDatabase } from "../server/node/database";
import { seedBench, seedFeed, seedPublishAssociation } from "./fixtures";
import { benchCity } from "./city";
import { benchPush } from "./push";
import { benchAnswers } from "./answers";
import { benchSafety } from "./safety";
import { benchRoster } from "./roster";
import {
  buildBenchServer,
  cannon,
  pairRounds,
  trivialPost,
  CONNECTIONS,
  freePort,
  MiB,
  ms,
  rssOf,
  SECONDS,
  SMOKE,
  START_FLAGS,
  startBenchServer,
  startServer,
  stats,
  stopServer,
  withCpu,
  cpuCell,
  cpuRatio,
  type Mode,
} from "./harness";
import { publishCircular, createDraft } from "../server/features/circulars/circulars.service";

// BENCH_SMOKE=1 (bench/harness.ts): tiny sizes and about a second per load, so a test can run the whole of
// `npm run bench` in seconds. The figures then mean nothing; only that every part still runs.
// BENCH_ONLY=acks (or a comma list of publish, acks, answers, feed, push, city, safety, roster) runs only those parts.
const PARTS = ["publish", "acks", "answers", "feed", "push", "city", "safety", "roster"] as const;
const ONLY = (process.env.BENCH_ONLY ?? PARTS.join(",")).split(",").map((p) => p.trim());
for (const p of ONLY)
  if (!(PARTS as readonly string[]).includes(p))
    throw new Error(`BENCH_ONLY: unknown part "${p}" (${PARTS.join(", ")})`);
const ACK_ROUNDS = 3;

async function benchPublish() {
  const households = SMOKE ? 50 : 1000;
  const runs = SMOKE ? 3 : 30;
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-pub-"));
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  const { db, client, close } = await openDatabase(`file:${join(dir, "bench.db")}`);
  await migrateDatabase(db);
  const ctx = await seedPublishAssociation(db, config, households);
  const publishTimes: number[] = [];
  const bareBatch: number[] = [];
  const bareMulti: number[] = [];
  await client.execute("CREATE TABLE bare (a TEXT, b TEXT, c TEXT, d TEXT, e INTEGER, PRIMARY KEY (a, b))");
  for (let i = 0; i < runs; i++) {
    const draft = await createDraft({
      ctx,
      input: { title: `お知らせ ${i}`, body: "本文", priority: "normal", audience: "all", blockIds: [], dueAt: null },
    });
    let t0 = performance.now();
    const r = await publishCircular({ ctx, input: { id: draft.id } });
    publishTimes.push(performance.now() - t0);
    if (r.audienceSize !== households) throw new Error(`audience ${r.audienceSize}`);

    const rows = Array.from({ length: households }, (_, k) => [`c${i}`, `h${k}`, "a", "b", Date.now()]);
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
  const n = households.toLocaleString("en");
  console.log(
    `\n1. Publish to ${n} households (${runs} runs; publish = status change + ${n} receipts + audit, one batch)`,
  );
  console.table({
    "publishCircular (service)": { p50: ms(p.p50), p99: ms(p.p99) },
    [`bare libSQL batch, ${n} INSERTs`]: { p50: ms(b.p50), p99: ms(b.p99) },
    [`bare multi-row INSERT, ${n} rows`]: { p50: ms(m.p50), p99: ms(m.p99) },
  });
  console.log(`   publish / bare batch = ${(p.p50 / b.p50).toFixed(2)}x (target: within 2x)`);
}

/** 2a. The production entry (server/node.ts) with an empty database: start-up to a healthy /api/health, idle RSS. */
async function startupOf(mode: Mode) {
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-start-"));
  const args = mode === "bundle" ? [...START_FLAGS, "dist/server/node.js"] : ["--import", "tsx", "server/node.ts"];
  const s = await startServer(args, {
    DATA_DIR: dir,
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    SEED_DEMO: "false",
  });
  try {
    // Idle: after start-up settles (the push pump's first kick, lazy compilation), with no request but health.
    await new Promise((r) => setTimeout(r, SMOKE ? 200 : 2000));
    return { startMs: s.startMs, idleRss: rssOf(s.child.pid!) };
  } finally {
    await stopServer(s.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchAcks() {
  const built = await buildServer();
  const benchBuilt = await buildBenchServer();
  const startup = { bundle: await startupOf("bundle"), tsx: await startupOf("tsx") };

  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-ack-"));
  const url = `file:${join(dir, "bench.db")}`;
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  // Enough distinct (household, circular) receipts that every request of the three rounds on the bundle and the
  // one round on tsx is a first acknowledgement (720,000: about 8,500/s over the warm-up and the four rounds).
  const households = SMOKE ? 200 : 20_000;
  const circularsPerHousehold = SMOKE ? 10 : 36;
  const seeded = await seedBench(url, config, households, circularsPerHousehold);
  const pairs = seeded.pairs;
  const ackRound = pairRounds({ pairs, path: (id) => `/api/feed/${id}/ack` });
  const env = { DATABASE_URL: url, DATA_DIR: dir, SEED_DEMO: "false" };
  /** The server's own view after a round: V8's heap (total reserved, used) beside RSS read from outside. */
  const heapOf = async (base: string) =>
    (await (await fetch(`${base}/bench/rss`, { method: "POST", headers: { origin: base } })).json()) as {
      heapTotal: number;
      heapUsed: number;
      synchronous: number;
    };
  const row = (
    r: autocannon.Result,
    rss: number,
    heap: { heapTotal: number; heapUsed: number },
    cpuUs: number | null,
  ) => ({
    "req/s": Math.round(r.requests.average),
    p50: `${r.latency.p50} ms`,
    p99: `${r.latency.p99} ms`,
    non2xx: r.non2xx,
    "server CPU / request": cpuCell(cpuUs),
    "RSS after": MiB(rss),
    "JS heap used / total": `${MiB(heap.heapUsed)} / ${MiB(heap.heapTotal)}`,
  });

  let server = await startBenchServer("bundle", { ...env, PORT: String(await freePort()) });
  try {
    const { base } = server;
    const idleRss = rssOf(server.child.pid!);
    // A few seconds of acknowledgements first, not counted: the first seconds of a fresh process run unoptimised
    // code and a cold page cache (round 1 came out at half of rounds 2 and 3 without this).
    const warmup = SMOKE ? null : await ackRound(base, 3);
    const pid = server.child.pid!;
    const { result: trivial, cpuUs: trivialCpu } = await withCpu(pid, () => trivialPost(base));
    const afterTrivial = { rss: rssOf(pid), heap: await heapOf(base) };
    const rounds: {
      r: autocannon.Result;
      cpuUs: number | null;
      rss: number;
      heap: Awaited<ReturnType<typeof heapOf>>;
    }[] = [];
    for (let k = 0; k < ACK_ROUNDS; k++) {
      const { result: r, cpuUs } = await withCpu(pid, () => ackRound(base));
      rounds.push({ r, cpuUs, rss: rssOf(pid), heap: await heapOf(base) });
    }
    const info = rounds.at(-1)!.heap;
    await stopServer(server.child);

    // Before: the same server through tsx (how `npm start` ran it until now), one round.
    server = await startBenchServer("tsx", { ...env, PORT: String(await freePort()) });
    const tsxIdleRss = rssOf(server.child.pid!);
    const { result: tsxRound, cpuUs: tsxCpu } = await withCpu(server.child.pid!, () => ackRound(server.base));
    const tsxRss = rssOf(server.child.pid!);
    const tsxHeap = await heapOf(server.base);
    await stopServer(server.child);

    const { client, close } = await openDatabase(url);
    const read = await client.execute("SELECT count(*) AS n FROM receipts WHERE read_at IS NOT NULL");
    close();
    const rowsRead = Number(read.rows[0]?.n ?? 0);
    // Every load that acknowledged, the warm-up too: all of them are in the database.
    const all = [...(warmup ? [warmup] : []), ...rounds.map((x) => x.r), tsxRound];
    const ok = all.reduce((n, r) => n + r.requests.total - r.non2xx, 0);
    const sent = all.reduce((n, r) => n + r.requests.sent, 0);

    console.log(
      `\n2. Acknowledgements over HTTP (bench/server.ts in a child process; autocannon, ${CONNECTIONS} connections, ${SECONDS} s a round; ` +
        `${households.toLocaleString("en")} households × ${circularsPerHousehold} circulars, each request a different receipt)`,
    );
    const table: Record<string, ReturnType<typeof row>> = {
      "trivial Hono POST (bundle)": row(trivial, afterTrivial.rss, afterTrivial.heap, trivialCpu),
    };
    rounds.forEach(
      ({ r, rss, heap, cpuUs }, k) =>
        (table[`POST /api/feed/:id/ack, bundle, round ${k + 1}`] = row(r, rss, heap, cpuUs)),
    );
    table["POST /api/feed/:id/ack, tsx (before), one round"] = row(tsxRound, tsxRss, tsxHeap, tsxCpu);
    console.table(table);

    const first = rounds[0]!;
    // The median round, so that one round slowed by other work on the machine does not decide the figure.
    const median = [...rounds].sort((a, b) => a.r.requests.average - b.r.requests.average)[Math.floor(ACK_ROUNDS / 2)]!;
    const ratio = median.r.requests.average / trivial.requests.average;
    console.log(
      `   acknowledgements / trivial POST (median round, same run) = ${(ratio * 100).toFixed(1)}% ` +
        `(${Math.round(median.r.requests.average)} / ${Math.round(trivial.requests.average)} req/s, p99 ${median.r.latency.p99} ms; ` +
        `target >= 18% and >= 4,500/s, p99 < 100 ms)` +
        cpuRatio(trivialCpu, median.cpuUs, "acknowledgement"),
    );
    console.log(
      // Requests still in flight when the load stops are written but not counted by autocannon: at most one per connection.
      `   answered 2xx over the ${all.length} loads (${warmup ? "warm-up, " : ""}rounds, tsx): ${ok}, receipts read in the database afterwards: ${rowsRead} ` +
        (sent > pairs.length
          ? `(the rounds sent ${sent} requests for ${pairs.length} receipts, so some were repeats: not comparable)`
          : `(${rowsRead >= ok && rowsRead - ok <= CONNECTIONS * all.length ? "every answered acknowledgement is there; the difference is requests in flight at each stop" : "MISMATCH"})`) +
        `; errors ${all.reduce((n, r) => n + r.errors, 0)}, timeouts ${all.reduce((n, r) => n + r.timeouts, 0)}; ` +
        `PRAGMA synchronous = ${info.synchronous} (2 = FULL)`,
    );
    const growth = (rounds.at(-1)!.rss - first.rss) / first.rss;
    console.log(
      `   memory with work served (bundle): RSS ${rounds.map((x) => MiB(x.rss)).join(" → ")} after rounds 1–${ACK_ROUNDS}; ` +
        `round ${ACK_ROUNDS} is ${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}% of round 1 (target: within 10%)`,
    );

    console.log(
      `\n2a. The Node server compiled (npm start: node ${START_FLAGS.join(" ")} dist/server/node.js) and through tsx (before; npm run dev)`,
    );
    const bundleLabel = `bundle (${(readFileSync(built.outfile).length / 1024).toFixed(0)} KB)`;
    console.table({
      "start-up to a healthy /api/health": {
        [bundleLabel]: `${Math.round(startup.bundle.startMs)} ms`,
        "tsx (before)": `${Math.round(startup.tsx.startMs)} ms`,
      },
      "idle RSS, server/node.ts": {
        [bundleLabel]: MiB(startup.bundle.idleRss),
        "tsx (before)": MiB(startup.tsx.idleRss),
      },
      "idle RSS, bench server": { [bundleLabel]: MiB(idleRss), "tsx (before)": MiB(tsxIdleRss) },
      "RSS after 1 acknowledgement round": { [bundleLabel]: MiB(first.rss), "tsx (before)": MiB(tsxRss) },
      [`RSS after ${ACK_ROUNDS} rounds`]: { [bundleLabel]: MiB(rounds.at(-1)!.rss), "tsx (before)": "(not run)" },
    });
    console.log(
      `   built in ${Math.round(built.ms)} ms (scripts/build-server.mjs; the bench entry ${Math.round(benchBuilt.ms)} ms)`,
    );
    console.log("   targets (bundle): idle <= 120 MiB, after the acknowledgement run <= 250 MiB");
  } finally {
    await stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchFeed() {
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-feed-"));
  const url = `file:${join(dir, "bench.db")}`;
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  const token = await seedFeed(url, config, SMOKE ? 20 : 200);
  await buildBenchServer();
  const { child, base } = await startBenchServer("bundle", {
    DATABASE_URL: url,
    DATA_DIR: dir,
    PORT: String(await freePort()),
    SEED_DEMO: "false",
  });
  try {
    const res = await fetch(`${base}/api/feed`, { headers: { cookie: `kairan_session=${token}` } });
    const body = (await res.json()) as { circulars: unknown[]; unread: number };
    const rows: Record<string, Record<string, string | number>> = {};
    for (const connections of [1, 10]) {
      const r = await cannon({
        url: `${base}/api/feed`,
        connections,
        duration: SMOKE ? SECONDS : Math.max(5, Math.round(SECONDS / 2)),
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
    await stopServer(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `Kairan benchmarks: Node ${process.version}, ${new Date().toISOString()}` +
    (SMOKE ? " — BENCH_SMOKE=1: tiny sizes, figures not meaningful" : "") +
    (process.env.BENCH_ONLY ? ` — only ${ONLY.join(", ")}` : ""),
);
if (ONLY.includes("publish")) await benchPublish();
if (ONLY.includes("acks")) await benchAcks();
if (ONLY.includes("answers")) await benchAnswers();
if (ONLY.includes("feed")) await benchFeed();
if (ONLY.includes("push")) await benchPush();
if (ONLY.includes("city")) await benchCity();
if (ONLY.includes("safety")) await benchSafety();
if (ONLY.includes("roster")) await benchRoster();
