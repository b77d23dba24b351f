import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { useFormErrors } from "../../staff/errors";
import { FormSummary, RadioGroup, SelectField, TextField } from "../../staff/fields";
import { lt } from "../i18n";
import { st } from "../../staff/i18n";
import type { Block, Channel, Household } from "../leader-api";

/** Adding a household, or changing one's name, block or how it receives circulars (app or paper). */
export function HouseholdForm({
  formId,
  household,
  blocks,
  onSaved,
  onCancel,
}: {
  formId: string;
  household?: Household;
  blocks: Block[];
  onSaved: (h: Household) => void;
  onCancel: () => void;
}) {
  const [label, setLabel] = useState(household?.label ?? "");
  const [blockId, setBlockId] = useState(household?.blockId ?? blocks[0]?.id ?? "");
  const [channel, setChannel] = useState<Channel>(household?.channel ?? "app");
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(formId, ["label", "blockId", "channel"]);
  // Opened by 「世帯を追加」 or 「編集」: the keyboard goes straight to the first field.
  useEffect(() => document.getElementById(form.fieldId("label"))?.focus(), []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!label.trim())
      return form.show({ summary: st("staff.form.checkFields"), fields: { label: lt("leader.hh.labelMissing") } });
    setBusy(true);
    try {
      const json = { label: label.trim(), blockId, channel };
      const saved = household
        ? await api<Household>(`/api/households/${encodeURIComponent(household.id)}`, { method: "PATCH", json })
        : await api<Household>("/api/households", { method: "POST", json });
      onSaved(saved);
    } catch (err) {
      form.showError(err);
      setBusy(false);
    }
  }

  return (
    <form class="stack inline-form" onSubmit={submit} noValidate aria-labelledby={`${formId}-h`}>
      <h4 id={`${formId}-h`} class="as-h3">
        {household ? lt("leader.hh.editTitle", { label: household.label }) : lt("leader.hh.addTitle")}
      </h4>
      <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
      <TextField
        id={form.fieldId("label")}
        label={lt("leader.hh.label")}
        value={label}
        onInput={setLabel}
        required
        maxLength={40}
        help={lt("leader.hh.labelHelp")}
        error={form.errors.fields.label}
      />
      <SelectField
        id={form.fieldId("blockId")}
        label={lt("leader.hh.block")}
        value={blockId}
        onChange={setBlockId}
        options={blocks.map((b) => ({ value: b.id, label: b.name }))}
        help={blocks.length === 0 ? lt("leader.hh.noBlocks") : undefined}
        error={form.errors.fields.blockId}
      />
      <RadioGroup<Channel>
        id={form.fieldId("channel")}
        name={`${formId}-channel`}
        legend={lt("leader.hh.channel")}
        value={channel}
        onChange={setChannel}
        options={[
          { value: "app", label: lt("leader.channel.app") },
          { value: "paper", label: lt("leader.channel.paper") },
        ]}
        help={lt("leader.hh.channelHelp")}
        error={form.errors.fields.channel}
      />
      <div class="row actions">
        <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
          {household ? lt("leader.form.save") : lt("leader.hh.addSubmit")}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          {lt("leader.form.cancel")}
        </button>
      </div>
    </form>
  );
}
