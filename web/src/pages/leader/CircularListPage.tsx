import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import { ErrorNotice, Loading } from "../../components/Loading";
import { formatDate } from "../../format";
import { t } from "../../i18n";
import { isPast } from "../staff/dates";
import { messageFor } from "../staff/errors";
import { useFlash } from "../staff/flash";
import { lt } from "./i18n";
import type { CircularSummary } from "./leader-api";
import { isLeader, LeaderLayout } from "./LeaderLayout";
import { ReadRate } from "./ReadRate";

export function audienceText(c: Pick<CircularSummary, "audience" | "blocks">): string {
  return c.audience === "all" ? lt("leader.audience.all") : c.blocks.map((b) => b.name).join("・");
}

function Item({ c }: { c: CircularSummary }) {
  const draft = c.status === "draft";
  const href = draft ? `/leader/c/${c.id}/edit` : `/leader/c/${c.id}`;
  const overdue = c.status === "published" && isPast(c.dueAt) && (c.counts?.unread ?? 0) > 0;
  return (
    <li class={c.priority === "urgent" && c.status === "published" ? "card leader-card urgent" : "card leader-card"}>
      <h3 class="title">
        <a href={href}>{c.title}</a>
      </h3>
      <p class="badges">
        {c.priority === "urgent" && <span class="badge urgent">{t("card.urgent")}</span>}
        {c.origin === "city" && <span class="badge city">{t("card.city")}</span>}
        {draft && <span class="badge pending">{lt("leader.status.draft")}</span>}
        {c.status === "withdrawn" && <span class="badge">{lt("leader.status.withdrawn")}</span>}
      </p>
      <p class="meta">
        <span>{lt("leader.list.audience", { audience: audienceText(c) })}</span>
        {c.publishedAt && <span>{lt("leader.list.published", { date: formatDate(c.publishedAt) })}</span>}
        {draft && <span>{lt("leader.list.updated", { date: formatDate(c.updatedAt) })}</span>}
        {c.dueAt && (
          <span class={overdue ? "overdue" : undefined}>
            {lt("leader.list.due", { date: formatDate(c.dueAt) })}
            {overdue && <> {lt("leader.list.overdue")}</>}
          </span>
        )}
      </p>
      {c.counts && <ReadRate counts={c.counts} />}
    </li>
  );
}

function Section({ id, title, list }: { id: string; title: string; list: CircularSummary[] }) {
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

/** Every circular with how many households have read it: drafts first, then what is out now, then withdrawn ones. */
export function CircularListPage() {
  const flash = useFlash();
  const [list, setList] = useState<CircularSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setList((await api<{ circulars: CircularSummary[] }>("/api/circulars")).circulars);
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const by = (status: CircularSummary["status"]) => (list ?? []).filter((c) => c.status === status);
  return (
    <LeaderLayout title={lt("leader.list.title")}>
      <div class="stack">
        <div class="row page-head">
          <h1>{lt("leader.list.title")}</h1>
          {isLeader() && (
            <a class="btn primary" href="/leader/new">
              {lt("leader.list.new")}
            </a>
          )}
        </div>
        {flash && (
          <p class="notice ok" role="status">
            {flash}
          </p>
        )}
        {!isLeader() && <p class="muted">{lt("leader.list.blockLeaderNote")}</p>}
        {error && <ErrorNotice message={error} onRetry={load} />}
        {!list && !error && <Loading />}
        {list && list.length === 0 && <p>{lt("leader.list.empty")}</p>}
        <Section id="drafts-h" title={lt("leader.list.drafts")} list={by("draft")} />
        <Section id="published-h" title={lt("leader.list.publishedSection")} list={by("published")} />
        <Section id="withdrawn-h" title={lt("leader.list.withdrawnSection")} list={by("withdrawn")} />
      </div>
    </LeaderLayout>
  );
}
