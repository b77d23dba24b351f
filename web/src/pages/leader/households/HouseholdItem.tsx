import { useRef, useState } from "preact/hooks";
import { api } from "../../../api";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { lt } from "../i18n";
import { sut } from "../../../components/support/i18n";
import { wt } from "../../../components/watch/i18n";
import type { Block, Household, WatchedHousehold } from "../leader-api";
import { HouseholdForm } from "./HouseholdForm";
import { HouseholdSupport } from "./HouseholdSupport";
import { HouseholdWatch } from "./HouseholdWatch";

type Pending = null | "leave" | "endSessions";

/**
 * One household: its name, how it receives circulars, its signed-in devices; 「招待を作る」 and 「編集」 (named by
 * the household through aria-describedby, so each button's own name stays short and the same).
 */
export function HouseholdItem({
  h,
  watch,
  blocks,
  onChanged,
  onInvite,
  inviting,
}: {
  h: Household;
  /** Its 見守り, if it asked for one. */
  watch: WatchedHousehold | null;
  blocks: Block[];
  onChanged: (message: string) => void;
  onInvite: () => void;
  inviting: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [watching, setWatching] = useState(false);
  const [support, setSupport] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameId = `hh-name-${h.id}`;
  const editButton = useRef<HTMLButtonElement>(null);
  // Closing the form removes what had the keyboard: give it back to 「編集」.
  const closeEditing = () => {
    setEditing(false);
    setTimeout(() => editButton.current?.focus(), 0);
  };

  async function act() {
    if (busy || !pending) return;
    setBusy(true);
    setError(null);
    try {
      if (pending === "leave") {
        await api(`/api/households/${encodeURIComponent(h.id)}`, { method: "PATCH", json: { left: true } });
        onChanged(lt("leader.hh.leftDone", { label: h.label }));
      } else {
        const r = await api<{ ended: number }>(`/api/households/${encodeURIComponent(h.id)}/end-sessions`, {
          method: "POST",
        });
        onChanged(lt("leader.hh.endSessionsDone", { label: h.label, n: r.ended }));
      }
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
      setPending(null);
    }
  }

  return (
    <li class="hh-manage">
      <div class="hh-manage-head">
        <span class="hh-name" id={nameId}>
          {h.label}
        </span>
        <span class="muted">
          {h.channel === "paper" ? lt("leader.channel.paper") : lt("leader.channel.app")}
          {" ・ "}
          {h.devices > 0 ? lt("leader.hh.devices", { n: h.devices }) : lt("leader.hh.noDevices")}
          {watch && <> ・ {wt("watch.hh.on", { days: watch.days })}</>}
        </span>
      </div>
      <div class="row hh-manage-actions">
        <button
          type="button"
          class="btn"
          onClick={onInvite}
          aria-describedby={nameId}
          aria-disabled={inviting ? "true" : undefined}
        >
          {lt("leader.hh.invite")}
        </button>
        <button
          type="button"
          class="btn"
          ref={editButton}
          onClick={() => setEditing(!editing)}
          aria-expanded={editing}
          aria-describedby={nameId}
        >
          {lt("leader.hh.edit")}
        </button>
        <button
          type="button"
          class="btn"
          onClick={() => setWatching(!watching)}
          aria-expanded={watching}
          aria-describedby={nameId}
        >
          {wt("watch.hh.button")}
        </button>
        <button
          type="button"
          class="btn"
          onClick={() => setSupport(!support)}
          aria-expanded={support}
          aria-describedby={nameId}
        >
          {sut("support.hh.button")}
        </button>
      </div>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {watching && (
        <HouseholdWatch
          h={h}
          watch={watch}
          onChanged={(message) => {
            setWatching(false);
            onChanged(message);
          }}
          onClose={() => setWatching(false)}
        />
      )}
      {support && (
        <HouseholdSupport
          h={h}
          onChanged={(message) => {
            setSupport(false);
            onChanged(message);
          }}
          onClose={() => setSupport(false)}
        />
      )}
      {editing && (
        <div class="stack edit-panel">
          <HouseholdForm
            formId={`hh-edit-${h.id}`}
            household={h}
            blocks={blocks}
            onSaved={(saved) => {
              closeEditing();
              onChanged(lt("leader.hh.saved", { label: saved.label }));
            }}
            onCancel={closeEditing}
          />
          <div class="stack danger-zone">
            {h.devices > 0 && (
              <div class="stack">
                <p class="muted">{lt("leader.hh.endSessionsHelp")}</p>
                <p>
                  <button type="button" class="btn danger" onClick={() => setPending("endSessions")}>
                    {lt("leader.hh.endSessions")}
                  </button>
                </p>
              </div>
            )}
            <div class="stack">
              <p class="muted">{lt("leader.hh.leaveHelp")}</p>
              <p>
                <button type="button" class="btn danger" onClick={() => setPending("leave")}>
                  {lt("leader.hh.leave")}
                </button>
              </p>
            </div>
          </div>
        </div>
      )}
      <ConfirmDialog
        open={!!pending}
        title={pending === "leave" ? lt("leader.hh.leave") : lt("leader.hh.endSessions")}
        confirmLabel={pending === "leave" ? lt("leader.hh.leave") : lt("leader.hh.endSessions")}
        busy={busy}
        danger
        onConfirm={act}
        onClose={() => setPending(null)}
      >
        <p>
          {pending === "leave"
            ? lt("leader.hh.leaveConfirm", { label: h.label })
            : lt("leader.hh.endSessionsConfirm", { label: h.label, n: h.devices })}
        </p>
      </ConfirmDialog>
    </li>
  );
}
