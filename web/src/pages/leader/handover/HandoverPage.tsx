import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDate } from "../../../format";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor, useFormErrors } from "../../staff/errors";
import { FormSummary, HelpAndError, SelectField, TextField } from "../../staff/fields";
import { useLoad } from "../../staff/use-load";
import { lt } from "../i18n";
import { printInvites } from "../issued-invites";
import type { Block, Handover, HandoverOverview, Officer, PreparedHandover } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { termDate } from "./term-date";

/** A role that can be handed over: 会長・役員, or one block's 班長. */
interface Slot {
  key: string;
  role: "leader" | "block_leader";
  blockId?: string;
  label: string;
  candidates: Officer[];
  defaultOutgoing: string;
}

function slotsOf(overview: HandoverOverview, blocks: Block[]): Slot[] {
  const current = overview.officers.filter((o) => !o.readOnlyUntil);
  const leaders = current.filter((o) => o.role === "leader");
  const me = leaders.find((o) => o.isMe);
  return [
    {
      key: "leader",
      role: "leader",
      label: lt("leader.handover.leader"),
      candidates: leaders,
      defaultOutgoing: me?.id ?? "",
    },
    ...blocks.map((b): Slot => {
      const hancho = current.filter((o) => o.role === "block_leader" && o.blockId === b.id);
      return {
        key: b.id,
        role: "block_leader",
        blockId: b.id,
        label: lt("leader.handover.blockLeader", { block: b.name }),
        // Any current 班長 may be the one stepping down (a 班長 moving to another block); the block's own first.
        candidates: [...hancho, ...current.filter((o) => o.role === "block_leader" && o.blockId !== b.id)],
        defaultOutgoing: hancho[0]?.id ?? "",
      };
    }),
  ];
}

function roleOf(h: Handover): string {
  return h.role === "leader"
    ? lt("leader.handover.leader")
    : lt("leader.handover.blockLeader", { block: h.blockName ?? "" });
}

function statusOf(h: Handover): string {
  switch (h.status) {
    case "pending":
      return lt("leader.handover.status.pending", { date: formatDate(h.inviteExpiresAt ?? h.createdAt) });
    case "expired":
      return lt("leader.handover.status.expired");
    case "completed":
      return lt("leader.handover.status.completed", {
        name: h.successorName ?? "",
        date: formatDate(h.completedAt ?? h.createdAt),
      });
    default:
      return lt("leader.handover.status.cancelled");
  }
}

