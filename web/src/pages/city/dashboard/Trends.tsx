// 「26週間の動き」: the read rates as a line chart and the circulars (or households reached) as a bar chart, each
// with the API's plain sentence (「先週より3ポイント上昇」) and the same numbers as a table in <details>.
import { useState } from "preact/hooks";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { serverLang } from "../../../i18n";
import { trendsUrl, type Level, type Trends as TrendsData, type TrendWeek } from "../city-api";
import { ExportLinks, NoValue } from "../DataTable";
import { count, longDay, percent, shortDay } from "../format";
import { ct } from "../i18n";
import { useLoad } from "../../staff/use-load";
import { BarChart, LineChart } from "./charts";

type Bars = "circulars" | "targeted";

/** The API's sentences, each after the name of the line it is about: 「72時間以内：先週より3ポイント上昇しました。」 */
// Looked up by a line's key: only some lines (read24h, read72h) have a sentence.
function Captions({
  captions,
  lines,
}: {
  captions: Partial<Record<string, TrendsData["captions"]["read24h"]>>;
  lines: { key: string; label: string }[];
}) {
  const shown = lines
    .map(({ key, label }) => {
      const c = captions[key];
      const text = typeof c === "string" ? c : c ? (serverLang() === "en" ? c.en : c.ja) : "";
      return text ? { key, text: ct("city.trends.caption", { label, text }) } : null;
    })
    .filter((x) => x !== null);
  if (!shown.length) return null;
  return (
    <ul class="chart-captions">
      {shown.map((c) => (
        <li key={c.key}>{c.text}</li>
      ))}
    </ul>
  );
}

