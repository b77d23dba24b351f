// The embedded libSQL database for the Node server, the CLI and the tests.
import { createClient, type Client } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createDb, type Db } from "../db/client";
import { startCheckpointer, type Checkpointer } from "./checkpointer";
import { openFileClient } from "./file-client";
import { MIGRATIONS_FOLDER } from "./paths";

export interface NodeDatabase {
  client: Client;
  db: Db;
  /** The background checkpointer, when asked for (`checkpointInBackground`). */
  checkpointer: Checkpointer | null;
  /** Stops the checkpointer (after the checkpoint in progress) and closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens the database. For a file, one connection (file-client.ts, which also keeps the prepared statements): every
 * libSQL call on a file runs synchronously anyway, so a pool adds no throughput, and with a single connection the
 * PRAGMAs below hold for every statement (a pool opens fresh connections that would miss them; STACK.md). WAL lets readers in other
 * processes (the CLI) work beside the server; synchronous=FULL keeps an answered acknowledgement durable.
 */
export async function openDatabase(
  url: string,
  { checkpointInBackground = false }: { checkpointInBackground?: boolean } = {},
): Promise<NodeDatabase> {
  const isFile = url.startsWith("file:");
  const path = url.slice("file:".length).split("?")[0]!;
  if (isFile && path && path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const client = isFile ? openFileClient(path, 5000) : createClient({ url });
  if (isFile) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = FULL");
    await client.execute("PRAGMA foreign_keys = ON");
    await client.execute("PRAGMA busy_timeout = 5000");
    // Checkpoint the WAL every 10,000 pages (about 40 MB) instead of 1,000: the pages acknowledgements keep
    // writing (indexes, households, rollups) are copied into the database once per checkpoint, not once per 1,000
    // pages; measured here, the commit of a 40-acknowledgement batch went from 2.8 to 1.6 ms. Every commit is still
    // fsynced (synchronous=FULL).
    await client.execute("PRAGMA wal_autocheckpoint = 10000");
    // A 32 MiB page cache (the default is 2 MiB): the acknowledgement batch's statements ran about 20% faster with
    // the indexes' and households' pages kept in memory (RSS stays under the 250 MiB target after the benchmark).
    await client.execute("PRAGMA cache_size = -32768");
  }
  // The server's: the WAL copied into the file from a worker thread (checkpointer.ts). The CLI and the tests, whose
  // writes are few, keep SQLite's own.
  const checkpointer = isFile && path && path !== ":memory:" && checkpointInBackground ? startCheckpointer(path) : null;
  return {
    client,
    db: createDb(client),
    checkpointer,
    close: async () => {
      await checkpointer?.stop();
      client.close();
    },
  };
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
