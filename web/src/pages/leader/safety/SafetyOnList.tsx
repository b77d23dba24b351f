// 安否確認 at the top of the circular list: for leaders 「安否確認を始める」 (when none is open) with its question; for
// everyone on staff the open check as a card (its message, 無事 / 助けが必要 / 未回答, 「開く」), then the past ones.
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { api } from "../../../api";
import { ErrorNotice } from "../../../components/Loading";
import { formatDateTime } from "../../../format";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { TextAreaField } from "../../staff/fields";
import { setFlash } from "../../staff/flash";
import { useLoad } from "../../staff/use-load";
import { isLeader } from "../LeaderLayout";
import { sl } from "./i18n";
import { boardHref, type SafetyCheck } from "./safety-api";
import { CityBadge, DrillBadge, SafetyCounts } from "./SafetyParts";
import "./styles";

/** 「安否確認を始める」 and its question: how many households it reaches, the message, 「訓練として行う」. */
function StartSafety() {
  const { route } = useLocation();
  const [open, setOpen] = useState(false);
  const [reach, setReach] = useState<number | null>(null);
  const [message, setMessage] = useState(sl("safety.defaultMessage"));
  const [drill, setDrill] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  function ask() {
    setMessage(sl("safety.defaultMessage"));
    setDrill(false);
    setProblem(null);
    setReach(null);
    setOpen(true);
    api<{ households: number; open: boolean }>("/api/safety/audience")
      .then((a) => setReach(a.households))
      .catch((e) => setProblem(messageFor(e)));
  }

  async function start() {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const started = await api<{ check: SafetyCheck; households: number }>("/api/safety/checks", {
        method: "POST",
        json: { message: message.trim(), drill },
      });
      setFlash(sl("safety.startedFlash", { n: started.households }));
      setOpen(false);
      route(boardHref(started.check.id));
    } catch (e) {
      setProblem(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="safety-start stack" aria-labelledby="safety-start-h">
      <h2 id="safety-start-h" class="visually-hidden">
        {sl("safety.title")}
      </h2>
      <p>
        <button type="button" class="btn primary danger safety-start-btn" onClick={ask}>
          {sl("safety.start")}
        </button>
      </p>
      <p class="muted">{sl("safety.startHelp")}</p>
      <ConfirmDialog
        open={open}
        title={sl("safety.startTitle")}
        confirmLabel={sl("safety.start")}
        busyLabel={sl("safety.starting")}
        busy={busy}
        describe={false}
        onConfirm={start}
        onClose={() => setOpen(false)}
      >
        <p class="audience-size" role="status">
          {reach === null ? sl("safety.startReachLoading") : sl("safety.startReach", { n: reach })}
        </p>
        {problem && (
          <p class="notice error" role="alert">
            {problem}
          </p>
        )}
        <TextAreaField
          id="safety-message"
          label={sl("safety.message")}
          value={message}
          onInput={setMessage}
          help={sl("safety.messageHelp")}
          maxLength={200}
          rows={3}
        />
        <div class="field">
          <label class="choice">
            <input
              type="checkbox"
              checked={drill}
              aria-describedby="safety-drill-help"
              onChange={(e) => setDrill((e.target as HTMLInputElement).checked)}
            />
            {sl("safety.asDrill")}
          </label>
          <p class="help" id="safety-drill-help">
            {sl("safety.asDrillHelp")}
          </p>
        </div>
      </ConfirmDialog>
    </section>
  );
}

/** The open check, large: what was asked, the counts, 「開く」. */
function OpenCheckCard({ c }: { c: SafetyCheck }) {
  const id = `safety-open-${c.id}`;
  return (
    <section class={c.drill ? "safety-card drill stack" : "safety-card stack"} aria-labelledby={id}>
      <h2 id={id}>
        {sl("safety.openCard")}
        {c.drill && <DrillBadge />}
        {c.origin === "city" && <CityBadge />}
      </h2>
      <p class="safety-message">{c.message}</p>
      <p class="muted">{sl("safety.started", { date: formatDateTime(c.startedAt) })}</p>
      <SafetyCounts counts={c.counts} />
      <p>
        <a class="btn primary" href={boardHref(c.id)} aria-label={sl("safety.openLabel")}>
          {sl("safety.open")}
        </a>
      </p>
    </section>
  );
}

function PastChecks({ checks }: { checks: SafetyCheck[] }) {
  return (
    <section class="stack" aria-labelledby="safety-past-h">
      <h2 id="safety-past-h">{sl("safety.past")}</h2>
      <ul class="safety-past">
        {checks.map((c) => {
          const date = formatDateTime(c.startedAt);
          return (
            <li key={c.id} class="safety-past-item">
              <p class="safety-past-head">
                <strong>{date}</strong>
                {c.drill && <DrillBadge />}
                {c.origin === "city" && <CityBadge />}
              </p>
              <p class="safety-past-message">{c.message}</p>
              <SafetyCounts counts={c.counts} small />
              <a class="btn" href={boardHref(c.id)} aria-label={sl("safety.pastOpenLabel", { date })}>
                {sl("safety.open")}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** What the circular list shows above the circulars. */
export function SafetyOnList() {
  const { data, error, reload } = useLoad<{ checks: SafetyCheck[] }>("/api/safety/checks");
  const checks = data?.checks ?? [];
  const open = checks.filter((c) => c.open);
  const past = checks.filter((c) => !c.open);
  return (
    <div class="stack safety-on-list">
      {isLeader() && (data || error) && open.length === 0 && <StartSafety />}
      {error && <ErrorNotice message={error} onRetry={reload} />}
      {open.map((c) => (
        <OpenCheckCard key={c.id} c={c} />
      ))}
      {past.length > 0 && <PastChecks checks={past} />}
    </div>
  );
}
