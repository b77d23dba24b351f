// The embedded libSQL database for the Node server, the CLI and the tests.
import { createClient, type Client } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createDb, type Db } from "../db/client";
import { MIGRATIONS_FOLDER } from "./paths";

export interface NodeDatabase {
  client: Client;
  db: Db;
  close(): void;
}

/**
 * Opens the database. For a file, one connection (`concurrency: 1`): every libSQL call on a file runs
 * synchronously anyway, so a pool adds no throughput, and with a single connection the PRAGMAs below hold for
 * every statement (a pool opens fresh connections that would miss them; STACK.md). WAL lets readers in other
 * processes (the CLI) work beside the server; synchronous=FULL keeps an answered acknowledgement durable.
 */
export async function openDatabase(url: string): Promise<NodeDatabase> {
  const isFile = url.startsWith("file:");
  if (isFile) {
    const path = url.slice("file:".length).split("?")[0]!;
    if (path && path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient(isFile ? { url, concurrency: 1, timeout: 5000 } : { url });
  if (isFile) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = FULL");
    await client.execute("PRAGMA foreign_keys = ON");
    await client.execute("PRAGMA busy_timeout = 5000");
  }
  return { client, db: createDb(client), close: () => client.close() };
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
