// /leader/safety/<id>: the live board of a 安否確認. What the leader came for comes first: the counts, then every
// household that needs help across the blocks shown (what it needs, its note), then block by block the households
// in three groups (助けが必要, 未回答, 無事; 要支援 ones pinned first by the server), each with 「訪問して確認」 while
// the check is open. The page reloads itself every 12 seconds while open (and when its tab is shown again). A leader
// closes the check (「安否確認を終了する」); then the board stays, read-only, with the report above it. A block leader
// sees their block (the API decides).
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../../api";
import { formatDateTime, formatTime } from "../../../format";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { ActionStatus, CircularPageFrame, useCircularPage } from "../../staff/CircularPage";
import { messageFor } from "../../staff/errors";
import { isLeader, LeaderLayout } from "../LeaderLayout";
import { sl } from "./i18n";
import { checkPath, type SafetyBoard, type SafetyHousehold, type SafetyReport } from "./safety-api";
import { CityBadge, DrillBadge, SafetyCounts, SafetyHouseholdItem, type Group } from "./SafetyParts";
import { SafetyReportSection } from "./SafetyReportSection";
import { VisitDialog } from "./VisitDialog";
import "./styles";

/** How often an open check's board reloads itself. */
const REFRESH_MS = 12_000;

function GroupList({
  blockId,
  group,
  label,
  households,
  onVisit,
}: {
  blockId: string;
  group: Group;
  label: string;
  households: SafetyHousehold[];
  onVisit: ((h: SafetyHousehold) => void) | null;
}) {
  const id = `sg-${group}-${blockId}`;
  return (
    <div class={`safety-group ${group}`}>
      <h3 id={id}>{sl("safety.group", { label, n: households.length })}</h3>
      {households.length === 0 ? (
        <p class="muted">{sl("safety.groupEmpty")}</p>
      ) : (
        <ul class="hh-list" aria-labelledby={id}>
          {households.map((h) => (
            <SafetyHouseholdItem key={h.id} h={h} group={group} onVisit={onVisit ? () => onVisit(h) : undefined} />
          ))}
        </ul>
      )}
    </div>
  );
}

