// A 安否確認's live counts: the totals (対象, 回答, 無事, 助けが必要, 未回答) in large type, then a table per ward,
// district and association the way a city circular's figures are shown (../circulars/AreaTables.tsx). Counts of
// households only; 「—」 where a closed check's group is under 5 households.
import type { SafetyLive, SafetyRow } from "../city-api";
import type { Column } from "../DataTable";
import { Stat } from "../dashboard/FiguresSummary";
import { count } from "../format";
import { ct } from "../i18n";
import { AreaTables, countColumn } from "../circulars/AreaTables";

type Figure = "targeted" | "answered" | "safe" | "help" | "unanswered";
const FIGURES: Figure[] = ["targeted", "answered", "safe", "help", "unanswered"];

/** 助けが必要 stands out wherever it is more than none. */
function helpCell(n: number | null) {
  const text = count(n);
  return n !== null && n > 0 ? <strong class="safety-help">{text}</strong> : text;
}

function columns(): Column<SafetyRow>[] {
  return FIGURES.map((f) =>
    f === "help"
      ? { ...countColumn<SafetyRow>(f, ct("city.safety.col.help"), (r) => r.help), cell: (r) => helpCell(r.help) }
      : countColumn<SafetyRow>(f, ct(`city.safety.col.${f}`), (r) => r[f]),
  );
}

export function SafetyFigures({ live }: { live: SafetyLive }) {
  const t = live.total;
  return (
    <>
      {t.suppressed && (
        <p class="notice" role="note">
          {ct("city.fig.suppressed")}
        </p>
      )}
      <dl class="stats safety-stats">
        {FIGURES.map((f) => (
          <Stat
            key={f}
            label={ct(`city.safety.col.${f}`)}
            value={t[f] === null ? null : ct("city.safety.households", { n: count(t[f])! })}
            suppressed={t.suppressed}
            tone={f === "help" && (t.help ?? 0) > 0 ? "alert" : undefined}
          />
        ))}
      </dl>
      <AreaTables<SafetyRow> id="safety" rows={live} titles="city.safety" columns={columns()} />
    </>
  );
}
