// The Node server's Client for the database file (server/node/file-client.ts) and the frozen batch statements
// (server/db/frozen.ts), on a real libSQL file: what the services rely on from @libsql/client's behaviour.
import { LibsqlError } from "@libsql/client";
import { sql } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozen, frozenRows } from "../../server/db/frozen";
import { openDatabase, type NodeDatabase } from "../../server/node/database";

let dir: string;
let database: NodeDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kairan-file-client-"));
  database = await openDatabase(`file:${join(dir, "client.db")}`);
  await database.client.executeMultiple(`
    CREATE TABLE things (id TEXT PRIMARY KEY, n INTEGER NOT NULL, flag INTEGER, data BLOB, at INTEGER);
    CREATE TABLE other (id TEXT PRIMARY KEY, n INTEGER);`);
});

afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the file Client", () => {
  it("binds and reads values as @libsql/client does, rows by name and by index", async () => {
    const { client } = database;
    const blob = new Uint8Array([1, 2, 250]).buffer;
    const at = new Date(1_764_000_000_000);
    const insert = await client.execute({
      sql: "INSERT INTO things (id, n, flag, data, at) VALUES (?, ?, ?, ?, ?)",
      args: ["a", 7, true, blob, at],
    });
    expect(insert.rowsAffected).toBe(1);
    expect(typeof insert.lastInsertRowid).toBe("bigint");
    await client.execute({ sql: "INSERT INTO other (id, n) VALUES (:id, :n)", args: { ":id": "a", n: 70 } });

    const rs = await client.execute({
      sql: "SELECT t.id, t.n, t.flag, t.data, t.at, o.n AS n FROM things t JOIN other o ON o.id = t.id WHERE t.id = ?",
      args: ["a"],
    });
    expect(rs.columns).toEqual(["id", "n", "flag", "data", "at", "n"]);
    const row = rs.rows[0]!;
    expect(row.length).toBe(6);
    expect([row[0], row[1], row[2], row[4], row[5]]).toEqual(["a", 7, 1, at.getTime(), 70]);
    // A repeated name keeps the first column's value; only the names are enumerable (drizzle's db.all reads them).
    expect(row.n).toBe(7);
    expect(Object.keys(row)).toEqual(["id", "n", "flag", "data", "at"]);
    expect(row.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(row.data as ArrayBuffer)]).toEqual([1, 2, 250]);
    expect(Array.prototype.slice.call(row)).toHaveLength(6);
    expect(JSON.parse(JSON.stringify(rs)).rows[0][0]).toBe("a");

    await expect(client.execute({ sql: "SELECT ?", args: [undefined as never] })).rejects.toThrow(TypeError);
    await expect(client.execute({ sql: "SELECT ?", args: [Number.NaN] })).rejects.toThrow(RangeError);
  });

  it("reports SQLite's errors as LibsqlErrors, and a batch that fails writes nothing", async () => {
    const { client } = database;
    const dup = await client.execute({ sql: "INSERT INTO things (id, n) VALUES ('a', 1)" }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(LibsqlError);
    expect((dup as LibsqlError).code).toBe("SQLITE_CONSTRAINT");
    expect((dup as LibsqlError).message).toContain("UNIQUE constraint failed: things.id");

    const failed = await client
      .batch(["INSERT INTO things (id, n) VALUES ('b', 1)", "INSERT INTO things (id, n) VALUES ('a', 2)"], "write")
      .catch((e: unknown) => e);
    expect((failed as { statementIndex?: number }).statementIndex).toBe(1);
    const b = await client.execute("SELECT count(*) AS n FROM things WHERE id = 'b'");
    expect(b.rows[0]!.n).toBe(0);

    // The connection is usable afterwards, and a good batch commits.
    const ok = await client.batch(
      ["INSERT INTO things (id, n) VALUES ('c', 3)", { sql: "SELECT n FROM things WHERE id = ?", args: ["c"] }],
      "write",
    );
    expect(ok[1]!.rows[0]![0]).toBe(3);
  });

  it("holds the connection for an interactive transaction: other calls wait until it ends", async () => {
    const { client } = database;
    const tx = await client.transaction("write");
    await tx.execute({ sql: "UPDATE things SET n = 100 WHERE id = 'c'", args: [] });
    let outside: number | undefined;
    const read = client.execute("SELECT n FROM things WHERE id = 'c'").then((rs) => (outside = Number(rs.rows[0]![0])));
    await Promise.resolve();
    expect(outside).toBeUndefined();
    await tx.rollback();
    await read;
    expect(outside).toBe(3);
    await expect(tx.execute("SELECT 1")).rejects.toThrow(/closed/);
  });
});

describe("frozen statements", () => {
  const countThings = frozenRows<[number]>(
    2,
    (values, min) =>
      sql`SELECT count(*) AS n, coalesce(sum(t.n), 0) AS total FROM ${values} AS v JOIN things t ON t.id = v.column1
          WHERE t.n >= ${min} AND v.column2 = 'x'`,
  );

  it("bind a batch's rows whatever its size: padded NULL rows join nothing", async () => {
    const { db, client } = database;
    await client.batch(
      Array.from({ length: 20 }, (_, i) => ({ sql: "INSERT INTO other (id, n) VALUES (?, ?)", args: [`o${i}`, i] })),
      "write",
    );
    await client.execute("INSERT INTO things (id, n) SELECT id, n FROM other WHERE id LIKE 'o%'");
    for (const size of [1, 7, 8, 9, 17]) {
      const rows = Array.from({ length: size }, (_, i) => [`o${i}`, "x"]);
      const [r] = await db.all<{ n: number; total: number }>(countThings(rows, 0));
      expect(r).toEqual({ n: size, total: (size * (size - 1)) / 2 });
    }
    const [some] = await db.all<{ n: number }>(
      countThings(
        [
          ["o3", "x"],
          ["o5", "y"],
          ["nope", "x"],
        ],
        1,
      ),
    );
    expect(some!.n).toBe(1);
  });

  it("refuse a text with a literal question mark, which would take a parameter's place", () => {
    const bad = frozen(() => sql`SELECT 'why?' AS q`);
    expect(() => bad()).toThrow(/literal "\?"/);
  });
});
