// 引き継ぎ: the leader hands staff roles (会長・役員, 班長) to successors for the coming 年度. Each role gets a one-time
// staff invite printed on an A4 sheet; when the successor joins with it (invites.service.ts, on-join.ts), the
// handover is completed in the join's own batch and the outgoing officer keeps read-only access (「前会長」) for 30
// days. Everything is scoped by the association from the session and audited.
import { and, asc, count, desc, eq, gt, inArray, isNull, lte, or, sql, sum } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import type { BatchItem, Db } from "../../db/client";
import {
  associations,
  blocks,
  circulars,
  handovers,
  households,
  invites,
  members,
  sessions,
  type HandoverRole,
} from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { DAY } from "../../lib/time";
import { audit, auditIfChanged, auditInsert, happened } from "../audit/audit";
import { getBlock } from "../households/households.service";
import { associationName, presentStaffInvite, staffInviteRows, type IssuedInvite } from "../invites/invites.service";
import { currentTerm, nextTerm, parseTermStart, type Term } from "./term";

/** At most this many roles in one handover (a leader and the 班長 of a large association's 40+ blocks). */
export const MAX_HANDOVER_ITEMS = 60;
/** Within this many days of a term's end, a handover is for the next term (prepared in March for April). */
export const NEXT_TERM_WITHIN_DAYS = 90;

const termOut = (t: Term) => ({ startDate: t.startDate, endDate: t.endDate, year: t.year });

async function termStartOf(ctx: AssociationCtx): Promise<string> {
  const [a] = await ctx.db
    .select({ termStart: associations.termStart })
    .from(associations)
    .where(eq(associations.id, ctx.associationId));
  if (!a) throw errors.notFound("町内会", "association");
  return a.termStart;
}

/** The term a handover prepared now is for: this one, or the next once this one is within 90 days of its end. */
export function handoverTerm(now: Date, termStart: string): Term {
  const cur = currentTerm(now, termStart);
  return cur.end.getTime() - now.getTime() <= NEXT_TERM_WITHIN_DAYS * DAY ? nextTerm(now, termStart) : cur;
}

/** The association's term now, the term a handover would be for, the officers, and the handovers. */
export async function getHandoverOverview({ ctx }: { ctx: AssociationCtx }) {
  const termStart = await termStartOf(ctx);
  const officers = await ctx.db
    .select({
      id: members.id,
      displayName: members.displayName,
      role: members.role,
      blockId: members.blockId,
      blockName: blocks.name,
      readOnlyUntil: members.readOnlyUntil,
    })
    .from(members)
    .leftJoin(blocks, eq(blocks.id, members.blockId))
    .where(
      and(
        eq(members.associationId, ctx.associationId),
        inArray(members.role, ["leader", "block_leader"]),
        isNull(members.disabledAt),
        or(isNull(members.readOnlyUntil), gt(members.readOnlyUntil, ctx.now)),
      ),
    )
    .orderBy(desc(members.role), asc(blocks.sortOrder), asc(members.createdAt));
  const outgoing = sql<string | null>`(SELECT display_name FROM members m WHERE m.id = ${handovers.outgoingMemberId})`;
  const successor = sql<
    string | null
  >`(SELECT display_name FROM members m WHERE m.id = ${handovers.successorMemberId})`;
  const rows = await ctx.db
    .select({
      h: handovers,
      blockName: blocks.name,
      outgoingName: outgoing,
      successorName: successor,
      inviteExpiresAt: invites.expiresAt,
    })
    .from(handovers)
    .leftJoin(blocks, eq(blocks.id, handovers.blockId))
    .leftJoin(invites, eq(invites.id, handovers.inviteId))
    .where(eq(handovers.associationId, ctx.associationId))
    .orderBy(desc(handovers.createdAt))
    .limit(200);
  return {
    termStart,
    term: termOut(currentTerm(ctx.now, termStart)),
    handoverTerm: termOut(handoverTerm(ctx.now, termStart)),
    officers: officers.map((o) => ({
      ...o,
      readOnlyUntil: o.readOnlyUntil?.toISOString() ?? null,
      isMe: o.id === ctx.actor.memberId,
    })),
    handovers: rows.map((r) => ({
      id: r.h.id,
      role: r.h.role,
      blockId: r.h.blockId,
      blockName: r.blockName,
      outgoingMemberId: r.h.outgoingMemberId,
      outgoingName: r.outgoingName,
      successorName: r.successorName,
      // A pending handover whose invite has run out (or was cancelled in 「世帯と招待」) can only be cancelled.
      status:
        r.h.status === "pending" && (!r.inviteExpiresAt || r.inviteExpiresAt.getTime() <= ctx.now.getTime())
          ? ("expired" as const)
          : r.h.status,
      termStartDate: currentTerm(r.h.termStart, termStart).startDate,
      createdAt: r.h.createdAt.toISOString(),
      inviteExpiresAt: r.inviteExpiresAt?.toISOString() ?? null,
      completedAt: r.h.completedAt?.toISOString() ?? null,
      cancelledAt: r.h.cancelledAt?.toISOString() ?? null,
      readOnlyUntil: r.h.readOnlyUntil?.toISOString() ?? null,
    })),
  };
}

