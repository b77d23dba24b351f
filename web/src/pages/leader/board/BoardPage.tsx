import { useState } from "preact/hooks";
import { api } from "../../../api";
import { formatDate } from "../../../format";
import { t } from "../../../i18n";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import {
  ActionStatus,
  CircularPageFrame,
  useCircularPage,
  useWithdraw,
  type WithdrawText,
} from "../../staff/CircularPage";
import { messageFor } from "../../staff/errors";
import { lt } from "../i18n";
import { tally, type Board, type BoardHousehold, type CircularSummary, type Receipt } from "../leader-api";
import { isLeader, LeaderLayout } from "../LeaderLayout";
import { ReadRate } from "../ReadRate";
import { HouseholdRow } from "./HouseholdRow";
import { LeaderNoteForm } from "./LeaderNoteForm";
import { PushPanel } from "./PushPanel";

const withdrawText: WithdrawText = (name, params) => lt(`leader.board.${name}`, params);

/** The board with one household's receipt replaced and every count recomputed from the rows. */
function withReceipt(board: Board, r: Receipt): Board {
  const blocks = board.blocks.map((b) => {
    if (!b.households.some((h) => h.id === r.householdId)) return b;
    const households = b.households.map((h) =>
      h.id === r.householdId ? { ...h, readAt: r.readAt, channel: r.channel, readByName: r.readByName } : h,
    );
    return { ...b, households, counts: tally(households) };
  });
  return { ...board, blocks, counts: tally(blocks.flatMap((b) => b.households)) };
}

/**
 * /leader/c/<id>: who has read a circular, block by block, unread households highlighted. A paper household's
 * acknowledgement is recorded with one tap; a block leader sees only their own block (the API decides). The push
 * panel shows what notifications did and who they cannot reach, and sends the reminder to unread households.
 */
