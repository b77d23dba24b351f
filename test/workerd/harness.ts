// The Workers entry (server/worker.ts) inside workerd, with the D1, R2 and static-assets bindings of wrangler.toml:
// requests go through its fetch() exactly as Cloudflare would call it. The Node test helpers (factories, client)
// work on it unchanged: they need only a database, the config and a clock.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { parseConfig } from "../../server/config";
import worker, { type WorkerEnv } from "../../server/worker";
import { openD1 } from "../../server/worker/d1";
import type { TestApp } from "../helpers/app";
import { ORIGIN } from "../helpers/http";

export const workerEnv = env as unknown as WorkerEnv;

export async function workerFetch(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** What the shared helpers (test/helpers/factories.ts, http.ts) use of a test app, backed by the Worker. */
export function workerTestApp(): TestApp {
  const config = parseConfig({ SEED_DEMO: "false" });
  const db = openD1(env.DB);
  const clock = { current: new Date(), now: () => new Date(), advance() {} };
  const app = {
    request: (path: string, init: RequestInit = {}) => workerFetch(new Request(new URL(path, ORIGIN), init)),
  };
  return { app, db, config, clock } as unknown as TestApp;
}