export interface HandoverItemInput {
  role: HandoverRole;
  blockId?: string | undefined;
  /** The officer stepping down; null or absent when nobody does (a new or vacant role). */
  outgoingMemberId?: string | null | undefined;
}

async function checkOutgoing(ctx: AssociationCtx, items: HandoverItemInput[]) {
  const ids = items.map((i) => i.outgoingMemberId).filter((id): id is string => !!id);
  if (new Set(ids).size !== ids.length)
    throw errors.validation(
      "同じ方を二つの役の前任者にしています。役ごとに一人ずつ選んでください。",
      "The same officer is named as outgoing for two roles.",
    );
  if (ids.length === 0) return;
  const found = await ctx.db
    .select({ id: members.id, role: members.role, readOnlyUntil: members.readOnlyUntil })
    .from(members)
    .where(and(eq(members.associationId, ctx.associationId), inArray(members.id, ids), isNull(members.disabledAt)));
  const byId = new Map(found.map((m) => [m.id, m]));
  for (const item of items) {
    if (!item.outgoingMemberId) continue;
    const m = byId.get(item.outgoingMemberId);
    if (!m) throw errors.notFound("前任の役員", "outgoing officer");
    if (m.role !== item.role)
      throw errors.validation(
        item.role === "leader"
          ? "前任者には会長・役員の方を選んでください。"
          : "班長の引き継ぎでは、前任者に班長の方を選んでください。",
        "The outgoing officer must hold the role being handed over.",
      );
    if (m.readOnlyUntil)
      throw errors.conflict("この方の引き継ぎはもう済んでいます。", "This officer has already handed over their role.");
  }
  const pending = await ctx.db
    .select({ id: handovers.id })
    .from(handovers)
    .innerJoin(invites, eq(invites.id, handovers.inviteId))
    .where(
      and(
        eq(handovers.associationId, ctx.associationId),
        eq(handovers.status, "pending"),
        inArray(handovers.outgoingMemberId, ids),
        gt(invites.expiresAt, ctx.now),
      ),
    )
    .limit(1);
  if (pending.length > 0)
    throw errors.conflict(
      "この方の引き継ぎはすでに準備されています。やり直すときは、先に準備中の引き継ぎを取り消してください。",
      "A handover for this officer is already prepared. Cancel it first to prepare it again.",
    );
}

/**
 * Prepares a handover: for each role a staff invite and a pending handover row, all in one batch with their audit
 * rows. The invites last at least until 14 days into the term they are for (a handover prepared in March is used
 * in April). Answers the invites to print, in the order asked for.
 */
