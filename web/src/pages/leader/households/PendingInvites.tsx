import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { formatDate } from "../../../format";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { lt } from "../i18n";

interface PendingInvite {
  id: string;
  kind: "household" | "leader" | "block_leader";
  householdLabel: string | null;
  expiresAt: string;
}

function whoOf(inv: PendingInvite): string {
  if (inv.kind === "household") return lt("leader.pending.household", { label: inv.householdLabel ?? "" });
  return lt(inv.kind === "leader" ? "leader.pending.leader" : "leader.pending.blockLeader");
}

/**
 * Invites handed out but not used yet (GET /api/invites), each with 「取り消す」: a lost sheet with a QR code on it
 * should stop working. Only hashes are stored, so a sheet cannot be printed again from here; make a new invite.
 */
export function PendingInvites({ refreshKey }: { refreshKey: unknown }) {
  const [invites, setInvites] = useState<PendingInvite[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [asking, setAsking] = useState<PendingInvite | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      setInvites((await api<{ invites: PendingInvite[] }>("/api/invites")).invites);
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }
  useEffect(() => {
    void load();
  }, [refreshKey]);

  async function cancel() {
    if (!asking || busy) return;
    setBusy(true);
    try {
      await api(`/api/invites/${encodeURIComponent(asking.id)}`, { method: "DELETE" });
      setStatus(lt("leader.pending.cancelled", { who: whoOf(asking) }));
      setAsking(null);
      await load();
    } catch (e) {
      setError(messageFor(e));
      setAsking(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="stack" aria-labelledby="pending-h">
      <h2 id="pending-h">{lt("leader.pending.title")}</h2>
      <p class="muted">{lt("leader.pending.lead")}</p>
      <p role="status" class={status ? "notice ok" : undefined}>
        {status}
      </p>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {invites && invites.length === 0 && <p>{lt("leader.pending.none")}</p>}
      {invites && invites.length > 0 && (
        <ul class="plain-list stack">
          {invites.map((inv) => (
            <li key={inv.id} class="row">
              <span id={`pending-${inv.id}`}>
                {whoOf(inv)}{" "}
                <span class="muted">{lt("leader.pending.expires", { date: formatDate(inv.expiresAt) })}</span>
              </span>
              <button
                type="button"
                class="btn danger"
                aria-label={lt("leader.pending.cancelLabel", { who: whoOf(inv) })}
                onClick={() => setAsking(inv)}
              >
                {lt("leader.pending.cancel")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={lt("leader.pending.confirmTitle")}
        confirmLabel={lt("leader.pending.cancel")}
        busy={busy}
        danger
        onConfirm={cancel}
        onClose={() => setAsking(null)}
      >
        <p>{asking ? lt("leader.pending.confirmBody", { who: whoOf(asking) }) : ""}</p>
      </ConfirmDialog>
    </section>
  );
}
