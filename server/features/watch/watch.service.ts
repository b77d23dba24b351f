// 見守り (a quiet welfare watch): a household asks, in the app or through its leader, to be watched by its block
// leader or a member it names, over 3, 7 or 14 days. When it has acknowledged nothing for that long while circulars
// reached it (quiet.ts, from the periodic jobs), its watcher gets a push and an entry on the 「見守り」 screen, which
// clears when the household reads anything or the watcher records 「様子を確認しました」. The city never sees any
// of it: every route takes the association from the session, and the city's roles are refused.
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AssociationCtx, HouseholdCtx } from "../../context";
import type { BatchItem, Db } from "../../db/client";
import { blocks, households, members, watchChecks, watches } from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { iso } from "../../lib/openapi";
import { DAY } from "../../lib/time";
import { auditInsert, type AuditAction } from "../audit/audit";
import { getHousehold } from "../households/households.service";
import type { OwnWatch, WatchedHousehold, WatchInput } from "./watch.schemas";

type Ctx = { db: Db; now: Date; associationId: string; memberId: string };

const staffCtxOf = (ctx: AssociationCtx): Ctx => ({ ...ctx, memberId: ctx.actor.memberId });

function auditRow(ctx: Ctx, action: AuditAction, householdId: string, detail: Record<string, unknown>) {
  return auditInsert(ctx.db, {
    associationId: ctx.associationId,
    actorId: ctx.memberId,
    action,
    targetType: "household",
    targetId: householdId,
    detail,
    at: ctx.now,
  });
}

const watcherNotFound = () =>
  new ServiceError(
    "not_found",
    "見守る人に選んだ方が見つかりません。一覧から選び直してください。",
    "The member chosen to watch was not found. Please choose again from the list.",
  );

/** A named watcher must be a member of the association (not disabled) outside the watched household. */
async function checkWatcher(ctx: Ctx, householdId: string, watcherId: string | null) {
  if (watcherId === null) return;
  const [m] = await ctx.db
    .select({ householdId: members.householdId })
    .from(members)
    .where(
      and(eq(members.id, watcherId), eq(members.associationId, ctx.associationId), sql`${members.disabledAt} IS NULL`),
    );
  if (!m) throw watcherNotFound();
  if (m.householdId === householdId)
    throw errors.validation(
      "見守る人には、ほかの世帯の方を選んでください。",
      "Please choose someone from another household to watch.",
      [
        {
          path: "watcherId",
          message: "ほかの世帯の方を選んでください。",
          messageEn: "Choose someone from another household.",
        },
      ],
    );
}

/** The watch row written (asked or changed) with its audit row. A change of watcher or days keeps an open notice. */
function writeWatch(ctx: Ctx, householdId: string, input: WatchInput): [BatchItem, ...BatchItem[]] {
  return [
    ctx.db
      .insert(watches)
      .values({
        householdId,
        associationId: ctx.associationId,
        watcherId: input.watcherId,
        days: input.days,
        requestedBy: ctx.memberId,
        createdAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: watches.householdId,
        set: { watcherId: input.watcherId, days: input.days, requestedBy: ctx.memberId },
        // The household is the key; never another association's row.
        setWhere: sql`${watches.associationId} = ${ctx.associationId}`,
      }),
    auditRow(ctx, "watch.set", householdId, { watcherId: input.watcherId, days: input.days }),
  ];
}

/** Stopping deletes the watch and its history of checks. */
function deleteWatch(ctx: Ctx, householdId: string): [BatchItem, ...BatchItem[]] {
  return [
    ctx.db
      .delete(watchChecks)
      .where(and(eq(watchChecks.householdId, householdId), eq(watchChecks.associationId, ctx.associationId))),
    ctx.db
      .delete(watches)
      .where(and(eq(watches.householdId, householdId), eq(watches.associationId, ctx.associationId))),
    auditRow(ctx, "watch.remove", householdId, {}),
  ];
}

