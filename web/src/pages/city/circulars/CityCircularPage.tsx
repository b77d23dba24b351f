// /city/circulars/<id>: a published (or withdrawn) city circular: where it went, how many households have read it
// by ward, district and association (counts and rates only), its survey's tallies when it asks questions, its
// content, and 「配布を取り下げる」.
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../../api";
import { BodyText } from "../../../components/BodyText";
import { EasyBodyText } from "../../staff/EasyBodyText";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDate, formatSize } from "../../../format";
import {
  ActionStatus,
  CircularPageFrame,
  useCircularPage,
  useWithdraw,
  type WithdrawText,
} from "../../staff/CircularPage";
import { useLoad } from "../../staff/use-load";
import { figuresUrl, type CircularFigures, type CityCircular, type FigureRow } from "../city-api";
import { CityLayout } from "../CityLayout";
import { ExportLinks, type Column } from "../DataTable";
import { count, percent } from "../format";
import { ct } from "../i18n";
import { AreaTables, countColumn } from "./AreaTables";
import { SurveyTallies } from "./SurveyTallies";
import { targetText } from "./targets";

function figureColumns(withDue: boolean): Column<FigureRow>[] {
  const rate = (key: string, label: string, get: (r: FigureRow) => number | null): Column<FigureRow> => ({
    key,
    label,
    numeric: true,
    sort: get,
    cell: (r) => percent(get(r)),
  });
  return [
    countColumn("targeted", ct("city.col.targeted"), (r) => r.targeted),
    countColumn("read", ct("city.col.read"), (r) => r.read),
    rate("read24h", ct("city.col.read24h"), (r) => r.read24hRate),
    rate("read72h", ct("city.col.read72h"), (r) => r.read72hRate),
    ...(withDue ? [rate("readByDue", ct("city.col.readByDue"), (r) => r.readByDueRate)] : []),
  ];
}

function Figures({ id }: { id: string }) {
  const url = figuresUrl(id);
  const { data, error, reload } = useLoad<CircularFigures>(url);
  const total = data?.total;
  const withDue = !!data?.circular.dueAt;
  return (
    <section class="stack" aria-labelledby="figures-h">
      <h2 id="figures-h">{ct("city.detail.figures")}</h2>
      <p class="muted">{ct("city.detail.figuresLead")}</p>
      {error && <ErrorNotice message={error} onRetry={reload} />}
      {!data && !error && <Loading />}
      {total && total.suppressed && <p class="notice">{ct("city.fig.suppressed")}</p>}
      {total && total.targeted !== null && total.read !== null && total.targeted > 0 && (
        <p class="big-figure">
          {ct("city.detail.total", {
            read: count(total.read)!,
            targeted: count(total.targeted)!,
            percent: percent(total.read / total.targeted)!,
          })}
        </p>
      )}
      {data && <AreaTables<FigureRow> id="figures" rows={data} titles="city.detail" columns={figureColumns(withDue)} />}
      {data && <ExportLinks url={url} name={`city-circular-${id}-figures`} title={ct("city.detail.figures")} help />}
    </section>
  );
}

const withdrawText: WithdrawText = (name, params) => ct(`city.detail.${name}`, params);

export function CityCircularPage({ id }: { id: string }) {
  const { route } = useLocation();
  const [c, setC] = useState<CityCircular | null>(null);
  const { error, load, actionError, setActionError, announce, setAnnounce } = useCircularPage(id, async () => {
    const found = await api<CityCircular>(`/api/city/circulars/${encodeURIComponent(id)}`);
    // A draft has no page of its own yet: back to writing it.
    if (found.status === "draft") return route(`/city/circulars/${encodeURIComponent(id)}/edit`, true);
    setC(found);
  });

  const withdrawal = useWithdraw({
    url: `/api/city/circulars/${encodeURIComponent(id)}/withdraw`,
    title: c?.title ?? "",
    text: withdrawText,
    busyLabel: ct("city.detail.withdrawing"),
    reload: load,
    announce: setAnnounce,
    onError: setActionError,
  });

  const files = c?.attachments ?? [];
  return (
    <CircularPageFrame
      layout={CityLayout}
      title={c?.title ?? ct("city.circ.title")}
      back={{ href: "/city/circulars", label: ct("city.circ.back") }}
      error={error}
      onRetry={load}
      ready={!!c}
      dialogs={withdrawal.dialog}
    >
      {c && (
        <>
          <h1>{c.title}</h1>
          <p class="badges">
            {c.priority === "urgent" && <span class="badge urgent">{ct("city.priority.urgent")}</span>}
            {c.status === "withdrawn" && <span class="badge">{ct("city.status.withdrawn")}</span>}
          </p>
          <p class="meta-row muted">
            <span>
              {ct("city.circ.target", {
                target: targetText(
                  c.target,
                  c.targetNames.map((x) => x.name),
                ),
              })}
            </span>
            {c.reach && <span>{ct("city.circ.associations", { n: count(c.reach.associations)! })}</span>}
            {c.publishedAt && <span>{ct("city.circ.published", { date: formatDate(c.publishedAt) })}</span>}
            {c.dueAt && <span>{ct("city.circ.due", { date: formatDate(c.dueAt) })}</span>}
          </p>
          {c.status === "withdrawn" && <p class="notice">{ct("city.detail.isWithdrawn")}</p>}
          <ActionStatus error={actionError} announce={announce} />
          <Figures id={c.id} />
          {c.questions.length > 0 && <SurveyTallies id={c.id} />}
          <section class="stack" aria-labelledby="content-h">
            <h2 id="content-h">{ct("city.detail.content")}</h2>
            <BodyText parts={c.bodyParts} />
            <EasyBodyText parts={c.easyBodyParts} id="content-easy-h" />
            {files.length > 0 && (
              <>
                <h3>{ct("city.detail.attachments")}</h3>
                <ul class="plain-list stack">
                  {files.map((a) => (
                    <li key={a.id}>
                      <a href={a.url} target="_blank" rel="noopener">
                        {a.fileName}
                      </a>{" "}
                      <span class="muted">（{formatSize(a.size)}）</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {c.status === "published" && withdrawal.section}
        </>
      )}
    </CircularPageFrame>
  );
}
