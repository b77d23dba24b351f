import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { messageFor } from "../../staff/errors";
import { lt } from "../i18n";
import { printInvites } from "../issued-invites";
import type { Block, Household, IssuedInvite, WatchedHousehold } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { BlocksSection } from "./BlocksSection";
import { HouseholdForm } from "./HouseholdForm";
import { HouseholdItem } from "./HouseholdItem";
import { InvitePrintForm } from "./InvitePrintForm";
import { PendingInvites } from "./PendingInvites";
import { rosterT } from "../roster/i18n";
import { StaffInviteForm } from "./StaffInviteForm";

/** /leader/households: households by block, their invites and invite sheets, blocks, and staff invites. Leaders only. */
export function HouseholdsPage() {
  const { route } = useLocation();
  const [blocks, setBlocks] = useState<Block[] | null>(null);
  const [households, setHouseholds] = useState<Household[]>([]);
  const [watches, setWatches] = useState<Map<string, WatchedHousehold>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [adding, setAdding] = useState(false);
  const [inviting, setInviting] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const closeAdding = () => {
    setAdding(false);
    setTimeout(() => addButton.current?.focus(), 0);
  };

  async function load() {
    try {
      const [b, h, w] = await Promise.all([
        api<{ blocks: Block[] }>("/api/blocks"),
        api<{ households: Household[] }>("/api/households?includeLeft=true"),
        api<{ households: WatchedHousehold[] }>("/api/watch"),
      ]);
      setBlocks(b.blocks);
      setHouseholds(h.households);
      setWatches(new Map(w.households.map((x) => [x.householdId, x])));
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const changed = (message: string) => {
    setStatus(message);
    void load();
  };

  async function invite(h: Household) {
    if (inviting) return;
    setInviting(h.id);
    setActionError(null);
    try {
      const inv = await api<IssuedInvite>(`/api/households/${encodeURIComponent(h.id)}/invites`, { method: "POST" });
      printInvites(route, [inv]);
    } catch (e) {
      setActionError(messageFor(e));
      setInviting(null);
    }
  }

  async function restore(h: Household) {
    setActionError(null);
    try {
      await api(`/api/households/${encodeURIComponent(h.id)}`, { method: "PATCH", json: { left: false } });
      changed(lt("leader.hh.restored", { label: h.label }));
    } catch (e) {
      setActionError(messageFor(e));
    }
  }

  const active = households.filter((h) => !h.leftAt);
  const left = households.filter((h) => h.leftAt);
  return (
    <LeaderLayout title={lt("leader.hh.title")}>
      <div class="stack">
        <h1>{lt("leader.hh.title")}</h1>
        <p role="status" class={status ? "notice ok" : undefined}>
          {status}
        </p>
        {error && <ErrorNotice message={error} onRetry={load} />}
        {!blocks && !error && <Loading />}
        {blocks && (
          <>
            <div class="row actions">
              <button
                type="button"
                class="btn primary"
                ref={addButton}
                onClick={() => setAdding(true)}
                aria-expanded={adding}
              >
                {lt("leader.hh.add")}
              </button>
              <a class="btn" href="/leader/roster">
                {rosterT("roster.open")}
              </a>
              <a class="btn" href="/leader/handover">
                {lt("leader.nav.handover")}
              </a>
            </div>
            {adding && (
              <HouseholdForm
                formId="hh-add"
                blocks={blocks}
                onSaved={(h) => {
                  closeAdding();
                  changed(lt("leader.hh.added", { label: h.label, block: h.blockName }));
                }}
                onCancel={closeAdding}
              />
            )}
            {actionError && (
              <p class="notice error" role="alert">
                {actionError}
              </p>
            )}
            <InvitePrintForm blocks={blocks} households={households} />
            <section class="stack" aria-labelledby="hh-h">
              <h2 id="hh-h">{lt("leader.hh.listTitle", { n: active.length })}</h2>
              {blocks.map((b) => {
                const list = active.filter((h) => h.blockId === b.id);
                return (
                  <section key={b.id} class="stack" aria-labelledby={`hb-${b.id}`}>
                    <h3 id={`hb-${b.id}`}>
                      {b.name} <span class="muted">{lt("leader.households.count", { n: list.length })}</span>
                    </h3>
                    {list.length === 0 ? (
                      <p class="muted">{lt("leader.hh.emptyBlock")}</p>
                    ) : (
                      <ul class="plain-list hh-manage-list">
                        {list.map((h) => (
                          <HouseholdItem
                            key={h.id}
                            h={h}
                            watch={watches.get(h.id) ?? null}
                            blocks={blocks}
                            onChanged={changed}
                            onInvite={() => invite(h)}
                            inviting={inviting === h.id}
                          />
                        ))}
                      </ul>
                    )}
                  </section>
                );
              })}
            </section>
            <PendingInvites refreshKey={status} />
            <BlocksSection blocks={blocks} onChanged={changed} />
            <StaffInviteForm blocks={blocks} />
            {left.length > 0 && (
              <details class="left-households">
                <summary>{lt("leader.hh.leftTitle", { n: left.length })}</summary>
                <ul class="plain-list stack">
                  {left.map((h) => (
                    <li key={h.id} class="row">
                      <span id={`left-${h.id}`}>
                        {lt("leader.hh.leftItem", { label: h.label, block: h.blockName })}
                      </span>
                      <button type="button" class="btn" onClick={() => restore(h)} aria-describedby={`left-${h.id}`}>
                        {lt("leader.hh.restore")}
                      </button>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </div>
    </LeaderLayout>
  );
}
