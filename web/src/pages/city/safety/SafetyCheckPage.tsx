// /city/safety/<id>: a 安否確認 as it goes: its message, 「訓練」 when a drill, open or closed, the live counts per
// ward, district and association (SafetyFigures.tsx), refreshed every refreshSeconds while open (and at once on
// 「今すぐ更新」) with the time of the last refresh, 「CSVをダウンロード」, and 「安否確認を終了する」 after a question.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { formatDateTime } from "../../../format";
import { ActionStatus, CircularPageFrame } from "../../staff/CircularPage";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { useLoad } from "../../staff/use-load";
import { safetyUrl, withFormat, type SafetyLive } from "../city-api";
import { CityLayout } from "../CityLayout";
import { clockTime } from "../format";
import { ct } from "../i18n";
import { SafetyBadges, safetyTitle } from "./SafetyBadges";
import { SafetyFigures } from "./SafetyFigures";

/**
 * The live counts of `url`: loaded, then again every `refreshSeconds` while the check is open (skipped while the
 * tab is hidden, and done at once when it shows again), with the time of the last answer.
 */
function useLive(url: string) {
  const { data, error, reload } = useLoad<SafetyLive>(url, true);
  const [refreshedAt, setRefreshedAt] = useState<Date | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (data) setRefreshedAt(new Date());
  }, [data]);
  const open = !!data?.check.open;
  const every = (data?.refreshSeconds ?? 30) * 1000;
  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(async () => {
      if (!document.hidden) await reload();
      setTick((n) => n + 1);
    }, every);
    return () => clearTimeout(timer);
  }, [data, tick, open, every]);
  useEffect(() => {
    if (!open) return;
    const shown = () => {
      if (!document.hidden) void reload();
    };
    document.addEventListener("visibilitychange", shown);
    return () => document.removeEventListener("visibilitychange", shown);
  }, [open]);
  return { data, error, reload, refreshedAt };
}

export function SafetyCheckPage({ id }: { id: string }) {
  const url = safetyUrl(id);
  const { data, error, reload, refreshedAt } = useLive(url);
  const [refreshing, setRefreshing] = useState(false);
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState("");
  const c = data?.check;

  async function refreshNow() {
    if (refreshing) return;
    setRefreshing(true);
    await reload();
    setRefreshing(false);
    setAnnounce(ct("city.safety.lastRefresh", { time: clockTime(new Date()) }));
  }

  async function close() {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      await api(`${url}/close`, { method: "POST" });
      await reload();
      setAnnounce(ct("city.safety.closedDone"));
    } catch (e) {
      setActionError(messageFor(e));
    } finally {
      setBusy(false);
      setClosing(false);
    }
  }

  return (
    <CircularPageFrame
      layout={CityLayout}
      title={c ? safetyTitle(c) : ct("city.safety.title")}
      back={{ href: "/city/safety", label: ct("city.safety.back") }}
      error={data ? null : error}
      onRetry={reload}
      ready={!!data}
      dialogs={
        <ConfirmDialog
          open={closing}
          title={ct("city.safety.closeTitle")}
          confirmLabel={ct("city.safety.close")}
          busyLabel={ct("city.safety.closing")}
          busy={busy}
          danger
          onConfirm={close}
          onClose={() => setClosing(false)}
        >
          <p>{ct("city.safety.closeBody")}</p>
        </ConfirmDialog>
      }
    >
      {data && c && (
        <>
          <h1>{safetyTitle(c)}</h1>
          {c.drill && (
            <p class="notice drill-notice" role="note">
              <strong class="badge drill">{ct("city.safety.drill")}</strong>
              {ct("city.safety.drillNotice")}
            </p>
          )}
          <SafetyBadges c={c} />
          <p class="meta-row muted">
            <span>{ct("city.safety.started", { date: formatDateTime(c.startedAt) })}</span>
            {c.closedAt && <span>{ct("city.safety.ended", { date: formatDateTime(c.closedAt) })}</span>}
          </p>
          <p>
            {c.open
              ? ct("city.safety.isOpen", { n: data.refreshSeconds })
              : ct("city.safety.isClosed", { date: formatDateTime(c.closedAt ?? c.startedAt) })}
          </p>
          <section class="stack" aria-labelledby="safety-message-h">
            <h2 id="safety-message-h">{ct("city.safety.message")}</h2>
            <p class="safety-message">{c.message}</p>
          </section>
          <ActionStatus error={actionError} announce={announce} />
          <section class="stack" aria-labelledby="safety-figures-h">
            <h2 id="safety-figures-h">{ct("city.safety.figures")}</h2>
            <p class="muted">{ct("city.safety.figuresLead")}</p>
            <p class="row refresh-row">
              {refreshedAt && (
                <span class="refreshed-at">{ct("city.safety.lastRefresh", { time: clockTime(refreshedAt) })}</span>
              )}
              <button type="button" class="btn" onClick={refreshNow} aria-disabled={refreshing ? "true" : undefined}>
                {refreshing ? ct("city.safety.refreshing") : ct("city.safety.refresh")}
              </button>
            </p>
            {error && (
              <p class="notice error" role="alert">
                {error}
              </p>
            )}
            <SafetyFigures live={data} />
            <div class="stack export">
              <p class="row export-links">
                <a class="btn" href={withFormat(url, "csv")} download={`safety-check-${id}.csv`}>
                  {ct("city.safety.csv")}
                </a>
              </p>
              <p class="muted small">{ct("city.export.help")}</p>
            </div>
          </section>
          {c.open && (
            <section class="stack" aria-labelledby="safety-close-h">
              <h2 id="safety-close-h">{ct("city.safety.closeTitle")}</h2>
              <p class="muted">{ct("city.safety.closeHelp")}</p>
              <p>
                <button type="button" class="btn danger" onClick={() => setClosing(true)}>
                  {ct("city.safety.close")}
                </button>
              </p>
            </section>
          )}
        </>
      )}
    </CircularPageFrame>
  );
}
