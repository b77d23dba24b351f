// Blocks (班), households (世帯) and members of one association. Every query is scoped by ctx.associationId,
// which comes from the session; an id of another association answers 404 like one that does not exist.
import { and, asc, count, eq, gt, isNull, max, sql, type SQL } from "drizzle-orm";
import { inList } from "../../db/client";
import type { AssociationCtx } from "../../context";
import {
  associations,
  blockRotations,
  blocks,
  circularBlocks,
  households,
  invites,
  members,
  pushSubscriptions,
  receipts,
  sessions,
  type Channel,
  type Role,
} from "../../db/schema";
import { errors, isUniqueViolation } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { DAY } from "../../lib/time";
import { audit } from "../audit/audit";
import { insertReceipts } from "../receipts/audience";
import { statsForLateReceipts } from "../stats/rollup";

/** A circular without a due date still reaches a newly joined household for this long after publication. */
const ACTIVE_WITHOUT_DUE_MS = 30 * DAY;

// ---------- blocks ----------

export async function listBlocks({ ctx }: { ctx: AssociationCtx }) {
  const rows = await ctx.db
    .select({
      id: blocks.id,
      name: blocks.name,
      sortOrder: blocks.sortOrder,
      households: count(households.id),
    })
    .from(blocks)
    .leftJoin(households, and(eq(households.blockId, blocks.id), isNull(households.leftAt)))
    .where(eq(blocks.associationId, ctx.associationId))
    .groupBy(blocks.id)
    .orderBy(asc(blocks.sortOrder), asc(blocks.name));
  return rows;
}

export async function getBlock(ctx: AssociationCtx, id: string) {
  const [row] = await ctx.db
    .select()
    .from(blocks)
    .where(and(eq(blocks.id, id), eq(blocks.associationId, ctx.associationId)));
  if (!row) throw errors.notFound("班", "block");
  return row;
}

const blockNameTaken = (name: string) =>
  errors.conflict(
    `「${name}」という班はすでにあります。別の名前にしてください。`,
    `A block named "${name}" already exists.`,
  );

async function assertBlockNameFree(ctx: AssociationCtx, name: string, exceptId?: string) {
  const [clash] = await ctx.db
    .select({ id: blocks.id })
    .from(blocks)
    .where(and(eq(blocks.associationId, ctx.associationId), eq(blocks.name, name)));
  if (clash && clash.id !== exceptId) throw blockNameTaken(name);
}

/**
 * Runs a write that may give a block a name. The check above answers the usual case; a second request with the
 * same name between check and write (a double-clicked 「追加」) is caught by the unique index and answers 409 too.
 */
async function writingBlockName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (name !== undefined && isUniqueViolation(e, "blocks.association_id, blocks.name")) throw blockNameTaken(name);
    throw e;
  }
}

export async function createBlock({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { name: string; sortOrder?: number };
}) {
  await assertBlockNameFree(ctx, input.name);
  const id = newId();
  let sortOrder = input.sortOrder;
  if (sortOrder === undefined) {
    const [m] = await ctx.db
      .select({ m: max(blocks.sortOrder) })
      .from(blocks)
      .where(eq(blocks.associationId, ctx.associationId));
    sortOrder = (m?.m ?? 0) + 1;
  }
  await writingBlockName(input.name, () =>
    ctx.db.batch([
      ctx.db
        .insert(blocks)
        .values({ id, associationId: ctx.associationId, name: input.name, sortOrder, createdAt: ctx.now }),
      audit(ctx, "block.create", "block", id, { name: input.name }),
      rosterChanged(ctx),
    ]),
  );
  return { id, name: input.name, sortOrder, households: 0 };
}

export async function updateBlock({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string; name?: string; sortOrder?: number };
}) {
  const block = await getBlock(ctx, input.id);
  if (input.name !== undefined) await assertBlockNameFree(ctx, input.name, block.id);
  const patch = { name: input.name ?? block.name, sortOrder: input.sortOrder ?? block.sortOrder };
  await writingBlockName(input.name, () =>
    ctx.db.batch([
      ctx.db
        .update(blocks)
        .set(patch)
        .where(and(eq(blocks.id, block.id), eq(blocks.associationId, ctx.associationId))),
      audit(ctx, "block.update", "block", block.id, {
        before: { name: block.name, sortOrder: block.sortOrder },
        after: patch,
      }),
      rosterChanged(ctx),
    ]),
  );
  return { id: block.id, ...patch };
}

