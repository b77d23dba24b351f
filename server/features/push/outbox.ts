// The push outbox in SQL: writing rows (in the caller's batch, so a push exists exactly when what caused it does),
// claiming due rows for a sender, and recording what the push services answered. Raw SQL throughout: these
// statements touch up to a whole city's subscriptions at once, and each is one statement on libSQL and D1 alike.
import { sql, type SQL } from "drizzle-orm";
import { changesOf, type BatchItem, type Db } from "../../db/client";
import {
  associations,
  circulars,
  households,
  members,
  pushOutbox,
  pushPreferences,
  pushSubscriptions,
  receipts,
  watches,
  type PushKind,
} from "../../db/schema";
import { hasAnswered } from "../answers/answered";
import { alertOpen } from "../watch/quiet";
import { deliverableAt } from "./quiet-hours";
import { preferenceAllows } from "./reach";

/** Which receipts' households get a push: one circular of one association, or (`receipts`, an SQL condition on the
 *  receipt `r`) a set of circulars at once, e.g. every association's copy of a city circular. */
export type EnqueueTarget = { circularId: string; associationId: string } | { receipts: SQL };

export type EnqueueInput = EnqueueTarget & {
  kind: PushKind;
  urgent: boolean;
  now: Date;
  /** Reminders go only to households that have not read the circular yet. */
  onlyUnread: boolean;
  /** An answer reminder goes only to households that have not answered its questions. */
  onlyUnanswered?: boolean;
  /** A block leader's reminder reaches only their block. */
  blockId?: string | null | undefined;
  /** A condition evaluated inside the batch (for example "the audit row of this action exists"), so that only
   *  the write that won a race enqueues. */
  guard: SQL;
};

/**
 * One outbox row per device of every member (not disabled) of the circular's households (with `receipts`: of the
 * households of every matching receipt, so a whole-city circular's copies are one INSERT…SELECT), unless the member
 * turned pushes off, or to urgent only for a normal circular. Normal pushes queued in quiet hours wait until 7:00 JST.
 */
export function enqueuePushes(db: Db, input: EnqueueInput) {
  const now = input.now.getTime();
  const due = deliverableAt(input.now, input.urgent).getTime();
  return db.run(sql`
    INSERT INTO ${pushOutbox} (association_id, subscription_id, household_id, circular_id, kind, urgent, status,
      attempts, next_attempt_at, created_at)
    SELECT r.association_id, s.id, r.household_id, r.circular_id, ${input.kind}, ${input.urgent ? 1 : 0}, 'pending',
      0, ${due}, ${now}
    FROM ${receipts} r
    -- By the household (unary + keeps SQLite off members_association, which for a whole-city circular read every
    -- member of the association for each receipt: 30 s instead of 3 at Sendai's scale).
    JOIN ${members} m ON m.household_id = r.household_id AND +m.association_id = r.association_id
      AND m.disabled_at IS NULL
    JOIN ${pushSubscriptions} s ON s.member_id = m.id AND s.association_id = r.association_id
    LEFT JOIN ${pushPreferences} p ON p.member_id = m.id
    WHERE ${"receipts" in input ? input.receipts : sql`r.circular_id = ${input.circularId} AND r.association_id = ${input.associationId}`}
      ${input.onlyUnread ? sql`AND r.read_at IS NULL` : sql``}
      ${input.onlyUnanswered ? sql`AND NOT ${hasAnswered(sql`r.circular_id`, sql`r.household_id`)}` : sql``}
      ${input.blockId ? sql`AND r.block_id = ${input.blockId}` : sql``}
      AND ${preferenceAllows(sql`p.mode`, input.urgent)}
      AND ${input.guard}`);
}

/** A claimed row with what sending it needs. Null fields: the subscription or circular is gone. */
export interface OutboxItem {
  id: number;
  kind: PushKind;
  urgent: boolean;
  attempts: number;
  createdAt: number;
  subscriptionId: string;
  /** The circular; for a 見守り push ("watch"), the watched household (never put in the payload). */
  circularId: string;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
  title: string | null;
  circularStatus: string | null;
  associationName: string | null;
  readAt: number | null;
  /** The household has answered the circular's questions (an answer reminder is then no longer worth sending). */
  answered: boolean;
  /** A 見守り push: the notice is still open (the household has not read anything since, nor been checked on). */
  watchOpen: boolean;
}

/**
 * Claims up to `limit` due rows, urgent ones first, by moving their next_attempt_at to `leaseUntil` and counting
 * the attempt. Claiming is one UPDATE, so two senders (the timer and a publish, or two Workers) never take the same
 * row; a sender that dies leaves its rows to come due again when the lease ends.
 */
