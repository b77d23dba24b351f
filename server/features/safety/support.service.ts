// 要支援 (避難行動要支援者): a household registers, with consent (in the app, or on a paper form the leader
// records), as needing support in a disaster, says what kind, and may name supporters among the association's
// members. Only the leader, the household's block leader and its supporters can see the entry, and every time one
// of them is shown an entry an audit row says who saw whose. Withdrawing consent deletes it. No city route reads it.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { AssociationCtx, HouseholdCtx } from "../../context";
import type { BatchItem } from "../../db/client";
import { blocks, households, members, supportNeeds, supportSupporters, type SupportNeed } from "../../db/schema";
import { errors } from "../../lib/errors";
import { auditInsert } from "../audit/audit";
import { getHousehold } from "../households/households.service";

export interface SupportEntry {
  needs: SupportNeed[];
  note: string;
  consent: "app" | "paper";
  supporters: { id: string; name: string }[];
  updatedAt: string;
}

export interface SupportInput {
  needs: SupportNeed[];
  note: string;
  supporterIds: string[];
}

/** Which households' entries the actor may see: a leader all, a block leader their block's, a supporter theirs. */
function visibleTo(ctx: AssociationCtx) {
  if (ctx.actor.role === "leader") return sql`1`;
  const mine = sql`EXISTS (SELECT 1 FROM ${supportSupporters} ss WHERE ss.household_id = ${supportNeeds.householdId}
    AND ss.member_id = ${ctx.actor.memberId})`;
  if (ctx.actor.role === "block_leader")
    return sql`(EXISTS (SELECT 1 FROM ${households} sh WHERE sh.id = ${supportNeeds.householdId}
      AND sh.block_id = ${ctx.actor.blockId ?? "-"}) OR ${mine})`;
  return mine;
}

async function entries(ctx: { db: AssociationCtx["db"] }, where: ReturnType<typeof sql>) {
  const rows = await ctx.db.select().from(supportNeeds).where(where).orderBy(supportNeeds.householdId);
  const ids = rows.map((r) => r.householdId);
  const supporters =
    ids.length === 0
      ? []
      : await ctx.db
          .select({ householdId: supportSupporters.householdId, id: members.id, name: members.displayName })
          .from(supportSupporters)
          .innerJoin(members, eq(members.id, supportSupporters.memberId))
          .where(inArray(supportSupporters.householdId, ids));
  const map = new Map<string, SupportEntry>();
  for (const r of rows)
    map.set(r.householdId, {
      needs: JSON.parse(r.needs) as SupportNeed[],
      note: r.note,
      consent: r.consent,
      supporters: supporters.filter((s) => s.householdId === r.householdId).map(({ id, name }) => ({ id, name })),
      updatedAt: r.updatedAt.toISOString(),
    });
  return map;
}

/**
 * The entries among `householdIds` the actor may see, each view written to the audit log (one row per household
 * shown, with `where` it was shown).
 */
export async function supportOf(ctx: AssociationCtx, householdIds: string[], where: string) {
  if (householdIds.length === 0) return new Map<string, SupportEntry>();
  const map = await entries(
    ctx,
    sql`${supportNeeds.associationId} = ${ctx.associationId}
      AND ${supportNeeds.householdId} IN (SELECT value FROM json_each(${JSON.stringify(householdIds)}))
      AND ${visibleTo(ctx)}`,
  );
  await recordViews(ctx, [...map.keys()], where);
  return map;
}

async function recordViews(ctx: AssociationCtx, householdIds: string[], where: string) {
  if (householdIds.length === 0) return;
  const [first, ...rest] = householdIds.map((id) =>
    auditInsert(ctx.db, {
      associationId: ctx.associationId,
      actorId: ctx.actor.memberId,
      action: "support.view",
      targetType: "household",
      targetId: id,
      detail: { where },
      at: ctx.now,
    }),
  );
  await ctx.db.batch([first!, ...rest]);
}

/** 「要支援の名簿」: every entry the actor may see, with the household's label and block (each view audited). */
export async function listSupport({ ctx }: { ctx: AssociationCtx }) {
  const map = await entries(ctx, sql`${supportNeeds.associationId} = ${ctx.associationId} AND ${visibleTo(ctx)}`);
  const ids = [...map.keys()];
  const labels =
    ids.length === 0
      ? []
      : await ctx.db
          .select({
            id: households.id,
            label: households.label,
            blockId: households.blockId,
            blockName: blocks.name,
            blockOrder: blocks.sortOrder,
          })
          .from(households)
          .innerJoin(blocks, eq(blocks.id, households.blockId))
          .where(and(eq(households.associationId, ctx.associationId), inArray(households.id, ids)));
  await recordViews(ctx, ids, "support list");
  // By block (in the association's order), then by name.
  return labels
    .sort((a, b) => a.blockOrder - b.blockOrder || a.label.localeCompare(b.label, "ja"))
    .map((h) => ({ householdId: h.id, label: h.label, blockId: h.blockId, blockName: h.blockName, ...map.get(h.id)! }));
}

/** How many households named the member as a supporter: a count, so the resident's settings can offer the list. */
async function supportingCount(ctx: HouseholdCtx) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(supportSupporters)
    .where(and(eq(supportSupporters.memberId, ctx.memberId), eq(supportSupporters.associationId, ctx.associationId)));
  return Number(row?.n ?? 0);
}

