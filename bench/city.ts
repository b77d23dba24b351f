// `npm run bench:city` (and the last part of `npm run bench`): the city's dashboard at Sendai scale.
// For each scale (BENCH_CITY_SCALES, default 0.01,0.1,1) a synthetic Sendai is built with bench/seed-city.ts (in a
// temporary folder, or kept and reused in BENCH_CITY_DB_DIR as city-<scale>.db), then every dashboard view
// (server/features/city/city.service.ts: cityOverview and cityTrends at the city, a ward, a district and an
// association; needsSupport) is timed beside a naive GROUP BY over receipts that computes the same figures in the same
// run, and the two answers are compared. Also a city survey (issue 12): the latest bulletin with two questions answered
// by every household that read it, its tallies per area (city-circulars/answers.service.ts) beside a naive GROUP BY
// over the answers. Prints p50/p95 per scale and a growth table. Targets (read by people): p95 < 100 ms for every view
// at every scale, and flat as the scale grows (the survey excepted: one row per association by design).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { parseConfig, type Config } from "../server/config";
import type { ServiceCtx } from "../server/context";
import type { Db } from "../server/db/client";
import {
  BUCKET_COLUMNS,
  bucketOf,
  DAY_MS,
  dayNumber,
  WEEK_MS,
  weekNumber,
  WITHIN_24H,
  WITHIN_72H,
} from "../server/features/stats/sql";
import { openDatabase } from "../server/node/database";
import { rebuildTallies } from "../server/features/answers/tallies";
import { checkAnswer, itemsJson, toQuestions, type AskedQuestions } from "../server/features/answers/questions";
import { cityCircularAnswers } from "../server/features/city-circulars/answers.service";
import { sized } from "./smoke";

const SCALES = (process.env.BENCH_CITY_SCALES ?? sized("0.01,0.1,1", "0.001,0.002")).split(",").map(Number);
const DB_DIR = process.env.BENCH_CITY_DB_DIR;
/** Timed runs of each rollup view (after 3 warm-up runs). */
const RUNS = Number(process.env.BENCH_CITY_RUNS ?? sized(50, 3));
/** The naive queries: at least 3 runs, then more while under this many seconds per view (at most RUNS). */
const NAIVE_SECONDS = Number(process.env.BENCH_CITY_NAIVE_SECONDS ?? sized(15, 0.1));
const TARGET_MS = 100;

type Level = "city" | "ward" | "district" | "association";
interface CityService {
  cityOverview(args: { ctx: ServiceCtx; input: { level: Level; id?: string } }): Promise<any>;
  cityTrends(args: { ctx: ServiceCtx; input: { level: Level; id?: string } }): Promise<any>;
  needsSupport(args: {
    ctx: ServiceCtx;
    input: { sort?: "reason" | "coverage" | "read72h" | "change"; order?: "asc" | "desc" };
  }): Promise<any>;
  SUPPRESS_BELOW?: number;
  WEEKS?: number;
  THRESHOLDS?: { coverage: number; read72h: number; fallPoints: number };
}

/** The real views, loaded at run time so the harness compiles while the service is being written. */
async function loadService(): Promise<CityService | null> {
  const path = "../server/features/city/city.service";
  try {
    return (await import(/* @vite-ignore */ path)) as CityService;
  } catch (e) {
    console.log(
      `   (city.service not loadable: ${e instanceof Error ? e.message.split("\n")[0] : e}; naive figures only)`,
    );
    return null;
  }
}

// ---------- timing ----------
function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), n: s.length };
}
type Pct = ReturnType<typeof percentiles>;

async function timeIt(fn: () => Promise<unknown>, opts: { warmup: number; min: number; max: number; seconds: number }) {
  for (let i = 0; i < opts.warmup; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < opts.max && (samples.length < opts.min || performance.now() - start < opts.seconds * 1000)) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return percentiles(samples);
}

// ---------- the naive figures: GROUP BY over receipts and households on every request ----------
const MIN_GROUP_DEFAULT = 5;
const WEEKS_DEFAULT = 26;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

