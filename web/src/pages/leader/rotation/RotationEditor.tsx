// A block's 「輪番」 editor (on 「世帯と招待」, under each block): the households in rotation order, moved with big
// 「上へ」「下へ」 buttons (no drag), 「免除」 marks, paper / left / officers' households shown as skipped, and
// 「次の班長へ」 with a confirmation naming who becomes 班長. A next household with nobody yet gets its invite, which
// opens the invite print view.
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { useLoad } from "../../staff/use-load";
import { printInvites } from "../issued-invites";
import type { IssuedInvite } from "../leader-api";
import type { Rotation, RotationHousehold, RotateResultOut } from "./rotation-api";
import { rotationT } from "./i18n";
import "./styles";

type Row = RotationHousehold;

function skipText(h: Row): string | null {
  if (!h.skip) return null;
  return rotationT(`rotation.skip.${h.skip}`);
}

export function RotationEditor({ blockId, blockName }: { blockId: string; blockName: string }) {
  const url = `/api/blocks/${encodeURIComponent(blockId)}/rotation`;
  const { data, error, reload, setData } = useLoad<Rotation>(url);
  const { route } = useLocation();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  if (error) return <ErrorNotice message={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const list = rows ?? data.households;
  const dirty = rows !== null || !data.configured;
  const leaderNames = data.leaders.map((l) => l.name).join("・");

  function move(i: number, by: -1 | 1) {
    const next = [...list];
    const [h] = next.splice(i, 1);
    next.splice(i + by, 0, h!);
    setRows(next);
    setStatus(null);
    // Keep the focus on the same household's button after it moved (the button may have become disabled).
    setTimeout(() => {
      const target = document.getElementById(`rot-${by < 0 ? "up" : "down"}-${h!.id}`) as HTMLButtonElement | null;
      (target && !target.disabled ? target : document.getElementById(`rot-name-${h!.id}`))?.focus();
    }, 0);
  }

  function toggleExempt(i: number) {
    setRows(list.map((h, k) => (k === i ? { ...h, exempt: !h.exempt, skip: exemptSkip(h, !h.exempt) } : h)));
    setStatus(null);
  }

  async function save() {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      const saved = await api<Rotation>(url, {
        method: "PUT",
        json: { households: list.filter((h) => !h.left).map((h) => ({ id: h.id, exempt: h.exempt })) },
      });
      setData(saved);
      setRows(null);
      setStatus(rotationT("rotation.saved", { block: blockName }));
    } catch (e) {
      setActionError(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  async function rotate() {
    if (busy || !data) return;
    setBusy(true);
    setActionError(null);
    try {
      const result = await api<RotateResultOut>(`${url}/next`, { method: "POST", json: { version: data.version } });
      setConfirming(false);
      setData(result.rotation);
      if (result.invite) {
        printInvites(route, [result.invite]);
        return;
      }
      setStatus(
        rotationT("rotation.rotated", {
          block: blockName,
          name: result.rotation.leaders.map((l) => l.name).join("・"),
        }),
      );
    } catch (e) {
      setConfirming(false);
      setActionError(messageFor(e));
      void reload();
    } finally {
      setBusy(false);
    }
  }

  async function printAwaitingInvite(householdId: string) {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      const inv = await api<IssuedInvite>(`/api/households/${encodeURIComponent(householdId)}/invites`, {
        method: "POST",
      });
      printInvites(route, [inv]);
    } catch (e) {
      setActionError(messageFor(e));
      setBusy(false);
    }
  }

  const awaiting = data.awaiting ? data.households.find((h) => h.id === data.currentHouseholdId) : undefined;
  const next = data.next;
  const titleId = `rot-h-${blockId}`;
  return (
    <section class="stack rotation" aria-labelledby={titleId}>
      <h3 id={titleId}>{rotationT("rotation.title", { block: blockName })}</h3>
      <p class="muted">{rotationT("rotation.help")}</p>
      <p>{leaderNames ? rotationT("rotation.current", { name: leaderNames }) : rotationT("rotation.noLeader")}</p>
      {awaiting && (
        <div class="notice stack">
          <p>{rotationT("rotation.awaiting", { household: awaiting.label })}</p>
          <p>
            <button
              type="button"
              class="btn"
              aria-disabled={busy ? "true" : undefined}
              onClick={() => void printAwaitingInvite(awaiting.id)}
            >
              {rotationT("rotation.printInvite", { household: awaiting.label })}
            </button>
          </p>
        </div>
      )}
      <ol class="plain-list stack rotation-list" aria-label={rotationT("rotation.listLabel", { block: blockName })}>
        {list.map((h, i) => {
          const skip = skipText(h);
          const isCurrent = h.id === data.currentHouseholdId && data.leaders.length > 0;
          return (
            <li key={h.id} class={skip ? "rotation-row skipped" : "rotation-row"}>
              <div class="row">
                <span class="rotation-pos">{rotationT("rotation.position", { n: i + 1 })}</span>
                <span class="hh-name" id={`rot-name-${h.id}`} tabIndex={-1}>
                  {h.label}
                </span>
                {isCurrent && <span class="badge">{rotationT("rotation.isLeader")}</span>}
                {skip && <span class="muted">{skip}</span>}
                {!skip && h.members === 0 && <span class="muted">{rotationT("rotation.noMember")}</span>}
              </div>
              {!h.left && (
                <div class="row rotation-actions">
                  <button
                    type="button"
                    class="btn"
                    id={`rot-up-${h.id}`}
                    disabled={i === 0}
                    aria-label={rotationT("rotation.upLabel", { household: h.label })}
                    onClick={() => move(i, -1)}
                  >
                    ↑ {rotationT("rotation.up")}
                  </button>
                  <button
                    type="button"
                    class="btn"
                    id={`rot-down-${h.id}`}
                    disabled={i === list.length - 1}
                    aria-label={rotationT("rotation.downLabel", { household: h.label })}
                    onClick={() => move(i, 1)}
                  >
                    ↓ {rotationT("rotation.down")}
                  </button>
                  {h.channel !== "paper" && (
                    <label class="choice">
                      <input
                        type="checkbox"
                        checked={h.exempt}
                        aria-label={rotationT("rotation.exemptLabel", { household: h.label })}
                        onChange={() => toggleExempt(i)}
                      />{" "}
                      {rotationT("rotation.exempt")}
                    </label>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {actionError && (
        <p class="notice error" role="alert">
          {actionError}
        </p>
      )}
      <p role="status" class={status ? "notice ok" : undefined}>
        {status}
      </p>
      <div class="row actions">
        <button type="button" class="btn" aria-disabled={busy ? "true" : undefined} onClick={() => void save()}>
          {rotationT("rotation.save")}
        </button>
        <button
          type="button"
          class="btn primary"
          aria-disabled={busy || dirty || !next ? "true" : undefined}
          aria-describedby={`rot-next-${blockId}`}
          onClick={() => !busy && !dirty && next && setConfirming(true)}
        >
          {rotationT("rotation.rotate")}
        </button>
      </div>
      <p id={`rot-next-${blockId}`} class="muted">
        {dirty
          ? rotationT("rotation.saveFirst")
          : !next
            ? rotationT("rotation.noNext")
            : next.memberName
              ? rotationT("rotation.next", { household: next.label, name: next.memberName })
              : rotationT("rotation.nextInvite", { household: next.label })}
      </p>
      {next && (
        <ConfirmDialog
          open={confirming}
          title={rotationT("rotation.confirmTitle")}
          confirmLabel={rotationT("rotation.confirmLabel")}
          busyLabel={rotationT("rotation.rotating")}
          busy={busy}
          onConfirm={() => void rotate()}
          onClose={() => setConfirming(false)}
        >
          <p>
            {next.memberName
              ? rotationT("rotation.confirmBody", { household: next.label, name: next.memberName, block: blockName })
              : rotationT("rotation.confirmInvite", { household: next.label })}
          </p>
          {leaderNames && <p>{rotationT("rotation.confirmNow", { name: leaderNames })}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The skip reason after 免除 is ticked or cleared (paper, left and officers' households stay skipped). */
function exemptSkip(h: Row, exempt: boolean): Row["skip"] {
  if (h.skip && h.skip !== "exempt") return h.skip;
  return exempt ? "exempt" : null;
}
