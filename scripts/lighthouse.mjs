// `npm run lighthouse`: Lighthouse 13 (mobile emulation, simulated slow 4G) on the resident's home screen and on a
// circular, against the real server (a fresh data folder with the demo data) and Debian's Chromium. Prints the
// performance and accessibility scores and what costs points. Not part of `npm test`; build first (npm run build).
//
//   CHROME_PATH   Chromium to use (default /usr/bin/chromium)
//   LH_RUNS=n     runs per page (default 3); the run with the median performance score is reported, since one run
//                 on a busy machine can be off by several points
//   LH_JSON=dir   also write each reported run as JSON into dir
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import lighthouse from "lighthouse";

const root = fileURLToPath(new URL("..", import.meta.url));
const chromePath = process.env.CHROME_PATH || "/usr/bin/chromium";
const targets = { performance: 95, accessibility: 100 };

if (!existsSync(join(root, "dist/web/index.html"))) {
  console.error("dist/web is missing: build the PWA first (npm run build, or npx vite build).");
  process.exit(1);
}
if (!existsSync(chromePath)) {
  console.error(`Chromium not found at ${chromePath}: install Debian's chromium or set CHROME_PATH.`);
  process.exit(1);
}

/** Starts a child process and resolves with what `pattern` matched in its output. */
function startAndWait(cmd, args, opts, pattern, what) {
  const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), 60_000);
    const onData = (d) => {
      output += d.toString();
      const m = output.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited ${code}:\n${output}`));
    });
  });
}

function stop(child) {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

const dataDir = mkdtempSync(join(tmpdir(), "kairan-lighthouse-"));
const profileDir = mkdtempSync(join(tmpdir(), "kairan-lighthouse-chromium-"));
let server;
let chrome;
let failed = false;
try {
  server = await startAndWait(
    process.execPath,
    ["--import", "tsx", "server/node.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: "0",
        HOST: "127.0.0.1",
        SEED_DEMO: "true",
        PASSWORD_ITERATIONS: "100000",
      },
    },
    /Kairan is running: (http:\/\/[\d.]+:\d+)[\s\S]*household invite \(QR link\): \S*\/join\/([A-Za-z0-9_-]+)/,
    "the server",
  );
  const [, base, token] = server.match;

  // A household device: join with the printed invite, keep its session cookie.
  const joined = await fetch(`${base}/api/join`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ token }),
  });
  if (joined.status !== 201) throw new Error(`join failed: ${joined.status} ${await joined.text()}`);
  const cookie = joined.headers.get("set-cookie").split(";")[0];
  const feed = await (await fetch(`${base}/api/feed`, { headers: { cookie } })).json();
  const circular = feed.circulars[0];

  chrome = await startAndWait(
    chromePath,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${profileDir}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    {},
    /DevTools listening on ws:\/\/[\d.]+:(\d+)\//,
    "Chromium",
  );
  const port = Number(chrome.match[1]);

  const pages = [
    ["home", `${base}/`],
    [`circular (${circular.title})`, `${base}/c/${circular.id}`],
  ];
  const runs = Math.max(1, Number(process.env.LH_RUNS ?? 3));
  const rows = [];
  for (const [name, url] of pages) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const result = await lighthouse(
        url,
        {
          port,
          output: "json",
          logLevel: "error",
          onlyCategories: ["performance", "accessibility"],
          extraHeaders: { Cookie: cookie },
        },
        undefined,
      );
      if (result.lhr.runtimeError)
        throw new Error(`${name}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
      results.push(result);
    }
    results.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score);
    const result = results[Math.floor(results.length / 2)];
    const lhr = result.lhr;
    if (process.env.LH_JSON) {
      mkdirSync(process.env.LH_JSON, { recursive: true });
      writeFileSync(join(process.env.LH_JSON, `${name.split(" ")[0]}.json`), result.report);
    }
    const score = (id) => Math.round((lhr.categories[id].score ?? 0) * 100);
    const metric = (id) => lhr.audits[id]?.displayValue ?? "-";
    rows.push({
      page: name,
      runs: results.map((r) => Math.round(r.lhr.categories.performance.score * 100)).join(" "),
      performance: score("performance"),
      accessibility: score("accessibility"),
      FCP: metric("first-contentful-paint"),
      LCP: metric("largest-contentful-paint"),
      TBT: metric("total-blocking-time"),
      CLS: metric("cumulative-layout-shift"),
    });
    // What costs points: failed accessibility audits, and performance audits with savings.
    const losing = Object.values(lhr.audits)
      .filter(
        (a) =>
          a.score !== null &&
          a.score < 0.9 &&
          a.scoreDisplayMode !== "informative" &&
          a.scoreDisplayMode !== "notApplicable",
      )
      .map((a) => `    ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    if (losing.length) console.log(`${name}: audits below 0.9\n${losing.join("\n")}`);
    if (score("performance") < targets.performance || score("accessibility") < targets.accessibility) failed = true;
  }
  console.log(`\nLighthouse ${lighthouse.version ?? "13"}, mobile emulation, ${chromePath}`);
  console.table(rows);
  console.log(
    `targets: performance >= ${targets.performance}, accessibility = ${targets.accessibility}${failed ? "  -> NOT MET" : "  -> met"}`,
  );
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  failed = true;
} finally {
  await stop(chrome?.child);
  await stop(server?.child);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
