// The embedded libSQL database for the Node server, the CLI and the tests.
import { createClient, type Client } from "@libsql/client";
import Database from "libsql";
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
  cacheStatements();
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
    // Checkpoint the WAL every 10,000 pages (about 40 MB) instead of 1,000: the pages acknowledgements keep
    // writing (indexes, households, rollups) are copied into the database once per checkpoint, not once per 1,000
    // pages; measured here, the commit of a 40-acknowledgement batch went from 2.8 to 1.6 ms. Every commit is still
    // fsynced (synchronous=FULL).
    await client.execute("PRAGMA wal_autocheckpoint = 10000");
    // A 32 MiB page cache (the default is 2 MiB): the acknowledgement batch's statements ran about 20% faster with
    // the indexes' and households' pages kept in memory (RSS stays under the 250 MiB target after the benchmark).
    await client.execute("PRAGMA cache_size = -32768");
  }
  return { client, db: createDb(client), close: () => client.close() };
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** Prepared statements kept per connection, most recently used last (a Map keeps insertion order). */
const STATEMENTS_KEPT = 256;
const statementCaches = new WeakMap<object, Map<string, unknown>>();
let caching = false;

/**
 * @libsql/client prepares every statement it runs on a file anew; for the acknowledgement batch (a few long
 * statements: the rollups' 32 buckets) preparing cost about 1 ms a batch, an eighth of the server's CPU under load.
 * Statements are reusable (each run binds its own arguments and runs to the end, synchronously: the client's file
 * calls never interleave on a connection), so the libsql Database keeps the last STATEMENTS_KEPT by their SQL text.
 * SQLite re-prepares a kept statement by itself when the schema changes (a migration).
 */
function cacheStatements(): void {
  if (caching) return;
  caching = true;
  const proto = Database.prototype as unknown as { prepare(this: object, sql: string, ...rest: unknown[]): unknown };
  const prepare = proto.prepare;
  proto.prepare = function (this: object, sql: string, ...rest: unknown[]) {
    if (rest.length > 0) return prepare.call(this, sql, ...rest);
    let cache = statementCaches.get(this);
    if (!cache) statementCaches.set(this, (cache = new Map()));
    let stmt = cache.get(sql);
    if (stmt) cache.delete(sql);
    else stmt = prepare.call(this, sql);
    cache.set(sql, stmt);
    if (cache.size > STATEMENTS_KEPT) cache.delete(cache.keys().next().value!);
    return stmt;
  };
}
