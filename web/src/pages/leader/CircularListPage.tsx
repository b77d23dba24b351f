import { t } from "../../i18n";
import { isPast } from "../staff/dates";
import {
  CircularCard,
  CircularListPage as StaffCircularList,
  type BadgeText,
  type ListText,
} from "../staff/CircularList";
import { lt } from "./i18n";
import type { CircularSummary } from "./leader-api";
import { isLeader, LeaderLayout } from "./LeaderLayout";
import { ReadRate } from "./ReadRate";
import { SafetyOnList } from "./safety/SafetyOnList";

export function audienceText(c: Pick<CircularSummary, "audience" | "blocks">): string {
  return c.audience === "all" ? lt("leader.audience.all") : c.blocks.map((b) => b.name).join("・");
}

const text: ListText = (name, params) => lt(`leader.list.${name}`, params);

function Item({ c }: { c: CircularSummary }) {
  const draft = c.status === "draft";
  const overdue = c.status === "published" && isPast(c.dueAt) && (c.counts?.unread ?? 0) > 0;
  const badgeText: BadgeText = {
    urgent: t("card.urgent"),
    draft: lt("leader.status.draft"),
    withdrawn: lt("leader.status.withdrawn"),
  };
  return (
    <CircularCard
      c={c}
      href={draft ? `/leader/c/${c.id}/edit` : `/leader/c/${c.id}`}
      text={text}
      badgeText={badgeText}
      badges={c.origin === "city" && <span class="badge city">{t("card.city")}</span>}
      where={<span>{lt("leader.list.audience", { audience: audienceText(c) })}</span>}
      overdue={overdue ? lt("leader.list.overdue") : null}
    >
      {c.counts && <ReadRate counts={c.counts} />}
    </CircularCard>
  );
}

/**
 * Every circular with how many households have read it: drafts first, then what is out now, then withdrawn ones.
 * 安否確認 comes above them (「安否確認を始める」, the open check, the past ones).
 */
export function CircularListPage() {
  return (
    <StaffCircularList<CircularSummary>
      layout={LeaderLayout}
      url="/api/circulars"
      text={text}
      newHref={isLeader() ? "/leader/new" : null}
      lead={<SafetyOnList />}
      note={!isLeader() && <p class="muted">{lt("leader.list.blockLeaderNote")}</p>}
      idPrefix=""
      item={(c) => <Item key={c.id} c={c} />}
    />
  );
}
