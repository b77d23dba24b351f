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
export function frozen<V extends unknown[] = []>(build: (...values: Placeholder[]) => SQL): (...values: V) => SQL {
  let parts: string[] | undefined;
  let slots: unknown[] = [];
  return (...values: V) => {
    if (!parts) {
      const placeholders = Array.from({ length: build.length }, (_, i) => sql.placeholder(String(i)));
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

/** A frozen statement per sign (1: add, -1: take away), for the rollups and tallies that go both ways. */
export function frozenBySign<V extends unknown[] = []>(build: (sign: 1 | -1) => (...values: Placeholder[]) => SQL) {
  const plus = frozen<V>(build(1));
  const minus = frozen<V>(build(-1));
  return (sign: 1 | -1) => (sign === 1 ? plus : minus);
}