interface Sums {
  inArea: number;
  members: number;
  app: number;
  paper: number;
  push: number;
  active: number;
  circulars: number;
  targeted: number;
  dueTargeted: number;
  readByDue: number;
  b: number[];
}
const emptySums = (): Sums => ({
  inArea: 0,
  members: 0,
  app: 0,
  paper: 0,
  push: 0,
  active: 0,
  circulars: 0,
  targeted: 0,
  dueTargeted: 0,
  readByDue: 0,
  b: Array(BUCKET_COLUMNS.length).fill(0),
});
function addSums(a: Sums, b: Sums) {
  for (const k of [
    "inArea",
    "members",
    "app",
    "paper",
    "push",
    "active",
    "circulars",
    "targeted",
    "dueTargeted",
    "readByDue",
  ] as const)
    a[k] += b[k];
  b.b.forEach((x, k) => (a.b[k]! += x));
}

function median(b: readonly number[]): number | null {
  const n = b.reduce((a, x) => a + x, 0);
  if (n === 0) return null;
  let seen = 0;
  for (let k = 0; k < b.length; k++) if ((seen += b[k]!) >= Math.ceil(n / 2)) return k;
  return null;
}

/** The figures compared with the service's (the numbers; labels and names are left out). */
function figuresOf(s: Sums, min: number) {
  const rate = (num: number, den: number) => (den >= min ? round4(num / den) : null);
  const within = (n: number) => s.b.slice(0, n).reduce((a, x) => a + x, 0);
  const read = s.b.reduce((a, x) => a + x, 0);
  return {
    reads: {
      circulars: s.circulars,
      targeted: s.targeted,
      read24hRate: rate(within(WITHIN_24H), s.targeted),
      read72hRate: rate(within(WITHIN_72H), s.targeted),
      readByDueRate: rate(s.readByDue, s.dueTargeted),
      medianReadBucket: s.targeted >= min && read >= min ? median(s.b) : null,
    },
    households:
      s.members < min
        ? null
        : {
            householdsInArea: s.inArea,
            memberHouseholds: s.members,
            coverage: rate(s.members, s.inArea),
            appHouseholds: s.app,
            paperHouseholds: s.paper,
            paperShare: rate(s.paper, s.members),
            pushHouseholds: s.push,
            pushShare: rate(s.push, s.app),
            activeHouseholds: s.active,
            activeShare: rate(s.active, s.members),
          },
  };
}

/** Associations of a scope as an SQL condition on `col`. */
function inScope(col: string, level: Level, id: string) {
  if (level === "city") return sql`1`;
  if (level === "association") return sql`${sql.raw(col)} = ${id}`;
  if (level === "district") return sql`${sql.raw(col)} IN (SELECT id FROM associations WHERE district_id = ${id})`;
  return sql`${sql.raw(col)} IN (SELECT a.id FROM associations a JOIN districts d ON d.id = a.district_id WHERE d.ward_id = ${id})`;
}

const weekStartMs = (week: number) => week * WEEK_MS - 9 * 3_600_000 - 3 * DAY_MS;

