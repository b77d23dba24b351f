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
import { tally, type AnswerBoard, type Board, type BoardHousehold, type Circular, type Receipt } from "../leader-api";
import { isLeader, LeaderLayout } from "../LeaderLayout";
import { ReadRate } from "../ReadRate";
import { AnswersSection } from "./AnswersSection";
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
 * Each block's unread households first, as loaded. A paper acknowledgement recorded on this screen changes its row in
 * place (withReceipt), so no row moves under the leader's finger; the next load puts it among the read ones.
 */
function unreadFirst(board: Board): Board {
  const blocks = board.blocks.map((b) => ({
    ...b,
    households: [...b.households.filter((h) => !h.readAt), ...b.households.filter((h) => h.readAt)],
  }));
  return { ...board, blocks };
}

/**
 * /leader/c/<id>: who has read a circular, block by block, unread households highlighted. What the leader came for
 * comes first: how many have not read and who (first in each block), each with its one-tap 「紙で確認」 (a block
 * leader sees only their own block: the API decides); then printing; then, when it asks questions, the answers
 * (AnswersSection: the counts, who has not answered, 「紙の回答を入力」); then the push panel (what notifications did,
 * folded into one line, and the reminder to unread households); the leader's note on a city circular and
 * withdrawing come last.
 */
export function BoardPage({ id }: { id: string }) {
  const [board, setBoard] = useState<Board | null>(null);
  /** Where it came from (the association or the city) and the leader's note: the board itself does not say. */
  const [detail, setDetail] = useState<Pick<Circular, "origin" | "leaderNote"> | null>(null);
  /** The answers to its questions (none asked: null). */
  const [answers, setAnswers] = useState<AnswerBoard | null>(null);
  /** Counts the reminders sent from the answers, so that the push panel shows the last one. */
  const [reminders, setReminders] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [undoing, setUndoing] = useState<BoardHousehold | null>(null);
  const [busy, setBusy] = useState(false);

  const { error, load, actionError, setActionError, announce, setAnnounce } = useCircularPage(id, async () => {
    const [b, d] = await Promise.all([
      api<Board>(`/api/circulars/${encodeURIComponent(id)}/receipts`),
      api<Circular>(`/api/circulars/${encodeURIComponent(id)}`),
    ]);
    const a = d.questions.length ? await api<AnswerBoard>(`/api/circulars/${encodeURIComponent(id)}/answers`) : null;
    setBoard(unreadFirst(b));
    setDetail({ origin: d.origin, leaderNote: d.leaderNote ?? null });
    setAnswers(a);
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
  const households = board?.blocks.flatMap((b) => b.households) ?? [];
  const readNow = new Map(households.map((h) => [h.id, !!h.readAt] as const));
  const unanswered = new Set(answers?.blocks.flatMap((b) => b.unanswered.map((h) => h.id)));
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
          <ReadRate counts={board.counts} large />
          <div class="row unread-row">
            {board.counts.targeted > 0 && (
              <p class="unread-count">
                {board.counts.unread > 0
                  ? lt("leader.board.unreadCount", { n: board.counts.unread })
                  : lt("leader.board.noneUnread")}
              </p>
            )}
            <label class="choice">
              <input
                type="checkbox"
                checked={unreadOnly}
                onChange={(e) => setUnreadOnly((e.target as HTMLInputElement).checked)}
              />
              {lt("leader.board.unreadOnly")}
            </label>
          </div>
          {published && <p class="muted">{lt("leader.board.paperHelp")}</p>}
          <ActionStatus error={actionError} announce={announce} />
          {board.blocks.length === 0 && <p>{lt("leader.board.noHouseholds")}</p>}
          {board.blocks.map((b) => {
            const rows = unreadOnly ? b.households.filter((h) => !h.readAt) : b.households;
            return (
              <section key={b.id} class="stack board-block" aria-labelledby={`block-${b.id}`}>
                <div class="block-head">
                  <h2 id={`block-${b.id}`}>{b.name}</h2>
                  <ReadRate counts={b.counts} />
                </div>
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
          <div class="row actions">
            <a class="btn" href={`/leader/c/${encodeURIComponent(id)}/unread`}>
              {lt("leader.board.printUnread")}
            </a>
            <a class="btn" href={`/leader/c/${encodeURIComponent(id)}/print`}>
              {lt("leader.board.printCircular")}
            </a>
          </div>
          {answers && c.status !== "draft" && (
            <AnswersSection
              circularId={id}
              answers={answers}
              published={published}
              reachableUnanswered={households.filter((h) => unanswered.has(h.id) && h.pushReachable).length}
              onSaved={async (label) => {
                await load();
                setAnnounce(lt("leader.answers.paperDone", { label }));
              }}
              onReminded={() => setReminders((n) => n + 1)}
            />
          )}
          {c.status !== "draft" && (
            <PushPanel
              refresh={reminders}
              circularId={id}
              published={published}
              unread={board.counts.unread}
              reachableUnread={households.filter((h) => !h.readAt && h.pushReachable).length}
              dueAt={c.dueAt}
              readNow={readNow}
            />
          )}
          {fromCity && published && (
            <LeaderNoteForm
              id={id}
              note={detail?.leaderNote ?? null}
              canEdit={isLeader()}
              onSaved={(leaderNote) => setDetail((d) => (d ? { ...d, leaderNote } : d))}
            />
          )}
          {isLeader() && published && !fromCity && withdrawal.section}
        </>
      )}
    </CircularPageFrame>
  );
}
