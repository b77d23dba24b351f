// Wards, districts and associations (GET /api/city/areas, names only), loaded once per visit, and what a target
// means in words and in associations reached.
import { api } from "../../../api";
import type { Areas, Target } from "../city-api";
import { ct } from "../i18n";

let cached: Promise<Areas> | null = null;

export function loadAreas(): Promise<Areas> {
  cached ??= api<Areas>("/api/city/areas").catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** The ids of the associations a target reaches. */
export function associationIds(target: Target, areas: Areas): string[] {
  const out: string[] = [];
  const chosen = target.scope === "city" ? null : new Set(target.ids);
  for (const w of areas.wards)
    for (const d of w.districts)
      for (const a of d.associations) {
        const hit =
          !chosen ||
          (target.scope === "wards" && chosen.has(w.id)) ||
          (target.scope === "districts" && chosen.has(d.id)) ||
          (target.scope === "associations" && chosen.has(a.id));
        if (hit) out.push(a.id);
      }
  return out;
}

/** The names of what was chosen, in the areas' order. */
export function targetNames(target: Target, areas: Areas): string[] {
  if (target.scope === "city") return [ct("city.target.city")];
  const chosen = new Set(target.ids);
  const names: string[] = [];
  for (const w of areas.wards) {
    if (target.scope === "wards" && chosen.has(w.id)) names.push(w.name);
    for (const d of w.districts) {
      if (target.scope === "districts" && chosen.has(d.id)) names.push(d.name);
      for (const a of d.associations) if (target.scope === "associations" && chosen.has(a.id)) names.push(a.name);
    }
  }
  return names;
}

/** 「青葉区・泉区」, or 「A・B・C ほか4か所」 when the list is long. */
export function namesText(names: string[]): string {
  if (names.length <= 4) return names.join("・");
  return ct("city.target.more", { names: names.slice(0, 3).join("・"), n: names.length - 3 });
}

/** Where a target goes, in words: 「市全域」 or the chosen names. */
export function targetText(target: Target, names: string[]): string {
  return target.scope === "city" ? ct("city.target.city") : namesText(names);
}