/** Raw sums per association of a scope, every figure from the raw rows. */
async function naiveSums(db: Db, level: Level, id: string, now: Date, weeks: number): Promise<Map<string, Sums>> {
  const fromWeek = weekNumber(now) - (weeks - 1);
  const fromDay = dayNumber(now) - 29;
  const bucket = bucketOf("(r.read_at - r.created_at)");
  const [households, areas, active, reads, circulars] = await db.batch([
    db.all<{ a: string; members: number; app: number; paper: number; push: number }>(sql`
      SELECT h.association_id AS a, count(*) AS members, sum(h.channel = 'app') AS app, sum(h.channel = 'paper') AS paper,
        sum(EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.household_id = h.id)) AS push
      FROM households h WHERE h.left_at IS NULL AND ${inScope("h.association_id", level, id)} GROUP BY h.association_id`),
    db.all<{ a: string; in_area: number }>(
      sql`SELECT id AS a, households_in_area AS in_area FROM associations WHERE ${inScope("id", level, id)}`,
    ),
    db.all<{ a: string; n: number }>(sql`
      SELECT a, count(*) AS n FROM (
        SELECT h.association_id AS a, max(r.read_at) AS last FROM households h JOIN receipts r ON r.household_id = h.id
        WHERE h.left_at IS NULL AND ${inScope("h.association_id", level, id)} GROUP BY h.id)
      WHERE (last + 32400000) / ${DAY_MS} >= ${fromDay} GROUP BY a`),
    db.all<{ a: string; b: number | null; n: number; due: number; by_due: number }>(sql`
      SELECT c.association_id AS a, CASE WHEN r.read_at IS NULL THEN NULL ELSE ${sql.raw(bucket)} END AS b, count(*) AS n,
        sum(c.due_at IS NOT NULL) AS due, sum(r.read_at IS NOT NULL AND c.due_at IS NOT NULL AND r.read_at <= c.due_at) AS by_due
      FROM circulars c JOIN receipts r ON r.circular_id = c.id
      WHERE c.status = 'published' AND c.published_at >= ${weekStartMs(fromWeek)} AND ${inScope("c.association_id", level, id)}
      GROUP BY c.association_id, b`),
    db.all<{ a: string; n: number }>(sql`
      SELECT c.association_id AS a, count(*) AS n FROM circulars c
      WHERE c.status = 'published' AND c.published_at >= ${weekStartMs(fromWeek)} AND ${inScope("c.association_id", level, id)}
        AND EXISTS (SELECT 1 FROM receipts r WHERE r.circular_id = c.id)
      GROUP BY c.association_id`),
  ]);
  const out = new Map<string, Sums>();
  const get = (a: string) => out.get(a) ?? out.set(a, emptySums()).get(a)!;
  for (const r of areas) get(r.a).inArea = Number(r.in_area);
  for (const r of households)
    Object.assign(get(r.a), {
      members: Number(r.members),
      app: Number(r.app),
      paper: Number(r.paper),
      push: Number(r.push),
    });
  for (const r of active) get(r.a).active = Number(r.n);
  for (const r of circulars) get(r.a).circulars = Number(r.n);
  for (const r of reads) {
    const s = get(r.a);
    s.targeted += Number(r.n);
    s.dueTargeted += Number(r.due);
    s.readByDue += Number(r.by_due);
    if (r.b !== null) s.b[Number(r.b)]! += Number(r.n);
  }
  return out;
}

interface Tree {
  wardOf: Map<string, string>; // association -> ward
  districtOf: Map<string, string>; // association -> district
}
async function loadTree(db: Db): Promise<Tree> {
  const rows = await db.all<{ a: string; d: string; w: string }>(sql`
    SELECT a.id AS a, d.id AS d, d.ward_id AS w FROM associations a JOIN districts d ON d.id = a.district_id`);
  return { wardOf: new Map(rows.map((r) => [r.a, r.w])), districtOf: new Map(rows.map((r) => [r.a, r.d])) };
}

/** The overview's figures (the scope and each child), naively. */
async function naiveOverview(db: Db, tree: Tree, level: Level, id: string, now: Date, min: number, weeks: number) {
  const per = await naiveSums(db, level, id, now, weeks);
  const childOf = (a: string) =>
    level === "city"
      ? tree.wardOf.get(a)!
      : level === "ward"
        ? tree.districtOf.get(a)!
        : level === "district"
          ? a
          : null;
  const scope = emptySums();
  const children = new Map<string, Sums>();
  for (const [a, s] of per) {
    addSums(scope, s);
    const c = childOf(a);
    if (c !== null) addSums(children.get(c) ?? children.set(c, emptySums()).get(c)!, s);
  }
  const fig = (s: Sums) => {
    const f = figuresOf(s, min);
    return f.households ? { ...f.households, ...f.reads } : null;
  };
  return { figures: fig(scope), children: new Map([...children].map(([k, s]) => [k, fig(s)])) };
}