async function watchOf(ctx: Ctx, householdId: string): Promise<OwnWatch> {
  const [row] = await ctx.db
    .select({
      watcherId: watches.watcherId,
      days: watches.days,
      createdAt: watches.createdAt,
      watcherName: sql<string | null>`(SELECT display_name FROM ${members} wm WHERE wm.id = ${watches.watcherId})`,
      byHousehold: sql<number>`EXISTS (SELECT 1 FROM ${members} rb WHERE rb.id = ${watches.requestedBy}
        AND rb.household_id = ${watches.householdId})`,
    })
    .from(watches)
    .where(and(eq(watches.householdId, householdId), eq(watches.associationId, ctx.associationId)));
  if (!row) return { watch: null };
  return {
    watch: {
      watcher: row.watcherId ? { id: row.watcherId, name: row.watcherName ?? "" } : null,
      days: row.days,
      requestedBy: row.byHousehold ? "household" : "leader",
      createdAt: row.createdAt.toISOString(),
    },
  };
}

// ---------- the household's own watch (resident settings) ----------

export async function ownWatch({ ctx }: { ctx: HouseholdCtx }) {
  return watchOf(ctx, ctx.householdId);
}

/** 「見守りを希望する」: the household asks (or changes whom and how many days). */
export async function setOwnWatch({ ctx, input }: { ctx: HouseholdCtx; input: WatchInput }) {
  await checkWatcher(ctx, ctx.householdId, input.watcherId);
  await ctx.db.batch(writeWatch(ctx, ctx.householdId, input));
  return watchOf(ctx, ctx.householdId);
}

/** 「見守りをやめる」: deleted at once. */
export async function stopOwnWatch({ ctx }: { ctx: HouseholdCtx }): Promise<OwnWatch> {
  await ctx.db.batch(deleteWatch(ctx, ctx.householdId));
  return { watch: null };
}

// ---------- a leader records it for a household ----------

async function leadersHousehold(ctx: AssociationCtx, householdId: string) {
  // 404 outside the association, and for a household that has left (nobody to watch).
  if ((await getHousehold(ctx, householdId)).leftAt) throw errors.notFound("世帯", "household");
}

export async function householdWatch({ ctx, input }: { ctx: AssociationCtx; input: { householdId: string } }) {
  await leadersHousehold(ctx, input.householdId);
  return watchOf(staffCtxOf(ctx), input.householdId);
}

export async function setHouseholdWatch({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: WatchInput & { householdId: string };
}) {
  await leadersHousehold(ctx, input.householdId);
  const c = staffCtxOf(ctx);
  await checkWatcher(c, input.householdId, input.watcherId);
  await ctx.db.batch(writeWatch(c, input.householdId, input));
  return watchOf(c, input.householdId);
}

export async function removeHouseholdWatch({ ctx, input }: { ctx: AssociationCtx; input: { householdId: string } }) {
  await leadersHousehold(ctx, input.householdId);
  await ctx.db.batch(deleteWatch(staffCtxOf(ctx), input.householdId));
}

// ---------- the 「見守り」 screen ----------

/** The watches the actor looks after: a leader all, a block leader their block's and the ones naming them, a
 *  resident the ones naming them. */
function visibleTo(ctx: AssociationCtx): SQL {
  const named = eq(watches.watcherId, ctx.actor.memberId);
  if (ctx.actor.role === "leader") return sql`1`;
  if (ctx.actor.role === "block_leader") return sql`(${households.blockId} = ${ctx.actor.blockId ?? "-"} OR ${named})`;
  return named;
}

