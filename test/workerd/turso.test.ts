// Turso cannot run here (no libSQL server; docs/deploy.md), but the Worker's Turso path can: with
// TURSO_DATABASE_URL set it uses @libsql/client/web instead of D1, and a database it cannot reach is a 503 in the
// app's error shape, not a crash.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, expect, it, vi } from "vitest";
import worker from "../../server/worker";
import { workerEnv } from "./harness";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

it("talks to Turso over HTTP when TURSO_DATABASE_URL is set, and answers 503 when it is unreachable", async () => {
  const seen: string[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push(`${req.method} ${new URL(req.url).host} ${req.headers.get("authorization") ?? ""}`);
    return new Response("no database here", { status: 502 });
  });
  // The health route logs the failed check (an operator's clue): expected here, so caught and asserted instead of
  // printed as a stack trace in a passing run.
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const env = {
    ...workerEnv,
    DB: undefined,
    TURSO_DATABASE_URL: "libsql://kairan-test.turso.example",
    TURSO_AUTH_TOKEN: "t0ken",
  };
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("http://localhost/api/health"), env, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(503);
  expect((await res.json()) as unknown).toMatchObject({ error: { code: "service_unavailable" } });
  expect(seen.length).toBeGreaterThan(0);
  expect(seen[0]).toBe("POST kairan-test.turso.example Bearer t0ken");
  expect(logged).toHaveBeenCalledTimes(1);
  const [what, error] = logged.mock.calls[0]!;
  expect(what).toBe("health: database check failed");
  expect(String((error as { cause?: unknown }).cause)).toContain("502");
});
