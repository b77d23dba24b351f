// Statements of the hot paths, rendered to SQL text once. Drizzle renders a template chunk by chunk every time it
// runs; the acknowledgement and answer batches are a dozen long statements (the rollups' 32 buckets, the tallies),
// and rendering them cost about 1 ms a batch, 8% of the server's CPU under load (bench part 2b). A frozen statement
// is rendered at its first use; afterwards it is one string and its values.
import { is, Placeholder, sql, type SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

const dialect = new SQLiteAsyncDialect();

/**
 * `build` gets one placeholder per value the statement takes (its parameters, in order) and returns the statement;
 * everything else in it is fixed at the first call, so build one frozen statement per variant (per sign, channel).
 * The returned function makes the statement with these values.
 */
export function frozen<V extends unknown[] = []>(
  build: (...values: Placeholder[]) => SQL,
  /** How many values it takes, when `build` takes them as a rest parameter. */
  count = build.length,
): (...values: V) => SQL {
  let parts: string[] | undefined;
  let slots: unknown[] = [];
  return (...values: V) => {
    if (!parts) {
      const placeholders = Array.from({ length: count }, (_, i) => sql.placeholder(String(i)));
      const query = dialect.sqlToQuery(build(...placeholders));
      const split = query.sql.split("?");
      // Each "?" must be a parameter's: a literal one (in a string) would take the wrong value.
      if (split.length !== query.params.length + 1)
        throw new Error(`frozen: a literal "?" in ${query.sql.slice(0, 80)}`);
      parts = split;
      slots = query.params;
    }
    const strings = Object.assign([...parts], { raw: parts }) as unknown as TemplateStringsArray;
    return sql(strings, ...slots.map((s) => (is(s, Placeholder) ? values[Number(s.name)] : s)));
  };
}

/**
 * One of what `make` makes per variant (a sign, a channel, a batch size), made at the variant's first use and kept:
 * how a statement that differs by such a variant is frozen once per variant.
 */
export function perVariant<K extends string | number | boolean | null, V>(make: (variant: K) => V): (variant: K) => V {
  const made = new Map<K, V>();
  return (variant) => {
    let v = made.get(variant);
    if (v === undefined) made.set(variant, (v = make(variant)));
    return v;
  };
}

/** Rows of a VALUES list are padded to a multiple of this, so that a batch statement has few texts to prepare. */
const ROW_STEP = 8;

/**
 * A frozen statement over a batch of rows: `build` gets `(VALUES (?, …), …)` as `values` (columns column1 …
 * columnN, as SQLite names them) and one placeholder per further value. SQLite reads bound VALUES about three times
 * faster than the same rows as one JSON value (json_each, where each use of a column extracts it again); the text
 * depends on the number of rows, so the rows are padded with NULL rows (which join nothing: give `build` a join or
 * a condition on column1) to a multiple of ROW_STEP, one frozen text per size. Only where a batch coalesces many
 * requests (Node): D1 takes at most 100 values a statement, and on Workers each request is its own batch.
 */
export function frozenRows<P extends unknown[] = []>(
  columns: number,
  build: (values: SQL, ...params: Placeholder[]) => SQL,
): (rows: unknown[][], ...params: P) => SQL {
  const extra = build.length - 1;
  const ofSize = perVariant((size: number) =>
    frozen<unknown[]>(
      (...ph: Placeholder[]) => {
        const tuples = Array.from(
          { length: size },
          (_, r) => sql`(${sql.join(ph.slice(r * columns, (r + 1) * columns), sql`, `)})`,
        );
        return build(sql`(VALUES ${sql.join(tuples, sql`, `)})`, ...ph.slice(size * columns));
      },
      size * columns + extra,
    ),
  );
  return (rows, ...params) => {
    const size = Math.max(ROW_STEP, Math.ceil(rows.length / ROW_STEP) * ROW_STEP);
    const flat: unknown[] = [];
    for (const row of rows) for (let c = 0; c < columns; c++) flat.push(row[c]);
    for (let i = rows.length * columns; i < size * columns; i++) flat.push(null);
    return ofSize(size)(...flat, ...params);
  };
}