/** The weekly trend of a scope, naively. */
async function naiveTrends(db: Db, level: Level, id: string, now: Date, min: number, weeks: number) {
  const fromWeek = weekNumber(now) - (weeks - 1);
  const bucket = bucketOf("(r.read_at - r.created_at)");
  const week = "((c.published_at + 291600000) / 604800000)";
  const [members, reads, circulars] = await db.batch([
    db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM households WHERE left_at IS NULL AND ${inScope("association_id", level, id)}`,
    ),
    db.all<{ w: number; b: number | null; n: number; due: number; by_due: number }>(sql`
      SELECT ${sql.raw(week)} AS w, CASE WHEN r.read_at IS NULL THEN NULL ELSE ${sql.raw(bucket)} END AS b, count(*) AS n,
        sum(c.due_at IS NOT NULL) AS due, sum(r.read_at IS NOT NULL AND c.due_at IS NOT NULL AND r.read_at <= c.due_at) AS by_due
      FROM circulars c JOIN receipts r ON r.circular_id = c.id
      WHERE c.status = 'published' AND c.published_at >= ${weekStartMs(fromWeek)} AND ${inScope("c.association_id", level, id)}
      GROUP BY w, b`),
    db.all<{ w: number; n: number }>(sql`
      SELECT ${sql.raw(week)} AS w, count(*) AS n FROM circulars c
      WHERE c.status = 'published' AND c.published_at >= ${weekStartMs(fromWeek)} AND ${inScope("c.association_id", level, id)}
        AND EXISTS (SELECT 1 FROM receipts r WHERE r.circular_id = c.id)
      GROUP BY w`),
  ]);
  const suppressed = Number(members[0]?.n ?? 0) < min;
  const byWeek = new Map<number, Sums>();
  const get = (w: number) => byWeek.get(w) ?? byWeek.set(w, emptySums()).get(w)!;
  for (const r of circulars) get(Number(r.w)).circulars = Number(r.n);
  for (const r of reads) {
    const s = get(Number(r.w));
    s.targeted += Number(r.n);
    s.dueTargeted += Number(r.due);
    s.readByDue += Number(r.by_due);
    if (r.b !== null) s.b[Number(r.b)]! += Number(r.n);
  }
  return Array.from({ length: weeks }, (_, i) => {
    const w = fromWeek + i;
    return { week: w, ...(suppressed ? null : figuresOf(byWeek.get(w) ?? emptySums(), min).reads) };
  });
}

/** Needs support, naively: coverage, and the 72-hour read rate of the last 4 full weeks against the 4 before. */
async function naiveNeedsSupport(
  db: Db,
  now: Date,
  min: number,
  t: { coverage: number; read72h: number; fallPoints: number },
) {
  const thisWeek = weekNumber(now);
  const [assocs, reads] = await db.batch([
    db.all<{ id: string; in_area: number; members: number }>(sql`
      SELECT a.id, a.households_in_area AS in_area, (SELECT count(*) FROM households h WHERE h.association_id = a.id AND h.left_at IS NULL) AS members
      FROM associations a`),
    db.all<{ a: string; recent: number; n: number; r72: number }>(sql`
      SELECT c.association_id AS a, c.published_at >= ${weekStartMs(thisWeek - 4)} AS recent, count(*) AS n,
        sum(r.read_at IS NOT NULL AND r.read_at - r.created_at < ${3 * DAY_MS}) AS r72
      FROM circulars c JOIN receipts r ON r.circular_id = c.id
      WHERE c.status = 'published' AND c.published_at >= ${weekStartMs(thisWeek - 8)} AND c.published_at < ${weekStartMs(thisWeek)}
      GROUP BY c.association_id, recent`),
  ]);
  const rate = (num: number, den: number) => (den >= min ? round4(num / den) : null);
  const r72 = new Map(reads.map((r) => [`${r.a}:${r.recent}`, r]));
  const out = new Map<string, string[]>();
  for (const a of assocs) {
    if (Number(a.members) < min) continue;
    const coverage = rate(Number(a.members), Number(a.in_area));
    const rec = r72.get(`${a.id}:1`);
    const prev = r72.get(`${a.id}:0`);
    const recent = rec ? rate(Number(rec.r72), Number(rec.n)) : null;
    const previous = prev ? rate(Number(prev.r72), Number(prev.n)) : null;
    const change = recent !== null && previous !== null ? round4(recent - previous) : null;
    const reasons: string[] = [];
    if (coverage !== null && coverage < t.coverage) reasons.push("low_coverage");
    if (change !== null && change <= -t.fallPoints) reasons.push("falling_read_rate");
    if (recent !== null && recent < t.read72h) reasons.push("low_read_rate");
    if (reasons.length) out.set(a.id, reasons);
  }
  return out;
}

// ---------- comparing the service's answers with the naive ones ----------
function diff(
  label: string,
  got: Record<string, unknown> | undefined,
  want: Record<string, unknown> | null,
): string | null {
  if (!got) return `${label}: missing`;
  if (want === null) return got.suppressed === true || got.circulars === null ? null : `${label}: expected suppressed`;
  for (const [k, v] of Object.entries(want))
    if (got[k] !== v) return `${label}.${k}: view ${String(got[k])}, naive ${String(v)}`;
  return null;
}

function compareOverview(view: any, naive: Awaited<ReturnType<typeof naiveOverview>>): string | null {
  const own = diff("figures", view.figures, naive.figures);
  if (own) return own;
  for (const child of view.children as { id: string }[]) {
    const want = naive.children.get(child.id) ?? null;
    const d = diff(`children[${child.id}]`, child as Record<string, unknown>, want);
    if (d) return d;
  }
  return null;
}

function compareTrends(view: any, naive: Awaited<ReturnType<typeof naiveTrends>>): string | null {
  if (view.weeks.length !== naive.length) return `weeks: view ${view.weeks.length}, naive ${naive.length}`;
  for (let i = 0; i < naive.length; i++) {
    const { week, ...want } = naive[i]!;
    if (view.weeks[i].week !== week) return `weeks[${i}].week: view ${view.weeks[i].week}, naive ${week}`;
    const d = diff(`weeks[${i}]`, view.weeks[i], Object.keys(want).length ? want : null);
    if (d) return d;
  }
  return null;
}

function compareNeeds(view: any, naive: Map<string, string[]>): string | null {
  const got = new Map(
    (view.associations as { id: string; reasons: string[] }[]).map((a) => [a.id, [...a.reasons].sort().join(",")]),
  );
  if (got.size !== naive.size) return `associations listed: view ${got.size}, naive ${naive.size}`;
  for (const [id, reasons] of naive)
    if (got.get(id) !== [...reasons].sort().join(",")) return `${id}: view ${got.get(id)}, naive ${reasons}`;
  return null;
}

// ---------- one scale ----------
interface ViewResult {
  view: string;
  rollup: Pct | null;
  naive: Pct;
  match: string;
}

export async function buildScale(
  scale: number,
  dir: string,
): Promise<{ path: string; built: boolean; seconds: number }> {
  const path = join(dir, `city-${scale}.db`);
  if (existsSync(path) && statSync(path).size > 0) return { path, built: false, seconds: 0 };
  const t = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "bench/seed-city.ts", "--scale", String(scale), "--out", path],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    child.stdout!.on("data", (d: Buffer) => {
      for (const line of d.toString().split("\n")) if (line.trim()) console.log(`   | ${line}`);
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`seed-city exited ${code}`))));
  });
  return { path, built: true, seconds: (performance.now() - t) / 1000 };
}

// ---------- a city survey (issue 12): the latest bulletin carries questions, and every household that read it answered ----------

const SURVEY_QUESTIONS: AskedQuestions = [
  { kind: "attendance", label: "防災訓練に参加しますか", required: true },
  { kind: "single", label: "避難場所を知っていますか", required: true, options: ["知っている", "知らない"] },
];

/**
 * Makes the latest city bulletin a survey (once per database): its copies get the questions, every read receipt of
 * them an answer (the choice drawn from the household id), and the kept tallies are written by the same grouping the
 * answer batches use. Returns the city circular's id.
 */
async function prepareSurvey(db: Db): Promise<string> {
  const [cc] = await db.all<{ id: string; questions: string }>(
    sql`SELECT id, questions FROM city_circulars ORDER BY published_at DESC LIMIT 1`,
  );
  if (!cc) throw new Error("no city circular to make a survey of");
  if (cc.questions !== "[]") return cc.id;
  const questions = toQuestions(SURVEY_QUESTIONS);
  const variants = [
    { q1: { choice: "attend", people: 2 }, q2: { choice: "o1" } },
    { q1: { choice: "absent" }, q2: { choice: "o1" } },
    { q1: { choice: "undecided" }, q2: { choice: "o2" } },
  ].map((v) => {
    const { value, items } = checkAnswer(questions, v);
    return { value: JSON.stringify(value), items: itemsJson(items) };
  });
  const pick = (k: "value" | "items") =>
    sql.raw(
      `CASE unicode(substr(r.household_id, -1)) % 3 ${variants.map((v, i) => `WHEN ${i} THEN '${v[k]}'`).join(" ")} END`,
    );
  await db.run(sql`UPDATE city_circulars SET questions = ${JSON.stringify(questions)} WHERE id = ${cc.id}`);
  await db.run(sql`UPDATE circulars SET questions = ${JSON.stringify(questions)} WHERE city_circular_id = ${cc.id}`);
  await db.run(sql`
    INSERT INTO answers (circular_id, household_id, association_id, block_id, value, items, channel, answered_by,
      answered_at, created_at)
    SELECT r.circular_id, r.household_id, r.association_id, r.block_id, ${pick("value")}, ${pick("items")},
      r.channel, coalesce(r.read_by, 'seed'), r.read_at, r.read_at
    FROM receipts r JOIN circulars c ON c.id = r.circular_id
    WHERE c.city_circular_id = ${cc.id} AND r.read_at IS NOT NULL`);
  await rebuildTallies(db, sql`c.city_circular_id = ${cc.id}`);
  return cc.id;
}

/** The survey's total tallies, naively: every answer's items grouped on each request (the rollups' equal). */
async function naiveSurvey(db: Db, id: string) {
  const rows = await db.all<{ item: string; n: number; amount: number }>(sql`
    SELECT j.key AS item, count(*) AS n, sum(j.value) AS amount
    FROM circulars c JOIN answers a ON a.circular_id = c.id, json_each(a.items) j
    WHERE c.city_circular_id = ${id} AND c.status = 'published'
    GROUP BY j.key`);
  return new Map(rows.map((r) => [r.item, { n: r.n, amount: r.amount }]));
}

/** The service's total against the naive one: the same households and people per option. */
function compareSurvey(view: any, naive: Map<string, { n: number; amount: number }>): string | null {
  if (view.total.answered !== (naive.get("*|*")?.n ?? 0))
    return `answered ${view.total.answered} vs ${naive.get("*|*")?.n}`;
  for (const q of view.total.tallies)
    for (const o of q.options) {
      const n = naive.get(`${q.questionId}|${o.id}`) ?? { n: 0, amount: 0 };
      if (o.households !== n.n || o.amount !== n.amount) return `${q.questionId}|${o.id} differs`;
    }
  return null;
}

async function benchScale(scale: number, dir: string, service: CityService | null, config: Config) {
  const built = await buildScale(scale, dir);
  const { db, client, close } = await openDatabase(`file:${built.path}`);
  try {
    const one = async (q: string) => (await client.execute(q)).rows[0]!;
    const receipts = Number((await one("SELECT max(rowid) AS n FROM receipts")).n);
    const assocs = Number((await one("SELECT count(*) AS n FROM associations")).n);
    // The scopes: 青葉区, its district with the most associations, that district's association of median size.
    const ward = String((await one("SELECT id FROM wards WHERE name = '青葉区'")).id);
    const district = String(
      (
        await one(`SELECT d.id FROM districts d JOIN associations a ON a.district_id = d.id WHERE d.ward_id = '${ward}'
        GROUP BY d.id ORDER BY count(*) DESC, d.id LIMIT 1`)
      ).id,
    );
    const sizes = (
      await client.execute({
        sql: "SELECT id FROM associations WHERE district_id = ? ORDER BY households_in_area, id",
        args: [district],
      })
    ).rows;
    const association = String(sizes[Math.floor(sizes.length / 2)]!.id);
    const staff = await one("SELECT id FROM members WHERE role = 'city' LIMIT 1");
    const now = new Date();
    const ctx: ServiceCtx = {
      db,
      config,
      now,
      actor: {
        memberId: String(staff.id),
        sessionId: "bench",
        role: "city",
        associationId: null,
        householdId: null,
        blockId: null,
      },
    };
    const min = service?.SUPPRESS_BELOW ?? MIN_GROUP_DEFAULT;
    const weeks = service?.WEEKS ?? WEEKS_DEFAULT;
    const thresholds = service?.THRESHOLDS ?? { coverage: 0.5, read72h: 0.5, fallPoints: 0.1 };
    const tree = await loadTree(db);
    const size = statSync(built.path).size;
    console.log(
      `\n  scale ${scale}: ${assocs.toLocaleString()} associations, ${receipts.toLocaleString()} receipts, ` +
        `${(size / 2 ** 30).toFixed(2)} GiB${built.built ? `, built in ${built.seconds.toFixed(0)} s` : " (reused)"}`,
    );

    const scopes: [Level, string][] = [
      ["city", ""],
      ["ward", ward],
      ["district", district],
      ["association", association],
    ];
    const results: ViewResult[] = [];
    const naiveOpts = { warmup: 1, min: 3, max: RUNS, seconds: NAIVE_SECONDS };
    const viewOpts = { warmup: 3, min: RUNS, max: RUNS, seconds: 0 };
    const run = async (
      view: string,
      real: (() => Promise<any>) | null,
      naive: () => Promise<any>,
      compare: (v: any, n: any) => string | null,
    ) => {
      const naiveAnswer = await naive();
      let match = "-";
      let rollup: Pct | null = null;
      if (real) {
        match = compare(await real(), naiveAnswer) ?? "equal";
        rollup = await timeIt(real, viewOpts);
      }
      const naivePct = await timeIt(naive, naiveOpts);
      results.push({ view, rollup, naive: naivePct, match });
      const f = (p: Pct | null) => (p ? `p50 ${p.p50.toFixed(2)} ms, p95 ${p.p95.toFixed(2)} ms` : "n/a");
      console.log(
        `   ${view.padEnd(24)} rollups ${f(rollup).padEnd(30)} naive ${f(naivePct)} (n=${naivePct.n})  ${match === "equal" ? "same figures" : match}`,
      );
    };
    for (const [level, id] of scopes) {
      await run(
        `overview ${level}`,
        service ? () => service.cityOverview({ ctx, input: { level, id } }) : null,
        () => naiveOverview(db, tree, level, id, now, min, weeks),
        compareOverview,
      );
    }
    for (const [level, id] of scopes) {
      await run(
        `trends ${level}`,
        service ? () => service.cityTrends({ ctx, input: { level, id } }) : null,
        () => naiveTrends(db, level, id, now, min, weeks),
        compareTrends,
      );
    }
    const survey = await prepareSurvey(db);
    await run(
      "survey (city circular)",
      () => cityCircularAnswers({ ctx, input: { id: survey } }),
      () => naiveSurvey(db, survey),
      compareSurvey,
    );
    await run(
      "needs-support",
      service ? () => service.needsSupport({ ctx, input: { sort: "reason", order: "asc" } }) : null,
      () => naiveNeedsSupport(db, now, min, thresholds),
      compareNeeds,
    );
    return { scale, receipts, results };
  } finally {
    close();
  }
}

export async function benchCity() {
  console.log(
    `\n5. The city's dashboard (scales ${SCALES.join(", ")}; rollup views ${RUNS} runs each after 3 warm-ups; naive GROUP BY ` +
      `over receipts at least 3 runs, up to ${NAIVE_SECONDS} s per view; production settings: WAL, synchronous=FULL, default cache)`,
  );
  const service = await loadService();
  const tmp = DB_DIR ? null : mkdtempSync(join(tmpdir(), "kairan-bench-city-"));
  const dir = DB_DIR ?? tmp!;
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
  const all: Awaited<ReturnType<typeof benchScale>>[] = [];
  try {
    for (const scale of SCALES) {
      all.push(await benchScale(scale, dir, service, config));
      // Only the built files of a temporary folder are removed as soon as they are measured (1.0 is ~4 GiB).
      if (tmp) rmSync(join(tmp, `city-${scale}.db`), { force: true });
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }

  // Growth table: p50/p95 per view and scale, rollups beside naive, and the ratios largest/smallest scale.
  const views = all[0]!.results.map((r) => r.view);
  const table: Record<string, Record<string, string>> = {};
  const misses: string[] = [];
  for (const [i, view] of views.entries()) {
    const row: Record<string, string> = {};
    for (const s of all) {
      const r = s.results[i]!;
      row[`${s.scale} view p50/p95`] = r.rollup ? `${r.rollup.p50.toFixed(1)} / ${r.rollup.p95.toFixed(1)}` : "n/a";
      row[`${s.scale} naive p50/p95`] = `${r.naive.p50.toFixed(0)} / ${r.naive.p95.toFixed(0)}`;
      if (r.rollup && r.rollup.p95 >= TARGET_MS)
        misses.push(`${view} at ${s.scale}: p95 ${r.rollup.p95.toFixed(1)} ms`);
      if (r.match !== "equal" && r.match !== "-") misses.push(`${view} at ${s.scale}: figures differ (${r.match})`);
    }
    const first = all[0]!.results[i]!.rollup;
    const last = all.at(-1)!.results[i]!.rollup;
    const ratio = (a: number, b: number) => a / b;
    const x = (r: number) => `${r >= 10 ? r.toFixed(0) : r.toPrecision(2)}x`;
    row["view growth p50/p95"] =
      first && last ? `${x(ratio(last.p50, first.p50))} / ${x(ratio(last.p95, first.p95))}` : "n/a";
    // Flat: from one scale to the next (10x the data), the median at most doubles.
    const steps = all.slice(1).map((s, k) => {
      const a = all[k]!.results[i]!.rollup;
      const b = s.results[i]!.rollup;
      return a && b ? ratio(b.p50, a.p50) : 0;
    });
    const worst = Math.max(0, ...steps);
    row["view worst step p50"] = first ? x(worst) : "n/a";
    // A survey's figures add up one row per association's copy: they grow with the city by design (target: p95 only).
    if (first && worst > 2 && !view.startsWith("survey"))
      misses.push(
        `${view}: not flat, p50 ${all.map((s) => s.results[i]!.rollup!.p50.toFixed(1)).join(" -> ")} ms over scales ${all.map((s) => s.scale).join(", ")}`,
      );
    const nf = all[0]!.results[i]!.naive;
    const nl = all.at(-1)!.results[i]!.naive;
    row["naive growth p50"] = x(ratio(nl.p50, nf.p50));
    table[view] = row;
  }
  console.log(`\n   growth (ms; receipts ${all.map((s) => `${s.scale}: ${s.receipts.toLocaleString()}`).join(", ")})`);
  console.table(table);
  console.log(
    `   targets: p95 < ${TARGET_MS} ms for every view at every scale, and flat as the scale grows (p50 at most 2x per 10x step)`,
  );
  console.log(
    misses.length
      ? `   NOT MET:\n     ${misses.join("\n     ")}`
      : "   every view under target, same figures as the naive queries",
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`Kairan city dashboard benchmark: Node ${process.version}, ${new Date().toISOString()}`);
  await benchCity();
}
