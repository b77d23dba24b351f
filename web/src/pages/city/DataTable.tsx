// The city's tables: large text, a row header per row, sortable by a column's heading (aria-sort says how), a
// region that scrolls sideways on a narrow screen instead of the page, 「—」 for what is not shown, and the
// 「CSVで保存」「JSONで保存」 links under each table.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { withFormat, type Order } from "./city-api";
import { ct } from "./i18n";

export interface Column<R> {
  key: string;
  label: string;
  /** What the column sorts by (null sorts last either way); without it the column does not sort. */
  sort?: (r: R) => number | string | null;
  /** The cell; null (or undefined) shows 「—」. */
  cell: (r: R) => ComponentChildren | null | undefined;
  numeric?: boolean;
}

/** 「—」 where a figure is not shown: suppressed (under 5 households) or there is none yet. */
export function NoValue({ suppressed }: { suppressed?: boolean }) {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span class="visually-hidden">{suppressed ? ct("city.fig.suppressedShort") : ct("city.fig.none")}</span>
    </>
  );
}

/** 「CSVで保存」「JSONで保存」: the same address with ?format=csv / json, saved as a file. */
export function ExportLinks({ url, name, title, help }: { url: string; name: string; title: string; help?: boolean }) {
  return (
    <div class="stack export">
      <p class="row export-links">
        <a class="btn" href={withFormat(url, "csv")} download={`${name}.csv`}>
          {ct("city.export.csv")}
          <span class="visually-hidden">{ct("city.export.of", { title })}</span>
        </a>
        <a class="btn" href={withFormat(url, "json")} download={`${name}.json`}>
          {ct("city.export.json")}
          <span class="visually-hidden">{ct("city.export.of", { title })}</span>
        </a>
      </p>
      {help && <p class="muted small">{ct("city.export.help")}</p>}
    </div>
  );
}

function compare(a: number | string | null, b: number | string | null): number {
  if (typeof a === "string" && typeof b === "string") return a.localeCompare(b, "ja");
  return (a as number) - (b as number);
}

export function sortRows<R>(rows: R[], by: ((r: R) => number | string | null) | undefined, order: Order): R[] {
  if (!by) return rows;
  const keyed = rows.map((r, i) => ({ r, i, v: by(r) }));
  keyed.sort((x, y) => {
    // Rows without a figure go last whichever way the column is sorted.
    if (x.v === null || y.v === null) return x.v === null ? (y.v === null ? x.i - y.i : 1) : -1;
    const c = compare(x.v, y.v);
    return (order === "asc" ? c : -c) || x.i - y.i;
  });
  return keyed.map((k) => k.r);
}

export function DataTable<R>(p: {
  id: string;
  title: string;
  heading?: "h2" | "h3";
  columns: Column<R>[];
  rows: R[];
  rowKey: (r: R) => string;
  /** A row whose group is under 5 households: its 「—」 say 「非表示」 to screen readers. */
  suppressed?: (r: R) => boolean;
  /** Sorting done by the server: the current sort, and how to ask for another. Without it the table sorts itself. */
  sort?: { key: string; order: Order } | null;
  onSort?: (key: string, order: Order) => void;
  exportUrl?: string;
  exportName?: string;
  exportHelp?: boolean;
  /** Above the table (what the figures mean). */
  lead?: ComponentChildren;
}) {
  const [own, setOwn] = useState<{ key: string; order: Order } | null>(null);
  const [announce, setAnnounce] = useState("");
  const sort = p.onSort ? (p.sort ?? null) : own;
  const column = sort ? p.columns.find((c) => c.key === sort.key) : undefined;
  const rows = p.onSort || !sort ? p.rows : sortRows(p.rows, column?.sort, sort.order);
  const Heading = p.heading ?? "h2";
  const headingId = `${p.id}-h`;

  function sortBy(c: Column<R>) {
    const order: Order = sort?.key === c.key && sort.order === "asc" ? "desc" : "asc";
    if (p.onSort) p.onSort(c.key, order);
    else setOwn({ key: c.key, order });
    const textual = !c.numeric;
    setAnnounce(
      textual && order === "asc"
        ? ct("city.table.sortedName", { column: c.label })
        : ct(order === "asc" ? "city.table.sortedAsc" : "city.table.sortedDesc", { column: c.label }),
    );
  }

  const cells = rows.map((r) => p.columns.map((c) => c.cell(r)));
  const anyMissing = cells.some((row) => row.some((v) => v === null || v === undefined));

  return (
    <section class="stack data-section">
      <Heading id={headingId}>{p.title}</Heading>
      {p.lead}
      {rows.length === 0 ? (
        <p>{ct("city.table.empty")}</p>
      ) : (
        <div class="table-scroll" role="region" aria-label={ct("city.table.scroll", { title: p.title })} tabIndex={0}>
          <table class="data-table" id={p.id} aria-labelledby={headingId}>
            <thead>
              <tr>
                {p.columns.map((c) => {
                  const active = sort?.key === c.key;
                  const ariaSort = active ? (sort!.order === "asc" ? "ascending" : "descending") : undefined;
                  return (
                    <th key={c.key} scope="col" class={c.numeric ? "num" : undefined} aria-sort={ariaSort}>
                      {c.sort ? (
                        <button type="button" class="sort" onClick={() => sortBy(c)}>
                          <span>{c.label}</span>
                          <span class="sort-mark" aria-hidden="true">
                            {active ? (sort!.order === "asc" ? "▲" : "▼") : "↕"}
                          </span>
                        </button>
                      ) : (
                        c.label
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const hidden = p.suppressed?.(r) ?? false;
                return (
                  <tr key={p.rowKey(r)} class={hidden ? "suppressed" : undefined}>
                    {p.columns.map((c, j) => {
                      const v = cells[i]![j];
                      const content = v === null || v === undefined ? <NoValue suppressed={hidden} /> : v;
                      return j === 0 ? (
                        <th key={c.key} scope="row">
                          {content}
                        </th>
                      ) : (
                        <td key={c.key} class={c.numeric ? "num" : undefined}>
                          {content}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {anyMissing && <p class="muted small">{ct("city.table.note")}</p>}
      <p class="visually-hidden" role="status">
        {announce}
      </p>
      {p.exportUrl && <ExportLinks url={p.exportUrl} name={p.exportName ?? p.id} title={p.title} help={p.exportHelp} />}
    </section>
  );
}
