// The server's background checkpointer (server/node/checkpointer.ts) on a real libSQL file: the log is copied into the
// database file by the worker thread while the server's connection goes on writing (its own automatic checkpoint,
// every 10,000 pages, is never reached here), and the log starts again from its beginning once copied, instead of
// growing with every write.
import { statSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckpointRun } from "../../server/node/checkpointer";
import { openDatabase, type NodeDatabase } from "../../server/node/database";

let dir: string;
let path: string;
let database: NodeDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kairan-checkpointer-"));
  path = join(dir, "ckpt.db");
  database = await openDatabase(`file:${path}`, { checkpointInBackground: true });
  await database.client.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
});

afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `n` rows of 16 KiB, one commit each. */
async function write(n: number) {
  for (let i = 0; i < n; i++)
    await database.client.execute({ sql: "INSERT INTO things (data) VALUES (randomblob(16384))", args: [] });
}

/** Waits (for events, not time) until the worker reports the whole log copied, as committed when called. */
async function copied(): Promise<CheckpointRun> {
  for (;;) {
    const run = await database.checkpointer!.next();
    if (run.log > 0 && run.checkpointed === run.log) return run;
  }
}

describe("the background checkpointer", () => {
  it("copies the log into the database file while the connection writes", async () => {
    expect(database.checkpointer).not.toBeNull();
    const before = statSync(path).size;
    await write(64); // about 1 MiB: some 300 pages, far below the connection's own checkpoint
    const run = await copied();
    expect(run.checkpointed).toBeGreaterThanOrEqual(256);
    // The pages are in the database file itself, which only a checkpoint writes.
    expect(statSync(path).size - before).toBeGreaterThan(1024 * 1024);
  });

  it("lets the log start again from its beginning instead of growing with every write", async () => {
    for (let round = 0; round < 8; round++) {
      await write(32);
      await copied();
    }
    // 8 rounds wrote some 1,100 pages (4.5 MiB); the log holds about one round's.
    const wal = statSync(`${path}-wal`).size;
    expect(wal).toBeLessThan(2 * 1024 * 1024);
    const { rows } = await database.client.execute("SELECT count(*) FROM things");
    expect(Number(rows[0]![0])).toBe(64 + 8 * 32);
  });

  it("stops", async () => {
    await database.checkpointer!.stop();
    // The connection still works, with SQLite's own checkpoint.
    await write(1);
  });
});
