// End-to-end harness: the real server as a child process (as `npm start` runs it: migrations, the demo seed, the
// built PWA from dist/web) on a free port with a fresh data folder, and Debian's Chromium through playwright-core,
// each browser with a fresh profile. Build the PWA first (`npx vite build`; `npm test` does).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { scaled } from "../helpers/timeouts";

export const ROOT = join(import.meta.dirname, "..", "..");
export const DIST = join(ROOT, "dist", "web");
export const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";
/** Chromium as root without a network: no sandbox, nothing in the background that reaches out. */
export const CHROME_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const DEMO_LEADER = { email: "kaicho@example.jp", password: "kairan-demo-2026" };
export const DEMO_CITY = { email: "city@example.jp", password: "kairan-demo-2026" };
/** A household tablet in portrait. */
export const TABLET = { width: 820, height: 1180 };

export function requireBuild(): void {
  if (!existsSync(join(DIST, "index.html")) || !existsSync(join(DIST, "sw.js")))
    throw new Error("dist/web is missing: build the PWA first (npx vite build; npm test does it)");
  if (!existsSync(CHROME)) throw new Error(`Chromium not found at ${CHROME}: run node scripts/ensure-chromium.mjs`);
}

export interface RunningServer {
  base: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * `node server/node.ts` on a free port with a fresh DATA_DIR and the demo seed; resolves once it listens. Only the
 * address is read from its output: invites are made through the API by the tests that need one (inviteFor), not
 * parsed from what the demo seed prints for people.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "kairan-e2e-"));
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/node.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: "0",
      HOST: "127.0.0.1",
      SEED_DEMO: "true",
      // The least the config allows: the demo accounts are hashed at seed time.
      PASSWORD_ITERATIONS: "100000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), scaled(60_000));
    const check = () => {
      // The seed runs before the server listens, so its data is there once the address is printed.
      if (/Kairan is running: http:\/\/[\d.]+:\d+/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}:\n${output}`));
    });
  });
  const base = output.match(/Kairan is running: (http:\/\/[\d.]+:\d+)/)![1]!;
  return {
    base,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------- the API, as a leader or a device would call it ----------

export interface ApiClient {
  cookie: string;
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  request(path: string, init?: RequestInit): Promise<Response>;
}

export function apiClient(base: string, cookie = ""): ApiClient {
  const request = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("origin", base);
    if (cookie) headers.set("cookie", cookie);
    return fetch(base + path, { ...init, headers });
  };
  const ok = async <T>(res: Response, what: string): Promise<T> => {
    const text = await res.text();
    if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    cookie,
    request,
    get: async (path) => ok(await request(path), `GET ${path}`),
    post: async (path, body) =>
      ok(
        await request(path, {
          method: "POST",
          headers: body === undefined ? {} : { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        `POST ${path}`,
      ),
  };
}

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;

/** Staff signed in through the API (a leader, city staff), with their own session. */
export async function signInAs(base: string, creds: { email: string; password: string }): Promise<ApiClient> {
  const res = await apiClient(base).request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(creds),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${creds.email}: ${res.status} ${await res.text()}`);
  return apiClient(base, cookieOf(res));
}

export const signInLeader = (base: string) => signInAs(base, DEMO_LEADER);

/** A household device joined through the API alone (no browser), with its own session: as the join page does. */
export async function joinDevice(base: string, token: string): Promise<ApiClient> {
  const res = await apiClient(base).request("/api/join", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (res.status !== 201) throw new Error(`join: ${res.status} ${await res.text()}`);
  return apiClient(base, cookieOf(res));
}

export interface Household {
  id: string;
  label: string;
  channel: "app" | "paper";
}

export async function appHouseholds(leader: ApiClient): Promise<Household[]> {
  const body = await leader.get<{ households: Household[] }>("/api/households");
  return body.households.filter((h) => h.channel === "app");
}

/** A fresh QR invite for a household (as the leader's 「招待を印刷」 makes). */
export async function inviteFor(
  leader: ApiClient,
  householdId: string,
): Promise<{ token: string; code: string; codeDisplay: string }> {
  return leader.post(`/api/households/${householdId}/invites`, {});
}

/** Publishes a circular to everyone; returns its id. */
export async function publishCircular(
  leader: ApiClient,
  title: string,
  body = "本文です。\n二行目です。",
  priority: "normal" | "urgent" = "normal",
) {
  const draft = await leader.post<{ id: string }>("/api/circulars", { title, body, priority });
  await leader.post(`/api/circulars/${draft.id}/publish`);
  return draft.id;
}

export interface ReceiptRow {
  id: string;
  label: string;
  readAt: string | null;
  channel: "app" | "paper" | null;
}

/** The receipt board of a circular, flattened to its households. */
export async function receiptsOf(leader: ApiClient, circularId: string): Promise<ReceiptRow[]> {
  const board = await leader.get<{ blocks: { households: ReceiptRow[] }[] }>(`/api/circulars/${circularId}/receipts`);
  return board.blocks.flatMap((b) => b.households);
}

// ---------- the browser ----------

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A new Chromium with a fresh profile (a real profile, not an incognito context: installability needs one). */
export async function openBrowser(
  opts: { viewport?: { width: number; height: number }; base?: string } = {},
): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "kairan-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROME,
    args: CHROME_ARGS,
    headless: true,
    viewport: opts.viewport ?? TABLET,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    serviceWorkers: "allow",
    hasTouch: true,
  });
  // Every Playwright wait (locators, navigation, waitForRequest ...) gives up after the same scaled limit.
  context.setDefaultTimeout(scaled(30_000));
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Staff signing in on /login in the browser; resolves on the first screen's heading (回覧の一覧, 仙台市の状況). */
export async function signInPage(
  page: Page,
  base: string,
  creds: { email: string; password: string },
  landing: string,
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel("メールアドレス").fill(creds.email);
  await page.getByLabel("パスワード").fill(creds.password);
  await page.getByRole("button", { name: "ログイン", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: landing }).waitFor();
}

