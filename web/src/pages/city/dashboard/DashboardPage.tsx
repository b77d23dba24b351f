// /city, /city/w/<id>, /city/d/<id>, /city/a/<id>: one group's figures, a table of the groups inside it (each row
// leads one level down), and its last 26 weeks as charts. Breadcrumbs lead back up.
import { ErrorNotice, Loading } from "../../../components/Loading";
import { CHILD_LEVEL, overviewUrl, scopePath, type Level, type Overview, type ScopeRef } from "../city-api";
import { CityLayout } from "../CityLayout";
import { DataTable, ExportLinks, type Column } from "../DataTable";
import { count, longDay, percent } from "../format";
import { ct } from "../i18n";
import { useLoad } from "../../staff/use-load";
import { coverageCell } from "./coverage";
import { FiguresSummary } from "./FiguresSummary";
import { Trends } from "./Trends";

type Child = Overview["children"][number];

function Breadcrumbs({ trail }: { trail: ScopeRef[] }) {
  return (
    <nav aria-label={ct("city.dash.breadcrumb")} class="breadcrumbs">
      <ol>
        {trail.map((s, i) => (
          <li key={`${s.level}-${s.id}`}>
            {i === trail.length - 1 ? (
              <span aria-current="page">{s.name}</span>
            ) : (
              <a href={scopePath(s.level, s.id)}>{s.name}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The scope's parents from the city down, then the scope itself. */
function trailOf(o: Overview): ScopeRef[] {
  const parents = o.scope.parents.filter((p) => p.level !== o.scope.level);
  const city: ScopeRef = { level: "city", id: "", name: ct("city.name") };
  const head = o.scope.level === "city" || parents[0]?.level === "city" ? [] : [city];
  return [...head, ...parents, { level: o.scope.level, id: o.scope.id, name: o.scope.name }];
}

function childColumns(level: Level): Column<Child>[] {
  const rate = (key: string, label: string, get: (c: Child) => number | null): Column<Child> => ({
    key,
    label,
    numeric: true,
    sort: get,
    cell: (c) => percent(get(c)),
  });
  const num = (key: string, label: string, get: (c: Child) => number | null): Column<Child> => ({
    key,
    label,
    numeric: true,
    sort: get,
    cell: (c) => count(get(c)),
  });
  return [
    {
      key: "name",
      label: ct(`city.col.${level}` as "city.col.ward"),
      sort: (c) => c.name,
      cell: (c) => <a href={scopePath(c.level, c.id)}>{c.name}</a>,
    },
    num("inArea", ct("city.col.inArea"), (c) => c.householdsInArea),
    num("members", ct("city.col.members"), (c) => c.memberHouseholds),
    { ...rate("coverage", ct("city.col.coverage"), (c) => c.coverage), cell: (c) => coverageCell(c, c.suppressed) },
    rate("paperShare", ct("city.col.paperShare"), (c) => c.paperShare),
    rate("active", ct("city.col.active"), (c) => c.activeShare),
    rate("push", ct("city.col.push"), (c) => c.pushShare),
    rate("read24h", ct("city.col.read24h"), (c) => c.read24hRate),
    rate("read72h", ct("city.col.read72h"), (c) => c.read72hRate),
    rate("readByDue", ct("city.col.readByDue"), (c) => c.readByDueRate),
    {
      key: "median",
      label: ct("city.col.median"),
      numeric: true,
      sort: (c) => c.medianReadBucket,
      cell: (c) => c.medianReadLabel,
    },
  ];
}

export function DashboardPage({ level, id }: { level: Level; id: string }) {
  const url = overviewUrl(level, id);
  const { data, error, reload } = useLoad<Overview>(url);
  const childLevel = CHILD_LEVEL[level];
  const name = data?.scope.name ?? (level === "city" ? ct("city.name") : "");
  const title = name ? ct("city.dash.title", { name }) : ct("city.nav.dashboard");
  const exportName = level === "city" ? "sendai" : `${level}-${id}`;

  return (
    <CityLayout title={title}>
      <div class="stack">
        {data && <Breadcrumbs trail={trailOf(data)} />}
        <h1>{title}</h1>
        {error && <ErrorNotice message={error} onRetry={reload} />}
        {!data && !error && <Loading />}
        {data && (
          <>
            <p class="muted">
              {ct("city.dash.period", { from: longDay(data.period.from), to: longDay(data.period.to) })}
            </p>
            <FiguresSummary f={data.figures} level={level} />
            {childLevel ? (
              <DataTable<Child>
                id="children"
                title={ct("city.table.children", { level: ct(`city.level.${childLevel}`) })}
                columns={childColumns(childLevel)}
                rows={data.children}
                rowKey={(c) => c.id}
                suppressed={(c) => c.suppressed}
                exportUrl={url}
                exportName={`${exportName}-overview`}
                exportHelp
              />
            ) : (
              <>
                <p class="muted">{ct("city.dash.noChildren")}</p>
                {/* An association has no table of groups inside it; its own figures can still be saved. */}
                <ExportLinks url={url} name={`${exportName}-overview`} title={ct("city.dash.summary")} help />
              </>
            )}
          </>
        )}
        {data && <Trends level={level} id={id} exportName={exportName} />}
      </div>
    </CityLayout>
  );
}
