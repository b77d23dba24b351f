import { formatDateTime } from "../../../format";
import { lt } from "../i18n";
import type { BoardHousehold } from "../leader-api";

/**
 * One household on the board: its name, 「確認済み」 or 「未確認」 in words (the colour only repeats it), and for an
 * unread one the one-tap 「紙で確認」 (its accessible name names the household: 「山田 紙で確認」).
 */
export function HouseholdRow({
  h,
  canRecord,
  busy,
  onPaper,
  onUndo,
}: {
  h: BoardHousehold;
  canRecord: boolean;
  busy: boolean;
  onPaper: () => void;
  onUndo: () => void;
}) {
  const read = !!h.readAt;
  return (
    <li class={read ? "hh read" : "hh unread"}>
      <span class="hh-name">
        {h.label}
        {h.householdChannel === "paper" && <span class="badge">{lt("leader.channel.paperShort")}</span>}
      </span>
      <span class="hh-status" id={`hh-status-${h.id}`} tabIndex={-1}>
        {read ? lt("leader.board.read") : lt("leader.board.unread")}
      </span>
      {read && h.readAt && (
        <span class="hh-detail muted">
          {formatDateTime(h.readAt)}{" "}
          {h.channel === "paper"
            ? h.readByName
              ? lt("leader.board.byPaperWho", { name: h.readByName })
              : lt("leader.board.byPaper")
            : lt("leader.board.byApp")}
        </span>
      )}
      {canRecord && !read && (
        <button
          type="button"
          class="btn hh-action"
          aria-label={lt("leader.board.paperAck", { label: h.label })}
          aria-disabled={busy ? "true" : undefined}
          onClick={() => !busy && onPaper()}
        >
          {lt("leader.board.paperAckShort")}
        </button>
      )}
      {canRecord && read && h.channel === "paper" && (
        <button
          type="button"
          class="btn link hh-action"
          aria-label={lt("leader.board.undo", { label: h.label })}
          onClick={onUndo}
        >
          {lt("leader.board.undoShort")}
        </button>
      )}
    </li>
  );
}
