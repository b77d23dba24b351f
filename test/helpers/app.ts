// A real app over a real libSQL file: one fresh database per test file (call createTestApp in beforeAll).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../server/app";
import { parseConfig, type Config } from "../../server/config";
import { migrateDatabase, openDatabase } from "../../server/node/database";
import { createNodeReadings } from "../../server/node/readings";
import { createFileBlobStore } from "../../server/node/file-blob-store";
import { createOutboxPump } from "../../server/features/push/pump";
import { nodePushFetch } from "../../server/node/push-http";

/** A clock the test moves by hand (invite and session expiry); starts at the real time. */
export class TestClock {
  constructor(public current = new Date()) {}
  now = () => new Date(this.current.getTime());
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * `sendPushes: false`: queued pushes stay in the outbox (tests that look at the rows the way they were written).
 * `readings: true`: the Node server's ふりがな (kuromoji, loaded on first use); without it, as on Workers: none.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  opts: { sendPushes?: boolean; readings?: boolean } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "kairan-test-"));
  const config: Config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false", ...env });
  const database = await openDatabase(`file:${join(dir, "test.db")}`);
  await migrateDatabase(database.db);
  const clock = new TestClock();
  // The Node server's outbox pump, on the test clock: a publish or reminder starts sending, and `pushes.idle()`
  // waits for it before a test looks at its push service.
  const pushes = createOutboxPump(
    { db: database.db, config, now: clock.now, fetch: nodePushFetch },
    { onError: (e) => console.error("push drain failed in test", e) },
  );
  const readings = opts.readings ? createNodeReadings() : null;
  const app = createApp({
    sendQueuedPushes: opts.sendPushes === false ? undefined : () => pushes.kick(),
    ...(readings ? { readings: readings.provider } : {}),
    pushFetch: nodePushFetch,
    config,
    db: database.db,
    blobs: createFileBlobStore(join(dir, "files")),
    now: clock.now,
    // app.request has no socket: tests name the client address in a header of their own.
    clientAddress: (c) => c.req.header("x-test-client") ?? "127.0.0.1",
  });
  return {
    app,
    db: database.db,
    client: database.client,
    config,
    clock,
    dir,
    pushes,
    /** Waits for a drain still sending (it would find the database closed), then removes everything. */
    async close() {
      await pushes.idle();
      await readings?.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
