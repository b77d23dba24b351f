// The city's rollup tables as comparable data: every row with a non-zero figure, keyed and sorted. Tests take one
// before and one after rebuildStats (the recomputation from raw rows) and expect them equal.
import type { Client } from "@libsql/client";

const TABLES = {
  stats_households: ["level", "scope_id"],
  stats_active: ["level", "scope_id", "day"],
  stats_week: ["level", "scope_id", "week"],
  stats_circular: ["circular_id"],
} as const;

/** Columns that identify rather than count. */
const LABELS = new Set(["association_id", "city_circular_id"]);

export async function rollupSnapshot(client: Client) {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [table, keys] of Object.entries(TABLES)) {
    const rows = (await client.execute(`SELECT * FROM ${table}`)).rows.map((r) => ({ ...r }));
    const key = (r: Record<string, unknown>) => JSON.stringify(keys.map((k) => r[k]));
    const counts = (r: Record<string, unknown>) =>
      Object.entries(r).filter(([k]) => !(keys as readonly string[]).includes(k) && !LABELS.has(k));
    out[table] = rows.filter((r) => counts(r).some(([, v]) => v !== 0)).sort((a, b) => key(a).localeCompare(key(b)));
  }
  return out;
}
