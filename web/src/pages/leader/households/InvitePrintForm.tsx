import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { useFormErrors } from "../../staff/errors";
import { FormSummary, RadioGroup, SelectField } from "../../staff/fields";
import { lt } from "../i18n";
import { issueHouseholdInvites, printInvites, type SheetLayout } from "../issued-invites";
import type { Block, Household } from "../leader-api";

const ALL = "all";

/**
 * Invite sheets for many households at once: the app households of one block or all, by default only those with
 * no device signed in yet. Each printed sheet is a new single-use invite.
 */
export function InvitePrintForm({ blocks, households }: { blocks: Block[]; households: Household[] }) {
  const { route } = useLocation();
  const [blockId, setBlockId] = useState(ALL);
  const [onlyNew, setOnlyNew] = useState(true);
  const [layout, setLayout] = useState<SheetLayout>("single");
  const [busy, setBusy] = useState(false);
  const form = useFormErrors("sheets", ["blockId"]);

  const targets = households.filter(
    (h) =>
      !h.leftAt && h.channel === "app" && (blockId === ALL || h.blockId === blockId) && (!onlyNew || h.devices === 0),
  );

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (targets.length === 0) return form.show({ summary: null, fields: { blockId: lt("leader.sheets.noTargets") } });
    setBusy(true);
    form.clear();
    try {
      const invites = await issueHouseholdInvites(targets.map((h) => h.id));
      printInvites(route, invites, { layout });
    } catch (err) {
      form.showError(err);
      setBusy(false);
    }
  }

  return (
    <section class="stack" aria-labelledby="sheets-h">
      <h2 id="sheets-h">{lt("leader.sheets.formTitle")}</h2>
      <p class="muted">{lt("leader.sheets.formLead")}</p>
      <form class="stack inline-form" onSubmit={submit} noValidate>
        <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
        <SelectField
          id={form.fieldId("blockId")}
          label={lt("leader.sheets.block")}
          value={blockId}
          onChange={setBlockId}
          options={[
            { value: ALL, label: lt("leader.sheets.allBlocks") },
            ...blocks.map((b) => ({ value: b.id, label: b.name })),
          ]}
          error={form.errors.fields.blockId}
        />
        <div class="field">
          <label class="choice">
            <input
              type="checkbox"
              checked={onlyNew}
              onChange={(e) => setOnlyNew((e.target as HTMLInputElement).checked)}
              aria-describedby="sheets-only-new-help"
            />
            {lt("leader.sheets.onlyNew")}
          </label>
          <p class="help" id="sheets-only-new-help">
            {lt("leader.sheets.onlyNewHelp")}
          </p>
        </div>
        <RadioGroup<SheetLayout>
          id="sheets-layout"
          name="sheets-layout"
          legend={lt("leader.sheets.layout")}
          value={layout}
          onChange={setLayout}
          options={[
            { value: "single", label: lt("leader.sheets.single") },
            { value: "grid", label: lt("leader.sheets.grid") },
          ]}
        />
        <p class="audience-size" aria-live="polite">
          {lt("leader.sheets.targets", { n: targets.length })}
        </p>
        <p>
          <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
            {busy ? lt("leader.sheets.making") : lt("leader.sheets.print")}
          </button>
        </p>
      </form>
    </section>
  );
}