/** The household's own entry (no audit: it is its own), and how many households named this member as supporter. */
export async function ownSupport({ ctx }: { ctx: HouseholdCtx }) {
  const map = await entries(
    ctx,
    sql`${supportNeeds.householdId} = ${ctx.householdId} AND ${supportNeeds.associationId} = ${ctx.associationId}`,
  );
  return { entry: map.get(ctx.householdId) ?? null, supporting: await supportingCount(ctx) };
}

/** The members a household may name as supporters: the association's members who can sign in, by name. */
export async function supportCandidates({ ctx }: { ctx: HouseholdCtx | AssociationCtx }) {
  const householdId = "householdId" in ctx ? ctx.householdId : null;
  const rows = await ctx.db
    .select({ id: members.id, name: members.displayName, role: members.role, householdId: members.householdId })
    .from(members)
    .where(and(eq(members.associationId, ctx.associationId), sql`${members.disabledAt} IS NULL`))
    .orderBy(members.displayName);
  return rows
    .filter((m) => m.householdId === null || m.householdId !== householdId)
    .map((m) => ({
      id: m.id,
      name: m.name,
      role: m.role,
    }));
}

async function checkedSupporters(ctx: { db: AssociationCtx["db"]; associationId: string }, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = await ctx.db
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.associationId, ctx.associationId),
        inArray(members.id, unique),
        sql`${members.disabledAt} IS NULL`,
      ),
    );
  if (found.length !== unique.length) throw errors.notFound("支援者に選んだ人", "supporter");
  return unique;
}

/** Writes an entry (registering or changing it) with its supporters, in one batch with its audit row. */
function writeEntry(
  ctx: { db: AssociationCtx["db"]; now: Date; associationId: string; memberId: string },
  householdId: string,
  input: SupportInput,
  consent: "app" | "paper",
): [BatchItem, ...BatchItem[]] {
  const needs = JSON.stringify([...new Set(input.needs)]);
  return [
    ctx.db
      .insert(supportNeeds)
      .values({
        householdId,
        associationId: ctx.associationId,
        needs,
        note: input.note.trim(),
        consent,
        consentedAt: ctx.now,
        recordedBy: ctx.memberId,
        updatedAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: supportNeeds.householdId,
        set: { needs, note: input.note.trim(), consent, recordedBy: ctx.memberId, updatedAt: ctx.now },
      }),
    ctx.db.delete(supportSupporters).where(eq(supportSupporters.householdId, householdId)),
    ...input.supporterIds.map((memberId) =>
      ctx.db.insert(supportSupporters).values({ householdId, memberId, associationId: ctx.associationId }),
    ),
    auditInsert(ctx.db, {
      associationId: ctx.associationId,
      actorId: ctx.memberId,
      action: "support.register",
      targetType: "household",
      targetId: householdId,
      detail: { consent, needs: JSON.parse(needs) as string[] },
      at: ctx.now,
    }),
  ];
}

/** Deletes an entry and its supporters (consent withdrawn, by the household or on paper), with its audit row. */
function deleteEntry(
  ctx: { db: AssociationCtx["db"]; now: Date; associationId: string },
  householdId: string,
  actorId: string,
): [BatchItem, ...BatchItem[]] {
  return [
    ctx.db.delete(supportSupporters).where(eq(supportSupporters.householdId, householdId)),
    ctx.db
      .delete(supportNeeds)
      .where(and(eq(supportNeeds.householdId, householdId), eq(supportNeeds.associationId, ctx.associationId))),
    auditInsert(ctx.db, {
      associationId: ctx.associationId,
      actorId,
      action: "support.withdraw",
      targetType: "household",
      targetId: householdId,
      detail: {},
      at: ctx.now,
    }),
  ];
}

/** The household registers (or changes) its own entry: consent given in the app. */
export async function registerOwnSupport({ ctx, input }: { ctx: HouseholdCtx; input: SupportInput }) {
  const supporterIds = await checkedSupporters(ctx, input.supporterIds);
  await ctx.db.batch(
    writeEntry({ ...ctx, memberId: ctx.memberId }, ctx.householdId, { ...input, supporterIds }, "app"),
  );
  return ownSupport({ ctx });
}

/** Consent withdrawn by the household: the entry and its supporters are deleted at once. */
export async function withdrawOwnSupport({ ctx }: { ctx: HouseholdCtx }) {
  await ctx.db.batch(deleteEntry(ctx, ctx.householdId, ctx.memberId));
  return { entry: null, supporting: await supportingCount(ctx) };
}

/** One household's entry for the leader's households screen (null when it has none); the view is audited. */
export async function householdSupport({ ctx, input }: { ctx: AssociationCtx; input: { householdId: string } }) {
  await getHousehold(ctx, input.householdId); // 404 outside the association
  return { entry: (await supportOf(ctx, [input.householdId], "household")).get(input.householdId) ?? null };
}

/** The leader records an entry from the household's signed paper form (consent "paper"). */
export async function recordPaperSupport({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: SupportInput & { householdId: string };
}) {
  await getHousehold(ctx, input.householdId); // 404 outside the association
  const supporterIds = await checkedSupporters(ctx, input.supporterIds);
  await ctx.db.batch(
    writeEntry({ ...ctx, memberId: ctx.actor.memberId }, input.householdId, { ...input, supporterIds }, "paper"),
  );
  return (await supportOf(ctx, [input.householdId], "recorded")).get(input.householdId)!;
}

/** The leader records that a household withdrew its consent on paper: deleted, as the household's own withdrawal. */
export async function removeSupport({ ctx, input }: { ctx: AssociationCtx; input: { householdId: string } }) {
  await getHousehold(ctx, input.householdId); // 404 outside the association
  await ctx.db.batch(deleteEntry(ctx, input.householdId, ctx.actor.memberId));
}
