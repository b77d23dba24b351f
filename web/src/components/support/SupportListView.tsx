// The entries the signed-in member may see (GET /api/support; the server writes an audit row per entry shown), by
// block: the leader's 「要支援の名簿」 (/leader/support) and a supporter's 「支援する世帯」 (/support) share it.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import { formatDate } from "../../format";
import type { SupportList } from "../../../../server/features/safety/safety.schemas";
import { ErrorNotice, Loading } from "../Loading";
import { needsText, supportError, sut, type Need } from "./i18n";

type Entry = SupportList["households"][number];

export function SupportListView({ printable }: { printable?: boolean }) {
  const [list, setList] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setList((await api<SupportList>("/api/support")).households);
      setError(null);
    } catch (e) {
      setError(supportError(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  if (error) return <ErrorNotice message={error} onRetry={load} />;
  if (!list) return <Loading />;
  if (list.length === 0) return <p>{sut("support.list.empty")}</p>;
  // The server sends them by block, then by name.
  const blocks: { id: string; name: string; entries: Entry[] }[] = [];
  for (const h of list) {
    const last = blocks[blocks.length - 1];
    if (last?.id === h.blockId) last.entries.push(h);
    else blocks.push({ id: h.blockId, name: h.blockName, entries: [h] });
  }
  return (
    <div class="stack">
      <p class="row actions">
        <span>{sut("support.list.count", { n: list.length })}</span>
        {printable && (
          <button type="button" class="btn" onClick={() => window.print()}>
            {sut("support.list.print")}
          </button>
        )}
      </p>
      {blocks.map((b) => (
        <section key={b.id} class="stack" aria-labelledby={`sb-${b.id}`}>
          <h2 id={`sb-${b.id}`}>{b.name}</h2>
          <ul class="cards">
            {b.entries.map((h) => (
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
    </div>
  );
}
