// The handover's part of a successor's join (invites.service.ts consume): statements for the same batch that marks
// the invite used, each carrying the join's `won` condition, so a join that lost its race writes nothing here either.
import { and, eq, exists, sql, type SQL } from "drizzle-orm";
import type { BatchItem, Db } from "../../db/client";
import { handovers, members } from "../../db/schema";
import { DAY, jstDayStart } from "../../lib/time";
import { auditIfWritten } from "../audit/audit";

/** How long an outgoing officer keeps read-only access: days 1–30, the handover's day being day 1. */
export const READ_ONLY_DAYS = 30;

/** 00:00 JST of day 31, counting the day of `completedAt` (JST) as day 1: when read-only access ends. */
export function readOnlyEnd(completedAt: Date): Date {
  return new Date(jstDayStart(completedAt).getTime() + READ_ONLY_DAYS * DAY);
}

/**
 * The handover's part of a join with the invite, if it belongs to one (nothing for a plain staff invite): `guard`
 * for the invite's UPDATE, and the statements that complete the handover and make the outgoing officer read-only.
 * The guard keeps the handover pending at the moment of the join: a cancel sets the invite's expiry to its own
 * clock, and this keeps a join whose clock reads earlier from using it all the same.
 */
export async function handoverOnJoin(
  db: Db,
  args: { inviteId: string; associationId: string; successorId: string; now: Date; won: SQL },
): Promise<{ guard?: SQL; writes: BatchItem[] }> {
  const [h] = await db
    .select()
    .from(handovers)
    .where(and(eq(handovers.inviteId, args.inviteId), eq(handovers.associationId, args.associationId)));
  if (!h) return { writes: [] };
  if (h.status !== "pending") return { guard: sql`0`, writes: [] };
  const until = readOnlyEnd(args.now);
  const completed = auditIfWritten(db, {
    associationId: h.associationId,
    actorId: args.successorId,
    action: "handover.complete",
    targetType: "handover",
    targetId: h.id,
    detail: { role: h.role, blockId: h.blockId, outgoingMemberId: h.outgoingMemberId, readOnlyUntil: until },
    at: args.now,
  });
  const items: BatchItem[] = [
    db
      .update(handovers)
      .set({ status: "completed", successorMemberId: args.successorId, completedAt: args.now, readOnlyUntil: until })
      .where(and(eq(handovers.id, h.id), eq(handovers.status, "pending"), args.won)),
    completed.insert,
  ];
  // The outgoing officer keeps read-only access for 30 days; one already outgoing keeps the earlier end.
  if (h.outgoingMemberId)
    items.push(
      db
        .update(members)
        .set({ readOnlyUntil: sql`COALESCE(MIN(${members.readOnlyUntil}, ${until.getTime()}), ${until.getTime()})` })
        .where(and(eq(members.id, h.outgoingMemberId), eq(members.associationId, h.associationId), completed.won)),
    );
  const stillPending = exists(
    db
      .select({ id: handovers.id })
      .from(handovers)
      .where(and(eq(handovers.id, h.id), eq(handovers.status, "pending"))),
  );
  return { guard: stillPending, writes: items };
}
