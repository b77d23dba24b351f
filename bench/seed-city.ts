// `npm run seed:city -- --scale S [--out path.db] [--seed N] [--now ISO] [--per-month N] [--force]`
// A synthetic Sendai for the city's dashboard (docs/adr/0005, bench/README.md has the model and its parameters):
// the 5 real wards, about 113 districts, 1,385 × S associations, their blocks, member households (app and paper),
// residents, push subscriptions, 12 months of circulars (the association's own and the monthly city bulletin) and a
// receipt for every targeted household with a realistic read delay. Scale 1.0 is about 20 million receipts.
//
// Everything large is generated inside SQLite (INSERT … SELECT over a recursive counter or over rows already
// inserted), deterministically from integer hashes of row numbers and --seed; JavaScript only computes the ~1,400
// association rows. The build runs with synchronous=OFF, journal_mode=OFF, a big page cache, no foreign key checks
// and the rollup triggers dropped; receipts are inserted already read (reads keep no triggers: the app does that in its
// read batch, server/features/receipts/read-batch.ts) and
// rebuildStats() recomputes every rollup from the raw rows at the end, before the triggers come back.
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Client } from "@libsql/client";
import { parseConfig } from "../server/config";
import { hashPassword } from "../server/features/auth/password";
import { rebuildStats } from "../server/features/stats/rebuild";
import { migrateDatabase, openDatabase } from "../server/node/database";

// ---------- the model's parameters (bench/README.md explains each) ----------

/** The five wards: population (住民基本台帳 2025) and membership rate of households (2016). */
export const WARDS = [
  { id: "w1", name: "青葉区", stem: "青葉", population: 296_855, membership: 0.745 },
  { id: "w2", name: "宮城野区", stem: "宮城野", population: 187_066, membership: 0.794 },
  { id: "w3", name: "若林区", stem: "若林", population: 138_302, membership: 0.811 },
  { id: "w4", name: "太白区", stem: "太白", population: 235_024, membership: 0.803 },
  { id: "w5", name: "泉区", stem: "泉", population: 206_274, membership: 0.871 },
] as const;

export const MODEL = {
  associations: 1385,
  districts: 113,
  /** Households in an association's area: log-normal, mean 390 (median 336, σ 0.55), clamped. */
  householdsMean: 390,
  householdsSigma: 0.55,
  householdsMin: 15,
  householdsMax: 3000,
  /** The city's membership rate (2021); the ward rates of 2016 are scaled to meet it. */
  cityMembership: 0.767,
  /** Per-association spread of the membership rate around its ward's (uniform ± this), and low-coverage areas. */
  membershipSpread: 0.1,
  lowCoverageShare: 0.04,
  lowCoverage: [0.3, 0.5],
  /** Former members (left during the year), as a share of members; households that joined during the year. */
  leftShare: 0.02,
  lateJoinShare: 0.08,
  /** Households per block: about 12.5, every block 10–15 (split evenly; associations under 30 excepted). */
  blockSize: 12.5,
  /** App share of member households: 80% in the youngest areas down to 10% in the oldest. */
  appShare: [0.1, 0.8],
  /** Share of app households with a subscribed device: 45%–80% (younger areas higher); 15% have two devices. */
  pushShare: [0.45, 0.8],
  twoDevices: 0.15,
  /** Association circulars per month (the issue: three), the city bulletin on the 1st of each month. */
  perMonth: 3,
  months: 12,
  dueShare: 0.25,
  dueDays: [7, 14],
  urgentShare: 0.02,
  blocksAudienceShare: 0.04,
  withdrawnShare: 0.01,
  /** Every third bulletin has a due date (an application form), 14 days after the 1st. */
  bulletinDueEvery: 3,
  /** Never read: 3–8% of app receipts (older areas more), 3–8% of paper receipts. */
  neverApp: [30, 80],
  neverPaper: [30, 80],
  /** App delay factor per association: 0.6 (fast) – 1.8 (slow, older areas); the city gets 20% faster over the year. */
  speedApp: [0.6, 1.8],
  yearImprovement: 0.2,
  /** Paper recording delay factor per association (then clamped to 1–10 days). */
  speedPaper: [0.85, 1.15],
  /** Associations whose reading falls off in the last 5 weeks: +30 points never read, app reads 3× slower. */
  decliningShare: 0.04,
  decliningDays: 35,
  decliningNever: 300,
  decliningSlowdown: 3,
} as const;

/** Quantiles of an app household's read delay (before the association's factor): minutes, log-linear between. */
export const APP_DELAY_KNOTS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0.3, 30],
  [0.55, 120],
  [0.7, 300],
  [0.82, 720],
  [0.9, 1440],
  [0.95, 4320],
  [0.975, 10080],
  [1, 30240],
];
/** Quantiles of a paper household's recording delay: days, linear between (then 1–10 days). */
export const PAPER_DELAY_KNOTS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0.25, 2.5],
  [0.5, 4],
  [0.75, 6],
  [0.9, 8],
  [1, 10],
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const JST = 9 * HOUR;
const YEAR_MINUTES = 365 * 24 * 60;

// ---------- deterministic hashing, the same in SQL and TypeScript ----------
// u(seed, stream, a, b) = mix(mix((a·K1 + b·K2 + seed·K3 + stream·K4) mod 2^32)), mix(x) = ((x ^ x>>16) · 0x45d9f3b)
// mod 2^32. SQLite has no XOR and turns integer overflow into a float, so XOR is (a|b) − (a&b) and every product
// stays under 2^63 (a, b < 2^20; x < 2^32 times a 27-bit constant).
const K1 = 2246822519;
const K2 = 3266489917;
const K3 = 668265263;
const K4 = 374761393;
const MIX = 0x45d9f3b;
const M32 = 0xffffffff;

