// 2b. Answers (issue 12), like the acknowledgements (bench/run.ts part 2): POST /api/feed/:id/answer to a circular
// with three questions (出欠 with 人数, one choice, a number), distinct households, 50 connections, on the bundled
// bench server, beside a trivial POST in the same run; answers counted in the database afterwards. Then the tallies
// of one circular in a 1,000-household association where every household answered (the board's query, through the
// service), beside a bare SELECT of that circular's receipts.
import type autocannon from "autocannon";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../server/config";
import { answerStatements } from "../server/features/answers/answer-batch";
import { answerBoard } from "../server/features/answers/answers.service";
import { checkAnswer, toQuestions, type AskedQuestions } from "../server/features/answers/questions";
import { createDraft, publishCircular } from "../server/features/circulars/circulars.service";
import { openDatabase, migrateDatabase } from "../server/node/database";
import { seedBench, seedPublishAssociation } from "./fixtures";
import {
  buildBenchServer,
  pairRounds,
  trivialPost,
  CONNECTIONS,
  freePort,
  ms,
  SECONDS,
  SMOKE,
  startBenchServer,
  stats,
  stopServer,
  withCpu,
  cpuCell,
  cpuRatio,
} from "./harness";

const ASKED: AskedQuestions = [
  { kind: "attendance", label: "清掃に出られますか", required: true },
  { kind: "single", label: "集合場所", required: true, options: ["集会所", "公園"] },
  { kind: "number", label: "敬老会の参加人数", required: false, unit: "人", min: 0, max: 20 },
];
const ANSWER = JSON.stringify({
  answers: { q1: { choice: "attend", people: 2 }, q2: { choice: "o1" }, q3: { number: 3 } },
});

