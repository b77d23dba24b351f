// The embedded database's Client: @libsql/client's interface (what drizzle, the CLI and the tests use) over one
// `libsql` connection, written for the server's hot paths. @libsql/client's file client asks each statement for its
// columns twice, tells reads from writes by catching an exception, and builds every row with Object.defineProperty
// per value: measured on the answers' bench (part 2b), that was about 8% of the server's CPU. Here a statement is
// prepared once and kept with what it returns (the last STATEMENTS_KEPT by their SQL text), rows come from SQLite as
// arrays, and a result's rows share one prototype that gives the values by index (docs/adr/0007).
import { LibsqlBatchError, LibsqlError } from "@libsql/client";
import type {
  Client,
  InArgs,
  InStatement,
  InValue,
  ResultSet,
  Row,
  Transaction,
  TransactionMode,
} from "@libsql/client";
import Database from "libsql";

/** Prepared statements kept per connection, most recently used last (a Map keeps insertion order). */
const STATEMENTS_KEPT = 256;

interface LibsqlStatement {
  reader: boolean;
  raw(on?: boolean): LibsqlStatement;
  columns(): { name: string; type: string | null }[];
  all(args: unknown): unknown[][];
  run(args: unknown): { changes: number; lastInsertRowid: number | bigint };
}

interface Kept {
  stmt: LibsqlStatement;
  /** For a statement that returns rows: its columns, and the prototype its rows share. */
  reads: {
    columns: string[];
    columnTypes: string[];
    rowProto: object;
    /** Each column name once (the first of a repeated name) with its index. */
    named: [string, number][];
  } | null;
}

const VALUES = Symbol("values");

/**
 * Rows as @libsql/client gives them: each value by column name (enumerable, the first of a repeated name) and by
 * index, and `length` (drizzle reads rows both ways). The index accessors live on one prototype per statement.
 */
function rowPrototype(columns: string[]): object {
  const proto: Record<PropertyKey, unknown> = {};
  for (let i = 0; i < columns.length; i++)
    Object.defineProperty(proto, i, {
      get(this: { [VALUES]: unknown[] }) {
        return this[VALUES][i];
      },
    });
  Object.defineProperty(proto, "length", { value: columns.length });
  return proto;
}

function toRow(proto: object, named: readonly (readonly [string, number])[], values: unknown[]): Row {
  const row = Object.create(proto) as Record<PropertyKey, unknown>;
  Object.defineProperty(row, VALUES, { value: values });
  for (const [name, i] of named) row[name] = values[i];
  return row as unknown as Row;
}

/** As @libsql/client binds a value (intMode "number"). */
function toSql(value: InValue | undefined): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

/**
 * As @libsql/client reads a value (intMode "number"; a BLOB as an ArrayBuffer of its own). Integers come from libsql
 * as numbers (statements are not asked for BigInts, which cost an allocation per value): exact up to 2^53, which
 * every integer stored here is (epoch ms, counts, amounts); a bigint is still converted and range-checked.
 */
function fromSql(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    return Number(value);
  }
  if (value instanceof Uint8Array) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

function argsOf(args: InArgs | undefined): unknown {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(value);
  return named;
}

const BASE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  2: "SQLITE_INTERNAL",
  3: "SQLITE_PERM",
  4: "SQLITE_ABORT",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  7: "SQLITE_NOMEM",
  8: "SQLITE_READONLY",
  9: "SQLITE_INTERRUPT",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  17: "SQLITE_SCHEMA",
  18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT",
  20: "SQLITE_MISMATCH",
  21: "SQLITE_MISUSE",
  25: "SQLITE_RANGE",
  26: "SQLITE_NOTADB",
};

