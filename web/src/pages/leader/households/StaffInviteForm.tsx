import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../../api";
import { useFormErrors } from "../../staff/errors";
import { FormSummary, RadioGroup, SelectField } from "../../staff/fields";
import { lt } from "../i18n";
import { printInvites } from "../issued-invites";
import type { Block, IssuedInvite } from "../leader-api";

type Kind = "leader" | "block_leader";

/** An invite sheet for a new leader or block leader, who then chooses their own email and password. */
export function StaffInviteForm({ blocks }: { blocks: Block[] }) {
  const { route } = useLocation();
  const [kind, setKind] = useState<Kind>("block_leader");
  const [blockId, setBlockId] = useState(blocks[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const form = useFormErrors("staff-invite", ["kind", "blockId"]);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    form.clear();
    try {
      const json = kind === "block_leader" ? { kind, blockId } : { kind };
      const inv = await api<IssuedInvite>("/api/invites/staff", { method: "POST", json });
      printInvites(route, [inv]);
    } catch (err) {
      form.showError(err);
      setBusy(false);
    }
  }

  return (
    <section class="stack" aria-labelledby="staff-h">
      <h2 id="staff-h">{lt("leader.staff.title")}</h2>
      <p class="muted">{lt("leader.staff.lead")}</p>
      <form class="stack inline-form" onSubmit={submit} noValidate>
        <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
        <RadioGroup<Kind>
          id={form.fieldId("kind")}
          name="staff-kind"
          legend={lt("leader.staff.kind")}
          value={kind}
          onChange={setKind}
          options={[
            { value: "block_leader", label: lt("leader.staff.blockLeader") },
            { value: "leader", label: lt("leader.staff.leader") },
          ]}
          error={form.errors.fields.kind}
        />
        {kind === "block_leader" && (
          <SelectField
            id={form.fieldId("blockId")}
            label={lt("leader.staff.block")}
            value={blockId}
            onChange={setBlockId}
            options={blocks.map((b) => ({ value: b.id, label: b.name }))}
            help={lt("leader.staff.blockHelp")}
            error={form.errors.fields.blockId}
          />
        )}
        <p>
          <button type="submit" class="btn" aria-disabled={busy ? "true" : undefined}>
            {lt("leader.staff.submit")}
          </button>
        </p>
      </form>
    </section>
  );
}
