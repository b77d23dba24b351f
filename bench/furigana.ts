// `npm run bench:furigana`: ふりがな's analyser on Node (server/node/readings.ts, kuromoji + IPADIC; docs/adr/0016).
// Runs in a child process with the V8 flags of `npm start` (read from package.json) and --expose-gc:
//  1. the dictionary's load (first use): time; the analyser's own process (server/node/readings.ts), its RSS and
//     peak RSS (/proc/<pid>/status); the server process's memory before and after (RSS, JS heap, external buffers),
//     which should not move;
//  2. analysis per text (a title, a 600-character body, a 5,000-character body) and a whole publication's
//     ruby (publishedFurigana on title + body + やさしい日本語), p50 and p95; beside them BudouX's phrase breaks
//     (lib/phrases.ts, uncached) on the same texts, the other per-text work of a publication.
// Prints tables; asserts nothing.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { publishedFurigana } from "../server/features/furigana/furigana";
import { Parser, jaModel } from "budoux";
import { createNodeReadings } from "../server/node/readings";
import { sized } from "./smoke";

const ROOT = new URL("..", import.meta.url).pathname;
const ROUNDS = sized(200, 5);

if (!process.argv.includes("--child")) {
  const start = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")).scripts.start as string;
  const flags = start.match(/node (--[^&]*?) dist\/server\/node\.js/)?.[1]?.split(" ") ?? [];
  const r = spawnSync(process.execPath, [...flags, "--expose-gc", "--import", "tsx", "bench/furigana.ts", "--child"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  console.log(`(child ran with ${flags.join(" ")} --expose-gc)`);
  process.exit(r.status ?? 1);
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
function pct(samples: number[], p: number) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

const TITLE = "愛子地区の防災訓練と避難所の確認について";
const BODY_600 = (
  "12月7日（日）午前9時から、愛子小学校の体育館で地区の防災訓練を行います。当日は避難所までの道を歩いて確認し、" +
  "消火器の使い方と応急手当を練習します。申し込みは不要です。動きやすい服装でお越しください。雨天の場合は公民館で行います。" +
  "ご不明な点は町内会長までお問い合わせください。"
).repeat(4);
const BODY_5000 = BODY_600.repeat(9);

gc();
const before = process.memoryUsage();
const { provider, loaded, pid } = createNodeReadings({ idleMs: 1000 });
/** VmRSS and VmHWM (peak) of the analyser's process, from /proc (Linux). */
function childMemory() {
  const status = readFileSync(`/proc/${pid()}/status`, "utf8");
  const kb = (k: string) => Number(status.match(new RegExp(`${k}:\\s+(\\d+)`))?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}
let t0 = performance.now();
await provider("避難所");
const loadMs = performance.now() - t0;
gc();
const after = process.memoryUsage();
const analyser = childMemory();
console.log("\n1. Loading IPADIC (kuromoji), on first use");
console.table({
  "load (first call, the analyser's process started)": { value: `${loadMs.toFixed(0)} ms` },
  "the analyser's process: RSS (peak)": { value: `${mib(analyser.rss)} (${mib(analyser.peak)})` },
  "the server's process: RSS before → after": {
    value: `${mib(before.rss)} → ${mib(after.rss)} (+${mib(after.rss - before.rss)})`,
  },
  "JS heap used before → after": {
    value: `${mib(before.heapUsed)} → ${mib(after.heapUsed)} (+${mib(after.heapUsed - before.heapUsed)})`,
  },
  "external (buffers) before → after": {
    value: `${mib(before.external)} → ${mib(after.external)} (+${mib(after.external - before.external)})`,
  },
  "the server's process: peak RSS": { value: mib(process.resourceUsage().maxRSS * 1024) },
  loaded: { value: String(loaded()) },
});

const budoux = new Parser(jaModel);
const rows: Record<string, Record<string, string>> = {};
for (const [name, text] of [
  ["title (20 chars)", TITLE],
  [`body (${BODY_600.length} chars)`, BODY_600],
  [`body (${BODY_5000.length} chars)`, BODY_5000],
] as const) {
  const kuro: number[] = [];
  const phr: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    t0 = performance.now();
    await provider(text);
    kuro.push(performance.now() - t0);
    t0 = performance.now();
    budoux.parseBoundaries(text);
    phr.push(performance.now() - t0);
  }
  rows[name] = {
    "readings p50": `${pct(kuro, 0.5).toFixed(2)} ms`,
    "readings p95": `${pct(kuro, 0.95).toFixed(2)} ms`,
    "BudouX p50": `${pct(phr, 0.5).toFixed(2)} ms`,
  };
}
const pub: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  t0 = performance.now();
  await publishedFurigana(provider, { title: TITLE, body: BODY_600, easyBody: BODY_600 }, null);
  pub.push(performance.now() - t0);
}
rows["a publication (title + body + easy body)"] = {
  "readings p50": `${pct(pub, 0.5).toFixed(2)} ms`,
  "readings p95": `${pct(pub, 0.95).toFixed(2)} ms`,
  "BudouX p50": "",
};
console.log(`\n2. Analysis per text (${ROUNDS} rounds each)`);
console.table(rows);
gc();
const rounds = process.memoryUsage();
const analyserAfter = childMemory();

// 3. Let go when idle (readings.ts: IDLE_MS, 10 minutes in the server; 1 s here): what memory comes back.
await new Promise((r) => setTimeout(r, 1500));
gc();
await new Promise((r) => setTimeout(r, 200));
gc();
const released = process.memoryUsage();
console.log("\n3. Memory after the rounds, and once the dictionary is let go (idle)");
console.table({
  "the analyser's process after the rounds": {
    RSS: `${mib(analyserAfter.rss)} (peak ${mib(analyserAfter.peak)})`,
    "JS heap used": "",
    external: "",
  },
  "the server's process after the rounds": {
    RSS: mib(rounds.rss),
    "JS heap used": mib(rounds.heapUsed),
    external: mib(rounds.external),
  },
  "the server's process once the analyser is let go, after a GC": {
    RSS: mib(released.rss),
    "JS heap used": mib(released.heapUsed),
    external: mib(released.external),
  },
  "loaded?": { RSS: String(loaded()), "JS heap used": "", external: "" },
});
process.exit(0);
