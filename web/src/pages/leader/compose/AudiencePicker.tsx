import { HelpAndError } from "../../staff/fields";
import { lt } from "../i18n";
import type { Block } from "../leader-api";
import { audienceOf, type DraftForm } from "./draft-form";

/**
 * 「全体」 or 「班を選ぶ」; the blocks, one checkbox each, only with 「班を選ぶ」 (under 「全体」 a row of unticked boxes
 * looked like nothing was chosen). Ticks made before switching to 「全体」 come back with 「班を選ぶ」: only the
 * audience chosen is sent (draft-form.ts).
 */
export function AudiencePicker({
  form,
  blocks,
  onChange,
  error,
  idPrefix,
}: {
  form: DraftForm;
  blocks: Block[];
  onChange: (patch: Partial<DraftForm>) => void;
  error?: string;
  idPrefix: string;
}) {
  const size = audienceOf(form, blocks);
  const toggle = (id: string, on: boolean) =>
    onChange({ blockIds: on ? [...form.blockIds, id] : form.blockIds.filter((b) => b !== id) });
  const blocksId = `${idPrefix}-blockIds`;
  return (
    <div class="stack audience">
      <fieldset class="field">
        <legend>{lt("leader.compose.audience")}</legend>
        <div class="segmented">
          <label>
            <input
              type="radio"
              name="audience"
              value="all"
              checked={form.audience === "all"}
              onChange={() => onChange({ audience: "all" })}
            />
            {lt("leader.audience.all")}
          </label>
          <label>
            <input
              type="radio"
              name="audience"
              value="blocks"
              checked={form.audience === "blocks"}
              onChange={() => onChange({ audience: "blocks" })}
            />
            {lt("leader.audience.blocks")}
          </label>
        </div>
      </fieldset>
      {form.audience === "blocks" && (
        <fieldset class="field block-choices" aria-describedby={`${blocksId}-help${error ? ` ${blocksId}-error` : ""}`}>
          <legend>{lt("leader.compose.blocks")}</legend>
          {blocks.length === 0 && <p>{lt("leader.compose.noBlocks")}</p>}
          <ul class="choice-list">
            {blocks.map((b, i) => (
              <li key={b.id}>
                <label class="choice">
                  <input
                    type="checkbox"
                    id={i === 0 ? blocksId : undefined}
                    checked={form.blockIds.includes(b.id)}
                    onChange={(e) => toggle(b.id, (e.target as HTMLInputElement).checked)}
                    aria-describedby={`${blocksId}-n-${b.id}`}
                    aria-invalid={error ? "true" : undefined}
                  />
                  {b.name}
                </label>
                <span class="muted" id={`${blocksId}-n-${b.id}`}>
                  {lt("leader.households.count", { n: b.households })}
                </span>
              </li>
            ))}
          </ul>
          <HelpAndError id={blocksId} help={lt("leader.compose.blocksHelp")} error={error} />
        </fieldset>
      )}
      <p class="audience-size" aria-live="polite">
        {form.audience === "all"
          ? lt("leader.compose.sizeAll", { n: size.households })
          : size.names.length
            ? lt("leader.compose.sizeBlocks", { blocks: size.names.join("・"), n: size.households })
            : lt("leader.compose.sizeNone")}
      </p>
    </div>
  );
}
