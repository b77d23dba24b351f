import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDate, formatDateTime } from "../../../format";
import { messageFor } from "../../staff/errors";
import { lt } from "../i18n";
import type { Board } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { PrintToolbar } from "./PrintToolbar";

/** /leader/c/<id>/unread: the households that have not read a circular yet, block by block, to take round. */
export function PrintUnreadPage({ id }: { id: string }) {
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<Board>(`/api/circulars/${encodeURIComponent(id)}/receipts`)
      .then((b) => {
        setBoard(b);
        setError(null);
      })
      .catch((e) => setError(messageFor(e)));
  useEffect(() => {
    void load();
  }, [id]);

  const c = board?.circular;
  const blocks = board?.blocks.filter((b) => b.counts.unread > 0) ?? [];
  return (
    <LeaderLayout title={lt("leader.unread.title")}>
      <PrintToolbar back={`/leader/c/${encodeURIComponent(id)}`} backLabel={lt("leader.print.backToBoard")} />
      {error && <ErrorNotice message={error} onRetry={load} />}
      {!board && !error && <Loading />}
      {board && c && (
        <article class="print-sheet stack print-large">
          <h1>{lt("leader.unread.heading", { title: c.title })}</h1>
          <p>
            {c.dueAt && <>{lt("leader.list.due", { date: formatDate(c.dueAt) })} ・ </>}
            {lt("leader.unread.asOf", { date: formatDateTime(new Date()) })}
          </p>
          <p>{lt("leader.unread.total", { n: board.counts.unread, total: board.counts.targeted })}</p>
          {blocks.length === 0 && <p class="notice ok">{lt("leader.unread.none")}</p>}
          {blocks.map((b) => (
            <section key={b.id} class="stack print-block" aria-labelledby={`u-${b.id}`}>
              <h2 id={`u-${b.id}`}>{lt("leader.unread.block", { block: b.name, n: b.counts.unread })}</h2>
              <table class="print-table">
                <thead>
                  <tr>
                    <th scope="col">{lt("leader.table.household")}</th>
                    <th scope="col">{lt("leader.table.channel")}</th>
                    <th scope="col">{lt("leader.table.note")}</th>
                  </tr>
                </thead>
                <tbody>
                  {b.households
                    .filter((h) => !h.readAt)
                    .map((h) => (
                      <tr key={h.id}>
                        <th scope="row">{h.label}</th>
                        <td>
                          {h.householdChannel === "paper" ? lt("leader.channel.paper") : lt("leader.channel.app")}
                        </td>
                        <td class="blank-cell" />
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
          ))}
        </article>
      )}
    </LeaderLayout>
  );
}