async function answersOverHttp() {
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-answers-"));
  const url = `file:${join(dir, "bench.db")}`;
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  // Distinct (household, circular) pairs for the warm-up and the round: about 7,000/s at most.
  const households = SMOKE ? 200 : 20_000;
  const circulars = SMOKE ? 5 : 12;
  const { pairs } = await seedBench(url, config, households, circulars, JSON.stringify(toQuestions(ASKED)));
  await buildBenchServer();
  const server = await startBenchServer("bundle", {
    DATABASE_URL: url,
    DATA_DIR: dir,
    SEED_DEMO: "false",
    PORT: String(await freePort()),
  });
  const round = pairRounds({ pairs, path: (id) => `/api/feed/${id}/answer`, body: ANSWER });
  try {
    const warmup = SMOKE ? null : await round(server.base, 3);
    const pid = server.child.pid!;
    const { result: trivial, cpuUs: trivialCpu } = await withCpu(pid, () => trivialPost(server.base));
    const { result: answers, cpuUs: answersCpu } = await withCpu(pid, () => round(server.base));
    await stopServer(server.child);
    const { client, close } = await openDatabase(url);
    const counted = async (q: string) => Number((await client.execute(q)).rows[0]?.[0] ?? 0);
    const stored = await counted("SELECT count(*) FROM answers");
    const read = await counted("SELECT count(*) FROM receipts WHERE read_at IS NOT NULL");
    const tallied = await counted(
      "SELECT coalesce(sum(households), 0) FROM answer_tallies WHERE question_id = '*' AND block_id = ''",
    );
    close();
    const all: autocannon.Result[] = [...(warmup ? [warmup] : []), answers];
    const ok = all.reduce((n, r) => n + r.requests.total - r.non2xx, 0);
    const sent = all.reduce((n, r) => n + r.requests.sent, 0);
    const row = (r: autocannon.Result, cpuUs: number | null) => ({
      "req/s": Math.round(r.requests.average),
      p50: `${r.latency.p50} ms`,
      p99: `${r.latency.p99} ms`,
      non2xx: r.non2xx,
      "server CPU / request": cpuCell(cpuUs),
    });
    console.log(
      `\n2b. Answers over HTTP (bench/server.ts bundled; autocannon, ${CONNECTIONS} connections, ${SECONDS} s; ` +
        `${households.toLocaleString("en")} households × ${circulars} circulars with 3 questions, each request a different household's answer)`,
    );
    console.table({
      "trivial Hono POST (bundle)": row(trivial, trivialCpu),
      "POST /api/feed/:id/answer (bundle)": row(answers, answersCpu),
    });
    const ratio = answers.requests.average / trivial.requests.average;
    console.log(
      `   answers / trivial POST (same run) = ${(ratio * 100).toFixed(1)}% (${Math.round(answers.requests.average)} / ` +
        `${Math.round(trivial.requests.average)} req/s, p99 ${answers.latency.p99} ms; target >= 18% and >= 4,500/s, p99 < 100 ms)` +
        cpuRatio(trivialCpu, answersCpu, "answer"),
    );
    console.log(
      `   answered 2xx over the ${all.length} loads: ${ok}; in the database afterwards: ${stored} answers, ${read} acknowledgements, ` +
        `${tallied} in the tallies ` +
        (sent > pairs.length
          ? "(more requests than pairs: repeats, not comparable)"
          : stored >= ok && stored - ok <= CONNECTIONS * all.length && stored === read && stored === tallied
            ? "(every answered answer is there, acknowledged and tallied; the difference is requests in flight at each stop)"
            : "(MISMATCH)"),
    );
  } finally {
    await stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function talliesOfOneCircular() {
  const households = SMOKE ? 50 : 1000;
  const runs = SMOKE ? 5 : 200;
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-tallies-"));
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  const { db, client, close } = await openDatabase(`file:${join(dir, "bench.db")}`);
  await migrateDatabase(db);
  const ctx = await seedPublishAssociation(db, config, households);
  const draft = await createDraft({
    ctx,
    input: {
      title: "清掃",
      body: "本文",
      priority: "normal",
      audience: "all",
      blockIds: [],
      dueAt: null,
      questions: ASKED,
    },
  });
  await publishCircular({ ctx, input: { id: draft.id } });
  const questions = toQuestions(ASKED);
  const ids = (
    await client.execute({ sql: "SELECT household_id FROM receipts WHERE circular_id = ?", args: [draft.id] })
  ).rows.map((r) => String(r[0]));
  // Every household answers, in batches of 200 through the same statements as the app's answers.
  for (let i = 0; i < ids.length; i += 200) {
    const rows = ids.slice(i, i + 200).map((householdId, k) => {
      const { value, items } = checkAnswer(questions, {
        q1: (i + k) % 3 === 0 ? { choice: "absent" } : { choice: "attend", people: 1 + ((i + k) % 4) },
        q2: { choice: (i + k) % 2 ? "o1" : "o2" },
        q3: { number: (i + k) % 7 },
      });
      return {
        circularId: draft.id,
        householdId,
        associationId: ctx.associationId,
        memberId: ctx.actor.memberId,
        answeredAt: Date.now(),
        value,
        items,
      };
    });
    await db.batch(answerStatements(db, { rows, channel: "app", now: Date.now() }).items);
  }
  const board: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    const b = await answerBoard({ ctx, input: { circularId: draft.id } });
    board.push(performance.now() - t0);
    if (b.answered !== households) throw new Error(`answered ${b.answered} of ${households}`);
    t0 = performance.now();
    await client.execute({
      sql: "SELECT household_id, block_id, read_at FROM receipts WHERE circular_id = ?",
      args: [draft.id],
    });
    bare.push(performance.now() - t0);
  }
  close();
  rmSync(dir, { recursive: true, force: true });
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
  const b = stats(board);
  const s = stats(bare);
  console.log(
    `\n2c. Tallies of one circular, ${households.toLocaleString("en")} households all answered (${runs} runs)`,
  );
  console.table({
    "answerBoard (service): tallies per block, unanswered, answers": {
      p50: ms(b.p50),
      p95: ms(p95(board)),
      p99: ms(b.p99),
    },
    [`bare SELECT of its ${households.toLocaleString("en")} receipts`]: {
      p50: ms(s.p50),
      p95: ms(p95(bare)),
      p99: ms(s.p99),
    },
  });
  console.log(`   board / bare SELECT = ${(b.p50 / s.p50).toFixed(1)}x (target: p95 < 20 ms)`);
}

export async function benchAnswers() {
  await answersOverHttp();
  await talliesOfOneCircular();
}