export async function prepareHandover({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { items: HandoverItemInput[]; origin: string };
}): Promise<{ handoverIds: string[]; invites: IssuedInvite[]; term: ReturnType<typeof termOut> }> {
  if (input.items.length === 0 || input.items.length > MAX_HANDOVER_ITEMS)
    throw errors.validation("引き継ぐ役を選んでください。", "Choose at least one role to hand over.");
  for (const item of input.items) {
    if (item.role === "block_leader" && !item.blockId)
      throw errors.validation("班長の引き継ぎには班を選んでください。", "Choose the block for a block leader.");
    if (item.blockId) await getBlock(ctx, item.blockId);
  }
  await checkOutgoing(ctx, input.items);
  const term = handoverTerm(ctx.now, await termStartOf(ctx));
  const statements: BatchItem[] = [];
  const issued = input.items.map((item) => {
    const handoverId = newId();
    const blockId = item.role === "block_leader" ? (item.blockId ?? null) : null;
    const outgoingMemberId = item.outgoingMemberId ?? null;
    // Usable for the usual time from the new term's first day, however early it is prepared.
    const invite = staffInviteRows({
      db: ctx.db,
      config: ctx.config,
      now: ctx.now,
      associationId: ctx.associationId,
      actorId: ctx.actor.memberId,
      kind: item.role,
      blockId,
      usableUntil: new Date(term.start.getTime() + ctx.config.inviteTtlMs),
    });
    statements.push(
      ...invite.statements,
      ctx.db.insert(handovers).values({
        id: handoverId,
        associationId: ctx.associationId,
        inviteId: invite.id,
        role: item.role,
        blockId,
        outgoingMemberId,
        termStart: term.start,
        createdBy: ctx.actor.memberId,
        createdAt: ctx.now,
      }),
      audit(ctx, "handover.prepare", "handover", handoverId, {
        role: item.role,
        blockId,
        outgoingMemberId,
        inviteId: invite.id,
        term: term.startDate,
      }),
    );
    return { handoverId, invite: invite.invite };
  });
  const [first, ...rest] = statements;
  if (first) await ctx.db.batch([first, ...rest]);
  const name = await associationName(ctx.db, ctx.associationId);
  return {
    handoverIds: issued.map((i) => i.handoverId),
    term: termOut(term),
    invites: issued.map((i) => presentStaffInvite(i.invite, input.origin, name)),
  };
}

const alreadyDone = () =>
  errors.conflict(
    "この引き継ぎはもう済んでいます。取り消せません。",
    "This handover has already been completed and cannot be cancelled.",
  );

/**
 * Cancels a pending handover and its invite, in one batch. It races a successor joining with the invite: the
 * handover is cancelled only while its invite is unused, and the join uses the invite only while its handover is
 * pending (on-join.ts), so exactly one of the two happens.
 */
