// Whom a city circular is for: the whole city, or chosen wards, districts or associations. Checked when a draft is
// written; read back as names for the lists; and, in SQL, the associations a publication gives a copy to.
import { count, sql } from "drizzle-orm";
import { inList, type Db } from "../../db/client";
import { associations, cityCirculars, districts, households, wards, type CityTargetScope } from "../../db/schema";
import { errors } from "../../lib/errors";

export type CityTarget = { scope: "city" } | { scope: Exclude<CityTargetScope, "city">; ids: string[] };

type Row = typeof cityCirculars.$inferSelect;

const TARGET_WORDS: Record<Exclude<CityTargetScope, "city">, { ja: string; en: string }> = {
  wards: { ja: "区", en: "ward" },
  districts: { ja: "地区", en: "district" },
  associations: { ja: "町内会", en: "association" },
};

const TARGET_TABLES = { wards, districts, associations } as const;

/** Deduplicated ids that all exist, or 400 naming the field. */
export async function checkedTarget(db: Db, target: CityTarget): Promise<CityTarget> {
  if (target.scope === "city") return { scope: "city" };
  const ids = [...new Set(target.ids)];
  const word = TARGET_WORDS[target.scope];
  if (ids.length === 0)
    throw errors.validation(
      `入力内容を確認してください。配布する${word.ja}を1つ以上選んでください。`,
      `Please check your input. Choose at least one ${word.en}.`,
      [
        {
          path: "target.ids",
          message: `配布する${word.ja}を1つ以上選んでください。`,
          messageEn: `Choose at least one ${word.en}.`,
        },
      ],
    );
  const table = TARGET_TABLES[target.scope];
  const [found] = await db.select({ n: count() }).from(table).where(inList(table.id, ids));
  if ((found?.n ?? 0) !== ids.length)
    throw errors.validation(
      `入力内容を確認してください。選んだ${word.ja}の中に見つからないものがあります。選び直してください。`,
      `Please check your input. Some chosen ${word.en}s do not exist.`,
      [
        {
          path: "target.ids",
          message: `選んだ${word.ja}の中に見つからないものがあります。選び直してください。`,
          messageEn: `Some chosen ${word.en}s do not exist.`,
        },
      ],
    );
  return { scope: target.scope, ids };
}

/** The target columns of a city circular row. */
export const targetColumns = (target: CityTarget) => ({
  targetScope: target.scope,
  targetIds: JSON.stringify(target.scope === "city" ? [] : target.ids),
});

export function targetOf(row: Row): CityTarget {
  if (row.targetScope === "city") return { scope: "city" };
  return { scope: row.targetScope, ids: JSON.parse(row.targetIds) as string[] };
}

/** Names of the targeted wards, districts or associations of several circulars, one query per scope. */
export async function targetNames(db: Db, rows: Row[]): Promise<Map<string, { id: string; name: string }[]>> {
  const byScope = new Map<Exclude<CityTargetScope, "city">, Set<string>>();
  for (const row of rows) {
    const t = targetOf(row);
    if (t.scope === "city") continue;
    const set = byScope.get(t.scope) ?? new Set<string>();
    for (const id of t.ids) set.add(id);
    byScope.set(t.scope, set);
  }
  const names = new Map<string, string>();
  for (const [scope, ids] of byScope) {
    const table = TARGET_TABLES[scope];
    const found = await db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(inList(table.id, [...ids]));
    for (const f of found) names.set(`${scope}:${f.id}`, f.name);
  }
  const out = new Map<string, { id: string; name: string }[]>();
  for (const row of rows) {
    const t = targetOf(row);
    out.set(row.id, t.scope === "city" ? [] : t.ids.map((id) => ({ id, name: names.get(`${t.scope}:${id}`) ?? "" })));
  }
  return out;
}

/**
 * The associations `x` (with districts `d`) that the city circular `id` reaches, as the FROM and WHERE of a SELECT:
 * the target is read from the row inside the statement, so a batch uses it as it is then. Associations without
 * member households are skipped.
 */
export const targetedAssociations = (id: string) => sql`
  FROM ${cityCirculars} cc, ${associations} x JOIN ${districts} d ON d.id = x.district_id
  WHERE cc.id = ${id}
    AND (cc.target_scope = 'city'
      OR (cc.target_scope = 'wards' AND d.ward_id IN (SELECT value FROM json_each(cc.target_ids)))
      OR (cc.target_scope = 'districts' AND x.district_id IN (SELECT value FROM json_each(cc.target_ids)))
      OR (cc.target_scope = 'associations' AND x.id IN (SELECT value FROM json_each(cc.target_ids))))
    AND EXISTS (SELECT 1 FROM ${households} h WHERE h.association_id = x.id AND h.left_at IS NULL)`;