export function BoardPage({ id }: { id: string }) {
  const [board, setBoard] = useState<Board | null>(null);
  /** Where it came from (the association or the city) and the leader's note: the board itself does not say. */
  const [detail, setDetail] = useState<Pick<CircularSummary, "origin" | "leaderNote"> | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [undoing, setUndoing] = useState<BoardHousehold | null>(null);
  const [busy, setBusy] = useState(false);

  const { error, load, actionError, setActionError, announce, setAnnounce } = useCircularPage(id, async () => {
    const [b, d] = await Promise.all([
      api<Board>(`/api/circulars/${encodeURIComponent(id)}/receipts`),
      api<CircularSummary>(`/api/circulars/${encodeURIComponent(id)}`),
    ]);
    setBoard(b);
    setDetail({ origin: d.origin, leaderNote: d.leaderNote ?? null });
  });

  const receiptPath = (h: BoardHousehold) =>
    `/api/circulars/${encodeURIComponent(id)}/receipts/${encodeURIComponent(h.id)}/paper`;

  async function recordPaper(h: BoardHousehold) {
    if (busyId) return;
    setBusyId(h.id);
    setActionError(null);
    try {
      const r = await api<Receipt>(receiptPath(h), { method: "PUT" });
      setBoard((b) => (b ? withReceipt(b, r) : b));
      setAnnounce(lt("leader.board.recorded", { label: h.label }));
      // The button is gone; keep the keyboard where it was, on this household's status.
      setTimeout(() => document.getElementById(`hh-status-${h.id}`)?.focus(), 0);
    } catch (e) {
      setActionError(messageFor(e));
    } finally {
      setBusyId(null);
    }
  }

  async function undo() {
    const h = undoing;
    if (!h || busy) return;
    setBusy(true);
    try {
      const r = await api<Receipt>(receiptPath(h), { method: "DELETE" });
      setBoard((b) => (b ? withReceipt(b, r) : b));
      setAnnounce(lt("leader.board.undone", { label: h.label }));
      setTimeout(() => document.getElementById(`hh-status-${h.id}`)?.focus(), 0);
    } catch (e) {
      setActionError(messageFor(e));
    } finally {
      setBusy(false);
      setUndoing(null);
    }
  }

  const c = board?.circular;
  const withdrawal = useWithdraw({
    url: `/api/circulars/${encodeURIComponent(id)}/withdraw`,
    title: c?.title ?? "",
    text: withdrawText,
    reload: load,
    announce: setAnnounce,
    onError: setActionError,
  });
  const published = c?.status === "published";
  const fromCity = detail?.origin === "city";
  const readNow = new Map(board?.blocks.flatMap((b) => b.households.map((h) => [h.id, !!h.readAt] as const)) ?? []);
  return (
    <CircularPageFrame
      layout={LeaderLayout}
      title={c?.title ?? lt("leader.board.title")}
      back={{ href: "/leader", label: lt("leader.nav.backToList") }}
      error={error}
      onRetry={load}
      ready={!!(board && c)}
      dialogs={
        <>
          <ConfirmDialog
            open={!!undoing}
            title={lt("leader.board.undoTitle")}
            confirmLabel={lt("leader.board.undoConfirm")}
            busy={busy}
            danger
            onConfirm={undo}
            onClose={() => setUndoing(null)}
          >
            <p>{undoing && lt("leader.board.undoBody", { label: undoing.label })}</p>
          </ConfirmDialog>
          {withdrawal.dialog}
        </>
      }
    >
      {board && c && (
        <>
          <h1>{c.title}</h1>
          <p class="muted">
            {c.publishedAt && lt("leader.list.published", { date: formatDate(c.publishedAt) })}
            {c.dueAt && <> ・ {lt("leader.list.due", { date: formatDate(c.dueAt) })}</>}
          </p>
          {fromCity && (
            <p class="notice">
              <span class="badge city">{t("card.city")}</span> {lt("leader.board.fromCity")}
            </p>
          )}
          {c.status === "withdrawn" && <p class="notice">{lt("leader.board.isWithdrawn")}</p>}
          {fromCity && published && (
            <LeaderNoteForm
              id={id}
              note={detail?.leaderNote ?? null}
              canEdit={isLeader()}
              onSaved={(leaderNote) => setDetail((d) => (d ? { ...d, leaderNote } : d))}
            />
          )}
          <ReadRate counts={board.counts} large />
          <div class="row actions">
            <a class="btn" href={`/leader/c/${encodeURIComponent(id)}/unread`}>
              {lt("leader.board.printUnread")}
            </a>
            <a class="btn" href={`/leader/c/${encodeURIComponent(id)}/print`}>
              {lt("leader.board.printCircular")}
            </a>
          </div>
          {c.status !== "draft" && (
            <PushPanel
              circularId={id}
              published={published}
              unread={board.counts.unread}
              dueAt={c.dueAt}
              readNow={readNow}
            />
          )}
          <label class="choice">
            <input
              type="checkbox"
              checked={unreadOnly}
              onChange={(e) => setUnreadOnly((e.target as HTMLInputElement).checked)}
            />
            {lt("leader.board.unreadOnly")}
          </label>
          {published && <p class="muted">{lt("leader.board.paperHelp")}</p>}
          <ActionStatus error={actionError} announce={announce} />
          {board.blocks.length === 0 && <p>{lt("leader.board.noHouseholds")}</p>}
          {board.blocks.map((b) => {
            const rows = unreadOnly ? b.households.filter((h) => !h.readAt) : b.households;
            return (
              <section key={b.id} class="stack board-block" aria-labelledby={`block-${b.id}`}>
                <h2 id={`block-${b.id}`}>{b.name}</h2>
                <ReadRate counts={b.counts} />
                {rows.length === 0 ? (
                  <p class="notice ok">{lt("leader.board.allRead")}</p>
                ) : (
                  <ul class="hh-list">
                    {rows.map((h) => (
                      <HouseholdRow
                        key={h.id}
                        h={h}
                        canRecord={published}
                        busy={busyId === h.id}
                        onPaper={() => recordPaper(h)}
                        onUndo={() => setUndoing(h)}
                      />
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
          {isLeader() && published && !fromCity && withdrawal.section}
        </>
      )}
    </CircularPageFrame>
  );
}