export async function cancelHandover({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const [h] = await ctx.db
    .select()
    .from(handovers)
    .where(and(eq(handovers.id, input.id), eq(handovers.associationId, ctx.associationId)));
  if (!h) throw errors.notFound("引き継ぎ", "handover");
  if (h.status === "completed") throw alreadyDone();
  if (h.status === "cancelled") return;
  const inviteUnused = sql`EXISTS (SELECT 1 FROM ${invites} WHERE ${invites.id} = ${h.inviteId} AND ${invites.usedAt} IS NULL)`;
  const cancelled = auditIfChanged(ctx, "handover.cancel", "handover", h.id, { inviteId: h.inviteId });
  const results = await ctx.db.batch([
    ctx.db
      .update(handovers)
      .set({ status: "cancelled", cancelledAt: ctx.now })
      .where(
        and(
          eq(handovers.id, h.id),
          eq(handovers.associationId, ctx.associationId),
          eq(handovers.status, "pending"),
          inviteUnused,
        ),
      )
      .returning({ id: handovers.id }),
    cancelled.insert,
    ctx.db
      .update(invites)
      .set({ expiresAt: ctx.now })
      .where(
        and(
          eq(invites.id, h.inviteId),
          eq(invites.associationId, ctx.associationId),
          isNull(invites.usedAt),
          cancelled.won,
        ),
      ),
  ]);
  if (happened(results[0])) return;
  const [now] = await ctx.db.select({ status: handovers.status }).from(handovers).where(eq(handovers.id, h.id));
  if (now?.status === "cancelled") return;
  throw alreadyDone();
}

/** Changes the day the association's term starts ("MM-DD"). */
export async function setTermStart({ ctx, input }: { ctx: AssociationCtx; input: { termStart: string } }) {
  if (!parseTermStart(input.termStart))
    throw new ServiceError(
      "validation_failed",
      "年度の始まりの日付が正しくありません。「04-01」のように月と日で入力してください。",
      'The term start is not a valid day: use month and day, like "04-01".',
      { fields: [{ path: "termStart", message: "月-日（例：04-01）", messageEn: "MM-DD, e.g. 04-01" }] },
    );
  const before = await termStartOf(ctx);
  await ctx.db.batch([
    ctx.db.update(associations).set({ termStart: input.termStart }).where(eq(associations.id, ctx.associationId)),
    audit(ctx, "handover.term", "association", ctx.associationId, { from: before, to: input.termStart }),
  ]);
  return { termStart: input.termStart, term: termOut(currentTerm(ctx.now, input.termStart)) };
}

/**
 * 「はじめに確認すること」: the association's state as a successor finds it, each line with where to act. Counts only;
 * a line with nothing to do says so.
 */
export async function getChecklist({ ctx }: { ctx: AssociationCtx }) {
  const a = ctx.associationId;
  const termStart = await termStartOf(ctx);
  const [[b], [hh], [inv], [due], [ho]] = await Promise.all([
    ctx.db.select({ n: count() }).from(blocks).where(eq(blocks.associationId, a)),
    ctx.db
      .select({
        n: count(),
        paper: sum(sql`CASE WHEN ${households.channel} = 'paper' THEN 1 ELSE 0 END`),
        app: sum(sql`CASE WHEN ${households.channel} = 'app' THEN 1 ELSE 0 END`),
        reached: sum(sql`CASE WHEN ${households.channel} = 'app' AND ${households.pushDevices} > 0 THEN 1 ELSE 0 END`),
      })
      .from(households)
      .where(and(eq(households.associationId, a), isNull(households.leftAt))),
    ctx.db
      .select({ n: count() })
      .from(invites)
      .where(and(eq(invites.associationId, a), isNull(invites.usedAt), gt(invites.expiresAt, ctx.now))),
    ctx.db
      .select({ n: count() })
      .from(circulars)
      .where(and(eq(circulars.associationId, a), eq(circulars.status, "published"), gt(circulars.dueAt, ctx.now))),
    ctx.db
      .select({ n: count() })
      .from(handovers)
      .innerJoin(invites, eq(invites.id, handovers.inviteId))
      .where(and(eq(handovers.associationId, a), eq(handovers.status, "pending"), gt(invites.expiresAt, ctx.now))),
  ]);
  const num = (v: unknown) => Number(v ?? 0);
  const appHouseholds = num(hh?.app);
  return {
    term: termOut(currentTerm(ctx.now, termStart)),
    lines: [
      { key: "blocks" as const, count: num(b?.n), total: null, href: "/leader/households" },
      { key: "households" as const, count: num(hh?.n), total: null, href: "/leader/households" },
      { key: "paperHouseholds" as const, count: num(hh?.paper), total: num(hh?.n), href: "/leader/households" },
      { key: "unusedInvites" as const, count: num(inv?.n), total: null, href: "/leader/households" },
      { key: "circularsDue" as const, count: num(due?.n), total: null, href: "/leader" },
      { key: "pushReach" as const, count: num(hh?.reached), total: appHouseholds, href: "/leader/households" },
      { key: "pendingHandovers" as const, count: num(ho?.n), total: null, href: "/leader/handover" },
    ],
  };
}

/**
 * The periodic job (server/jobs.ts): an outgoing officer whose 30 read-only days are over leaves the staff roles in
 * the data too, not only in the session (auth/session.ts, standingOf, already treats them so): one who reads for a
 * household becomes its resident again, one who does not is disabled and signed out. Rules that pick officers by
 * role (a block's 班長 as a 見守り watcher, 輪番) then see only the successor. Audited per member. Returns how many.
 */
export async function endOutgoingAccess(db: Db, now: Date): Promise<number> {
  const ended = await db
    .select({
      id: members.id,
      associationId: members.associationId,
      householdId: members.householdId,
      role: members.role,
    })
    .from(members)
    .where(and(lte(members.readOnlyUntil, now), isNull(members.disabledAt)));
  for (const m of ended) {
    const stays = m.householdId !== null;
    await db.batch([
      db
        .update(members)
        .set(
          stays ? { role: "resident", blockId: null, readOnlyUntil: null } : { disabledAt: now, readOnlyUntil: null },
        )
        .where(and(eq(members.id, m.id), lte(members.readOnlyUntil, now))),
      ...(stays ? [] : [db.delete(sessions).where(eq(sessions.memberId, m.id))]),
      auditInsert(db, {
        associationId: m.associationId,
        actorId: null,
        action: "handover.ended",
        targetType: "member",
        targetId: m.id,
        detail: { role: m.role, now: stays ? "resident" : "disabled" },
        at: now,
      }),
    ]);
  }
  return ended.length;
}
