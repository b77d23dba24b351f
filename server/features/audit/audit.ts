// Every change a leader makes is written to the audit log in the same batch as the change itself.
import { and, desc, eq } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import type { Db } from "../../db/client";
import { auditLog, members } from "../../db/schema";
import { newId } from "../../lib/ids";

export function auditInsert(
  db: Db,
  entry: {
    associationId: string | null;
    actorId: string | null;
    action: string;
    targetType: string;
    targetId: string | null;
    detail?: Record<string, unknown>;
    at: Date;
  },
) {
  return db.insert(auditLog).values({
    id: newId(),
    associationId: entry.associationId,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    detail: JSON.stringify(entry.detail ?? {}),
    at: entry.at,
  });
}

/** The audit row for an action by the context's actor in its association. */
export function audit(
  ctx: AssociationCtx,
  action: string,
  targetType: string,
  targetId: string | null,
  detail?: Record<string, unknown>,
) {
  return auditInsert(ctx.db, {
    associationId: ctx.associationId,
    actorId: ctx.actor.memberId,
    action,
    targetType,
    targetId,
    detail,
    at: ctx.now,
  });
}

export async function listAudit({ ctx, input }: { ctx: AssociationCtx; input: { limit: number } }) {
  const rows = await ctx.db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      detail: auditLog.detail,
      at: auditLog.at,
      actorName: members.displayName,
    })
    .from(auditLog)
    .leftJoin(members, eq(members.id, auditLog.actorId))
    .where(and(eq(auditLog.associationId, ctx.associationId)))
    .orderBy(desc(auditLog.at))
    .limit(input.limit);
  return rows.map((r) => ({ ...r, at: r.at.toISOString(), detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
