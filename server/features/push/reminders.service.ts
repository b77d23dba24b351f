// Reminders and the leader's push figures for a circular.
// - 「未確認の世帯に再通知」: a leader (or a block leader, for their block) pushes again to the households that have
//   not read it yet; at most once an hour per circular, so an anxious tap does not wake a household twice.
// - The automatic reminder: at 9:00 JST on the due date, once, to the households still unread.
// - The figures: pushes sent / failed / waiting, and the households push cannot reach (paper, no device, pushes
//   turned off): the ones to visit or hand paper to.
import { sql } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { changesOf, type Db } from "../../db/client";
import {
  blocks,
  circulars,
  households,
  members,
  pushOutbox,
  pushPreferences,
  pushSubscriptions,
  receipts,
} from "../../db/schema";
import { ServiceError, errors } from "../../lib/errors";
import { HOUR, formatDateTimeJa, jstDayStart, jstHour } from "../../lib/time";
import { auditIfChanged, auditIfWritten, happened } from "../audit/audit";
import { getCircularRow } from "../circulars/circulars.service";
import { hasAnswered } from "../answers/answered";
import { enqueuePushes } from "./outbox";
import { preferenceAllows } from "./reach";

export const REMIND_INTERVAL_MS = HOUR;
export const AUTO_REMIND_HOUR_JST = 9;

const notPublished = () =>
  errors.conflict("配布中の回覧だけ再通知できます。", "Only a published circular can be reminded.");

/** The block a block leader's actions are limited to; null for a leader (the whole association). */
const scopeBlock = (ctx: AssociationCtx) => (ctx.actor.role === "block_leader" ? (ctx.actor.blockId ?? "-") : null);

/** Whom a leader's reminder is for: households that have not read it, or (「未回答の世帯に再通知」) not answered it. */
export type RemindTo = "unread" | "unanswered";

export async function remindUnread({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string; to?: RemindTo | undefined };
}) {
  const to = input.to ?? "unread";
  const row = await getCircularRow(ctx, input.id);
  if (row.status !== "published") throw notPublished();
  if (to === "unanswered" && row.questions === "[]")
    throw errors.conflict("この回覧には質問がありません。", "This circular has no questions to answer.");
  const kind = to === "unanswered" ? "answer_reminder" : "reminder";
  // Households still to do in scope: unread, or without an answer.
  const pending =
    to === "unanswered" ? sql`NOT ${hasAnswered(sql`r.circular_id`, sql`r.household_id`)}` : sql`r.read_at IS NULL`;
  const tooSoon = (last: Date) => {
    const next = new Date(last.getTime() + REMIND_INTERVAL_MS);
    const wait = Math.max(1, Math.ceil((next.getTime() - ctx.now.getTime()) / 1000));
    return new ServiceError(
      "too_soon",
      `再通知は1時間に1回までです。${formatDateTimeJa(next)}以降にもう一度お試しください。`,
      `A reminder can be sent once an hour. Please try again after ${next.toISOString()}.`,
      { retryAfterSeconds: wait },
    );
  };
  if (row.lastRemindedAt && ctx.now.getTime() - row.lastRemindedAt.getTime() < REMIND_INTERVAL_MS)
    throw tooSoon(row.lastRemindedAt);
  const now = ctx.now.getTime();
  const blockId = scopeBlock(ctx);
  const reminded = auditIfChanged(ctx, "circular.remind", "circular", row.id, { block: blockId, to });
  const [claimed, , queued] = await ctx.db.batch([
    // The hourly limit, held inside the batch: two leaders tapping at once queue one reminder.
    ctx.db.all<{ id: string }>(sql`
      UPDATE ${circulars} SET last_reminded_at = ${now}
      WHERE id = ${row.id} AND association_id = ${ctx.associationId} AND status = 'published'
        AND (last_reminded_at IS NULL OR last_reminded_at <= ${now - REMIND_INTERVAL_MS})
      RETURNING id`),
    reminded.insert,
    enqueuePushes(ctx.db, {
      circularId: row.id,
      associationId: ctx.associationId,
      kind,
      urgent: row.priority === "urgent",
      now: ctx.now,
      onlyUnread: to === "unread",
      onlyUnanswered: to === "unanswered",
      blockId,
      guard: reminded.won,
    }),
  ]);
  if (!happened(claimed)) {
    const fresh = await getCircularRow(ctx, row.id);
    if (fresh.status !== "published") throw notPublished();
    throw tooSoon(fresh.lastRemindedAt ?? ctx.now);
  }
  const [reached] = await ctx.db.all<{ households: number }>(sql`
    SELECT count(DISTINCT household_id) AS households FROM ${pushOutbox}
    WHERE circular_id = ${row.id} AND kind = ${kind} AND created_at = ${now}`);
  const [unread] = await ctx.db.all<{ n: number }>(sql`
    SELECT count(*) AS n FROM ${receipts} r
    WHERE r.circular_id = ${row.id} AND ${pending} ${blockId ? sql`AND r.block_id = ${blockId}` : sql``}`);
  // households: households still to do that a push was queued for; unread: all of them in scope, unread (or, for
  // an answer reminder, unanswered); the rest need a visit or paper.
  return { households: reached?.households ?? 0, unread: unread?.n ?? 0, pushes: changesOf(queued) };
}

