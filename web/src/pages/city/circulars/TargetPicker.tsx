// Where a city circular (or a city 安否確認, ../safety/) goes: the whole city, or chosen wards, districts or
// associations, with a checkbox each (grouped by ward and district, with a name filter for the long lists), and how
// many associations that reaches. `words` picks the legends and the sentence of reach: 「配布先」 for a circular,
// 「対象」 for a safety check.
import { useState } from "preact/hooks";
import { HelpAndError } from "../../staff/fields";
import type { AreaDistrict, Areas, TargetScope } from "../city-api";
import { count } from "../format";
import { ct } from "../i18n";
import { associationIds, namesText, targetNames } from "./targets";

export interface TargetForm {
  scope: TargetScope;
  ids: string[];
}

export const toTarget = (f: TargetForm) =>
  f.scope === "city" ? ({ scope: "city" } as const) : { scope: f.scope, ids: f.ids };

const SCOPES: TargetScope[] = ["city", "wards", "districts", "associations"];

/** The keys of the picker's own words: "<words>.target", "<words>.wards" … "<words>.sizeNone". */
export type TargetWords = "city.compose" | "city.safety.target";

function Choice(p: {
  id?: string;
  checked: boolean;
  label: string;
  detail?: string;
  detailId: string;
  invalid: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <li>
      <label class="choice">
        <input
          type="checkbox"
          id={p.id}
          checked={p.checked}
          onChange={(e) => p.onChange((e.target as HTMLInputElement).checked)}
          aria-describedby={p.detail ? p.detailId : undefined}
          aria-invalid={p.invalid ? "true" : undefined}
        />
        {p.label}
      </label>
      {p.detail && (
        <span class="muted" id={p.detailId}>
          {p.detail}
        </span>
      )}
    </li>
  );
}

export function TargetPicker({
  value,
  areas,
  onChange,
  error,
  idPrefix,
  words = "city.compose",
}: {
  value: TargetForm;
  areas: Areas;
  onChange: (next: TargetForm) => void;
  error?: string;
  idPrefix: string;
  words?: TargetWords;
}) {
  const [filter, setFilter] = useState("");
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const chosen = new Set(value.ids);
  const toggle = (id: string, on: boolean) =>
    onChange({ ...value, ids: on ? [...value.ids, id] : value.ids.filter((x) => x !== id) });
  const listId = `${idPrefix}-target`;
  const invalid = !!error;
  let first = true;
  /** The first checkbox carries the id the error summary focuses. */
  const firstId = () => (first ? ((first = false), listId) : undefined);
  const needle = filter.trim();
  const matches = (name: string) => !needle || name.includes(needle);
  const n = (d: AreaDistrict) => d.associations.length;

  const reached = associationIds(toTarget(value), areas).length;
  const names = targetNames(toTarget(value), areas);
  const long = value.scope === "districts" || value.scope === "associations";

  return (
    <div class="stack target-picker">
      <fieldset class="field">
        <legend>{ct(`${words}.target`)}</legend>
        <div class="segmented">
          {SCOPES.map((s) => (
            <label key={s}>
              <input
                type="radio"
                name={`${idPrefix}-scope`}
                value={s}
                checked={value.scope === s}
                onChange={() => onChange({ scope: s, ids: [] })}
              />
              {ct(`city.target.${s}`)}
            </label>
          ))}
        </div>
      </fieldset>

      {value.scope !== "city" && (
        <fieldset class="field" aria-describedby={`${listId}-help${error ? ` ${listId}-error` : ""}`}>
          <legend>{ct(`${words}.${value.scope}`)}</legend>
          <HelpAndError id={listId} help={ct(`${words}.pickHelp`)} error={error} />
          {long && (
            <div class="field">
              <label for={`${idPrefix}-filter`}>{ct("city.compose.filter")}</label>
              <input
                id={`${idPrefix}-filter`}
                type="text"
                value={filter}
                onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
                aria-describedby={`${idPrefix}-filter-help`}
              />
              <p class="help" id={`${idPrefix}-filter-help`}>
                {ct("city.compose.filterHelp")}
              </p>
            </div>
          )}

          {value.scope === "wards" && (
            <ul class="choice-list">
              {areas.wards.map((w) => (
                <Choice
                  key={w.id}
                  id={firstId()}
                  checked={chosen.has(w.id)}
                  label={w.name}
                  detail={ct("city.compose.wardCount", { n: count(w.districts.reduce((k, d) => k + n(d), 0))! })}
                  detailId={`${listId}-n-${w.id}`}
                  invalid={invalid}
                  onChange={(on) => toggle(w.id, on)}
                />
              ))}
            </ul>
          )}

          {value.scope === "districts" &&
            areas.wards.map((w) => {
              const ds = w.districts.filter((d) => matches(d.name) || matches(w.name));
              if (!ds.length) return null;
              return (
                <fieldset key={w.id} class="field area-group">
                  <legend>{w.name}</legend>
                  <ul class="choice-list">
                    {ds.map((d) => (
                      <Choice
                        key={d.id}
                        id={firstId()}
                        checked={chosen.has(d.id)}
                        label={d.name}
                        detail={ct("city.compose.wardCount", { n: count(n(d))! })}
                        detailId={`${listId}-n-${d.id}`}
                        invalid={invalid}
                        onChange={(on) => toggle(d.id, on)}
                      />
                    ))}
                  </ul>
                </fieldset>
              );
            })}

          {value.scope === "associations" &&
            areas.wards.map((w) => {
              const ds = w.districts
                .map((d) => ({ d, as: d.associations.filter((a) => matches(a.name) || matches(d.name)) }))
                .filter((x) => x.as.length > 0);
              if (!ds.length) return null;
              const picked = ds.reduce((k, x) => k + x.d.associations.filter((a) => chosen.has(a.id)).length, 0);
              const isOpen = !!needle || !!open[w.id];
              return (
                <details
                  key={w.id}
                  class="area-group"
                  open={isOpen}
                  onToggle={(e) => setOpen({ ...open, [w.id]: (e.target as HTMLDetailsElement).open })}
                >
                  <summary id={firstId()}>
                    {w.name}
                    {picked > 0 && <span class="muted">（{ct("city.compose.wardCount", { n: picked })}）</span>}
                  </summary>
                  {isOpen &&
                    ds.map(({ d, as }) => (
                      <fieldset key={d.id} class="field">
                        <legend>{d.name}</legend>
                        <ul class="choice-list">
                          {as.map((a) => (
                            <Choice
                              key={a.id}
                              checked={chosen.has(a.id)}
                              label={a.name}
                              detailId={`${listId}-n-${a.id}`}
                              invalid={invalid}
                              onChange={(on) => toggle(a.id, on)}
                            />
                          ))}
                        </ul>
                      </fieldset>
                    ))}
                </details>
              );
            })}
          {long && needle && first && <p>{ct("city.compose.noMatch", { text: needle })}</p>}
        </fieldset>
      )}

      <p class="audience-size" aria-live="polite">
        {value.scope === "city"
          ? ct(`${words}.sizeCity`, { n: count(reached)! })
          : names.length
            ? ct(`${words}.size`, { names: namesText(names), n: count(reached)! })
            : ct(`${words}.sizeNone`)}
      </p>
    </div>
  );
}
