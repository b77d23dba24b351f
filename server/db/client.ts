// The database handle every service receives. Drizzle's async SQLite API, so the same services run on a libSQL
// file (Node), Turso and D1 (Workers). Multi-row writes use db.batch([...]): one atomic round trip; never
// interactive transactions (D1 has none, and over HTTP each statement would be a round trip).
import type { Client } from "@libsql/client";
import { sql, type Column, type SQL } from "drizzle-orm";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { schema } from "./schema";

export type Db = LibSQLDatabase<typeof schema>;

/** Wraps an already-created libSQL client (file, Turso or in-memory). */
export function createDb(client: Client): Db {
  return drizzle({ client, schema });
}

/** One element of db.batch([...]). */
export type BatchItem = Parameters<Db["batch"]>[0][number];

/**
 * How many rows a write changed: libSQL answers `rowsAffected`, D1 answers `meta.changes`. Every service reads the
 * count through this, so it means the same on Node, Turso and D1.
 */
export function changesOf(res: unknown): number {
  const r = res as { rowsAffected?: number; meta?: { changes?: number } };
  return r.rowsAffected ?? r.meta?.changes ?? 0;
}

/**
 * `column IN (values)` with the list as one bound JSON value (json_each), for lists a request can make long (a page
 * of 500 circulars, a sheet of invites). D1 accepts at most 100 bound values per statement; drizzle's inArray binds
 * one per element.
 */
export function inList(column: Column, values: readonly string[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}
