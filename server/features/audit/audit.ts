// The audit log: every change (and every city read) is written to it in the same batch as the change itself.
// This module owns how an audit row is written, unconditionally or only when the guarded write before it in the
// batch changed something, and how a request then tells that its guarded write was the one that happened.
import { and, desc, eq, is, sql, SQL } from "drizzle-orm";
import type { AssociationCtx, ServiceCtx } from "../../context";
import { changesOf, type Db } from "../../db/client";
import { auditLog, members } from "../../db/schema";
import { newId } from "../../lib/ids";

/** Every action written to the audit log (the `action` column). */
export type AuditAction =
  // leaders: circulars, their attachments and receipts
  | "circular.create"
  | "circular.update"
  | "circular.delete"
  | "circular.publish"
  | "circular.withdraw"
  | "circular.note"
  | "circular.remind"
  | "circular.remind.auto"
  | "attachment.create"
  | "attachment.delete"
  | "receipt.paper"
  | "receipt.paper.undo"
  | "answer.paper"
  // 安否確認, 要支援 and 見守り (features/safety, features/watch)
  | "safety.start"
  | "safety.close"
  | "safety.visit"
  | "support.register"
  | "support.withdraw"
  | "support.view"
  | "watch.set"
  | "watch.remove"
  | "watch.check"
  | "city.safety.start"
  | "city.safety.close"
  // 班長 rotation (features/rotation): the order saved, 「次の班長へ」, the term job, an awaited household joined
  | "rotation.order"
  | "rotation.next"
  | "rotation.term"
  | "rotation.joined"
  // leaders: blocks, households, members, invites
  | "block.create"
  | "block.update"
  | "block.delete"
  | "household.create"
  | "household.update"
  | "household.sessions.end"
  | "member.update"
  | "invite.create"
  | "invite.revoke"
  | "invite.use"
  | "roster.import"
  // 引き継ぎ (features/handover) and the operator's recovery of a leader
  | "handover.prepare"
  | "handover.cancel"
  | "handover.complete"
  | "handover.ended"
  | "handover.term"
  | "leader.reset"
  // staff: their own passkeys (features/passkeys)
  | "passkey.create"
  | "passkey.delete"
  // the admin CLI
  | "association.create"
  | "member.create"
  // the city: its circulars, and every read of its views (docs/adr/0005)
  | "city.view"
  | "city.export"
  | "city.circular.create"
  | "city.circular.update"
  | "city.circular.delete"
  | "city.circular.publish"
  | "city.circular.withdraw"
  | "city.circular.attachment.create"
  | "city.circular.attachment.delete"
  | "city.circular.list"
  | "city.circular.view"
  | "city.circular.figures"
  | "city.circular.attachment.view";

/** What an audit row is about (the `target_type` column). */
export type AuditTarget =
  "circular" | "city_circular" | "city" | "block" | "household" | "member" | "invite" | "association" | "handover";

type Detail = Record<string, unknown>;

export interface AuditEntry {
  associationId: string | null;
  actorId: string | null;
  action: AuditAction;
  targetType: AuditTarget;
  targetId: string | null;
  /** What changed, as JSON; in a guarded row also an SQL expression giving the JSON text, computed in the batch. */
  detail?: Detail | SQL | undefined;
  at: Date;
}

/** An audit row written whatever happens: for batches whose writes cannot lose a race (a new row, a read). */
export function auditInsert(db: Db, entry: AuditEntry & { detail?: Detail | undefined }) {
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

/** An audit row in a batch whose later statements, or whose caller, need to know whether it was written. */
export interface GuardedAudit {
  /** The row's id (setAuditDetail). */
  id: string;
  /** The INSERT … SELECT … WHERE, to put in the batch right after the guarded write. */
  insert: ReturnType<Db["run"]>;
  /**
   * "This request won": true inside the same batch, after `insert`, exactly when its row was written. Later
   * statements (receipts, rollups, pushes) carry it in their WHERE, so that a request that lost a race writes
   * nothing at all, even two racing in the same millisecond.
   */
  won: SQL;
}

/**
 * The audit row written only if the statement just before it in the same batch changed a row (SQLite's changes():
 * rows written by that statement itself, not by triggers), so that a request that lost a race leaves no trace.
 */
export function auditIfWritten(db: Db, entry: AuditEntry): GuardedAudit {
  const id = newId();
  const detail = entry.detail ?? {};
  const json = is(detail, SQL) ? detail : sql`${JSON.stringify(detail)}`;
  return {
    id,
    insert: db.run(sql`
      INSERT INTO ${auditLog} (id, association_id, actor_id, action, target_type, target_id, detail, at)
      SELECT ${id}, ${entry.associationId}, ${entry.actorId}, ${entry.action}, ${entry.targetType}, ${entry.targetId},
        ${json}, ${entry.at.getTime()}
      WHERE changes() > 0`),
    won: sql`EXISTS (SELECT 1 FROM ${auditLog} al WHERE al.id = ${id})`,
  };
}

/**
 * A statement for later in the same batch: the guarded row's detail, from what the batch wrote after it (a city
 * circular's copies and households exist only once they are written). Changes nothing if the row was not written.
 */
export function setAuditDetail(db: Db, audit: GuardedAudit, detail: SQL) {
  return db.run(sql`UPDATE ${auditLog} SET detail = ${detail} WHERE id = ${audit.id}`);
}

/**
 * After the batch: whether a guarded write happened, from its result in the batch's answer. Takes the rows of a
 * `.returning()` write, or the result of a `run` (libSQL's rowsAffected, D1's meta.changes).
 */
export function happened(result: unknown): boolean {
  return Array.isArray(result) ? result.length > 0 : changesOf(result) > 0;
}

/** The entry for an action of the context's actor: in its association, or the city's (no association). */
export function entryOf(
  ctx: ServiceCtx | AssociationCtx,
  action: AuditAction,
  targetType: AuditTarget,
  targetId: string | null,
  detail?: Detail | SQL,
): AuditEntry {
  return {
    associationId: "associationId" in ctx ? ctx.associationId : null,
    actorId: ctx.actor.memberId,
    action,
    targetType,
    targetId,
    detail,
    at: ctx.now,
  };
}

/**
 * The audit row for an action by the context's actor (in its association, if it has one). Awaited on its own for
 * a city read, recorded once the read has succeeded (docs/adr/0005: every city access is recorded).
 */
export function audit(
  ctx: ServiceCtx | AssociationCtx,
  action: AuditAction,
  targetType: AuditTarget,
  targetId: string | null,
  detail?: Detail,
) {
  return auditInsert(ctx.db, { ...entryOf(ctx, action, targetType, targetId), detail });
}

/** The same, written only if the guarded write just before it in the batch changed a row (auditIfWritten). */
export function auditIfChanged(
  ctx: ServiceCtx | AssociationCtx,
  action: AuditAction,
  targetType: AuditTarget,
  targetId: string | null,
  detail?: Detail | SQL,
): GuardedAudit {
  return auditIfWritten(ctx.db, entryOf(ctx, action, targetType, targetId, detail));
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
