// `npm start` as a newcomer runs it: a real process on a real port, a fresh data folder, demo data, real HTTP.
// The steps of the `start` script are run as written, except `vite build` (npm test has built dist/web already, and
// rebuilding it would empty dist/web under the end-to-end tests running beside this file): the server bundle is
// built, then the bundled server runs under plain node, from another working directory.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const startScript = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts.start!;
const steps = startScript.split("&&").map((s) => s.trim().split(/\s+/));
const buildStep = steps.find((s) => s[0] === "node" && s[1] === "scripts/build-server.mjs");
const runStep = steps.at(-1)!;
let builtAt = 0;

const dir = mkdtempSync(join(tmpdir(), "kairan-start-"));
const port = 3300 + Math.floor(Math.random() * 500);
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess;
let output = "";

beforeAll(async () => {
  expect(buildStep, `npm start builds the server: ${startScript}`).toBeDefined();
  expect(runStep[0], `npm start runs the bundle with plain node: ${startScript}`).toBe("node");
  expect(runStep.at(-1)).toBe("dist/server/node.js");
  builtAt = Date.now();
  execFileSync(process.execPath, buildStep!.slice(1), { cwd: root, stdio: "pipe" });
  // The working directory is the data folder, not the project: the bundle finds drizzle/ and dist/web by itself.
  server = spawn(process.execPath, [...runStep.slice(1, -1), join(root, runStep.at(-1)!)], {
    cwd: dir,
    env: { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 50_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes("Kairan is running") && output.includes("or its code")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    server.on("exit", (code) => reject(new Error(`server exited ${code}:\n${output}`)));
  });
});

afterAll(async () => {
  if (server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("runs the bundle just built, not TypeScript through a loader", () => {
    expect(statSync(join(root, "dist/server/node.js")).mtimeMs).toBeGreaterThanOrEqual(builtAt - 1000);
    // The bundle has no TypeScript and no tsx import left in it.
    const bundle = readFileSync(join(root, "dist/server/node.js"), "utf8");
    expect(bundle).not.toMatch(/from ["']tsx|server\/node\.ts["']/);
  });

  it("prints the URL and the demo sign-ins, and serves health and docs", async () => {
    expect(output).toContain(base);
    expect(output).toContain("kaicho@example.jp");
    expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ status: "ok", database: "ok" });
    expect((await fetch(`${base}/`)).status).toBe(200);
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe("3.1.0");
  });

  it("lets the demo leader sign in and see circulars with read counts, and the printed invite join a household", async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: "kaicho@example.jp", password: "kairan-demo-2026" }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const list = (await (await fetch(`${base}/api/circulars`, { headers: { cookie } })).json()) as {
      circulars: { status: string; counts: { read: number; unread: number } | null }[];
    };
    const published = list.circulars.filter((c) => c.status === "published");
    expect(published.length).toBeGreaterThanOrEqual(4);
    expect(published.some((c) => c.counts!.read > 0 && c.counts!.unread > 0)).toBe(true);
    expect(list.circulars.some((c) => c.status === "draft")).toBe(true);

    const code = output.match(/or its code: ([A-Z2-9]{4}-[A-Z2-9]{4})/)![1]!;
    const joined = await fetch(`${base}/api/join`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ code: code.toLowerCase() }),
    });
    expect(joined.status).toBe(201);
    const resident = joined.headers.get("set-cookie")!.split(";")[0]!;
    const feed = (await (await fetch(`${base}/api/feed`, { headers: { cookie: resident } })).json()) as {
      circulars: unknown[];
    };
    expect(feed.circulars.length).toBeGreaterThanOrEqual(4);
  });

  it("reads JSON bodies off the socket as the API expects: valid, malformed, too large, chunked, with a charset", async () => {
    const post = (path: string, body: string | ReadableStream, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { origin: base, "content-type": "application/json", ...headers },
        body,
        ...(typeof body === "string" ? {} : { duplex: "half" }),
      } as RequestInit);
    const signIn = JSON.stringify({ email: "kaicho@example.jp", password: "wrong password" });
    // Well-formed (with a charset): the sign-in reads it and refuses the password.
    const wrong = await post("/api/auth/login", signIn, { "content-type": "application/json; charset=utf-8" });
    expect(wrong.status).toBe(401);
    // Malformed: the one error shape, 400 invalid_json.
    const bad = await post("/api/auth/login", '{"email": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
    // Over the JSON limit: 413 before anything is read.
    const big = await post("/api/auth/login", JSON.stringify({ email: "a".repeat(300_000), password: "x" }));
    expect(big.status).toBe(413);
    // Chunked (no Content-Length): still read and checked, through the limit.
    const bytes = new TextEncoder().encode(signIn);
    const chunked = await post(
      "/api/auth/login",
      new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.slice(0, 10));
          controller.enqueue(bytes.slice(10));
          controller.close();
        },
      }),
    );
    expect(chunked.status).toBe(401);
  });
});
