// The Cloudflare Workers entry: `npm run dev:worker` (wrangler dev), `npm run deploy`. The same createApp(...) as
// the Node server (server/node.ts); only the deps differ. Database: Turso over HTTP when TURSO_DATABASE_URL is set,
// otherwise the D1 binding DB. Attachments: R2 (FILES). The PWA: the static-assets binding (ASSETS), served through
// the app so the caching headers are the Node ones. The cron trigger runs the same periodic jobs as Node's timer.
import { createClient } from "@libsql/client/web";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql/web";
import { createApp } from "./app";
import { parseConfig, type Config } from "./config";
import type { Deps } from "./context";
import type { Db } from "./db/client";
import { schema } from "./db/schema";
import { drainOutbox } from "./features/push/drain";
import { runPeriodicJobs, runPushJobs } from "./jobs";
import { openD1 } from "./worker/d1";
import { createR2BlobStore, type R2Like } from "./worker/r2-blob-store";
import { createWorkerAssets, type FetcherLike } from "./worker/static-assets";

export interface WorkerEnv {
  /** D1 database (wrangler.toml [[d1_databases]]), used when TURSO_DATABASE_URL is not set. */
  DB?: unknown;
  /** R2 bucket for attachments. */
  FILES: R2Like;
  /** Static assets (dist/web). */
  ASSETS?: FetcherLike;
  TURSO_DATABASE_URL?: string;
  /** Secret: `wrangler secret put TURSO_AUTH_TOKEN`. */
  TURSO_AUTH_TOKEN?: string;
  [name: string]: unknown;
}

interface ScheduledEventLike {
  cron?: string;
  scheduledTime?: number;
}
interface ExecutionContextLike {
  waitUntil(p: Promise<unknown>): void;
}

/** The string-valued bindings ([vars] and secrets) are the environment parseConfig reads. */
function configOf(env: WorkerEnv): Config {
  const vars: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === "string") vars[k] = v;
  return parseConfig(vars);
}

function openDb(env: WorkerEnv): Db {
  if (env.TURSO_DATABASE_URL) {
    const client = createClient({ url: env.TURSO_DATABASE_URL, authToken: env.TURSO_AUTH_TOKEN });
    // drizzle-orm/libsql/web gives exactly LibSQLDatabase, the Db type.
    return drizzleLibsql({ client, schema });
  }
  if (!env.DB)
    throw new Error("No database: set TURSO_DATABASE_URL (and TURSO_AUTH_TOKEN) or bind a D1 database as DB.");
  return openD1(env.DB as Parameters<typeof openD1>[0]);
}

/** How long a Worker invocation keeps sending pushes before leaving the rest to the next cron run. */
const PUSH_BUDGET_MS = 20_000;
/** wrangler.toml [triggers]: the hourly housekeeping; every other cron is the per-minute push job. */
const HOUSEKEEPING_CRON = "17 * * * *";

/** Built once per isolate: the bindings do not change while it lives. */
let built: { env: WorkerEnv; deps: Deps; app: ReturnType<typeof createApp> } | undefined;

function appFor(env: WorkerEnv) {
  if (built?.env !== env) {
    const deps: Deps = {
      config: configOf(env),
      db: openDb(env),
      blobs: createR2BlobStore(env.FILES),
      assets: env.ASSETS ? createWorkerAssets(env.ASSETS) : undefined,
      clientAddress: (c) => c.req.header("cf-connecting-ip") ?? undefined,
      // After a publish or reminder: send within this invocation's waitUntil (about 30 s); what is left, the
      // next cron run sends.
      sendQueuedPushes: (c) =>
        c.executionCtx.waitUntil(
          drainOutbox({ db: deps.db, config: deps.config, now: () => new Date() }, { maxMs: PUSH_BUDGET_MS }).catch(
            (e) => console.error("push outbox drain failed", e),
          ),
        ),
    };
    built = { env, deps, app: createApp(deps) };
  }
  return built;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Response | Promise<Response> {
    return appFor(env).app.fetch(request, env, ctx as never);
  },
  async scheduled(event: ScheduledEventLike, env: WorkerEnv, ctx: ExecutionContextLike): Promise<void> {
    const { deps } = appFor(env);
    const now = new Date(event.scheduledTime ?? Date.now());
    const run =
      event.cron === HOUSEKEEPING_CRON
        ? runPeriodicJobs({ db: deps.db, config: deps.config, now }).then((result) =>
            console.log("periodic jobs", JSON.stringify(result)),
          )
        : runPushJobs({ db: deps.db, config: deps.config, now: () => new Date() }, { maxMs: PUSH_BUDGET_MS }).then(
            (result) => console.log("push jobs", JSON.stringify(result)),
          );
    ctx.waitUntil(run);
    await run;
  },
};
