// The receipt board: for one circular, every targeted household by block, read or not, when and how, and whether a
// push would reach it (so the board offers 「未確認の世帯に再通知」 only when it would reach someone). Leaders see
// the whole association, block leaders their own block. Paper households' acknowledgements are entered here.
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { blocks, circulars, households, members, receipts } from "../../db/schema";
import { errors } from "../../lib/errors";
import { auditIfChanged } from "../audit/audit";
import { getCircularRow } from "../circulars/circulars.service";
import { householdReachable } from "../push/reach";
import { readStatements, stageReads } from "./read-batch";

function blockScope(ctx: AssociationCtx) {
  return ctx.actor.role === "block_leader" ? eq(receipts.blockId, ctx.actor.blockId ?? "-") : undefined;
}

export async function receiptBoard({ ctx, input }: { ctx: AssociationCtx; input: { circularId: string } }) {
  const circular = await getCircularRow(ctx, input.circularId);
  const rows = await ctx.db
    .select({
      householdId: receipts.householdId,
      label: households.label,
      householdChannel: households.channel,
      blockId: receipts.blockId,
      blockName: blocks.name,
      readAt: receipts.readAt,
      channel: receipts.channel,
      readByName: members.displayName,
      pushReachable: householdReachable(
        { id: receipts.householdId, associationId: receipts.associationId },
        circular.priority === "urgent",
      ),
    })
    .from(receipts)
    .innerJoin(households, eq(households.id, receipts.householdId))
    .innerJoin(blocks, eq(blocks.id, receipts.blockId))
    .leftJoin(members, eq(members.id, receipts.readBy))
    .where(and(eq(receipts.circularId, circular.id), eq(receipts.associationId, ctx.associationId), blockScope(ctx)))
    .orderBy(asc(blocks.sortOrder), asc(blocks.name), asc(households.label));

  type Row = (typeof rows)[number];
  const byBlock = new Map<string, { id: string; name: string; rows: Row[] }>();
  for (const r of rows) {
    const b = byBlock.get(r.blockId) ?? { id: r.blockId, name: r.blockName, rows: [] };
    b.rows.push(r);
    byBlock.set(r.blockId, b);
  }
  const tally = (list: Row[]) => {
    const read = list.filter((r) => r.readAt).length;
    const paper = list.filter((r) => r.channel === "paper").length;
    return {
      targeted: list.length,
      read,
      unread: list.length - read,
      readByApp: read - paper,
      readByPaper: paper,
      rate: list.length === 0 ? 0 : Math.round((read / list.length) * 1000) / 1000,
    };
  };
  return {
    circular: {
      id: circular.id,
      title: circular.title,
      status: circular.status,
      publishedAt: circular.publishedAt?.toISOString() ?? null,
      dueAt: circular.dueAt?.toISOString() ?? null,
    },
    counts: tally(rows),
    blocks: [...byBlock.values()].map((b) => ({
      id: b.id,
      name: b.name,
      counts: tally(b.rows),
      households: b.rows.map((r) => ({
        id: r.householdId,
        label: r.label,
        householdChannel: r.householdChannel,
        readAt: r.readAt?.toISOString() ?? null,
        channel: r.channel,
        readByName: r.readByName,
        pushReachable: !!r.pushReachable,
      })),
    })),
  };
}

async function receiptState(ctx: AssociationCtx, circularId: string, householdId: string) {
  const [row] = await ctx.db
    .select({
      householdId: receipts.householdId,
      readAt: receipts.readAt,
      channel: receipts.channel,
      readByName: members.displayName,
    })
    .from(receipts)
    .leftJoin(members, eq(members.id, receipts.readBy))
    .where(
      and(
        eq(receipts.circularId, circularId),
        eq(receipts.householdId, householdId),
        eq(receipts.associationId, ctx.associationId),
        blockScope(ctx),
      ),
    );
  if (!row) throw errors.notFound("この回覧の配布先の世帯", "household in this circular's audience");
  return { ...row, readAt: row.readAt?.toISOString() ?? null };
}

/** One household's receipt of a circular, in the actor's association (and block), if `condition` holds. */
function oneReceipt(ctx: AssociationCtx, circularId: string, householdId: string, condition: SQL) {
  return sql`FROM ${receipts} JOIN ${circulars} c ON c.id = ${receipts.circularId}
    WHERE ${and(
      eq(receipts.circularId, circularId),
      eq(receipts.householdId, householdId),
      eq(receipts.associationId, ctx.associationId),
      condition,
      blockScope(ctx),
    )}`;
}

/**
 * Records that a household read the paper copy. The first read wins: if the household already acknowledged (in
 * the app or on paper), nothing changes and the existing receipt is answered. The audit row is written in the same
 * batch (read-batch.ts, with the city's rollups), and only when the receipt actually changed (SQLite's changes() of
 * the receipts UPDATE just before it).
 */
export async function recordPaperReceipt({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { circularId: string; householdId: string };
}) {
  const circular = await getCircularRow(ctx, input.circularId);
  await receiptState(ctx, circular.id, input.householdId); // 404 outside the audience or the block
  if (circular.status !== "published")
    throw errors.conflict("取り下げた回覧には記録できません。", "This circular is not published.");
  const now = ctx.now.getTime();
  const { items } = readStatements(ctx.db, {
    channel: "paper",
    stage: stageReads({
      from: oneReceipt(ctx, circular.id, input.householdId, sql`${receipts.readAt} IS NULL`),
      readAt: sql`${now}`,
      readBy: sql`${ctx.actor.memberId}`,
    }),
    afterWrite: [
      auditIfChanged(ctx, "receipt.paper", "circular", circular.id, { householdId: input.householdId }).insert,
    ],
  });
  await ctx.db.batch(items);
  return receiptState(ctx, circular.id, input.householdId);
}

/** Undoes a paper entry made by mistake. Acknowledgements made in the app are the household's own and stay. */
export async function undoPaperReceipt({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { circularId: string; householdId: string };
}) {
  const circular = await getCircularRow(ctx, input.circularId);
  const before = await receiptState(ctx, circular.id, input.householdId);
  if (before.channel !== "paper")
    throw errors.conflict("取り消せるのは紙での確認の記録だけです。", "Only a paper acknowledgement can be undone.");
  const { items } = readStatements(ctx.db, {
    channel: null,
    stage: stageReads({
      from: oneReceipt(ctx, circular.id, input.householdId, eq(receipts.channel, "paper")),
      readAt: sql`${receipts.readAt}`,
      readBy: sql`${receipts.readBy}`,
    }),
    afterWrite: [
      auditIfChanged(ctx, "receipt.paper.undo", "circular", circular.id, {
        householdId: input.householdId,
        readAt: before.readAt,
      }).insert,
    ],
  });
  await ctx.db.batch(items);
  return receiptState(ctx, circular.id, input.householdId);
}
