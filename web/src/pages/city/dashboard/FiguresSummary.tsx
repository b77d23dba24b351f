// The figures of one group in large type, in two parts: households (membership, app and paper, active, push) and
// reading circulars (within 24 h / 72 h / by the due date, the median time to read). 「—」 for what is not shown.
import type { ComponentChildren } from "preact";
import type { Figures, Level } from "../city-api";
import { NoValue } from "../DataTable";
import { count, percent } from "../format";
import { ct } from "../i18n";
import { OverCountDetail } from "./coverage";

/** One figure in large type (「—」 when not shown), with a line under it. */
export function Stat({
  label,
  value,
  detail,
  suppressed,
  tone,
}: {
  label: string;
  value: string | null;
  detail?: ComponentChildren;
  suppressed: boolean;
  /** "alert": a figure that asks for action (a 安否確認's 助けが必要 above none). */
  tone?: "alert";
}) {
  return (
    <div class={tone ? `stat ${tone}` : "stat"}>
      <dt>{label}</dt>
      <dd class="stat-value">{value ?? <NoValue suppressed={suppressed} />}</dd>
      {detail && <dd class="stat-detail">{detail}</dd>}
    </div>
  );
}

export function FiguresSummary({ f, level }: { f: Figures; level: Level }) {
  const s = f.suppressed;
  const coverageDetail =
    f.memberHouseholds !== null && f.householdsInArea !== null
      ? ct("city.fig.coverageDetail", { inArea: count(f.householdsInArea)!, members: count(f.memberHouseholds)! })
      : null;
  const channels =
    f.appHouseholds !== null && f.paperHouseholds !== null
      ? ct("city.fig.channelsValue", { app: count(f.appHouseholds)!, paper: count(f.paperHouseholds)! })
      : null;
  return (
    <section class="stack" aria-labelledby="summary-h">
      <h2 id="summary-h">{ct("city.dash.summary")}</h2>
      {s && (
        <p class="notice" role="note">
          {ct("city.dash.suppressed", { level: ct(`city.level.${level}`) })}
        </p>
      )}
      <h3>{ct("city.dash.households")}</h3>
      <dl class="stats">
        <Stat
          label={ct("city.fig.coverage")}
          value={percent(f.coverage)}
          detail={
            (coverageDetail || f.coverageOverCount) && (
              <>
                {coverageDetail}
                {coverageDetail && f.coverageOverCount && <br />}
                <OverCountDetail flagged={f.coverageOverCount} />
              </>
            )
          }
          suppressed={s}
        />
        <Stat
          label={ct("city.fig.channels")}
          value={channels}
          detail={f.paperShare !== null ? ct("city.fig.paperShare", { share: percent(f.paperShare)! }) : null}
          suppressed={s}
        />
        <Stat
          label={ct("city.fig.active")}
          value={percent(f.activeShare)}
          detail={f.activeHouseholds !== null ? ct("city.fig.ofMembers", { n: count(f.activeHouseholds)! }) : null}
          suppressed={s}
        />
        <Stat
          label={ct("city.fig.push")}
          value={percent(f.pushShare)}
          detail={f.pushHouseholds !== null ? ct("city.fig.ofApp", { n: count(f.pushHouseholds)! }) : null}
          suppressed={s}
        />
      </dl>
      <h3>{ct("city.dash.reading")}</h3>
      <p class="muted small">{ct("city.fig.readHelp")}</p>
      <dl class="stats">
        <Stat label={ct("city.fig.read24h")} value={percent(f.read24hRate)} suppressed={s} />
        <Stat label={ct("city.fig.read72h")} value={percent(f.read72hRate)} suppressed={s} />
        <Stat label={ct("city.fig.readByDue")} value={percent(f.readByDueRate)} suppressed={s} />
        <Stat
          label={ct("city.fig.median")}
          value={f.medianReadLabel}
          detail={ct("city.fig.medianHelp")}
          suppressed={s}
        />
        <Stat
          label={ct("city.fig.circulars")}
          value={f.circulars !== null ? ct("city.fig.circularsValue", { n: count(f.circulars)! }) : null}
          detail={f.targeted !== null ? ct("city.fig.targetedDetail", { n: count(f.targeted)! }) : null}
          suppressed={s}
        />
      </dl>
      {s && <p class="muted small">{ct("city.table.note")}</p>}
    </section>
  );
}
