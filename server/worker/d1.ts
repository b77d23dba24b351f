// Drizzle on a D1 binding, typed as the app's Db (Drizzle's async SQLite API, as on libSQL).
import { drizzle } from "drizzle-orm/d1";
import type { Db } from "../db/client";
import { schema } from "../db/schema";

type D1Binding = Parameters<typeof drizzle>[0];

interface PreparedLike {
  stmt?: { bind(...params: unknown[]): unknown };
  getQuery(): { sql: string; params: unknown[] };
  mapResult(result: unknown, isFromBatch: boolean): unknown;
}
interface D1SessionLike {
  client: {
    prepare(sql: string): { bind(...params: unknown[]): unknown };
    batch(stmts: unknown[]): Promise<unknown[]>;
  };
  batch(queries: { _prepare(): PreparedLike }[]): Promise<unknown[]>;
}

export function openD1(binding: D1Binding): Db {
  const db = drizzle(binding, { schema });
  // drizzle-orm 0.45's D1 batch() expects every item to carry a prepared D1 statement; the raw `db.run(sql`...`)`
  // items the services put in batches (INSERT ... SELECT ... WHERE changes() > 0 and the like) have none, so it
  // throws "Cannot read properties of undefined (reading 'bind')" (drizzle-team/drizzle-orm#2277, open; drizzle-orm
  // is pinned exactly in package.json for this). Same batch, preparing those from their SQL.
  const session = (db as unknown as { session: D1SessionLike }).session;
  session.batch = async function batch(queries) {
    // oxlint-disable-next-line no-underscore-dangle -- Drizzle's own name for it
    const prepared = queries.map((q) => q._prepare());
    const statements = prepared.map((p) => {
      const { sql, params } = p.getQuery();
      return p.stmt ? p.stmt.bind(...params) : session.client.prepare(sql).bind(...params);
    });
    const results = await session.client.batch(statements);
    return results.map((r, i) => prepared[i]!.mapResult(r, true));
  };
  // The one cast between the two drivers. D1's Drizzle database has the same async SQLite API (select/insert/
  // update/delete, returning, batch, run/all with sql) as libSQL's; the one difference the services can see, the
  // shape of run()'s result, they read through changesOf(). test/workerd runs the app's flows on D1 to keep this
  // honest.
  return db as unknown as Db;
}