export async function claimDue(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<OutboxItem[]> {
  const t = now.getTime();
  const due = (urgent: 0 | 1) => sql`
    SELECT id FROM (SELECT id FROM ${pushOutbox}
      WHERE status = 'pending' AND urgent = ${urgent} AND next_attempt_at <= ${t}
      ORDER BY next_attempt_at LIMIT ${limit})`;
  const claimed = await db.all<{ id: number }>(sql`
    UPDATE ${pushOutbox} SET attempts = attempts + 1, next_attempt_at = ${leaseUntil.getTime()}
    WHERE id IN (${due(1)} UNION ALL ${due(0)} LIMIT ${limit})
    RETURNING id`);
  if (claimed.length === 0) return [];
  const rows = await db.all<
    Omit<OutboxItem, "urgent" | "answered" | "watchOpen"> & { urgent: number; answered: number; watchOpen: number }
  >(sql`
    SELECT o.id, o.kind, o.urgent, o.attempts, o.created_at AS createdAt, o.subscription_id AS subscriptionId,
      o.circular_id AS circularId, s.endpoint, s.p256dh, s.auth, c.title, c.status AS circularStatus,
      -- A city circular's copies come from the city: the notification says so (「仙台市からの回覧です」).
      CASE WHEN c.origin = 'city' THEN '仙台市' ELSE a.name END AS associationName, r.read_at AS readAt,
      ${hasAnswered(sql`o.circular_id`, sql`o.household_id`)} AS answered,
      CASE WHEN o.kind = 'watch' THEN EXISTS (SELECT 1 FROM ${watches} w
        JOIN ${households} h ON h.id = w.household_id AND h.association_id = w.association_id
        WHERE w.household_id = o.circular_id AND w.association_id = o.association_id AND ${alertOpen()})
      ELSE 0 END AS watchOpen
    FROM ${pushOutbox} o
    LEFT JOIN ${pushSubscriptions} s ON s.id = o.subscription_id
    LEFT JOIN ${circulars} c ON c.id = o.circular_id
    LEFT JOIN ${associations} a ON a.id = o.association_id
    LEFT JOIN ${receipts} r ON r.circular_id = o.circular_id AND r.household_id = o.household_id
    WHERE o.id IN (SELECT value FROM json_each(${JSON.stringify(claimed.map((r) => r.id))}))
    ORDER BY o.urgent DESC, o.id`);
  return rows.map((r) => ({ ...r, urgent: r.urgent === 1, answered: r.answered === 1, watchOpen: r.watchOpen === 1 }));
}

/** What became of one claimed row. */
export type Outcome =
  | { id: number; status: "sent"; httpStatus: number; subscriptionId: string }
  | { id: number; status: "failed"; httpStatus: number | null; gone?: string | undefined }
  | { id: number; status: "skipped" }
  | { id: number; status: "retry"; httpStatus: number; nextAttemptAt: number };

/**
 * Records a round of outcomes in one batch: the rows' new states, the subscriptions that worked (last success), and
 * the subscriptions the push service says are gone (404/410), deleted with any other pushes still waiting for them.
 */
export async function recordOutcomes(db: Db, outcomes: Outcome[], now: Date) {
  if (outcomes.length === 0) return;
  const t = now.getTime();
  const rows = outcomes.map((o) => ({
    i: o.id,
    s: o.status === "retry" ? "pending" : o.status,
    l: "httpStatus" in o ? o.httpStatus : null,
    n: o.status === "retry" ? o.nextAttemptAt : null,
    t: o.status === "sent" ? t : null,
  }));
  const worked = [...new Set(outcomes.flatMap((o) => (o.status === "sent" ? [o.subscriptionId] : [])))];
  const gone = [...new Set(outcomes.flatMap((o) => (o.status === "failed" && o.gone ? [o.gone] : [])))];
  const each = (values: unknown[]) => sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`;
  const statements: [BatchItem, ...BatchItem[]] = [
    db.run(sql`
      UPDATE ${pushOutbox} SET status = json_extract(j.value, '$.s'), last_status = json_extract(j.value, '$.l'),
        next_attempt_at = coalesce(json_extract(j.value, '$.n'), next_attempt_at),
        sent_at = coalesce(json_extract(j.value, '$.t'), sent_at)
      FROM json_each(${JSON.stringify(rows)}) j
      WHERE ${pushOutbox.id} = json_extract(j.value, '$.i')`),
  ];
  if (worked.length > 0)
    statements.push(db.run(sql`UPDATE ${pushSubscriptions} SET last_success_at = ${t} WHERE id IN ${each(worked)}`));
  if (gone.length > 0) {
    statements.push(
      db.run(
        sql`UPDATE ${pushOutbox} SET status = 'skipped' WHERE status = 'pending' AND subscription_id IN ${each(gone)}`,
      ),
      db.run(sql`DELETE FROM ${pushSubscriptions} WHERE id IN ${each(gone)}`),
    );
  }
  await db.batch(statements);
}

/** Old outbox rows (sent, failed, skipped) are kept 90 days for the leader's figures, then removed. */
export async function deleteOldPushes(db: Db, now: Date): Promise<number> {
  const cutoff = now.getTime() - 90 * 24 * 60 * 60 * 1000;
  const res = await db.run(sql`DELETE FROM ${pushOutbox} WHERE status <> 'pending' AND created_at < ${cutoff}`);
  return changesOf(res);
}
