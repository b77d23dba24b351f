import { lt } from "./i18n";
import type { Counts } from "./leader-api";

/**
 * 「32 / 40 世帯」 with a bar. The words carry the information; the bar only shows it at a glance, so it is hidden
 * from screen readers rather than announced twice.
 */
export function ReadRate({ counts, large }: { counts: Counts; large?: boolean }) {
  const percent = counts.targeted ? Math.round((counts.read / counts.targeted) * 100) : 0;
  return (
    <div class={large ? "read-rate large" : "read-rate"}>
      <p class="read-rate-text">
        <strong>{lt("leader.rate.households", { read: counts.read, total: counts.targeted })}</strong>{" "}
        <span class="muted">{lt("leader.rate.percent", { percent })}</span>
        {counts.readByPaper > 0 && <span class="muted"> {lt("leader.rate.paper", { n: counts.readByPaper })}</span>}
      </p>
      <div class="read-rate-bar" aria-hidden="true">
        <div class="read-rate-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