/**
 * The automatic reminder: from 9:00 JST on a circular's due date (while it is not yet due), once, to the households
 * still unread. Runs from the periodic push job; each circular is claimed by one UPDATE so that several processes
 * (or a late cron) never queue it twice. Returns how many circulars were reminded.
 */
export async function queueDueDateReminders(db: Db, now: Date): Promise<number> {
  if (jstHour(now) < AUTO_REMIND_HOUR_JST) return 0;
  const dayStart = jstDayStart(now).getTime();
  const dayEnd = dayStart + 24 * HOUR;
  const due = await db.all<{ id: string; associationId: string; priority: string }>(sql`
    SELECT id, association_id AS associationId, priority FROM ${circulars}
    WHERE status = 'published' AND auto_reminded_at IS NULL
      AND due_at >= ${dayStart} AND due_at < ${dayEnd} AND due_at > ${now.getTime()}`);
  let reminded = 0;
  for (const c of due) {
    const remind = auditIfWritten(db, {
      associationId: c.associationId,
      actorId: null,
      action: "circular.remind.auto",
      targetType: "circular",
      targetId: c.id,
      at: now,
    });
    await db.batch([
      db.run(sql`
        UPDATE ${circulars} SET auto_reminded_at = ${now.getTime()}
        WHERE id = ${c.id} AND status = 'published' AND auto_reminded_at IS NULL`),
      remind.insert,
      enqueuePushes(db, {
        circularId: c.id,
        associationId: c.associationId,
        kind: "reminder",
        urgent: c.priority === "urgent",
        now,
        onlyUnread: true,
        guard: remind.won,
      }),
    ]);
    reminded++;
  }
  return reminded;
}

export type Unreachable = "paper" | "no_device" | "off";

/** The leader's push figures for one circular (a block leader's: their block's). */
export async function circularPushFigures({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const row = await getCircularRow(ctx, input.id);
  const blockId = scopeBlock(ctx);
  const inBlock = (alias: string) => (blockId ? sql`AND ${sql.raw(alias)}.block_id = ${blockId}` : sql``);
  const [counts] = await ctx.db.all<{ sent: number; failed: number; waiting: number }>(sql`
    SELECT coalesce(sum(o.status = 'sent'), 0) AS sent, coalesce(sum(o.status = 'failed'), 0) AS failed,
      coalesce(sum(o.status = 'pending'), 0) AS waiting
    FROM ${pushOutbox} o
    ${blockId ? sql`JOIN ${households} h ON h.id = o.household_id` : sql``}
    WHERE o.circular_id = ${row.id} AND o.association_id = ${ctx.associationId} ${inBlock("h")}`);
  // Per targeted household: whether any member device would receive this circular's push now.
  const urgent = row.priority === "urgent";
  const perHousehold = await ctx.db.all<{
    id: string;
    label: string;
    blockId: string;
    blockName: string;
    channel: string;
    readAt: number | null;
    devices: number;
    reachable: number;
  }>(sql`
    SELECT h.id, h.label, h.block_id AS blockId, b.name AS blockName, h.channel, r.read_at AS readAt,
      count(s.id) AS devices,
      coalesce(sum(s.id IS NOT NULL AND ${preferenceAllows(sql`p.mode`, urgent)}), 0) AS reachable
    FROM ${receipts} r
    JOIN ${households} h ON h.id = r.household_id
    JOIN ${blocks} b ON b.id = h.block_id
    LEFT JOIN ${members} m ON m.household_id = h.id AND m.association_id = h.association_id AND m.disabled_at IS NULL
    LEFT JOIN ${pushSubscriptions} s ON s.member_id = m.id AND s.association_id = h.association_id
    LEFT JOIN ${pushPreferences} p ON p.member_id = m.id
    WHERE r.circular_id = ${row.id} AND r.association_id = ${ctx.associationId} ${inBlock("r")}
    GROUP BY h.id
    ORDER BY b.sort_order, b.name, h.label`);
  const unreachable = perHousehold
    .filter((h) => h.reachable === 0)
    .map((h) => ({
      id: h.id,
      label: h.label,
      blockId: h.blockId,
      blockName: h.blockName,
      reason: (h.channel === "paper" ? "paper" : h.devices === 0 ? "no_device" : "off") as Unreachable,
      read: h.readAt !== null,
    }));
  return {
    pushes: { sent: counts?.sent ?? 0, failed: counts?.failed ?? 0, waiting: counts?.waiting ?? 0 },
    households: {
      targeted: perHousehold.length,
      reachable: perHousehold.length - unreachable.length,
      unreachable: unreachable.length,
    },
    unreachableHouseholds: unreachable,
    lastReminderAt: row.lastRemindedAt,
    autoReminderAt: row.autoRemindedAt,
  };
}