/** Signs this browser in as a household device with a fresh invite (the cookie lands in the browser's jar). */
export async function joinAsHousehold(b: Browser, base: string, token: string): Promise<void> {
  const res = await b.context.request.post(`${base}/api/join`, { data: { token }, headers: { origin: base } });
  if (res.status() !== 201) throw new Error(`join: ${res.status()} ${await res.text()}`);
}

/** A household tablet opening its printed QR link (/join/<token>) and tapping 「はじめる」: it lands on the welcome steps. */
export async function joinByQrLink(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/join/${token}`);
  await page.getByRole("button", { name: "はじめる" }).click();
  await page.waitForURL(/\/welcome$/);
}

/** axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page as it is: no violations, each named with `what` when one is. */
/** axe's findings on the page (WCAG 2.2 A and AA rules), one line each: the rule, its impact and where. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Fails naming `what` and every finding when axe finds anything on the page. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  expect(await axeViolations(page), `axe on ${what}`).toEqual([]);
}

/** Sets the device settings (text size, contrast, language) before the app starts. */
export async function presetSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
  await page.evaluate((s) => localStorage.setItem("kairan.settings", JSON.stringify(s)), settings);
}

/** Waits until the service worker has installed (the shell is precached), activated and controls the page. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  // waitForFunction does not wait for a promise a predicate returns: wait for `ready` first, then poll plainly.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === "activated", undefined, {
    timeout: scaled(20_000),
  });
}

/** Waits until the service worker has stored the answer to `path` in a kairan-api cache. */
export async function waitForCached(page: Page, path: string, timeoutMs = scaled(10_000)): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await page.evaluate(async (p) => {
      for (const name of await caches.keys())
        if (name.startsWith("kairan-api") && (await (await caches.open(name)).match(p))) return true;
      return false;
    }, path);
    if (found) return;
    if (Date.now() > until) throw new Error(`${path} was not cached by the service worker`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A screenshot for the README: into docs/screenshots/ when missing there or with UPDATE_SCREENSHOTS=1 (their dates
 * differ each run), else into `elsewhere`. A page is taken whole; a locator, just that part.
 */
export function shot(target: Page | Locator, name: string, elsewhere: string) {
  const docs = join(ROOT, "docs", "screenshots");
  const dir = process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(join(docs, name)) ? docs : elsewhere;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  return "goto" in target ? target.screenshot({ path, fullPage: true }) : target.screenshot({ path });
}

// ---------- files ----------

function pngChunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A solid-colour RGB PNG of width x height. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Uint8Array<ArrayBuffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", new Uint8Array()),
  ]);
  return new Uint8Array(png);
}

/** A circular with one photo attached, published to everyone; returns its id and the attachment's id. */
export async function publishWithPhoto(
  leader: ApiClient,
  title: string,
  photo: Uint8Array<ArrayBuffer>,
  extra: { body?: string; priority?: "normal" | "urgent"; dueAt?: string; fileName?: string } = {},
) {
  const { fileName = "map.png", ...fields } = extra;
  const draft = await leader.post<{ id: string }>("/api/circulars", {
    title,
    body: "集合場所の地図を添付します。",
    ...fields,
  });
  const form = new FormData();
  form.append("file", new File([photo], fileName, { type: "image/png" }));
  const res = await leader.request(`/api/circulars/${draft.id}/attachments`, { method: "POST", body: form });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const attachment = (await res.json()) as { id: string };
  await leader.post(`/api/circulars/${draft.id}/publish`);
  return { circularId: draft.id, attachmentId: attachment.id };
}
