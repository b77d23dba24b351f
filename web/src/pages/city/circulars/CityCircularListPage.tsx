// /city/circulars: the city's circulars on the staff list (../../staff/CircularList.tsx), drafts first, then what is
// out now (with how many households have read it), then withdrawn ones.
import { CircularCard, CircularListPage, type BadgeText, type ListText } from "../../staff/CircularList";
import type { CityCircularSummary } from "../city-api";
import { CityLayout } from "../CityLayout";
import { count, percent } from "../format";
import { ct } from "../i18n";
import { targetText } from "./targets";

const text: ListText = (name, params) => ct(`city.circ.${name}`, params);

function Item({ c }: { c: CityCircularSummary }) {
  const draft = c.status === "draft";
  const badgeText: BadgeText = {
    urgent: ct("city.priority.urgent"),
    draft: ct("city.status.draft"),
    withdrawn: ct("city.status.withdrawn"),
  };
  return (
    <CircularCard
      c={c}
      href={draft ? `/city/circulars/${encodeURIComponent(c.id)}/edit` : `/city/circulars/${encodeURIComponent(c.id)}`}
      text={text}
      badgeText={badgeText}
      where={
        <>
          <span>
            {ct("city.circ.target", {
              target: targetText(
                c.target,
                c.targetNames.map((x) => x.name),
              ),
            })}
          </span>
          {c.reach && <span>{ct("city.circ.associations", { n: count(c.reach.associations)! })}</span>}
        </>
      }
    >
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
    </CircularCard>
  );
}

export function CityCircularListPage() {
  return (
    <CircularListPage<CityCircularSummary>
      layout={CityLayout}
      url="/api/city/circulars"
      text={text}
      newHref="/city/circulars/new"
      lead={<p>{ct("city.circ.lead")}</p>}
      idPrefix="city-"
      item={(c) => <Item key={c.id} c={c} />}
    />
  );
}
