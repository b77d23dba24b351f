// The list of circulars both staff chunks show (/leader, /city/circulars): drafts first, then what is out now, then
// withdrawn ones, each a card with its badges, where it went, its dates and how many have read it. What differs (the
// words, where it went, the figures under it, who may write a new one) comes in as props.
import type { ComponentChildren, ComponentType, VNode } from "preact";
import { ErrorNotice, Loading } from "../../components/Loading";
import { formatDate } from "../../format";
import { useFlash } from "./flash";
import { useLoad } from "./use-load";

/** What a card needs of a circular (the leader's CircularSummary, the city's CityCircularSummary). */
export interface ListedCircular {
  id: string;
  title: string;
  priority: "normal" | "urgent";
  status: "draft" | "published" | "withdrawn";
  publishedAt: string | null;
  updatedAt: string;
  dueAt: string | null;
}

/** The list's words, by the end of their key ("leader.list.<name>", "city.circ.<name>"). */
export type ListText = (
  name:
    "title" | "new" | "empty" | "drafts" | "publishedSection" | "withdrawnSection" | "published" | "updated" | "due",
  params?: Record<string, string | number>,
) => string;

/** The badges' words. */
export interface BadgeText {
  urgent: string;
  draft: string;
  withdrawn: string;
}

/** One circular: its title as the link, badges, where it went and its dates, then `children` (how many have read it). */
export function CircularCard({
  c,
  href,
  text,
  badgeText,
  badges,
  where,
  overdue,
  children,
}: {
  c: ListedCircular;
  href: string;
  text: ListText;
  badgeText: BadgeText;
  /** More badges, after 「急ぎ」 (a leader's 「仙台市から」). */
  badges?: ComponentChildren;
  /** Where it went, the first parts of the line under the badges. */
  where: ComponentChildren;
  /** Said after the due date, which turns red, when it has passed with households still to read it. */
  overdue?: string | null;
  children?: ComponentChildren;
}) {
  const draft = c.status === "draft";
  return (
    <li class={c.priority === "urgent" && c.status === "published" ? "card leader-card urgent" : "card leader-card"}>
      <h3 class="title">
        <a href={href}>{c.title}</a>
      </h3>
      <p class="badges">
        {c.priority === "urgent" && <span class="badge urgent">{badgeText.urgent}</span>}
        {badges}
        {draft && <span class="badge pending">{badgeText.draft}</span>}
        {c.status === "withdrawn" && <span class="badge">{badgeText.withdrawn}</span>}
      </p>
      <p class="meta">
        {where}
        {c.publishedAt && <span>{text("published", { date: formatDate(c.publishedAt) })}</span>}
        {draft && <span>{text("updated", { date: formatDate(c.updatedAt) })}</span>}
        {c.dueAt && (
          <span class={overdue ? "overdue" : undefined}>
            {text("due", { date: formatDate(c.dueAt) })}
            {overdue && <> {overdue}</>}
          </span>
        )}
      </p>
      {children}
    </li>
  );
}

function Section<T extends ListedCircular>({
  id,
  title,
  list,
  item,
}: {
  id: string;
  title: string;
  list: T[];
  item: (c: T) => VNode;
}) {
  if (list.length === 0) return null;
  return (
    <section class="stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul class="cards">{list.map(item)}</ul>
    </section>
  );
}

/** The screen: heading (with 「新しい回覧を作る」 for those who may), the message left by the last screen, the sections. */
export function CircularListPage<T extends ListedCircular>(p: {
  layout: ComponentType<{ title: string; children: ComponentChildren }>;
  /** GET address answering `{ circulars }`. */
  url: string;
  text: ListText;
  /** Where to write a new one; null for those who may not. */
  newHref: string | null;
  /** Before the message of the last screen, and after it. */
  lead?: ComponentChildren;
  note?: ComponentChildren;
  /** The section headings' ids start with it, so that both lists' ids stay unique. */
  idPrefix: string;
  /** One card (a keyed CircularCard). */
  item: (c: T) => VNode;
}) {
  const flash = useFlash();
  const { data, error, reload } = useLoad<{ circulars: T[] }>(p.url);
  const list = data?.circulars ?? null;
  const by = (status: ListedCircular["status"]) => (list ?? []).filter((c) => c.status === status);
  const { text, idPrefix: at, layout: Layout } = p;
  return (
    <Layout title={text("title")}>
      <div class="stack">
        <div class="row page-head">
          <h1>{text("title")}</h1>
          {p.newHref && (
            <a class="btn primary" href={p.newHref}>
              {text("new")}
            </a>
          )}
        </div>
        {p.lead}
        {flash && (
          <p class="notice ok" role="status">
            {flash}
          </p>
        )}
        {p.note}
        {error && <ErrorNotice message={error} onRetry={reload} />}
        {!list && !error && <Loading />}
        {list && list.length === 0 && <p>{text("empty")}</p>}
        <Section id={`${at}drafts-h`} title={text("drafts")} list={by("draft")} item={p.item} />
        <Section id={`${at}published-h`} title={text("publishedSection")} list={by("published")} item={p.item} />
        <Section id={`${at}withdrawn-h`} title={text("withdrawnSection")} list={by("withdrawn")} item={p.item} />
      </div>
    </Layout>
  );
}
