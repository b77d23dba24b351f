// /city/circulars: the city's circulars, drafts first, then what is out now (with how many households have read
// it), then withdrawn ones.
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDate } from "../../../format";
import { useFlash } from "../../staff/flash";
import type { CityCircularSummary } from "../city-api";
import { CityLayout } from "../CityLayout";
import { count, percent } from "../format";
import { ct } from "../i18n";
import { useLoad } from "../../staff/use-load";
import { targetText } from "./targets";

function Item({ c }: { c: CityCircularSummary }) {
  const draft = c.status === "draft";
  const href = draft ? `/city/circulars/${encodeURIComponent(c.id)}/edit` : `/city/circulars/${encodeURIComponent(c.id)}`;
  return (
    <li class={c.priority === "urgent" && c.status === "published" ? "card leader-card urgent" : "card leader-card"}>
      <h3 class="title">
        <a href={href}>{c.title}</a>
      </h3>
      <p class="badges">
        {c.priority === "urgent" && <span class="badge urgent">{ct("city.priority.urgent")}</span>}
        {draft && <span class="badge pending">{ct("city.status.draft")}</span>}
        {c.status === "withdrawn" && <span class="badge">{ct("city.status.withdrawn")}</span>}
      </p>
      <p class="meta">
        <span>{ct("city.circ.target", { target: targetText(c.target, c.targetNames.map((x) => x.name)) })}</span>
        {c.reach && <span>{ct("city.circ.associations", { n: count(c.reach.associations)! })}</span>}
        {c.publishedAt && <span>{ct("city.circ.published", { date: formatDate(c.publishedAt) })}</span>}
        {draft && <span>{ct("city.circ.updated", { date: formatDate(c.updatedAt) })}</span>}
        {c.dueAt && <span>{ct("city.circ.due", { date: formatDate(c.dueAt) })}</span>}
      </p>
      {c.reach && c.reach.households !== null && c.reach.read !== null && (
        <p>
          <strong>
            {ct("city.circ.readCount", {
              read: count(c.reach.read)!,
              targeted: count(c.reach.households)!,
              percent: percent(c.reach.readRate) ?? "—",
            })}
          </strong>
        </p>
      )}
    </li>
  );
}

function Section({ id, title, list }: { id: string; title: string; list: CityCircularSummary[] }) {
  if (list.length === 0) return null;
  return (
    <section class="stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul class="cards">
        {list.map((c) => (
          <Item key={c.id} c={c} />
        ))}
      </ul>
    </section>
  );
}

export function CityCircularListPage() {
  const flash = useFlash();
  const { data, error, reload } = useLoad<{ circulars: CityCircularSummary[] }>("/api/city/circulars");
  const list = data?.circulars ?? null;
  const by = (status: CityCircularSummary["status"]) => (list ?? []).filter((c) => c.status === status);

  return (
    <CityLayout title={ct("city.circ.title")}>
      <div class="stack">
        <div class="row page-head">
          <h1>{ct("city.circ.title")}</h1>
          <a class="btn primary" href="/city/circulars/new">
            {ct("city.circ.new")}
          </a>
        </div>
        <p>{ct("city.circ.lead")}</p>
        {flash && (
          <p class="notice ok" role="status">
            {flash}
          </p>
        )}
        {error && <ErrorNotice message={error} onRetry={reload} />}
        {!list && !error && <Loading />}
        {list && list.length === 0 && <p>{ct("city.circ.empty")}</p>}
        <Section id="city-drafts-h" title={ct("city.circ.drafts")} list={by("draft")} />
        <Section id="city-published-h" title={ct("city.circ.publishedSection")} list={by("published")} />
        <Section id="city-withdrawn-h" title={ct("city.circ.withdrawnSection")} list={by("withdrawn")} />
      </div>
    </CityLayout>
  );
}