export async function deleteBlock({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const block = await getBlock(ctx, input.id);
  const [used] = await ctx.db
    .select({ n: count() })
    .from(households)
    .where(and(eq(households.blockId, block.id), eq(households.associationId, ctx.associationId)));
  const [sent] = await ctx.db.select({ n: count() }).from(receipts).where(eq(receipts.blockId, block.id));
  const [chosen] = await ctx.db.select({ n: count() }).from(circularBlocks).where(eq(circularBlocks.blockId, block.id));
  if ((used?.n ?? 0) > 0 || (sent?.n ?? 0) > 0 || (chosen?.n ?? 0) > 0)
    throw errors.conflict(
      "この班には世帯か回覧の記録があるため削除できません。世帯を別の班に移してから、もう一度お試しください。",
      "This block has households or circular records and cannot be deleted. Move its households first.",
    );
  await ctx.db.batch([
    // An empty block's rotation (features/rotation) goes with it.
    ctx.db.delete(blockRotations).where(eq(blockRotations.blockId, block.id)),
    ctx.db.delete(blocks).where(and(eq(blocks.id, block.id), eq(blocks.associationId, ctx.associationId))),
    audit(ctx, "block.delete", "block", block.id, { name: block.name }),
    rosterChanged(ctx),
  ]);
}

// ---------- households ----------

export interface HouseholdDto {
  id: string;
  label: string;
  blockId: string;
  blockName: string;
  channel: Channel;
  joinedAt: string;
  leftAt: string | null;
  members: number;
  devices: number;
}

export async function listHouseholds({
  ctx,
  input,
}: {
  ctx: Pick<AssociationCtx, "db" | "associationId" | "now">;
  input: { blockId?: string; includeLeft?: boolean; id?: string };
}): Promise<HouseholdDto[]> {
  const conditions = [eq(households.associationId, ctx.associationId)];
  if (input.id) conditions.push(eq(households.id, input.id));
  if (input.blockId) conditions.push(eq(households.blockId, input.blockId));
  if (!input.includeLeft) conditions.push(isNull(households.leftAt));
  const rows = await ctx.db
    .select({
      id: households.id,
      label: households.label,
      blockId: households.blockId,
      blockName: blocks.name,
      channel: households.channel,
      joinedAt: households.joinedAt,
      leftAt: households.leftAt,
      members: sql<number>`(SELECT count(*) FROM ${members} WHERE ${members.householdId} = ${households.id})`,
      devices: sql<number>`(SELECT count(*) FROM ${sessions} WHERE ${sessions.householdId} = ${households.id} AND ${sessions.expiresAt} > ${ctx.now.getTime()})`,
    })
    .from(households)
    .innerJoin(blocks, eq(blocks.id, households.blockId))
    .where(and(...conditions))
    .orderBy(asc(blocks.sortOrder), asc(blocks.name), asc(households.label));
  return rows.map((r) => ({
    ...r,
    joinedAt: r.joinedAt.toISOString(),
    leftAt: r.leftAt ? r.leftAt.toISOString() : null,
  }));
}

export async function getHousehold(ctx: Pick<AssociationCtx, "db" | "associationId">, id: string) {
  const [row] = await ctx.db
    .select()
    .from(households)
    .where(and(eq(households.id, id), eq(households.associationId, ctx.associationId)));
  if (!row) throw errors.notFound("世帯", "household");
  return row;
}

export async function householdDto({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string };
}): Promise<HouseholdDto> {
  const [found] = await listHouseholds({ ctx, input: { id: input.id, includeLeft: true } });
  if (!found) throw errors.notFound("世帯", "household");
  return found;
}

/**
 * For households just added in the same batch (`ids`: an SQL list or subquery of their ids): the same receipts as a
 * publication's (receipts/audience.ts) of the circulars still open, and the city's figures counting them as
 * targeted too. `guard`: only if the batch's guarded write won.
 */