/** /leader/handover: 引き継ぎ. Choose the roles, print their invite sheets, follow and cancel what is pending. */
export function HandoverPage() {
  const { route } = useLocation();
  const overview = useLoad<HandoverOverview>("/api/handover");
  const blocks = useLoad<{ blocks: Block[] }>("/api/blocks");
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [outgoing, setOutgoing] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [asking, setAsking] = useState<Handover | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const form = useFormErrors("handover", ["roles"]);

  const data = overview.data;
  const slots = data && blocks.data ? slotsOf(data, blocks.data.blocks) : null;

  async function submit(e: Event) {
    e.preventDefault();
    if (busy || !slots) return;
    const picked = slots.filter((s) => chosen[s.key]);
    if (picked.length === 0)
      return form.show({
        summary: lt("leader.handover.noneChosen"),
        fields: { roles: lt("leader.handover.noneChosen") },
      });
    setBusy(true);
    form.clear();
    try {
      const items = picked.map((s) => ({
        role: s.role,
        ...(s.blockId ? { blockId: s.blockId } : {}),
        outgoingMemberId: (outgoing[s.key] ?? s.defaultOutgoing) || null,
      }));
      const prepared = await api<PreparedHandover>("/api/handover", { method: "POST", json: { items } });
      printInvites(route, prepared.invites, { back: "/leader/handover" });
    } catch (err) {
      form.showError(err);
      setBusy(false);
    }
  }

  async function cancel() {
    if (!asking || busy) return;
    setBusy(true);
    try {
      await api(`/api/handover/${encodeURIComponent(asking.id)}/cancel`, { method: "POST" });
      setStatus(lt("leader.handover.cancelled", { role: roleOf(asking) }));
      setActionError(null);
      await overview.reload();
    } catch (e) {
      setActionError(messageFor(e));
    } finally {
      setAsking(null);
      setBusy(false);
    }
  }

  const error = overview.error ?? blocks.error;
  return (
    <LeaderLayout title={lt("leader.handover.title")}>
      <div class="stack">
        <h1>{lt("leader.handover.title")}</h1>
        <p role="status" class={status ? "notice ok" : undefined}>
          {status}
        </p>
        {error && <ErrorNotice message={error} onRetry={() => (overview.reload(), blocks.reload())} />}
        {!slots && !error && <Loading />}
        {data && slots && (
          <>
            <p>
              {lt("leader.handover.term", {
                start: termDate(data.term.startDate),
                end: termDate(data.term.endDate),
              })}
            </p>
            <p>{lt("leader.handover.lead")}</p>
            <p class="muted">{lt("leader.handover.after")}</p>
            <p class="notice">
              {lt("leader.handover.forTerm", {
                year: data.handoverTerm.year,
                start: termDate(data.handoverTerm.startDate),
                end: termDate(data.handoverTerm.endDate),
              })}
            </p>
            <form class="stack" onSubmit={submit} noValidate>
              <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
              <fieldset class="field" aria-describedby={`${form.fieldId("roles")}-help`}>
                <legend>{lt("leader.handover.choose")}</legend>
                <ul class="choice-list">
                  {slots.map((s, i) => (
                    <li key={s.key} class="stack">
                      <label class="choice">
                        <input
                          type="checkbox"
                          id={i === 0 ? form.fieldId("roles") : undefined}
                          checked={!!chosen[s.key]}
                          onChange={(e) => setChosen({ ...chosen, [s.key]: (e.target as HTMLInputElement).checked })}
                          aria-invalid={form.errors.fields.roles ? "true" : undefined}
                        />
                        {s.label}
                      </label>
                      {chosen[s.key] && (
                        <SelectField
                          id={`handover-out-${s.key}`}
                          label={lt("leader.handover.outgoing", { role: s.label })}
                          value={outgoing[s.key] ?? s.defaultOutgoing}
                          onChange={(v) => setOutgoing({ ...outgoing, [s.key]: v })}
                          options={[
                            ...s.candidates.map((o) => ({
                              value: o.id,
                              label: o.isMe ? lt("leader.handover.me", { name: o.displayName }) : o.displayName,
                            })),
                            { value: "", label: lt("leader.handover.nobody") },
                          ]}
                          help={lt("leader.handover.outgoingHelp")}
                        />
                      )}
                    </li>
                  ))}
                </ul>
                <HelpAndError
                  id={form.fieldId("roles")}
                  help={lt("leader.handover.chooseHelp")}
                  error={form.errors.fields.roles}
                />
              </fieldset>
              <p>
                <button type="submit" class="btn primary big" aria-disabled={busy ? "true" : undefined}>
                  {busy ? lt("leader.handover.submitting") : lt("leader.handover.submit")}
                </button>
              </p>
            </form>

            <section class="stack" aria-labelledby="handover-list-h">
              <h2 id="handover-list-h">{lt("leader.handover.listTitle")}</h2>
              {actionError && (
                <p class="notice error" role="alert">
                  {actionError}
                </p>
              )}
              {data.handovers.length === 0 && <p>{lt("leader.handover.none")}</p>}
              {data.handovers.length > 0 && (
                <ul class="plain-list stack">
                  {data.handovers.map((h) => (
                    <li key={h.id} class="row">
                      <span>
                        <strong>{roleOf(h)}</strong>{" "}
                        {h.outgoingName && (
                          <span class="muted">{lt("leader.handover.from", { name: h.outgoingName })} </span>
                        )}
                        <br />
                        {statusOf(h)}
                      </span>
                      {(h.status === "pending" || h.status === "expired") && (
                        <button
                          type="button"
                          class="btn danger"
                          aria-label={lt("leader.handover.cancelLabel", { role: roleOf(h) })}
                          onClick={() => setAsking(h)}
                        >
                          {lt("leader.handover.cancel")}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <p>
                <a class="btn" href="/leader/start">
                  {lt("leader.handover.checklistLink")}
                </a>
              </p>
            </section>
            <TermStartForm current={data.termStart} onSaved={() => void overview.reload()} />
          </>
        )}
        <ConfirmDialog
          open={asking !== null}
          title={lt("leader.handover.confirmTitle")}
          confirmLabel={lt("leader.handover.cancel")}
          busy={busy}
          danger
          onConfirm={cancel}
          onClose={() => setAsking(null)}
        >
          <p>{asking ? lt("leader.handover.confirmBody", { role: roleOf(asking) }) : ""}</p>
        </ConfirmDialog>
      </div>
    </LeaderLayout>
  );
}

/** The day the association's term starts ("MM-DD"): 1 April unless the association says otherwise. */
function TermStartForm({ current, onSaved }: { current: string; onSaved: () => void }) {
  const [value, setValue] = useState(current);
  const [saved, setSaved] = useState("");
  const form = useFormErrors("term", ["termStart"]);
  async function submit(e: Event) {
    e.preventDefault();
    form.clear();
    setSaved("");
    try {
      await api("/api/handover/term", { method: "PUT", json: { termStart: value.trim() } });
      setSaved(lt("leader.handover.termSaved"));
      onSaved();
    } catch (err) {
      form.showError(err);
    }
  }
  return (
    <section class="stack" aria-labelledby="term-h">
      <h2 id="term-h">{lt("leader.handover.termTitle")}</h2>
      <form class="stack inline-form" onSubmit={submit} noValidate>
        <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
        <TextField
          id={form.fieldId("termStart")}
          label={lt("leader.handover.termStart")}
          value={value}
          onInput={setValue}
          maxLength={5}
          help={lt("leader.handover.termHelp")}
          error={form.errors.fields.termStart}
        />
        <p role="status" class={saved ? "notice ok" : undefined}>
          {saved}
        </p>
        <p>
          <button type="submit" class="btn">
            {lt("leader.handover.termSave")}
          </button>
        </p>
      </form>
    </section>
  );
}
