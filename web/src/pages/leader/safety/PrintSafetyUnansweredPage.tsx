// /leader/safety/<id>/unanswered: the households that have not answered a 安否確認 yet, block by block, in large
// print on A4 to take round: a box to tick for each, what to take care of (要支援 and its needs, 紙, 端末なし, 不在),
// a blank for notes. The print views' own styles (print-sheet, print-large, print-table) are reused.
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDateTime } from "../../../format";
import { useLoad } from "../../staff/use-load";
import { LeaderLayout } from "../LeaderLayout";
import { PrintToolbar } from "../print/PrintToolbar";
import { sl, supportWords } from "./i18n";
import { boardHref, checkPath, type SafetyBoard, type SafetyHousehold } from "./safety-api";
import { DrillBadge } from "./SafetyParts";
import "./styles";

function about(h: SafetyHousehold): string {
  const parts: string[] = [];
  if (h.support)
    parts.push(
      h.support.needs.length ? `${sl("safety.support")}（${supportWords(h.support.needs)}）` : sl("safety.support"),
    );
  if (h.paper) parts.push(sl("safety.paper"));
  else if (h.noDevice) parts.push(sl("safety.noDevice"));
  if (h.absentAt) parts.push(sl("safety.absentAt", { time: formatDateTime(h.absentAt) }));
  return parts.join("　");
}

export function PrintSafetyUnansweredPage({ id }: { id: string }) {
  const { data: board, error, reload: load } = useLoad<SafetyBoard>(`${checkPath(id)}/board`);

  const c = board?.check;
  const blocks = board?.blocks.filter((b) => b.unanswered.length > 0) ?? [];
  return (
    <LeaderLayout title={sl("safety.print.title")}>
      <PrintToolbar back={boardHref(id)} backLabel={sl("safety.print.back")} help={sl("safety.print.help")} />
      {error && <ErrorNotice message={error} onRetry={load} />}
      {!board && !error && <Loading />}
      {board && c && (
        <article class="print-sheet stack print-large safety-print" aria-labelledby="safety-print-h">
          <h1 id="safety-print-h">
            {sl("safety.print.heading")}
            {c.drill && <DrillBadge />}
          </h1>
          <p>
            {sl("safety.title")}：{c.message}
          </p>
          <p>
            {sl("safety.started", { date: formatDateTime(c.startedAt) })} ・{" "}
            {sl("safety.print.asOf", { date: formatDateTime(new Date()) })}
          </p>
          <p>{sl("safety.print.total", { n: c.counts.unanswered, total: c.counts.targeted })}</p>
          {blocks.length === 0 && <p class="notice ok">{sl("safety.print.none")}</p>}
          {blocks.map((b) => (
            <section key={b.id} class="stack print-block" aria-labelledby={`su-${b.id}`}>
              <h2 id={`su-${b.id}`}>{sl("safety.print.block", { block: b.name, n: b.unanswered.length })}</h2>
              <div
                class="safety-table-scroll"
                role="region"
                aria-label={sl("safety.print.tableLabel", { block: b.name })}
                tabIndex={0}
              >
                <table class="print-table safety-print-table">
                  <thead>
                    <tr>
                      <th scope="col" class="tick-cell">
                        {sl("safety.print.done")}
                      </th>
                      <th scope="col">{sl("safety.print.household")}</th>
                      <th scope="col">{sl("safety.print.about")}</th>
                      <th scope="col">{sl("safety.print.memo")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {b.unanswered.map((h) => (
                      <tr key={h.id}>
                        <td class="tick-cell">
                          <span class="tick-box" aria-hidden="true">
                            ☐
                          </span>
                        </td>
                        <th scope="row">{h.label}</th>
                        <td>{about(h)}</td>
                        <td class="blank-cell" />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </article>
      )}
    </LeaderLayout>
  );
}