export function lateReceipts(ctx: AssociationCtx, ids: SQL, guard?: SQL) {
  const now = ctx.now.getTime();
  const activeSince = now - ACTIVE_WITHOUT_DUE_MS;
  return [
    insertReceipts(ctx.db, {
      circulars: sql`c.association_id = ${ctx.associationId} AND c.status = 'published'
        AND (c.due_at > ${now} OR (c.due_at IS NULL AND c.published_at > ${activeSince}))`,
      households: sql`h.id IN (${ids})`,
      guard,
      now: ctx.now,
    }),
    ...statsForLateReceipts(ctx.db, sql`r.household_id IN (${ids})`),
  ] as const;
}

/**
 * Households that leave (`ids`: an SQL list or subquery) are signed out everywhere: their tablets must stop
 * receiving the association's news, pushes included. `guard`: only if the batch's guarded write won.
 */
export function signOutLeft(ctx: AssociationCtx, ids: SQL, guard: SQL = sql`1`) {
  return [
    ctx.db.delete(sessions).where(sql`${sessions.householdId} IN (${ids}) AND ${guard}`),
    ctx.db.delete(pushSubscriptions).where(sql`${pushSubscriptions.householdId} IN (${ids}) AND ${guard}`),
  ] as const;
}

/**
 * Every change to the roster (blocks, households' block, name, channel, 転出) raises the association's roster_version
 * in its own batch: a roster import's preview names the version it was made from, and its apply is refused when the
 * version moved (roster.service.ts), whoever moved it.
 */
export function rosterChanged(ctx: Pick<AssociationCtx, "db" | "associationId">) {
  return ctx.db
    .update(associations)
    .set({ rosterVersion: sql`${associations.rosterVersion} + 1` })
    .where(eq(associations.id, ctx.associationId));
}

/**
 * A new household sees the circulars published from now on, and the ones still active from before (not past
 * their due date; without one, published in the last 30 days) whose audience includes its block (DOMAIN.md).
 * Those receipts are created in the same batch as the household.
 */
export async function createHousehold({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { label: string; blockId: string; channel: Channel };
}) {
  await getBlock(ctx, input.blockId);
  const id = newId();
  await ctx.db.batch([
    ctx.db.insert(households).values({
      id,
      associationId: ctx.associationId,
      blockId: input.blockId,
      label: input.label,
      channel: input.channel,
      joinedAt: ctx.now,
      createdAt: ctx.now,
    }),
    ...lateReceipts(ctx, sql`${id}`),
    audit(ctx, "household.create", "household", id, {
      label: input.label,
      blockId: input.blockId,
      channel: input.channel,
    }),
    rosterChanged(ctx),
  ]);
  return householdDto({ ctx, input: { id } });
}

export async function updateHousehold({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string; label?: string; blockId?: string; channel?: Channel; left?: boolean };
}) {
  const before = await getHousehold(ctx, input.id);
  if (input.blockId) await getBlock(ctx, input.blockId);
  const patch = {
    label: input.label ?? before.label,
    blockId: input.blockId ?? before.blockId,
    channel: input.channel ?? before.channel,
    leftAt: input.left === undefined ? before.leftAt : input.left ? (before.leftAt ?? ctx.now) : null,
  };
  const statements = [
    ctx.db
      .update(households)
      .set(patch)
      .where(and(eq(households.id, before.id), eq(households.associationId, ctx.associationId))),
    audit(ctx, "household.update", "household", before.id, {
      before: { label: before.label, blockId: before.blockId, channel: before.channel, left: !!before.leftAt },
      after: { label: patch.label, blockId: patch.blockId, channel: patch.channel, left: !!patch.leftAt },
    }),
    rosterChanged(ctx),
  ] as const;
  const leaving = patch.leftAt && !before.leftAt;
  await ctx.db.batch([...statements, ...(leaving ? signOutLeft(ctx, sql`${before.id}`) : [])]);
  return householdDto({ ctx, input: { id: before.id } });
}

/**
 * Lost tablet: every session of the household's members ends at once, unused invites are cancelled, and its
 * devices stop receiving pushes (they subscribe again when someone joins with a new invite).
 */