export function SafetyBoardPage({ id }: { id: string }) {
  const [board, setBoard] = useState<SafetyBoard | null>(null);
  const [report, setReport] = useState<SafetyReport | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  const [visiting, setVisiting] = useState<SafetyHousehold | null>(null);
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState(false);
  /** Bumped by every change made here, so that a reload begun before it never shows the older board. */
  const version = useRef(0);

  const { error, load, actionError, setActionError, announce, setAnnounce } = useCircularPage(id, async () => {
    const started = version.current;
    const b = await api<SafetyBoard>(`${checkPath(id)}/board`);
    const r = b.check.open ? null : await api<SafetyReport>(`${checkPath(id)}/report`);
    if (started !== version.current) return;
    setBoard(b);
    setReport(r);
    setUpdated(new Date());
  });

  const open = board?.check.open ?? false;
  useEffect(() => {
    if (!open) return;
    // Not while the tab is hidden; at once when it is shown again (a leader back from a phone call).
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, REFRESH_MS);
    const shown = () => {
      if (document.visibilityState === "visible") void load();
    };
    document.addEventListener("visibilitychange", shown);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", shown);
    };
  }, [id, open]);

  async function close() {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      await api(`${checkPath(id)}/close`, { method: "POST" });
      version.current++;
      await load();
      setAnnounce(sl("safety.closed"));
      setTimeout(() => document.getElementById("safety-report-h")?.focus(), 0);
    } catch (e) {
      setActionError(messageFor(e));
    } finally {
      setBusy(false);
      setClosing(false);
    }
  }

  const c = board?.check;
  const fromCity = c?.origin === "city";
  const canVisit = open ? (h: SafetyHousehold) => setVisiting(h) : null;
  return (
    <CircularPageFrame
      layout={LeaderLayout}
      title={c?.drill ? `${sl("safety.title")}（${sl("safety.drill")}）` : sl("safety.title")}
      back={{ href: "/leader", label: sl("safety.back") }}
      error={error}
      onRetry={load}
      ready={!!board}
      dialogs={
        <>
          <VisitDialog
            checkId={id}
            household={visiting}
            onClose={() => setVisiting(null)}
            onSaved={(b, message) => {
              const h = visiting;
              version.current++;
              setBoard(b);
              setUpdated(new Date());
              setVisiting(null);
              setAnnounce(message);
              if (h) setTimeout(() => document.getElementById(`safety-status-${h.id}`)?.focus(), 0);
            }}
          />
          <ConfirmDialog
            open={closing}
            title={sl("safety.closeTitle")}
            confirmLabel={sl("safety.close")}
            busyLabel={sl("safety.closing")}
            busy={busy}
            danger
            onConfirm={close}
            onClose={() => setClosing(false)}
          >
            <p>{sl("safety.closeBody", { n: c?.counts.unanswered ?? 0 })}</p>
          </ConfirmDialog>
        </>
      }
    >
      {board && c && (
        <>
          <h1>
            {sl("safety.title")}
            {c.drill && <DrillBadge />}
            {fromCity && <CityBadge />}
          </h1>
          <p class="safety-message">{c.message}</p>
          <p class="muted">
            {sl("safety.started", { date: formatDateTime(c.startedAt) })}
            {c.closedAt && <> ・ {sl("safety.closedAt", { date: formatDateTime(c.closedAt) })}</>}
          </p>
          {open ? (
            <p class="muted">{sl("safety.isOpen", { time: updated ? formatTime(updated) : "" })}</p>
          ) : (
            <p class="notice">{sl("safety.isClosed")}</p>
          )}
          {!isLeader() && <p class="muted">{sl("safety.blockOnly")}</p>}
          <SafetyCounts counts={c.counts} />
          <ActionStatus error={actionError} announce={announce} />
          {report && <SafetyReportSection id={id} report={report} />}

          <section class="stack need-help" aria-labelledby="need-help-h">
            <h2 id="need-help-h">{sl("safety.needHelpTitle", { n: board.needHelp.length })}</h2>
            {board.needHelp.length === 0 ? (
              <p>{sl("safety.needHelpNone")}</p>
            ) : (
              <ul class="hh-list">
                {board.needHelp.map((h) => (
                  <SafetyHouseholdItem key={h.id} h={h} group="help" block={h.blockName} />
                ))}
              </ul>
            )}
          </section>

          {board.blocks.length === 0 && <p>{sl("safety.noHouseholds")}</p>}
          {board.blocks.map((b) => (
            <section key={b.id} class="stack board-block" aria-labelledby={`sb-${b.id}`}>
              <div class="block-head">
                <h2 id={`sb-${b.id}`}>{b.name}</h2>
                <SafetyCounts
                  small
                  counts={{
                    targeted: b.help.length + b.unanswered.length + b.safe.length,
                    answered: b.help.length + b.safe.length,
                    help: b.help.length,
                    safe: b.safe.length,
                    unanswered: b.unanswered.length,
                  }}
                />
              </div>
              <GroupList blockId={b.id} group="help" label={sl("safety.help")} households={b.help} onVisit={canVisit} />
              <GroupList
                blockId={b.id}
                group="unanswered"
                label={sl("safety.unanswered")}
                households={b.unanswered}
                onVisit={canVisit}
              />
              <GroupList blockId={b.id} group="safe" label={sl("safety.safe")} households={b.safe} onVisit={canVisit} />
            </section>
          ))}

          <div class="row actions">
            <a class="btn" href={`/leader/safety/${encodeURIComponent(id)}/unanswered`}>
              {sl("safety.printUnanswered")}
            </a>
          </div>
          {open && fromCity && <p class="muted">{sl("safety.cityCloses")}</p>}
          {open && !fromCity && isLeader() && (
            <section class="stack danger-zone" aria-labelledby="safety-close-h">
              <h2 id="safety-close-h">{sl("safety.close")}</h2>
              <p class="muted">{sl("safety.closeHelp")}</p>
              <p>
                <button type="button" class="btn danger" onClick={() => setClosing(true)}>
                  {sl("safety.close")}
                </button>
              </p>
            </section>
          )}
        </>
      )}
    </CircularPageFrame>
  );
}