function mix32(x: number): number {
  return Math.imul((x ^ (x >>> 16)) >>> 0, MIX) >>> 0;
}
function hash32(seed: number, stream: number, a: number, b = 0): number {
  const x = (Math.imul(a, K1) + Math.imul(b, K2) + Math.imul(seed, K3) + Math.imul(stream, K4)) >>> 0;
  return mix32(mix32(x));
}
/** A uniform number in [0, 1). */
const unit = (seed: number, stream: number, a: number, b = 0) => hash32(seed, stream, a, b) / 2 ** 32;

const xorSql = (a: string, b: string) => `((${a}) | (${b})) - ((${a}) & (${b}))`;
const mixSql = (x: string) => `((${xorSql(x, `(${x}) >> 16`)}) * ${MIX} & ${M32})`;
/** The SQL expression of hash32(seed, stream, a, b) (a, b: integer SQL expressions under 2^20). */
export function hashSql(seed: number, stream: number, a: string, b = "0"): string {
  const x = `((${a}) * ${K1} + (${b}) * ${K2} + ${(Math.imul(seed, K3) + Math.imul(stream, K4)) >>> 0}) & ${M32}`;
  return mixSql(mixSql(x));
}

// Streams: one per independent draw.
const S = {
  size: 1,
  membership: 2,
  age: 3,
  lowCov: 4,
  declining: 5,
  speed: 6,
  neverApp: 7,
  neverPaper: 8,
  paperSpeed: 9,
  districtWeight: 10,
  districtOf: 11,
  app: 12,
  push: 13,
  dev2: 14,
  join: 15,
  joinAt: 16,
  leftAt: 17,
  block: 18,
  pushShare: 19,
  circDay: 20,
  circTime: 21,
  due: 22,
  dueDays: 23,
  urgent: 24,
  audience: 25,
  withdrawn: 26,
  title: 27,
  receipt: 28,
  leftShare: 29,
} as const;

/** Standard normal from two uniforms (Box–Muller). */
function normal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
const lerp = (range: readonly [number, number], t: number) => range[0] + (range[1] - range[0]) * t;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** A share as per mille, for comparisons with `hash % 1000`. */
const pm = (share: number) => Math.round(share * 1000);

