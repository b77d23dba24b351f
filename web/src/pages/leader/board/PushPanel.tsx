import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { formatDateTime } from "../../../format";
import { messageFor } from "../../staff/errors";
import { lt } from "../i18n";
import type { PushFigures, UnreachableHousehold } from "../leader-api";
import { Reminder } from "./Reminder";

/** Unread households push cannot reach: listed open up to this many, behind 「見る」 beyond. */
const OPEN_UP_TO = 10;

const REASONS = {
  paper: "leader.push.reason.paper",
  no_device: "leader.push.reason.noDevice",
  off: "leader.push.reason.off",
} as const;

function UnreachableRow({ h, read }: { h: UnreachableHousehold; read: boolean }) {
  return (
    <li class={read ? "hh read" : "hh unread"}>
      <span class="hh-name">
        {h.label}
        <span class="badge">{h.blockName}</span>
      </span>
      <span class="hh-detail">{lt(REASONS[h.reason])}</span>
      <span class="hh-status">{read ? lt("leader.board.read") : lt("leader.board.unread")}</span>
    </li>
  );
}

/**
 * The push side of a circular's board, below the households: one line of what notifications did (sent / failed /
 * waiting, one per device) that opens the detail: which households push cannot reach (paper, no device,
 * notifications turned off) and whether they have read, the ones to visit or hand paper to. 「未確認の世帯に再通知」
 * pushes again to the unread households (the server allows it once an hour and says so in its own words); it is
 * offered only when a push would reach at least one of them (`reachableUnread`, from the board), else the panel says
 * why not. `readNow` carries the board's live read state (a paper acknowledgement recorded on this screen) over the
 * figures' own.
 */
export function PushPanel(p: {
  circularId: string;
  published: boolean;
  unread: number;
  reachableUnread: number;
  dueAt: string | null;
  readNow: Map<string, boolean>;
  /** Changes after a reminder sent elsewhere on the board (the answers'): the figures load again. */
  refresh?: number;
}) {
  const [figures, setFigures] = useState<PushFigures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/circulars/${encodeURIComponent(p.circularId)}`;

  async function load() {
    try {
      setFigures(await api<PushFigures>(`${path}/push`));
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }
  useEffect(() => {
    void load();
  }, [p.circularId, p.refresh]);

  const readOf = (h: UnreachableHousehold) => p.readNow.get(h.id) ?? h.read;
  const unreachable = figures?.unreachableHouseholds ?? [];
  const unreadList = unreachable.filter((h) => !readOf(h));
  const readList = unreachable.filter((h) => readOf(h));

  return (
    <section class="stack push-panel" aria-labelledby="push-panel-h">
      <h2 id="push-panel-h">{lt("leader.push.title")}</h2>
      {error && <ErrorNotice message={error} onRetry={load} />}
      {!figures && !error && <Loading />}
      {figures && (
        <details class="push-list">
          <summary class={figures.pushes.failed > 0 ? "push-failed" : undefined}>
            {lt("leader.push.summary", {
              sent: figures.pushes.sent,
              failed: figures.pushes.failed,
              waiting: figures.pushes.waiting,
            })}
          </summary>
          <div class="stack">
            <p class="muted">{lt("leader.push.perDevice")}</p>
            <p>
              {lt("leader.push.reachable", {
                reachable: figures.households.reachable,
                total: figures.households.targeted,
              })}
            </p>
            {unreachable.length > 0 && (
              <div class="stack">
                <h3>{lt("leader.push.unreachable", { n: unreachable.length })}</h3>
                <p class="muted">{lt("leader.push.unreachableHelp")}</p>
                {unreadList.length > 0 ? (
                  // A long list (before many devices are registered, nearly everyone) opens on request.
                  <details class="push-list" open={unreadList.length <= OPEN_UP_TO}>
                    <summary>{lt("leader.push.unreachableUnread", { n: unreadList.length })}</summary>
                    <ul class="hh-list" aria-label={lt("leader.push.unreachableUnread", { n: unreadList.length })}>
                      {unreadList.map((h) => (
                        <UnreachableRow key={h.id} h={h} read={false} />
                      ))}
                    </ul>
                  </details>
                ) : (
                  <p class="notice ok">{lt("leader.push.unreachableAllRead")}</p>
                )}
                {readList.length > 0 && (
                  <details class="push-list">
                    <summary>{lt("leader.push.unreachableRead", { n: readList.length })}</summary>
                    <ul class="hh-list" aria-label={lt("leader.push.unreachableRead", { n: readList.length })}>
                      {readList.map((h) => (
                        <UnreachableRow key={h.id} h={h} read />
                      ))}
                    </ul>
                  </details>
                )}
              </div>
            )}
          </div>
        </details>
      )}
      {figures?.lastReminderAt && (
        <p class="muted">{lt("leader.push.lastReminder", { date: formatDateTime(figures.lastReminderAt) })}</p>
      )}
      {figures?.autoReminderAt ? (
        <p class="muted">{lt("leader.push.autoSent", { date: formatDateTime(figures.autoReminderAt) })}</p>
      ) : (
        figures && p.published && p.dueAt && <p class="muted">{lt("leader.push.autoPlanned")}</p>
      )}
      {p.published && (
        <Reminder
          circularId={p.circularId}
          to="unread"
          pending={p.unread}
          reachable={p.reachableUnread}
          text={(name, params) => lt(`leader.push.${name}`, params)}
          onDone={load}
        />
      )}
    </section>
  );
}
