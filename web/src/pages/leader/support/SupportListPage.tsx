// /leader/support: 「要支援の名簿」 for the leader (every entry) and block leaders (their block's, and any that named
// them as supporter), by block; opening it writes one audit row per entry shown (server side). Printable.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { needsText, supportError, sut, type Need } from "../../../components/support/i18n";
import { formatDate } from "../../../format";
import type { Block, SupportList } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";

export function SupportListPage() {
  const [list, setList] = useState<SupportList["households"] | null>(null);
  const [blocks, setBlocks] = useState<Block[]>([]);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      const [s, b] = await Promise.all([
        api<SupportList>("/api/support"),
        api<{ blocks: Block[] }>("/api/blocks").catch(() => ({ blocks: [] as Block[] })),
      ]);
      setList(s.households);
      setBlocks(b.blocks);
      setError(null);
    } catch (e) {
      setError(supportError(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const blockName = (id: string) => blocks.find((b) => b.id === id)?.name ?? "";
  const byBlock = new Map<string, SupportList["households"]>();
  for (const h of list ?? []) byBlock.set(h.blockId, [...(byBlock.get(h.blockId) ?? []), h]);
  const order = [...byBlock.keys()].sort(
    (a, b) => (blocks.findIndex((x) => x.id === a) + 1 || 999) - (blocks.findIndex((x) => x.id === b) + 1 || 999),
  );

  return (
    <LeaderLayout title={sut("support.list.title")}>
      <div class="stack">
        <h1>{sut("support.list.title")}</h1>
        <p>{sut("support.list.lead")}</p>
        {error && <ErrorNotice message={error} onRetry={load} />}
        {!list && !error && <Loading />}
        {list && list.length === 0 && <p>{sut("support.list.empty")}</p>}
        {list && list.length > 0 && (
          <>
            <p class="row actions">
              <span>{sut("support.list.count", { n: list.length })}</span>
              <button type="button" class="btn" onClick={() => window.print()}>
                {sut("support.list.print")}
              </button>
            </p>
            {order.map((blockId) => (
              <section key={blockId} class="stack" aria-labelledby={`sb-${blockId}`}>
                <h2 id={`sb-${blockId}`}>{blockName(blockId)}</h2>
                <ul class="plain-list stack">
                  {byBlock.get(blockId)!.map((h) => (
                    <li key={h.householdId} class="card stack">
                      <p>
                        <strong>{h.label}</strong>{" "}
                        <span class="muted">
                          {h.consent === "paper" ? sut("support.list.paper") : sut("support.list.app")}
                          {" ・ "}
                          {sut("support.list.updated", { date: formatDate(h.updatedAt) })}
                        </span>
                      </p>
                      {h.needs.length > 0 && <p>{needsText(h.needs as Need[])}</p>}
                      {h.note && <p>「{h.note}」</p>}
                      <p class="muted">
                        {h.supporters.length > 0
                          ? sut("support.settings.supporters", { names: h.supporters.map((s) => s.name).join("、") })
                          : sut("support.settings.noSupporters")}
                      </p>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </>
        )}
      </div>
    </LeaderLayout>
  );
}