async function watchedHouseholds(ctx: AssociationCtx, where: SQL): Promise<WatchedHousehold[]> {
  const rows = await ctx.db
    .select({
      householdId: watches.householdId,
      label: households.label,
      blockId: households.blockId,
      blockName: blocks.name,
      watcherId: watches.watcherId,
      watcherName: members.displayName,
      days: watches.days,
      createdAt: watches.createdAt,
      alertedAt: watches.alertedAt,
      checkedAt: watches.checkedAt,
      lastReadAt: households.lastReadAt,
    })
    .from(watches)
    .innerJoin(
      households,
      and(eq(households.id, watches.householdId), eq(households.associationId, watches.associationId)),
    )
    .innerJoin(blocks, eq(blocks.id, households.blockId))
    .leftJoin(members, eq(members.id, watches.watcherId))
    .where(and(eq(watches.associationId, ctx.associationId), sql`${households.leftAt} IS NULL`, visibleTo(ctx), where));
  const ids = rows.map((r) => r.householdId);
  const checks =
    ids.length === 0
      ? []
      : await ctx.db
          .select({
            householdId: watchChecks.householdId,
            channel: watchChecks.channel,
            note: watchChecks.note,
            at: watchChecks.at,
            by: members.displayName,
          })
          .from(watchChecks)
          .leftJoin(members, eq(members.id, watchChecks.checkedBy))
          .where(and(eq(watchChecks.associationId, ctx.associationId), inArray(watchChecks.householdId, ids)))
          .orderBy(desc(watchChecks.at), desc(watchChecks.id));
  const now = ctx.now.getTime();
  return rows
    .map((r) => {
      const last = checks.find((c) => c.householdId === r.householdId);
      const alerted = r.alertedAt?.getTime() ?? null;
      const quiet =
        alerted !== null &&
        (r.lastReadAt === null || r.lastReadAt.getTime() <= alerted) &&
        (r.checkedAt === null || r.checkedAt.getTime() < alerted);
      const since = Math.max(r.lastReadAt?.getTime() ?? 0, r.createdAt.getTime());
      return {
        householdId: r.householdId,
        label: r.label,
        blockId: r.blockId,
        blockName: r.blockName,
        watcher: r.watcherId ? { id: r.watcherId, name: r.watcherName ?? "" } : null,
        days: r.days,
        quiet,
        quietDays: Math.max(0, Math.floor((now - since) / DAY)),
        lastReadAt: iso(r.lastReadAt),
        alertedAt: iso(r.alertedAt),
        checkedAt: iso(r.checkedAt),
        lastCheck: last
          ? { channel: last.channel, note: last.note, at: last.at.toISOString(), by: last.by ?? "" }
          : null,
      };
    })
    .sort(
      (a, b) => Number(b.quiet) - Number(a.quiet) || b.quietDays - a.quietDays || a.label.localeCompare(b.label, "ja"),
    );
}

/** 「見守り」: the watched households the actor looks after, the ones gone quiet first, with how many days. */
export async function listWatches({ ctx }: { ctx: AssociationCtx }) {
  return watchedHouseholds(ctx, sql`1`);
}

/**
 * 「様子を確認しました」: the watcher (or the household's block leader, or a leader) records a visit or a call. The
 * notice clears; the count of quiet days starts again from now. Anyone else, or another association's household:
 * 404, as if it were not watched.
 */
export async function recordCheck({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { householdId: string; channel: "visit" | "phone"; note: string };
}) {
  const where = eq(watches.householdId, input.householdId);
  const [seen] = await watchedHouseholds(ctx, where);
  if (!seen) throw errors.notFound("見守りの世帯", "watched household");
  const note = input.note.trim();
  await ctx.db.batch([
    ctx.db.insert(watchChecks).values({
      householdId: input.householdId,
      associationId: ctx.associationId,
      checkedBy: ctx.actor.memberId,
      channel: input.channel,
      note,
      at: ctx.now,
    }),
    ctx.db
      .update(watches)
      .set({ checkedAt: ctx.now })
      .where(and(where, eq(watches.associationId, ctx.associationId))),
    auditRow(staffCtxOf(ctx), "watch.check", input.householdId, { channel: input.channel }),
  ]);
  const [after] = await watchedHouseholds(ctx, where);
  return after!;
}