function WeekTable(p: {
  id: string;
  caption: string;
  weeks: TrendWeek[];
  columns: { label: string; cell: (w: TrendWeek) => string | null }[];
}) {
  return (
    <details class="chart-table">
      <summary>{ct("city.trends.table")}</summary>
      <div class="table-scroll" role="region" aria-label={ct("city.table.scroll", { title: p.caption })} tabIndex={0}>
        <table class="data-table" id={p.id}>
          <caption class="visually-hidden">{p.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{ct("city.trends.week")}</th>
              {p.columns.map((c) => (
                <th key={c.label} scope="col" class="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.weeks.map((w) => (
              <tr key={w.week}>
                <th scope="row">{ct("city.trends.weekOf", { date: longDay(w.start) })}</th>
                {p.columns.map((c) => {
                  const v = c.cell(w);
                  return (
                    <td key={c.label} class="num">
                      {v ?? <NoValue />}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

const lastOf = <T,>(list: (T | null)[]): T | null => {
  for (let i = list.length - 1; i >= 0; i--) if (list[i] !== null) return list[i]!;
  return null;
};

export function Trends({ level, id, exportName }: { level: Level; id: string; exportName: string }) {
  const url = trendsUrl(level, id);
  const { data, error, reload } = useLoad<TrendsData>(url);
  const [bars, setBars] = useState<Bars>("circulars");

  return (
    <section class="stack" aria-labelledby="trends-h">
      <h2 id="trends-h">{ct("city.trends.title")}</h2>
      {error && <ErrorNotice message={error} onRetry={reload} />}
      {!data && !error && <Loading />}
      {data && data.weeks.length === 0 && <p>{ct("city.trends.empty")}</p>}
      {data && data.weeks.length > 0 && <TrendCharts data={data} bars={bars} onBars={setBars} />}
      {data && <ExportLinks url={url} name={`${exportName}-trends`} title={ct("city.trends.title")} />}
    </section>
  );
}

function TrendCharts({ data, bars, onBars }: { data: TrendsData; bars: Bars; onBars: (b: Bars) => void }) {
  const weeks = data.weeks;
  const labels = weeks.map((w) => shortDay(w.start));
  const from = longDay(weeks[0]!.start);
  const to = longDay(weeks[weeks.length - 1]!.start);
  const r24 = weeks.map((w) => w.read24hRate);
  const r72 = weeks.map((w) => w.read72hRate);
  const barValues = weeks.map((w) => (bars === "circulars" ? w.circulars : w.targeted));
  const barFormat = (v: number) =>
    bars === "circulars" ? ct("city.trends.count", { n: count(v)! }) : ct("city.trends.hh", { n: count(v)! });
  const barTitle = bars === "circulars" ? ct("city.trends.barCirculars") : ct("city.trends.barTargeted");
  const barMax = Math.max(0, ...barValues.map((v) => v ?? 0));
  const barLast = lastOf(barValues);
  const none = "—";

  return (
    <>
      <figure class="stack chart-figure" aria-labelledby="read-chart-h">
        <h3 id="read-chart-h">{ct("city.trends.readTitle")}</h3>
        <Captions
          captions={data.captions}
          lines={[
            { key: "read72h", label: ct("city.trends.line72") },
            { key: "read24h", label: ct("city.trends.line24") },
          ]}
        />
        <div
          class="chart-wrap"
          role="region"
          aria-label={ct("city.table.scroll", { title: ct("city.trends.readTitle") })}
          tabIndex={0}
        >
          <LineChart
            id="read-chart"
            title={ct("city.trends.readTitle")}
            desc={ct("city.trends.readDesc", {
              from,
              to,
              r24: percent(lastOf(r24)) ?? none,
              r72: percent(lastOf(r72)) ?? none,
            })}
            labels={labels}
            series={[
              { key: "r72", label: ct("city.trends.line72"), values: r72, cls: "s72", marker: "circle" },
              { key: "r24", label: ct("city.trends.line24"), values: r24, cls: "s24", marker: "square" },
            ]}
          />
        </div>
        <p class="muted small chart-legend">
          <span aria-hidden="true">
            <svg class="legend-swatch s72" viewBox="0 0 40 12">
              <line x1="0" x2="40" y1="6" y2="6" />
              <circle cx="20" cy="6" r="4" />
            </svg>
            {ct("city.trends.line72")}
          </span>
          <span aria-hidden="true">
            <svg class="legend-swatch s24" viewBox="0 0 40 12">
              <line x1="0" x2="40" y1="6" y2="6" />
              <rect x="16" y="2" width="8" height="8" />
            </svg>
            {ct("city.trends.line24")}
          </span>
          <span class="visually-hidden">{ct("city.trends.legend")}</span>
        </p>
        <WeekTable
          id="read-table"
          caption={ct("city.trends.readTitle")}
          weeks={weeks}
          columns={[
            { label: ct("city.col.read24h"), cell: (w) => percent(w.read24hRate) },
            { label: ct("city.col.read72h"), cell: (w) => percent(w.read72hRate) },
            { label: ct("city.col.readByDue"), cell: (w) => percent(w.readByDueRate) },
            { label: ct("city.col.median"), cell: (w) => w.medianReadLabel },
          ]}
        />
      </figure>

      <figure class="stack chart-figure" aria-labelledby="bar-chart-h">
        <h3 id="bar-chart-h">{barTitle}</h3>
        <Captions
          captions={data.captions}
          lines={[
            {
              key: bars,
              label: bars === "circulars" ? ct("city.trends.showCirculars") : ct("city.trends.showTargeted"),
            },
          ]}
        />
        <fieldset class="field">
          <legend>{ct("city.trends.show")}</legend>
          <div class="segmented">
            {(["circulars", "targeted"] as const).map((b) => (
              <label key={b}>
                <input type="radio" name="trend-bars" value={b} checked={bars === b} onChange={() => onBars(b)} />
                {b === "circulars" ? ct("city.trends.showCirculars") : ct("city.trends.showTargeted")}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="chart-wrap" role="region" aria-label={ct("city.table.scroll", { title: barTitle })} tabIndex={0}>
          <BarChart
            id="bar-chart"
            title={barTitle}
            desc={ct("city.trends.barDesc", {
              from,
              to,
              max: barFormat(barMax),
              last: barLast === null ? none : barFormat(barLast),
            })}
            labels={labels}
            values={barValues}
            format={barFormat}
          />
        </div>
        <WeekTable
          id="bar-table"
          caption={barTitle}
          weeks={weeks}
          columns={[
            { label: ct("city.col.circulars"), cell: (w) => (w.circulars === null ? null : count(w.circulars)) },
            { label: ct("city.col.targeted"), cell: (w) => (w.targeted === null ? null : count(w.targeted)) },
          ]}
        />
      </figure>
    </>
  );
}
