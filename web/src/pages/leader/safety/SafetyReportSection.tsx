// The report of a closed 安否確認 (GET …/report): how many answered within 1 / 3 / 24 hours, by which channel (アプリ /
// 訪問 / 電話, and 紙 when any), the households answered hour by hour as a list of bars (each row says its number in
// words; the bar only shows it at a glance), and the board as CSV.
import { sl } from "./i18n";
import { checkPath, type SafetyReport } from "./safety-api";
import { DrillBadge } from "./SafetyParts";

function Lines({ rows }: { rows: { label: string; n: number }[] }) {
  return (
    <ul class="report-lines">
      {rows.map((r) => (
        <li key={r.label}>
          <span>{r.label}</span> <strong>{sl("safety.households", { n: r.n })}</strong>
        </li>
      ))}
    </ul>
  );
}

export function SafetyReportSection({ id, report }: { id: string; report: SafetyReport }) {
  const { check, within, byChannel, overTime } = report;
  const total = check.counts.targeted;
  const share = (n: number) => (total ? Math.round((n / total) * 100) : 0);
  return (
    <section class="stack safety-report" aria-labelledby="safety-report-h">
      <h2 id="safety-report-h" tabIndex={-1}>
        {sl("safety.report")}
        {check.drill && <DrillBadge />}
      </h2>
      <p class="answer-share">{sl("safety.reportAnswered", { answered: check.counts.answered, total })}</p>
      <div class="report-grid">
        <section aria-labelledby="report-within-h">
          <h3 id="report-within-h">{sl("safety.within")}</h3>
          <Lines
            rows={[
              { label: sl("safety.within1"), n: within.h1 },
              { label: sl("safety.within3"), n: within.h3 },
              { label: sl("safety.within24"), n: within.h24 },
            ]}
          />
        </section>
        <section aria-labelledby="report-channel-h">
          <h3 id="report-channel-h">{sl("safety.byChannel")}</h3>
          <Lines
            rows={[
              { label: sl("safety.channel.app"), n: byChannel.app },
              { label: sl("safety.channel.visit"), n: byChannel.visit },
              { label: sl("safety.channel.phone"), n: byChannel.phone },
              ...(byChannel.paper > 0 ? [{ label: sl("safety.channel.paper"), n: byChannel.paper }] : []),
            ]}
          />
        </section>
      </div>
      <section aria-labelledby="report-time-h">
        <h3 id="report-time-h">{sl("safety.overTime")}</h3>
        <ul class="report-bars">
          {overTime.map((o) => (
            <li key={o.hour}>
              <span class="report-bar-label">{sl("safety.overTimeRow", { h: o.hour })}</span>
              <span class="report-bar" aria-hidden="true">
                <span class="report-bar-fill" style={{ width: `${share(o.answered)}%` }} />
              </span>
              <span class="report-bar-value">{sl("safety.households", { n: o.answered })}</span>
            </li>
          ))}
        </ul>
      </section>
      <p>
        <a class="btn" href={`${checkPath(id)}/board?format=csv`} download>
          {sl("safety.csv")}
        </a>
      </p>
      <p class="muted">{sl("safety.csvHelp")}</p>
    </section>
  );
}
