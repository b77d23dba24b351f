// /city/circulars/<id>: a published (or withdrawn) city circular: where it went, how many households have read it
// by ward, district and association (counts and rates only), its content, and 「配布を取り下げる」.
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../../api";
import { BodyText } from "../../../components/BodyText";
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
import { DataTable, ExportLinks, type Column } from "../DataTable";
import { count, percent } from "../format";
import { ct } from "../i18n";
import { targetText } from "./targets";

function figureColumns(nameLabel: string, place: "none" | "ward" | "both", withDue: boolean): Column<FigureRow>[] {
  const rate = (key: string, label: string, get: (r: FigureRow) => number | null): Column<FigureRow> => ({
    key,
    label,
    numeric: true,
    sort: get,
    cell: (r) => percent(get(r)),
  });
  return [
    { key: "name", label: nameLabel, sort: (r) => r.name, cell: (r) => r.name },
    ...(place === "none"
      ? []
      : [
          {
            key: "ward",
            label: ct("city.col.ward"),
            sort: (r: FigureRow) => r.wardName ?? null,
            cell: (r: FigureRow) => r.wardName,
          },
        ]),
    ...(place === "both"
      ? [
          {
            key: "district",
            label: ct("city.col.district"),
            sort: (r: FigureRow) => r.districtName ?? null,
            cell: (r: FigureRow) => r.districtName,
          },
        ]
      : []),
    {
      key: "targeted",
      label: ct("city.col.targeted"),
      numeric: true,
      sort: (r) => r.targeted,
      cell: (r) => count(r.targeted),
    },
    { key: "read", label: ct("city.col.read"), numeric: true, sort: (r) => r.read, cell: (r) => count(r.read) },
    rate("read24h", ct("city.col.read24h"), (r) => r.read24hRate),
    rate("read72h", ct("city.col.read72h"), (r) => r.read72hRate),
    ...(withDue ? [rate("readByDue", ct("city.col.readByDue"), (r) => r.readByDueRate)] : []),
  ];
}

function Figures({ id }: { id: string }) {
  const url = figuresUrl(id);
  const { data, error, reload } = useLoad<CircularFigures>(url);
  const total = data?.total;
  const tables: {
    key: "wards" | "districts" | "associations";
    title: string;
    name: string;
    place: "none" | "ward" | "both";
  }[] = [
    { key: "wards", title: ct("city.detail.byWard"), name: ct("city.col.ward"), place: "none" },
    { key: "districts", title: ct("city.detail.byDistrict"), name: ct("city.col.district"), place: "ward" },
    { key: "associations", title: ct("city.detail.byAssociation"), name: ct("city.col.association"), place: "both" },
  ];
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
      {data &&
        tables.map((t) => (
          <DataTable<FigureRow>
            key={t.key}
            id={`figures-${t.key}`}
            heading="h3"
            title={t.title}
            columns={figureColumns(t.name, t.place, withDue)}
            rows={data[t.key]}
            rowKey={(r) => r.id}
            suppressed={(r) => !!r.suppressed}
          />
        ))}
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
          <section class="stack" aria-labelledby="content-h">
            <h2 id="content-h">{ct("city.detail.content")}</h2>
            <BodyText parts={c.bodyParts} />
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
