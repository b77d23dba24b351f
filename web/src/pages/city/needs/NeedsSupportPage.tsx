// /city/needs-support: associations with low membership or low or falling read rates, the reason in words, sorted
// by the server (so the saved CSV is in the same order as the page).
import { useState } from "preact/hooks";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { serverLang } from "../../../i18n";
import { needsSupportUrl, scopePath, type NeedsSort, type NeedsSupportRow, type Order, type Reason } from "../city-api";
import { CityLayout } from "../CityLayout";
import { DataTable, type Column } from "../DataTable";
import { count, percent } from "../format";
import { ct } from "../i18n";
import { useLoad } from "../../staff/use-load";
import { coverageCell } from "../dashboard/coverage";

const SORTABLE: Record<string, NeedsSort> = {
  reason: "reason",
  coverage: "coverage",
  recent: "read72h",
  change: "change",
};

/** A change of read rate in words: 「12ポイント下がった」. */
export function changeText(change: number | null): string | null {
  if (change === null) return null;
  const points = Math.round(change * 100);
  if (points === 0) return ct("city.needs.same");
  return points > 0 ? ct("city.needs.up", { n: points }) : ct("city.needs.down", { n: -points });
}

export function reasonsText(r: NeedsSupportRow): string {
  const known = r.reasons.filter((x): x is Reason =>
    ["low_coverage", "falling_read_rate", "low_read_rate"].includes(x),
  );
  if (known.length) return known.map((x) => ct(`city.reason.${x}`)).join(serverLang() === "en" ? ", " : "・");
  return serverLang() === "en" && r.reasonTextEn ? r.reasonTextEn : r.reasonText;
}

const columns = (): Column<NeedsSupportRow>[] => [
  {
    key: "name",
    label: ct("city.col.association"),
    cell: (r) => <a href={scopePath("association", r.id)}>{r.name}</a>,
  },
  { key: "ward", label: ct("city.col.ward"), cell: (r) => r.wardName },
  { key: "district", label: ct("city.col.district"), cell: (r) => r.districtName },
  { key: "reason", label: ct("city.needs.reason"), sort: () => 0, cell: (r) => <strong>{reasonsText(r)}</strong> },
  { key: "coverage", label: ct("city.col.coverage"), numeric: true, sort: () => 0, cell: (r) => coverageCell(r) },
  {
    key: "recent",
    label: ct("city.needs.recent"),
    numeric: true,
    sort: () => 0,
    cell: (r) => percent(r.read72hRecent),
  },
  { key: "previous", label: ct("city.needs.previous"), numeric: true, cell: (r) => percent(r.read72hPrevious) },
  { key: "change", label: ct("city.needs.change"), numeric: true, sort: () => 0, cell: (r) => changeText(r.change) },
];

export function NeedsSupportPage() {
  const [sort, setSort] = useState<{ key: string; order: Order } | null>({ key: "reason", order: "asc" });
  const url = needsSupportUrl(sort ? SORTABLE[sort.key] : undefined, sort?.order);
  const { data, error, reload } = useLoad<{ associations: NeedsSupportRow[] }>(url, true);
  const rows = data?.associations ?? null;

  return (
    <CityLayout title={ct("city.needs.title")}>
      <div class="stack">
        <h1>{ct("city.needs.title")}</h1>
        <p>{ct("city.needs.lead")}</p>
        {error && <ErrorNotice message={error} onRetry={reload} />}
        {!rows && !error && <Loading />}
        {rows && rows.length === 0 && <p class="notice ok">{ct("city.needs.empty")}</p>}
        {rows && rows.length > 0 && (
          <DataTable<NeedsSupportRow>
            id="needs"
            title={ct("city.needs.count", { n: count(rows.length)! })}
            columns={columns()}
            rows={rows}
            rowKey={(r) => r.id}
            sort={sort}
            onSort={(key, order) => setSort({ key, order })}
            exportUrl={url}
            exportName="needs-support"
            exportHelp
            lead={<p class="muted small">{ct("city.needs.note")}</p>}
          />
        )}
      </div>
    </CityLayout>
  );
}
