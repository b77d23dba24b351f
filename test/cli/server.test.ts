// `npm start` as a newcomer runs it: a real process on a real port, a fresh data folder, demo data, real HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "kairan-start-"));
const port = 3300 + Math.floor(Math.random() * 500);
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess;
let output = "";

beforeAll(async () => {
  server = spawn(process.execPath, ["--import", "tsx", "server/node.ts"], {
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
    const feed = (await (await fetch(`${base}/api/feed`, { headers: { cookie: resident } })).json()) as { circulars: unknown[] };
    expect(feed.circulars.length).toBeGreaterThanOrEqual(4);
  });
});