/** SQLite's error as @libsql/client reports it: a LibsqlError with SQLite's message, codes and the cause. */
function mapError(e: unknown): unknown {
  if (!(e instanceof Error) || e.name !== "SqliteError") return e;
  const { code, rawCode } = e as Error & { code?: string; rawCode?: number };
  const base =
    rawCode === undefined ? "SQLITE_UNKNOWN" : (BASE_CODES[rawCode & 0xff] ?? `SQLITE_UNKNOWN_${rawCode & 0xff}`);
  return new LibsqlError(e.message, base, code, rawCode, e);
}

function beginOf(mode: TransactionMode = "deferred"): string {
  if (mode === "write") return "BEGIN IMMEDIATE";
  if (mode === "read") return "BEGIN TRANSACTION READONLY";
  return "BEGIN DEFERRED";
}

function statementOf(
  stmt: InStatement | [string, InArgs?] | string,
  args?: InArgs,
): { sql: string; args: InArgs | undefined } {
  if (typeof stmt === "string") return { sql: stmt, args };
  if (Array.isArray(stmt)) return { sql: stmt[0], args: stmt[1] };
  return { sql: stmt.sql, args: stmt.args };
}

class Connection {
  readonly db: Database.Database;
  #kept = new Map<string, Kept>();

  constructor(path: string, timeout: number) {
    this.db = new Database(path, { timeout });
  }

  #prepare(sql: string): Kept {
    let kept = this.#kept.get(sql);
    if (kept) {
      this.#kept.delete(sql); // to the end: most recently used
    } else {
      const stmt = this.db.prepare(sql) as unknown as LibsqlStatement;
      if (stmt.reader) {
        stmt.raw(true);
        const cols = stmt.columns();
        const columns = cols.map((c) => c.name);
        const named: [string, number][] = [];
        columns.forEach((c, i) => {
          if (!named.some(([n]) => n === c)) named.push([c, i]);
        });
        const columnTypes = cols.map((c) => c.type ?? "");
        kept = { stmt, reads: { columns, columnTypes, rowProto: rowPrototype(columns), named } };
      } else {
        kept = { stmt, reads: null };
      }
    }
    this.#kept.set(sql, kept);
    if (this.#kept.size > STATEMENTS_KEPT) this.#kept.delete(this.#kept.keys().next().value!);
    return kept;
  }

  /** Statements prepared before a schema change may name columns that changed (SQLite re-prepares the rest). */
  forget() {
    this.#kept.clear();
  }

  execute(sql: string, args: InArgs | undefined): ResultSet {
    try {
      const { stmt, reads } = this.#prepare(sql);
      const bound = argsOf(args);
      if (reads) {
        const rows = stmt.all(bound).map((values) => toRow(reads.rowProto, reads.named, values.map(fromSql)));
        return resultSet(reads.columns, reads.columnTypes, rows, 0, undefined);
      }
      const info = stmt.run(bound);
      return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (e) {
      throw mapError(e);
    }
  }

  exec(sql: string) {
    try {
      this.db.exec(sql);
    } catch (e) {
      throw mapError(e);
    }
  }

  /** Rolls back whatever is still open, as @libsql/client does before reusing a connection. */
  settle() {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }
}

function resultSet(
  columns: string[],
  columnTypes: string[],
  rows: Row[],
  rowsAffected: number,
  lastInsertRowid: bigint | undefined,
): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({
      columns,
      columnTypes,
      rows: rows.map((r) => Array.from(r)),
      rowsAffected,
      lastInsertRowid: lastInsertRowid === undefined ? null : String(lastInsertRowid),
    }),
  };
}

/** Runs `stmts` in one transaction on `conn`; on an error rolls back and says which statement failed. */
function runBatch(conn: Connection, stmts: { sql: string; args: InArgs | undefined }[]): ResultSet[] {
  const results: ResultSet[] = [];
  for (let i = 0; i < stmts.length; i++) {
    try {
      if (!conn.db.inTransaction)
        throw new LibsqlBatchError("The transaction has been rolled back", i, "TRANSACTION_CLOSED");
      results.push(conn.execute(stmts[i]!.sql, stmts[i]!.args));
    } catch (e) {
      if (e instanceof LibsqlBatchError) throw e;
      if (e instanceof LibsqlError)
        throw new LibsqlBatchError(
          e.message,
          i,
          e.code,
          e.extendedCode,
          e.rawCode,
          e.cause instanceof Error ? e.cause : undefined,
        );
      throw e;
    }
  }
  return results;
}