export async function endHouseholdSessions({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const household = await getHousehold(ctx, input.id);
  const [n] = await ctx.db.select({ n: count() }).from(sessions).where(eq(sessions.householdId, household.id));
  await ctx.db.batch([
    ctx.db.delete(sessions).where(eq(sessions.householdId, household.id)),
    ctx.db.delete(pushSubscriptions).where(eq(pushSubscriptions.householdId, household.id)),
    ctx.db
      .update(invites)
      .set({ expiresAt: ctx.now })
      .where(and(eq(invites.householdId, household.id), isNull(invites.usedAt), gt(invites.expiresAt, ctx.now))),
    audit(ctx, "household.sessions.end", "household", household.id, { sessions: n?.n ?? 0 }),
  ]);
  return { ended: n?.n ?? 0 };
}

// ---------- members ----------

export async function listMembers({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { householdId?: string; id?: string };
}) {
  const conditions = [eq(members.associationId, ctx.associationId)];
  if (input.id) conditions.push(eq(members.id, input.id));
  if (input.householdId) conditions.push(eq(members.householdId, input.householdId));
  const rows = await ctx.db
    .select({
      id: members.id,
      displayName: members.displayName,
      role: members.role,
      email: members.email,
      householdId: members.householdId,
      blockId: members.blockId,
      disabledAt: members.disabledAt,
      createdAt: members.createdAt,
      // Spelled out with table names: in a one-table select drizzle leaves columns unqualified, and an unqualified
      // "id" inside the subquery would be the session's own id (so lastSeenAt was always null).
      lastSeenAt: sql<number | null>`(SELECT max(s.last_used_at) FROM ${sessions} s WHERE s.member_id = ${members}.id)`,
    })
    .from(members)
    .where(and(...conditions))
    .orderBy(asc(members.displayName));
  return rows.map((r) => ({
    ...r,
    disabledAt: r.disabledAt ? r.disabledAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt ? new Date(r.lastSeenAt).toISOString() : null,
  }));
}

const ASSIGNABLE: readonly Role[] = ["resident", "block_leader", "leader"];

export async function updateMember({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string; displayName?: string; role?: Role; blockId?: string | null; disabled?: boolean };
}) {
  const [before] = await ctx.db
    .select()
    .from(members)
    .where(and(eq(members.id, input.id), eq(members.associationId, ctx.associationId)));
  if (!before) throw errors.notFound("メンバー", "member");
  if (input.role && !ASSIGNABLE.includes(input.role)) throw errors.forbidden();
  const role = input.role ?? before.role;
  if ((role === "leader" || role === "block_leader") && !before.email)
    throw errors.conflict(
      "役員や班長になるにはメールアドレスでのログインが必要です。役員用の招待を作って、ご本人に登録してもらってください。",
      "Leaders and block leaders sign in with email and password: send this person a staff invite instead.",
    );
  const blockId = input.blockId === undefined ? before.blockId : input.blockId;
  if (role === "block_leader" && !blockId)
    throw errors.validation("班長には担当の班を選んでください。", "Choose the block this block leader looks after.");
  if (blockId) await getBlock(ctx, blockId);
  if (before.id === ctx.actor.memberId && (input.disabled || (input.role && input.role !== "leader")))
    throw errors.conflict(
      "自分自身の役割は変えられません。ほかの役員に頼んでください。",
      "You cannot change your own role or disable yourself.",
    );
  const patch = {
    displayName: input.displayName ?? before.displayName,
    role,
    blockId: role === "block_leader" ? blockId : null,
    disabledAt:
      input.disabled === undefined ? before.disabledAt : input.disabled ? (before.disabledAt ?? ctx.now) : null,
  };
  const writes = [
    ctx.db
      .update(members)
      .set(patch)
      .where(and(eq(members.id, before.id), eq(members.associationId, ctx.associationId))),
    audit(ctx, "member.update", "member", before.id, {
      before: {
        displayName: before.displayName,
        role: before.role,
        blockId: before.blockId,
        disabled: !!before.disabledAt,
      },
      after: { displayName: patch.displayName, role: patch.role, blockId: patch.blockId, disabled: !!patch.disabledAt },
    }),
  ] as const;
  if (patch.disabledAt)
    await ctx.db.batch([...writes, ctx.db.delete(sessions).where(eq(sessions.memberId, before.id))]);
  else await ctx.db.batch(writes);
  const [after] = await listMembers({ ctx, input: { id: before.id } });
  return after!;
}

// Helpers for other features.
export async function blockIdsOf(ctx: AssociationCtx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select({ id: blocks.id })
    .from(blocks)
    .where(and(eq(blocks.associationId, ctx.associationId), inList(blocks.id, ids)));
  return rows.map((r) => r.id);
}