/** Largest-remainder apportionment of `total` by `weights`, each part at least `min` (when total allows). */
function apportion(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  const out = Array<number>(n).fill(0);
  let left = total;
  if (total >= min * n) {
    for (let i = 0; i < n; i++) out[i] = min;
    left -= min * n;
  }
  const sum = weights.reduce((a, w) => a + w, 0);
  const shares = weights.map((w) => (w / sum) * left);
  shares.forEach((s, i) => (out[i]! += Math.floor(s)));
  let rest = left - shares.reduce((a, s) => a + Math.floor(s), 0);
  const order = shares.map((s, i) => [s - Math.floor(s), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % n, rest--) out[order[k]![1]]! += 1;
  return out;
}

/** Quantile table (1,000 rows) of a piecewise distribution: the value at (i + 0.5) / 1000. */
function quantiles(knots: readonly (readonly [number, number])[], log: boolean): number[] {
  return Array.from({ length: 1000 }, (_, i) => {
    const q = (i + 0.5) / 1000;
    let k = 1;
    while (knots[k]![0] < q) k++;
    const [q0, v0] = knots[k - 1]!;
    const [q1, v1] = knots[k]!;
    const t = (q - q0) / (q1 - q0);
    return log ? Math.exp(Math.log(v0) + t * (Math.log(v1) - Math.log(v0))) : v0 + t * (v1 - v0);
  });
}

const ASSOC_STEMS = [
  "桜ケ丘",
  "旭ケ丘",
  "八幡",
  "上杉",
  "木町",
  "北山",
  "荒巻",
  "国見",
  "中山",
  "川平",
  "南光台",
  "鶴ケ谷",
  "福室",
  "岩切",
  "燕沢",
  "小鶴",
  "蒲町",
  "六丁の目",
  "荒井",
  "沖野",
  "長町",
  "富沢",
  "西多賀",
  "八木山",
  "緑ケ丘",
  "茂庭",
  "将監",
  "高森",
  "寺岡",
  "向陽台",
  "松陵",
  "館",
  "南中山",
  "住吉台",
  "愛子",
  "作並",
  "新川",
  "大倉",
  "折立",
  "錦ケ丘",
];
const TITLES = [
  "ごみ集積所の清掃当番について",
  "町内一斉清掃のお知らせ",
  "夏祭りの開催について",
  "防災訓練のお知らせ",
  "敬老会のご案内",
  "町内会費納入のお願い",
  "回覧：交通安全運動",
  "子ども会行事のお知らせ",
  "資源回収日の変更",
  "街路灯の修繕について",
  "総会のご案内",
  "役員会の報告",
  "不審者情報（注意喚起）",
  "冬季の除雪について",
  "集会所の利用について",
  "健康教室のご案内",
  "芋煮会のお知らせ",
  "地区運動会の開催",
  "班長会議の報告",
  "赤い羽根共同募金",
];

export interface SeedOptions {
  scale: number;
  out: string;
  seed: number;
  now: Date;
  perMonth: number;
  force: boolean;
  /** Where progress goes (console.log by default; the test passes a no-op). */
  log?: (line: string) => void;
}

export interface SeedResult {
  out: string;
  phases: { name: string; ms: number }[];
  counts: Record<string, number>;
  totalMs: number;
}

interface AssocRow {
  n: number;
  id: string;
  districtId: string;
  wardIndex: number;
  name: string;
  inArea: number;
  members: number;
  leftN: number;
  nb: number;
  h0: number;
  b0: number;
  appPm: number;
  pushPm: number;
  neverApp: number;
  neverPaper: number;
  speedApp: number;
  speedPaper: number;
  declining: number;
}

/** Wards, districts and associations with their parameters: ~1,400 rows, computed in TypeScript. */
function planCity(scale: number, seed: number) {
  const nAssoc = Math.max(1, Math.round(MODEL.associations * scale));
  const pop = WARDS.map((w) => w.population);
  const perWard = apportion(nAssoc, pop, nAssoc >= WARDS.length ? 1 : 0);
  const districtsFull = apportion(MODEL.districts, pop, 1);
  const districts: { id: string; wardIndex: number; name: string; n: number }[] = [];
  const assocDistrict: number[] = []; // association index -> district index
  const assocWard: number[] = [];
  let dn = 0;
  WARDS.forEach((w, wi) => {
    const nA = perWard[wi]!;
    const nD = Math.min(districtsFull[wi]!, nA);
    const first = districts.length;
    for (let k = 0; k < nD; k++) {
      dn++;
      districts.push({ id: `d${dn}`, wardIndex: wi, name: `${w.stem}第${k + 1}地区`, n: dn });
    }
    if (nD === 0) return;
    // Districts differ in size (weights 0.5–1.5); every district has at least one association.
    const weights = Array.from({ length: nD }, (_, k) => 0.5 + unit(seed, S.districtWeight, first + k + 1));
    const counts = apportion(nA, weights, 1);
    counts.forEach((c, k) => {
      for (let i = 0; i < c; i++) {
        assocDistrict.push(first + k);
        assocWard.push(wi);
      }
    });
  });

  // Sizes, membership (scaled to the city's 76.7% at the end), age of the area and the rest.
  const mu = Math.log(MODEL.householdsMean) - (MODEL.householdsSigma * MODEL.householdsSigma) / 2;
  const raw = assocDistrict.map((_, i) => {
    const n = i + 1;
    const wi = assocWard[i]!;
    const inArea = Math.round(
      clamp(
        Math.exp(mu + MODEL.householdsSigma * normal(unit(seed, S.size, n, 1), unit(seed, S.size, n, 2))),
        MODEL.householdsMin,
        MODEL.householdsMax,
      ),
    );
    const lowCov = unit(seed, S.lowCov, n) < MODEL.lowCoverageShare;
    const rate = lowCov
      ? lerp(MODEL.lowCoverage, unit(seed, S.lowCov, n, 1))
      : WARDS[wi]!.membership + (unit(seed, S.membership, n) * 2 - 1) * MODEL.membershipSpread;
    return { n, wi, inArea, rate, lowCov };
  });
  const inAreaTotal = raw.reduce((a, r) => a + r.inArea, 0);
  const rawMembers = raw.reduce((a, r) => a + r.inArea * r.rate, 0);
  const factor = (MODEL.cityMembership * inAreaTotal) / rawMembers;

  let h0 = 1;
  let b0 = 1;
  const assocs: AssocRow[] = raw.map((r, i) => {
    const n = r.n;
    const rate = r.lowCov ? r.rate : clamp(r.rate * factor, 0.2, 0.98);
    const members = Math.max(1, Math.round(r.inArea * rate));
    const leftN = Math.round(members * MODEL.leftShare * 2 * unit(seed, S.leftShare, n));
    // About 12.5 households a block, each block 10–15 (an association of under 30 households may fall outside).
    const lo = Math.ceil(members / 15);
    const hi = Math.floor(members / 10);
    const nb =
      lo <= hi
        ? clamp(Math.round(members / MODEL.blockSize), lo, hi)
        : Math.max(1, Math.round(members / MODEL.blockSize));
    const age = unit(seed, S.age, n); // 0 young area … 1 old area
    const dIdx = assocDistrict[i]!;
    const stem = ASSOC_STEMS[(n * 7 + dIdx) % ASSOC_STEMS.length]!;
    const row: AssocRow = {
      n,
      id: `a${n}`,
      districtId: districts[dIdx]!.id,
      wardIndex: r.wi,
      name: `${stem}${(n % 9) + 1}丁目町内会`,
      inArea: Math.max(r.inArea, members),
      members,
      leftN,
      nb,
      h0,
      b0,
      appPm: Math.round(1000 * lerp(MODEL.appShare, clamp(1 - age + (unit(seed, S.app, n) - 0.5) * 0.3, 0, 1))),
      pushPm: Math.round(1000 * lerp(MODEL.pushShare, clamp(1 - age + (unit(seed, S.pushShare, n) - 0.5) * 0.4, 0, 1))),
      neverApp: Math.round(lerp(MODEL.neverApp, (age + unit(seed, S.neverApp, n)) / 2)),
      neverPaper: Math.round(lerp(MODEL.neverPaper, unit(seed, S.neverPaper, n))),
      speedApp: lerp(MODEL.speedApp, (age + unit(seed, S.speed, n)) / 2),
      speedPaper: lerp(MODEL.speedPaper, unit(seed, S.paperSpeed, n)),
      declining: unit(seed, S.declining, n) < MODEL.decliningShare ? 1 : 0,
    };
    h0 += members + leftN;
    b0 += nb;
    return row;
  });
  return { districts, assocs, households: h0 - 1, blocks: b0 - 1 };
}

/** The 1st of each of the last `months` months at 09:00 JST, oldest first, none after `now`. */
function bulletinDates(now: Date, months: number): Date[] {
  const jst = new Date(now.getTime() + JST);
  let y = jst.getUTCFullYear();
  let m = jst.getUTCMonth();
  const out: Date[] = [];
  while (out.length < months) {
    const at = new Date(Date.UTC(y, m, 1, 0, 0, 0)); // 09:00 JST
    if (at.getTime() <= now.getTime()) out.unshift(at);
    m--;
    if (m < 0) {
      m = 11;
      y--;
    }
  }
  return out;
}

// A valid-looking P-256 public key and auth secret (RFC 8291 Appendix A), the same for every dummy subscription.
const DUMMY_P256DH = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const DUMMY_AUTH = "BTBZMqHH6r4Tts7J_aSIgg";

export const CITY_STAFF = { id: "city-staff", email: "city@example.jp", password: "kairan-demo-2026" };

function values(rows: readonly (readonly (string | number | null)[])[]): string {
  const lit = (v: string | number | null) =>
    v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`;
  return rows.map((r) => `(${r.map(lit).join(", ")})`).join(",\n");
}

async function insertRows(client: Client, head: string, rows: readonly (readonly (string | number | null)[])[]) {
  for (let i = 0; i < rows.length; i += 500) await client.execute(`${head} VALUES ${values(rows.slice(i, i + 500))}`);
}

export async function seedCity(opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const { scale, seed } = opts;
  const now = opts.now.getTime();
  const windowStart = now - 365 * DAY;
  const out = resolve(opts.out);
  if (existsSync(out) && statSync(out).size > 0) {
    if (!opts.force) throw new Error(`${out} exists and is not empty; pass --force to replace it`);
    for (const f of [out, `${out}-wal`, `${out}-shm`, `${out}-journal`]) rmSync(f, { force: true });
  }
  mkdirSync(dirname(out), { recursive: true });

  const phases: { name: string; ms: number }[] = [];
  const t0 = performance.now();
  let tPhase = t0;
  const phase = (name: string, extra = "") => {
    const t = performance.now();
    phases.push({ name, ms: t - tPhase });
    log(`  ${name.padEnd(28)} ${((t - tPhase) / 1000).toFixed(1).padStart(7)} s${extra ? `  ${extra}` : ""}`);
    tPhase = t;
  };

  log(
    `seed:city scale ${scale}, seed ${seed}, now ${opts.now.toISOString()}, ${opts.perMonth} association circulars a month -> ${out}`,
  );
  const database = await openDatabase(`file:${out}`);
  const { client, db } = database;
  try {
    await migrateDatabase(db);
    // Build settings for this connection only (one connection: openDatabase sets concurrency 1).
    const cacheKiB = Math.round(Math.min(totalmem() / 3, Math.max(64 * 2 ** 20, scale * 6 * 2 ** 30)) / 1024);
    await client.execute("PRAGMA journal_mode = OFF");
    await client.execute("PRAGMA synchronous = OFF");
    await client.execute("PRAGMA foreign_keys = OFF");
    await client.execute("PRAGMA temp_store = MEMORY");
    await client.execute(`PRAGMA cache_size = -${cacheKiB}`);
    // The rollup triggers: dropped for the bulk load, recreated after the rebuild.
    const triggers = (
      await client.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    ).rows.map((r) => ({ name: String(r.name), sql: String(r.sql) }));
    for (const t of triggers) await client.execute(`DROP TRIGGER ${t.name}`);
    phase("migrate", `${triggers.length} triggers set aside, cache ${Math.round(cacheKiB / 1024)} MiB`);

    // ---- wards, districts, associations (TypeScript) ----
    const plan = planCity(scale, seed);
    const created = windowStart - 400 * DAY;
    await insertRows(
      client,
      "INSERT INTO wards (id, name, created_at)",
      WARDS.map((w) => [w.id, w.name, created]),
    );
    await insertRows(
      client,
      "INSERT INTO districts (id, ward_id, name, created_at)",
      plan.districts.map((d) => [d.id, WARDS[d.wardIndex]!.id, d.name, created]),
    );
    await insertRows(
      client,
      "INSERT INTO associations (id, district_id, name, households_in_area, created_at)",
      plan.assocs.map((a) => [a.id, a.districtId, a.name, a.inArea, created]),
    );
    const config = parseConfig({ SEED_DEMO: "false" });
    await client.execute({
      sql: "INSERT INTO members (id, display_name, role, email, password_hash, created_at) VALUES (?, ?, 'city', ?, ?, ?)",
      args: [
        CITY_STAFF.id,
        "仙台市 市民局 地域政策課",
        CITY_STAFF.email,
        await hashPassword(CITY_STAFF.password, config.passwordIterations),
        created,
      ],
    });
    await client.execute(`CREATE TEMP TABLE seed_a (n INTEGER PRIMARY KEY, id TEXT, members INTEGER, left_n INTEGER, nb INTEGER,
      h0 INTEGER, b0 INTEGER, app_pm INTEGER, push_pm INTEGER, never_app INTEGER, never_paper INTEGER, speed_app REAL,
      speed_paper REAL, declining INTEGER)`);
    await insertRows(
      client,
      "INSERT INTO seed_a",
      plan.assocs.map((a) => [
        a.n,
        a.id,
        a.members,
        a.leftN,
        a.nb,
        a.h0,
        a.b0,
        a.appPm,
        a.pushPm,
        a.neverApp,
        a.neverPaper,
        a.speedApp,
        a.speedPaper,
        a.declining,
      ]),
    );
    const maxSize = Math.max(...plan.assocs.map((a) => a.members + a.leftN));
    phase("areas", `${WARDS.length} wards, ${plan.districts.length} districts, ${plan.assocs.length} associations`);

    // ---- households (SQL over a counter) ----
    const u = (stream: number, a: string, b = "0") => hashSql(seed, stream, a, b);
    const hn = "(a.h0 + c.j)";
    await client.execute(`CREATE TEMP TABLE seed_h (hn INTEGER PRIMARY KEY, a INTEGER, j INTEGER, id TEXT, aid TEXT,
      bn INTEGER, paper INTEGER, push INTEGER, dev2 INTEGER, joined INTEGER, left_at INTEGER)`);
    await client.execute(`
      WITH RECURSIVE c(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM c WHERE j < ${maxSize})
      INSERT INTO seed_h
      SELECT hn, a, j, 'h' || hn, aid, bn, paper,
        member AND NOT paper AND (${u(S.push, "hn")} % 1000) < push_pm,
        (${u(S.dev2, "hn")} % 1000) < ${pm(MODEL.twoDevices)},
        CASE WHEN member AND (${u(S.join, "hn")} % 1000) < ${pm(MODEL.lateJoinShare)}
          THEN ${windowStart} + (${u(S.joinAt, "hn")} % ${YEAR_MINUTES}) * ${MINUTE}
          ELSE ${windowStart} - ${DAY} - (${u(S.joinAt, "hn")} % ${3 * YEAR_MINUTES}) * ${MINUTE} END,
        CASE WHEN member THEN NULL ELSE ${windowStart} + (${u(S.leftAt, "hn")} % ${YEAR_MINUTES}) * ${MINUTE} END
      FROM (SELECT ${hn} AS hn, a.n AS a, c.j AS j, a.id AS aid, a.push_pm AS push_pm, c.j < a.members AS member,
              CASE WHEN c.j < a.members THEN a.b0 + c.j * a.nb / a.members
                   ELSE a.b0 + (${u(S.block, hn)} % a.nb) END AS bn,
              (${u(S.app, hn)} % 1000) >= a.app_pm AS paper
            FROM seed_a a JOIN c ON c.j < a.members + a.left_n LIMIT -1)`);
    await client.execute("CREATE INDEX seed_h_a ON seed_h (a, hn)");
    await client.execute(`
      WITH RECURSIVE c(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM c WHERE j < ${maxSize})
      INSERT INTO blocks (id, association_id, name, sort_order, created_at)
      SELECT 'b' || (a.b0 + c.j), a.id, (c.j + 1) || '班', c.j, ${created} FROM seed_a a JOIN c ON c.j < a.nb`);
    await client.execute(`
      INSERT INTO households (id, association_id, block_id, label, channel, joined_at, left_at, created_at, push_devices)
      SELECT id, aid, 'b' || bn, '世帯' || (j + 1), CASE WHEN paper THEN 'paper' ELSE 'app' END, joined, left_at, joined,
        CASE WHEN push THEN 1 + dev2 ELSE 0 END
      FROM seed_h ORDER BY hn`);
    phase("households", `${plan.households.toLocaleString()} households in ${plan.blocks.toLocaleString()} blocks`);

    // ---- members and push subscriptions ----
    await client.execute(`
      INSERT INTO members (id, association_id, display_name, role, created_at)
      SELECT 'l' || n, id, '会長', 'leader', ${created} FROM seed_a`);
    await client.execute(`
      WITH RECURSIVE c(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM c WHERE j < ${maxSize})
      INSERT INTO members (id, association_id, block_id, display_name, role, created_at)
      SELECT 'k' || (a.b0 + c.j), a.id, 'b' || (a.b0 + c.j), (c.j + 1) || '班 班長', 'block_leader', ${created}
      FROM seed_a a JOIN c ON c.j < a.nb`);
    await client.execute(`
      INSERT INTO members (id, association_id, household_id, display_name, role, disabled_at, created_at)
      SELECT 'm' || hn, aid, id, '住民', 'resident', left_at, joined FROM seed_h WHERE NOT paper`);
    await client.execute(`
      INSERT INTO push_subscriptions (id, association_id, member_id, household_id, endpoint, p256dh, auth, user_agent_label, created_at)
      SELECT sid, aid, 'm' || hn, id, 'https://fcm.googleapis.com/fcm/send/' || sid, '${DUMMY_P256DH}', '${DUMMY_AUTH}', label, joined + ${HOUR}
      FROM (SELECT 'p' || hn AS sid, aid, hn, id, 'iPad' AS label, joined FROM seed_h WHERE push
            UNION ALL SELECT 'q' || hn, aid, hn, id, 'Android', joined FROM seed_h WHERE push AND dev2)`);
    phase("members, push");

    // ---- circulars ----
    const bulletins = bulletinDates(opts.now, MODEL.months);
    await insertRows(
      client,
      "INSERT INTO city_circulars (id, title, body, priority, target_scope, target_ids, status, author_id, created_at, updated_at, published_at, due_at)",
      bulletins.map((at, m) => {
        const jst = new Date(at.getTime() + JST);
        const due = (m + 1) % MODEL.bulletinDueEvery === 0 ? at.getTime() + 14 * DAY : null;
        return [
          `cc${m + 1}`,
          `市政だより ${jst.getUTCFullYear()}年${jst.getUTCMonth() + 1}月号`,
          due ? "今月号と各種健康診断の申込書です。申込は14日までに。" : "今月号をお届けします。",
          "normal",
          "city",
          "[]",
          "published",
          CITY_STAFF.id,
          at.getTime() - DAY,
          at.getTime(),
          at.getTime(),
          due,
        ];
      }),
    );
    const P = opts.perMonth;
    const nAssoc = plan.assocs.length;
    const period = (365 * DAY) / MODEL.months;
    const recentFrom = now - MODEL.decliningDays * DAY;
    await client.execute(`CREATE TEMP TABLE seed_c (cn INTEGER PRIMARY KEY, a INTEGER, id TEXT, aid TEXT, pub INTEGER,
      due INTEGER, status TEXT, wd INTEGER, bn INTEGER, city TEXT, title TEXT, urgent INTEGER,
      never_app INTEGER, never_paper INTEGER, speed_app REAL, speed_paper REAL)`);
    // The association's own: P a month, on a day of the month at 8:00–20:59 JST; the year's improvement and the
    // decline of some associations are folded into each circular's parameters.
    const cnOf = (a: string, k: string, s: string) => `((${a} - 1) * ${MODEL.months * P} + ${k} * ${P} + ${s} + 1)`;
    const trend = (pub: string) =>
      `(1 + ${MODEL.yearImprovement} * (1 - (${pub} - ${windowStart}) * 1.0 / ${365 * DAY}))`;
    const recent = (pub: string) => `(a.declining AND ${pub} >= ${recentFrom})`;
    await client.execute(`
      WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < ${MODEL.months - 1}),
        s(s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM s WHERE s < ${P - 1})
      INSERT INTO seed_c
      SELECT cn, a, 'c' || cn, aid, pub,
        CASE WHEN (${u(S.due, "cn")} % 1000) < ${pm(MODEL.dueShare)}
          THEN pub + (${MODEL.dueDays[0]} + ${u(S.dueDays, "cn")} % ${MODEL.dueDays[1] - MODEL.dueDays[0] + 1}) * ${DAY} END,
        CASE WHEN wd THEN 'withdrawn' ELSE 'published' END,
        CASE WHEN wd THEN pub + (1 + ${u(S.withdrawn, "cn", "1")} % 24) * ${HOUR} END,
        CASE WHEN (${u(S.audience, "cn")} % 1000) < ${pm(MODEL.blocksAudienceShare)} THEN b0 + (${u(S.audience, "cn", "1")} % nb) END,
        NULL, ${titleSql(u(S.title, "cn"))}, (${u(S.urgent, "cn")} % 1000) < ${pm(MODEL.urgentShare)},
        never_app + CASE WHEN dec THEN ${MODEL.decliningNever} ELSE 0 END,
        never_paper + CASE WHEN dec THEN ${MODEL.decliningNever} ELSE 0 END,
        speed_app * ${trend("pub")} * CASE WHEN dec THEN ${MODEL.decliningSlowdown} ELSE 1 END, speed_paper
      FROM (SELECT ${cnOf("a.n", "a.k", "a.s")} AS cn, a.n AS a, a.id AS aid, a.b0, a.nb, a.never_app, a.never_paper, a.speed_app, a.speed_paper,
              pub, ${recent("pub")} AS dec, (${u(S.withdrawn, cnOf("a.n", "a.k", "a.s"))} % 1000) < ${pm(MODEL.withdrawnShare)} AS wd
            FROM (SELECT a.*, k.k, s.s,
                    (${windowStart} + k.k * ${Math.round(period)} + ${JST}) / ${DAY} * ${DAY} - ${JST}
                    + (${u(S.circDay, cnOf("a.n", "k.k", "s.s"))} % 30) * ${DAY} + ${8 * HOUR}
                    + (${u(S.circTime, cnOf("a.n", "k.k", "s.s"))} % 780) * ${MINUTE} AS pub
                  FROM seed_a a, k, s LIMIT -1) a
            LIMIT -1)
      WHERE pub <= ${now}`);
    // The city bulletin: one copy per association.
    const base = nAssoc * MODEL.months * P;
    for (const [m, at] of bulletins.entries()) {
      const due = (m + 1) % MODEL.bulletinDueEvery === 0 ? at.getTime() + 14 * DAY : null;
      const pub = at.getTime();
      await client.execute(`
        INSERT INTO seed_c
        SELECT ${base + m * nAssoc} + a.n, a.n, 'c' || (${base + m * nAssoc} + a.n), a.id, ${pub}, ${due ?? "NULL"}, 'published', NULL, NULL,
          'cc${m + 1}', (SELECT title FROM city_circulars WHERE id = 'cc${m + 1}'), 0,
          a.never_app + CASE WHEN ${recent(String(pub))} THEN ${MODEL.decliningNever} ELSE 0 END,
          a.never_paper + CASE WHEN ${recent(String(pub))} THEN ${MODEL.decliningNever} ELSE 0 END,
          a.speed_app * ${trend(String(pub))} * CASE WHEN ${recent(String(pub))} THEN ${MODEL.decliningSlowdown} ELSE 1 END, a.speed_paper
        FROM seed_a a`);
    }
    await client.execute("CREATE INDEX seed_c_a ON seed_c (a, cn)");
    await client.execute(`
      INSERT INTO circulars (id, association_id, title, body, priority, audience, status, author_id, created_at, updated_at,
        published_at, due_at, withdrawn_at, origin, city_circular_id)
      SELECT id, aid, title, CASE WHEN city IS NULL THEN '詳しくは班長まで。' ELSE (SELECT body FROM city_circulars WHERE id = city) END,
        CASE WHEN urgent THEN 'urgent' ELSE 'normal' END, CASE WHEN bn IS NULL THEN 'all' ELSE 'blocks' END, status,
        CASE WHEN city IS NULL THEN 'l' || a ELSE '${CITY_STAFF.id}' END, pub - ${HOUR}, coalesce(wd, pub), pub, due, wd,
        CASE WHEN city IS NULL THEN 'association' ELSE 'city' END, city
      FROM seed_c ORDER BY cn`);
    await client.execute(
      "INSERT INTO circular_blocks (circular_id, block_id) SELECT id, 'b' || bn FROM seed_c WHERE bn IS NOT NULL",
    );
    const nCirc = Number((await client.execute("SELECT count(*) AS n FROM seed_c")).rows[0]!.n);
    phase("circulars", `${nCirc.toLocaleString()} circulars (${bulletins.length} city bulletins)`);

    // ---- delay tables ----
    await client.execute("CREATE TEMP TABLE seed_q (k INTEGER PRIMARY KEY, ms INTEGER)");
    await insertRows(client, "INSERT INTO seed_q", [
      ...quantiles(APP_DELAY_KNOTS, true).map((m, i) => [i, Math.round(m * MINUTE)] as const),
      ...quantiles(PAPER_DELAY_KNOTS, false).map((d, i) => [1000 + i, Math.round(d * DAY)] as const),
    ]);

    // ---- receipts, in chunks of associations ----
    // Level 1 joins each circular to its targeted households and draws one 32-bit hash per receipt; level 2 turns it
    // into a read time (or none: never read); level 3 drops reads after now or after a withdrawal. "LIMIT -1" keeps
    // each level a co-routine, so every expression is computed once per row.
    const receiptsSql = `
      INSERT INTO receipts (circular_id, household_id, association_id, block_id, read_at, read_by, channel, created_at)
      SELECT cid, hid, aid, 'b' || bn, ra,
        CASE WHEN ra IS NULL THEN NULL WHEN paper THEN 'k' || bn ELSE 'm' || hn END,
        CASE WHEN ra IS NULL THEN NULL WHEN paper THEN 'paper' ELSE 'app' END, pub
      FROM (
        SELECT cid, hid, aid, bn, hn, paper, pub,
          CASE WHEN at IS NULL OR at > ${now} OR at >= coalesce(wd, ${now + 1}) THEN NULL ELSE at END AS ra
        FROM (
          SELECT cid, hid, aid, bn, hn, paper, pub, wd,
            CASE WHEN (uu % 1000) < CASE WHEN paper THEN never_paper ELSE never_app END THEN NULL
              WHEN paper THEN pub + CAST(min(${10 * DAY}, max(${DAY}, (SELECT ms FROM seed_q WHERE k = 1000 + (uu >> 10) % 1000) * speed_paper)) AS INTEGER)
              ELSE pub + CAST((SELECT ms FROM seed_q WHERE k = (uu >> 10) % 1000) * speed_app AS INTEGER) END AS at
          FROM (
            SELECT c.id AS cid, h.id AS hid, c.aid, h.bn, h.hn, h.paper, c.pub, c.wd, c.never_app, c.never_paper,
              c.speed_app, c.speed_paper, ${u(S.receipt, "h.hn", "c.cn")} AS uu
            FROM seed_c c CROSS JOIN seed_h h ON h.a = c.a
            WHERE c.a BETWEEN ? AND ? AND h.joined <= c.pub AND (h.left_at IS NULL OR h.left_at > c.pub)
              AND (c.bn IS NULL OR h.bn = c.bn)
            LIMIT -1)
          LIMIT -1)
        LIMIT -1)`;
    const perAssoc = (plan.households / nAssoc) * (nCirc / nAssoc);
    const chunk = Math.max(1, Math.floor(1_000_000 / perAssoc));
    let written = 0;
    const tR = performance.now();
    for (let lo = 1; lo <= nAssoc; lo += chunk) {
      const hi = Math.min(nAssoc, lo + chunk - 1);
      const r = await client.execute({ sql: receiptsSql, args: [lo, hi] });
      written += r.rowsAffected;
      const s = (performance.now() - tR) / 1000;
      if (hi < nAssoc)
        log(
          `    receipts: associations ${hi}/${nAssoc}, ${written.toLocaleString()} rows, ${s.toFixed(0)} s (${Math.round(written / s).toLocaleString()}/s)`,
        );
    }
    phase("receipts", `${written.toLocaleString()} receipts`);

    // ---- rollups, then the triggers back ----
    // rebuildStats runs its statements in one db.batch; timed one by one here (same connection, one transaction).
    const timings = await timedBatches(client, () => rebuildStats(db));
    phase("rebuildStats");
    for (const t of timings) log(`    ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.sql}`);
    for (const t of triggers) await client.execute(t.sql);
    await client.execute("DROP TABLE seed_h");
    await client.execute("DROP TABLE seed_c");
    await client.execute("DROP TABLE seed_a");
    await client.execute("DROP TABLE seed_q");
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA foreign_keys = ON");
    phase("triggers, settings", `${triggers.length} triggers restored`);

    const counts = await countAll(client);
    phase("counts");
    const totalMs = performance.now() - t0;
    log(`  ${"total".padEnd(28)} ${(totalMs / 1000).toFixed(1).padStart(7)} s`);
    return { out, phases, counts, totalMs };
  } finally {
    await database.close();
  }
}

/**
 * Runs `fn` with the client's batch replaced by the same statements executed one at a time inside BEGIN … COMMIT on
 * the same single connection, and answers how long each took (the first line of its SQL, shortened).
 */
async function timedBatches(client: Client, fn: () => Promise<void>) {
  const timings: { sql: string; ms: number }[] = [];
  const original = client.batch;
  client.batch = (async (stmts: Parameters<Client["batch"]>[0]) => {
    // client.transaction() borrows the one connection (concurrency 1), with the build's PRAGMAs.
    const tx = await client.transaction("write");
    const results = [];
    try {
      for (const stmt of stmts) {
        const t = performance.now();
        results.push(await tx.execute(stmt as Parameters<Client["execute"]>[0]));
        const text = typeof stmt === "string" ? stmt : Array.isArray(stmt) ? String(stmt[0]) : stmt.sql;
        timings.push({ sql: text.replace(/\s+/g, " ").trim().slice(0, 90), ms: performance.now() - t });
      }
      await tx.commit();
    } finally {
      tx.close();
    }
    return results;
  }) as Client["batch"];
  try {
    await fn();
  } finally {
    client.batch = original;
  }
  return timings;
}

function titleSql(hash: string): string {
  return `CASE (${hash}) % ${TITLES.length} ${TITLES.map((t, i) => `WHEN ${i} THEN '${t}'`).join(" ")} END`;
}

export async function countAll(client: Client): Promise<Record<string, number>> {
  const one = async (q: string) => Number((await client.execute(q)).rows[0]?.[0] ?? 0);
  const city = (
    await client.execute("SELECT in_area, members, app, paper, push FROM stats_households WHERE level = 'city'")
  ).rows[0];
  return {
    wards: await one("SELECT count(*) FROM wards"),
    districts: await one("SELECT count(*) FROM districts"),
    associations: await one("SELECT count(*) FROM associations"),
    blocks: await one("SELECT count(*) FROM blocks"),
    householdsInArea: Number(city?.in_area ?? 0),
    memberHouseholds: Number(city?.members ?? 0),
    formerHouseholds: await one("SELECT count(*) FROM households WHERE left_at IS NOT NULL"),
    appHouseholds: Number(city?.app ?? 0),
    paperHouseholds: Number(city?.paper ?? 0),
    pushHouseholds: Number(city?.push ?? 0),
    members: await one("SELECT count(*) FROM members"),
    pushSubscriptions: await one("SELECT count(*) FROM push_subscriptions"),
    cityCirculars: await one("SELECT count(*) FROM city_circulars"),
    circulars: await one("SELECT count(*) FROM circulars"),
    withdrawn: await one("SELECT count(*) FROM circulars WHERE status = 'withdrawn'"),
    // From the rollups (published circulars), not a scan: the receipts are counted by the rebuild already.
    receiptsPublished: await one("SELECT sum(targeted) FROM stats_circular"),
    readPublished: await one("SELECT sum(read) FROM stats_circular"),
    read24h: await one("SELECT sum(read_24h) FROM stats_circular"),
    read72h: await one("SELECT sum(read_72h) FROM stats_circular"),
    receipts: await one("SELECT max(rowid) FROM receipts"),
  };
}

function report(counts: Record<string, number>, log: (l: string) => void) {
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : "-");
  const n = (x: number) => x.toLocaleString();
  log("counts:");
  log(
    `  ${n(counts.wards!)} wards, ${n(counts.districts!)} districts, ${n(counts.associations!)} associations, ${n(counts.blocks!)} blocks`,
  );
  log(
    `  households in area ${n(counts.householdsInArea!)}, members ${n(counts.memberHouseholds!)} (coverage ${pct(counts.memberHouseholds!, counts.householdsInArea!)}), former ${n(counts.formerHouseholds!)}`,
  );
  log(
    `  app ${n(counts.appHouseholds!)} (${pct(counts.appHouseholds!, counts.memberHouseholds!)}), paper ${n(counts.paperHouseholds!)}, push ${n(counts.pushHouseholds!)} (${pct(counts.pushHouseholds!, counts.appHouseholds!)} of app)`,
  );
  log(`  members ${n(counts.members!)}, push subscriptions ${n(counts.pushSubscriptions!)}`);
  log(
    `  circulars ${n(counts.circulars!)} (${n(counts.withdrawn!)} withdrawn), city circulars ${n(counts.cityCirculars!)}`,
  );
  log(
    `  receipts ${n(counts.receipts!)}; of published circulars ${n(counts.receiptsPublished!)}: read ${pct(counts.readPublished!, counts.receiptsPublished!)}, within 24 h ${pct(counts.read24h!, counts.receiptsPublished!)}, within 72 h ${pct(counts.read72h!, counts.receiptsPublished!)}`,
  );
}

async function main() {
  const { values: v } = parseArgs({
    options: {
      scale: { type: "string" },
      out: { type: "string" },
      seed: { type: "string", default: "1" },
      now: { type: "string" },
      "per-month": { type: "string", default: String(MODEL.perMonth) },
      force: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const scale = Number(v.scale);
  if (v.help || !v.scale || !(scale > 0) || scale > 10) {
    console.log(
      "usage: npm run seed:city -- --scale S [--out path.db] [--seed N] [--now ISO] [--per-month N] [--force]",
    );
    console.log("  S in (0, 10]; 1.0 is Sendai (1,385 associations). Default out: ./data/city-S.db");
    process.exit(v.help ? 0 : 1);
  }
  const now = v.now ? new Date(v.now) : new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  if (Number.isNaN(now.getTime())) throw new Error(`--now: not a date: ${v.now}`);
  const perMonth = Number(v["per-month"]);
  if (!Number.isInteger(perMonth) || perMonth < 1 || perMonth > 10) throw new Error("--per-month: 1 to 10");
  try {
    const res = await seedCity({
      scale,
      out: v.out ?? `./data/city-${scale}.db`,
      seed: Number(v.seed) >>> 0,
      now,
      perMonth,
      force: v.force,
    });
    report(res.counts, (l) => console.log(l));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
