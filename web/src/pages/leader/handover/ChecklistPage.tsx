import { ErrorNotice, Loading } from "../../../components/Loading";
import { useLoad } from "../../staff/use-load";
import { lt } from "../i18n";
import type { Checklist, ChecklistKey } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { termDate } from "./term-date";

const LINE = {
  blocks: ["leader.start.blocks", "leader.start.go.blocks"],
  households: ["leader.start.households", "leader.start.go.households"],
  paperHouseholds: ["leader.start.paperHouseholds", "leader.start.go.paperHouseholds"],
  unusedInvites: ["leader.start.unusedInvites", "leader.start.go.unusedInvites"],
  circularsDue: ["leader.start.circularsDue", "leader.start.go.circularsDue"],
  pushReach: ["leader.start.pushReach", "leader.start.go.pushReach"],
  pendingHandovers: ["leader.start.pendingHandovers", "leader.start.go.pendingHandovers"],
} as const satisfies Record<ChecklistKey, readonly [string, string]>;

/** /leader/start: 「はじめに確認すること」, the successor's first screen: the association's state, each line a place to act. */
export function ChecklistPage() {
  const { data, error, reload } = useLoad<Checklist>("/api/handover/checklist");
  return (
    <LeaderLayout title={lt("leader.start.title")}>
      <div class="stack">
        <h1>{lt("leader.start.title")}</h1>
        {error && <ErrorNotice message={error} onRetry={reload} />}
        {!data && !error && <Loading />}
        {data && (
          <>
            <p>
              {lt("leader.start.term", {
                year: data.term.year,
                start: termDate(data.term.startDate),
                end: termDate(data.term.endDate),
              })}
            </p>
            <p>{lt("leader.start.lead")}</p>
            <ul class="plain-list stack checklist">
              {data.lines.map((line) => {
                const [text, go] = LINE[line.key];
                const id = `check-${line.key}`;
                return (
                  <li key={line.key} class="row">
                    <span id={id}>{lt(text, { n: line.count, total: line.total ?? 0 })}</span>
                    <a class="btn" href={line.href} aria-describedby={id}>
                      {lt(go)}
                    </a>
                  </li>
                );
              })}
            </ul>
            <p>{lt("leader.start.done")}</p>
            <p>
              <a class="btn primary big" href="/leader">
                {lt("leader.nav.circulars")}
              </a>
            </p>
          </>
        )}
      </div>
    </LeaderLayout>
  );
}