/** `stmts` in one transaction of `mode`, committed; rolled back on an error. */
function committed(conn: Connection, stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode) {
  conn.exec(beginOf(mode));
  try {
    const results = runBatch(
      conn,
      stmts.map((s) => statementOf(s)),
    );
    conn.exec("COMMIT");
    return results;
  } finally {
    conn.settle();
  }
}

class FileTransaction implements Transaction {
  closed = false;

  constructor(
    private readonly conn: Connection,
    private readonly release: () => void,
  ) {}

  #check() {
    if (this.closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
  }
  async execute(stmt: InStatement): Promise<ResultSet> {
    this.#check();
    const s = statementOf(stmt);
    return this.conn.execute(s.sql, s.args);
  }
  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    this.#check();
    return runBatch(
      this.conn,
      stmts.map((s) => statementOf(s)),
    );
  }
  async executeMultiple(sql: string): Promise<void> {
    this.#check();
    this.conn.exec(sql);
  }
  async rollback(): Promise<void> {
    if (this.closed) return;
    this.close(); // rolls back what is open, and gives the connection back
  }
  async commit(): Promise<void> {
    this.#check();
    try {
      this.conn.exec("COMMIT");
    } finally {
      // Committed, or the COMMIT failed (then rolled back): either way the connection goes back to the client.
      this.close();
    }
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.settle();
    this.release();
  }
}

/**
 * One connection, so every statement sees the PRAGMAs set on it. Calls run synchronously (libsql's file calls are);
 * an interactive transaction holds the connection until it commits, rolls back or closes, and calls made meanwhile
 * wait for it, as with @libsql/client's pool of one.
 */
class FileClient implements Client {
  closed = false;
  readonly protocol = "file";
  #conn: Connection;
  #held: Promise<void> | null = null;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  async #free(): Promise<Connection> {
    while (this.#held) await this.#held;
    if (this.closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    return this.#conn;
  }

  execute(stmt: InStatement): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const conn = await this.#free();
    const s = statementOf(stmtOrSql, args);
    return conn.execute(s.sql, s.args);
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode): Promise<ResultSet[]> {
    return committed(await this.#free(), stmts, mode);
  }

  /** drizzle's migrator: the migrations' statements in one transaction, foreign keys off meanwhile. */
  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    const conn = await this.#free();
    conn.exec("PRAGMA foreign_keys=off");
    try {
      return committed(conn, stmts, "deferred");
    } finally {
      conn.exec("PRAGMA foreign_keys=on");
      conn.forget();
    }
  }

  async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
    const conn = await this.#free();
    conn.exec(beginOf(mode));
    let release!: () => void;
    this.#held = new Promise<void>((resolve) => (release = resolve));
    return new FileTransaction(conn, () => {
      this.#held = null;
      release();
    });
  }

  async executeMultiple(sql: string): Promise<void> {
    const conn = await this.#free();
    try {
      conn.exec(sql);
    } finally {
      conn.forget();
    }
  }

  async sync(): Promise<undefined> {
    return undefined;
  }

  async reconnect(): Promise<void> {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#conn.forget();
    if (this.#conn.db.open) this.#conn.db.close();
  }
}

/** A Client for a database file (`file:` URL's path, or ":memory:"); throws when it cannot be opened. */
export function openFileClient(path: string, timeout: number): Client {
  const conn = new Connection(path, timeout);
  conn.execute("SELECT 1", []); // fail fast if the file is not a database
  return new FileClient(conn);
}
