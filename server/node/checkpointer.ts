// Copies the write-ahead log into the database file from a worker thread with its own connection, so that the server's
// event loop does not. SQLite's automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint: every
// 10,000 pages or so one request's batch waits for 40 MB to be copied into the file and synced, and every request
// queued behind it waits too (a safety check's burst: answers' p99 141 ms, the city's live view up to 390 ms; with no
// checkpoint at all, 57-79 ms and 172 ms; bench/safety.ts). Here a PASSIVE checkpoint every `everyMs` copies what the
// log holds while the server goes on writing (every 50 ms: each sync of the file then has little to flush, and the
// commits' own syncs of the log, which the file system orders behind it, wait less: with 200 ms the answers' p99 was
// 107-114 ms, with 50 ms 71 ms); the connection's own automatic checkpoint stays as the backstop, and,
// finding the pages already copied, only finishes the log so that the next commit starts it again from its beginning
// (a log that a passive checkpoint never finishes under steady writes would otherwise grow for the whole burst).
// A checkpoint writes nothing to the log and leaves its header alone, so the server connection's page cache stays
// valid (a second connection's commits would not: docs/adr/0007).
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface CheckpointRun {
  /** Frames in the log, and frames of it now in the database file (PRAGMA wal_checkpoint). */
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Resolves with the figures of the next checkpoint (of everything committed before the call). */
  next(): Promise<CheckpointRun>;
  /** Stops after the checkpoint in progress, if any, and closes the worker's connection. */
  stop(): Promise<void>;
}

// CommonJS: an eval'd worker has require, not import; `libsql` is resolved by the main thread (the bundled server's
// folder is not the worker's).
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.libsql);
const db = new Database(workerData.path);
db.exec("PRAGMA busy_timeout = 0");
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)").raw();
// Told only when asked (next()): an idle server's thread is not woken 20 times a second.
let asked = false;
const timer = setInterval(() => {
  try {
    const [[, log, checkpointed]] = checkpoint.all();
    if (asked) parentPort.postMessage({ log, checkpointed });
    asked = false;
  } catch (e) {
    // SQLITE_BUSY: another checkpoint (the server's own) is running; the next tick tries again.
    if (e.code !== "SQLITE_BUSY") parentPort.postMessage({ error: String(e) });
  }
}, workerData.everyMs);
parentPort.on("message", (m) => {
  if (m === "next") {
    asked = true;
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(path: string, { everyMs = 50 }: { everyMs?: number } = {}): Checkpointer {
  const libsql = createRequire(import.meta.url).resolve("libsql");
  const worker = new Worker(WORKER, { eval: true, workerData: { path, libsql, everyMs } });
  worker.unref();
  let waiting: ((run: CheckpointRun) => void)[] = [];
  worker.on("message", (m: CheckpointRun | { error: string }) => {
    if ("error" in m) {
      console.error("checkpoint failed:", m.error);
      return;
    }
    const woken = waiting;
    waiting = [];
    for (const w of woken) w(m);
  });
  worker.on("error", (e) => console.error("checkpointer stopped:", e));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    next: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        // A worker thread's port, not a window: there is no origin to name.
        // oxlint-disable-next-line unicorn/require-post-message-target-origin
        worker.postMessage("next");
      }),
    stop: async () => {
      // oxlint-disable-next-line unicorn/require-post-message-target-origin
      worker.postMessage("stop");
      await exited;
    },
  };
}
