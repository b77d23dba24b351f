// 班長 rotation (輪番): per block, an ordered list of households; at the term change (the periodic job) or when the
// leader presses 「次の班長へ」, the block-leader role moves from the current 班長's household to a member of the next
// household in order that is still a member, not paper and not exempt (免除). The new 班長 is notified (a push of kind
// "rotation") and sees 「班長になりました」 on their first visit. A next household with no member yet gets a printed
// invite instead, and the block has no 班長 until someone of it joins (see planRotation).
import { sql } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { changesOf, type BatchItem, type Db } from "../../db/client";
import {
  associations,
  blockRotations,
  blocks,
  households,
  invites,
  members,
  pushOutbox,
  pushPreferences,
  pushSubscriptions,
  rotationOrder,
  type Channel,
  type Role,
} from "../../db/schema";
import { errors } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { auditIfWritten, audit, type AuditAction } from "../audit/audit";
import { getBlock } from "../households/households.service";
import { associationName, issue, present, type IssuedInvite } from "../invites/invites.service";
import { deliverableAt } from "../push/quiet-hours";
import { preferenceAllows } from "../push/reach";
import { currentTerm } from "../handover/term";

/** Why a household is passed over; null: it can take its turn. */
export type SkipReason = "paper" | "exempt" | "left" | "officer";

export interface RotationHousehold {
  id: string;
  label: string;
  channel: Channel;
  exempt: boolean;
  left: boolean;
  /** Members who could become 班長 (residents or block leaders, not disabled). */
  members: number;
  skip: SkipReason | null;
}

interface MemberRow {
  id: string;
  householdId: string | null;
  role: Role;
  displayName: string;
  disabledAt: number | null;
  createdAt: number;
}

interface State {
  version: number;
  currentHouseholdId: string | null;
  awaiting: boolean;
  rotatedAt: number | null;
  createdAt: number;
}

/** Where the turn goes next: a household, and the member who becomes 班長 (null: nobody has joined from it yet). */
export interface NextTurn {
  householdId: string;
  label: string;
  memberId: string | null;
  memberName: string | null;
}

interface Plan {
  blockId: string;
  blockName: string;
  associationId: string;
  state: State | null;
  order: RotationHousehold[];
  leaders: { id: string; name: string; householdId: string | null }[];
  currentHouseholdId: string | null;
  next: NextTurn | null;
}

const eligibleMember = (m: MemberRow) => m.disabledAt === null && (m.role === "resident" || m.role === "block_leader");

/** Reads a block's rotation and works out the next turn. `blockId` must already be known to be the association's. */
async function planRotation(db: Db, associationId: string, blockId: string, blockName: string): Promise<Plan> {
  const [stateRows, hhRows, memberRows] = await Promise.all([
    db.all<{
      version: number;
      currentHouseholdId: string | null;
      awaiting: number;
      rotatedAt: number | null;
      createdAt: number;
    }>(sql`
      SELECT version, current_household_id AS currentHouseholdId, awaiting, rotated_at AS rotatedAt,
        created_at AS createdAt
      FROM ${blockRotations} WHERE block_id = ${blockId} AND association_id = ${associationId}`),
    // The block's households in rotation order (those without a place last, by label); a household that left is
    // listed only while it still has its place, so the turn can move on from it.
    db.all<{ id: string; label: string; channel: Channel; leftAt: number | null; exempt: number | null }>(sql`
      SELECT h.id, h.label, h.channel, h.left_at AS leftAt, o.exempt
      FROM ${households} h
      LEFT JOIN ${rotationOrder} o ON o.household_id = h.id AND o.block_id = h.block_id
      WHERE h.association_id = ${associationId} AND h.block_id = ${blockId}
        AND (h.left_at IS NULL OR o.position IS NOT NULL)
      ORDER BY o.position IS NULL, o.position, h.label, h.id`),
    db.all<MemberRow>(sql`
      SELECT m.id, m.household_id AS householdId, m.role, m.display_name AS displayName,
        m.disabled_at AS disabledAt, m.created_at AS createdAt
      FROM ${members} m
      WHERE m.association_id = ${associationId} AND (
        m.household_id IN (SELECT id FROM ${households} WHERE association_id = ${associationId} AND block_id = ${blockId})
        OR (m.role = 'block_leader' AND m.block_id = ${blockId}))
      ORDER BY m.created_at, m.id`),
  ]);
  const s = stateRows[0];
  const state: State | null = s ? { ...s, awaiting: s.awaiting === 1 } : null;
  const byHousehold = new Map<string, MemberRow[]>();
  for (const m of memberRows) {
    if (!m.householdId) continue;
    const list = byHousehold.get(m.householdId) ?? [];
    list.push(m);
    byHousehold.set(m.householdId, list);
  }
  const order: RotationHousehold[] = hhRows.map((h) => {
    const all = (byHousehold.get(h.id) ?? []).filter((m) => m.disabledAt === null);
    const eligible = all.filter(eligibleMember).length;
    const skip: SkipReason | null =
      h.leftAt !== null
        ? "left"
        : h.channel === "paper"
          ? "paper"
          : h.exempt === 1
            ? "exempt"
            : // Only officers (会長・役員) live there: they already serve.
              all.length > 0 && eligible === 0
              ? "officer"
              : null;
    return {
      id: h.id,
      label: h.label,
      channel: h.channel,
      exempt: h.exempt === 1,
      left: h.leftAt !== null,
      members: eligible,
      skip,
    };
  });
  const leaders = memberRows
    .filter((m) => m.role === "block_leader" && m.disabledAt === null)
    .map((m) => ({ id: m.id, name: m.displayName, householdId: m.householdId }));
  const inBlock = new Set(order.map((h) => h.id));
  // The turn is the 班長's household; with no 班長 (a household awaiting its invite, or none yet), the one recorded.
  const currentHouseholdId =
    leaders.find((l) => l.householdId && inBlock.has(l.householdId))?.householdId ?? state?.currentHouseholdId ?? null;

  const turnOf = (h: RotationHousehold): NextTurn => {
    const m = (byHousehold.get(h.id) ?? []).find(eligibleMember);
    return { householdId: h.id, label: h.label, memberId: m?.id ?? null, memberName: m?.displayName ?? null };
  };
  let next: NextTurn | null = null;
  const current = order.find((h) => h.id === currentHouseholdId);
  if (state?.awaiting && current && current.skip === null && current.members > 0 && leaders.length === 0) {
    // The household whose turn it is has joined since its invite was printed: the turn is still theirs.
    next = turnOf(current);
  } else {
    const at = current ? order.indexOf(current) : -1;
    for (let k = 1; k <= order.length; k++) {
      const h = order[(at + k) % order.length]!;
      if (h.skip !== null) continue;
      // Back at the current household: nobody else can take the turn.
      if (h.id === currentHouseholdId && leaders.length > 0) break;
      next = turnOf(h);
      break;
    }
  }
  return { blockId, blockName, associationId, state, order, leaders, currentHouseholdId, next };
}

/** What the leader's 「輪番」 editor shows. */
function view(plan: Plan) {
  return {
    blockId: plan.blockId,
    blockName: plan.blockName,
    configured: plan.state !== null,
    version: plan.state?.version ?? 0,
    awaiting: plan.state?.awaiting ?? false,
    rotatedAt: plan.state?.rotatedAt ? new Date(plan.state.rotatedAt).toISOString() : null,
    currentHouseholdId: plan.currentHouseholdId,
    leaders: plan.leaders.map((l) => ({ id: l.id, name: l.name })),
    households: plan.order,
    next: plan.next,
  };
}
export type RotationView = ReturnType<typeof view>;

export async function getRotation({ ctx, input }: { ctx: AssociationCtx; input: { blockId: string } }) {
  const block = await getBlock(ctx, input.blockId);
  return view(await planRotation(ctx.db, ctx.associationId, block.id, block.name));
}

/**
 * The leader saves the order (every listed household of the block, first to last) and the 免除 marks. The block then
 * has a rotation: from the next term change on, the periodic job rotates it. All listed households must be the
 * block's; ones left out keep no place (they come last, by label).
 */
export async function setRotationOrder({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { blockId: string; households: { id: string; exempt: boolean }[] };
}) {
  const block = await getBlock(ctx, input.blockId);
  const ids = input.households.map((h) => h.id);
  if (new Set(ids).size !== ids.length)
    throw errors.validation("同じ世帯が二度並んでいます。", "A household is listed twice.");
  const rows = ids.length
    ? await ctx.db.all<{ id: string }>(sql`
        SELECT id FROM ${households} WHERE association_id = ${ctx.associationId} AND block_id = ${block.id}
          AND id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
    : [];
  if (rows.length !== ids.length) throw errors.notFound("世帯", "household");
  const placed = JSON.stringify(input.households.map((h, i) => ({ id: h.id, p: i, e: h.exempt ? 1 : 0 })));
  await ctx.db.batch([
    ctx.db.run(
      sql`DELETE FROM ${rotationOrder} WHERE block_id = ${block.id} AND association_id = ${ctx.associationId}`,
    ),
    ctx.db.run(sql`
      INSERT INTO ${rotationOrder} (household_id, association_id, block_id, position, exempt)
      SELECT json_extract(j.value, '$.id'), ${ctx.associationId}, ${block.id}, json_extract(j.value, '$.p'),
        json_extract(j.value, '$.e')
      FROM json_each(${placed}) j WHERE true
      ON CONFLICT (household_id) DO UPDATE SET block_id = excluded.block_id, position = excluded.position,
        exempt = excluded.exempt`),
    ctx.db.run(sql`
      INSERT INTO ${blockRotations} (block_id, association_id, version, awaiting, created_at)
      VALUES (${block.id}, ${ctx.associationId}, 0, 0, ${ctx.now.getTime()})
      ON CONFLICT (block_id) DO NOTHING`),
    audit(ctx, "rotation.order", "block", block.id, {
      households: input.households.map((h) => ({ id: h.id, exempt: h.exempt })),
    }),
  ]);
  return view(await planRotation(ctx.db, ctx.associationId, block.id, block.name));
}

const alreadyRotated = () =>
  errors.conflict(
    "この班の班長はすでに交代しています。画面を読み込み直してください。",
    "This block's leader has already changed. Please reload.",
  );

/**
 * The statements of one rotation, all in one batch. The first is the guard: block_rotations' version moves only from
 * the version the caller saw (and, for the term job, only if the block has not rotated this term), so of two presses
 * (or two job runners) exactly one changes it; the audit row is written only then, and every other statement carries
 * "that audit row exists" in its WHERE, so the loser writes nothing at all.
 */
function rotationStatements(
  db: Db,
  args: {
    plan: Plan;
    next: NextTurn;
    version: number;
    now: Date;
    actorId: string | null;
    action: AuditAction;
    /** For the term job: rotate only a block that has not rotated since the term began. */
    termStart?: Date;
    invite?: { id: string; tokenHash: string; codeHash: string; expiresAt: Date };
  },
): [BatchItem, ...BatchItem[]] {
  const { plan, next, now } = args;
  const t = now.getTime();
  const guard = db.run(sql`
    UPDATE ${blockRotations} SET version = version + 1, rotated_at = ${t}, current_household_id = ${next.householdId},
      awaiting = ${next.memberId ? 0 : 1}, leader_member_id = ${next.memberId}, guide_seen_at = NULL
    WHERE block_id = ${plan.blockId} AND association_id = ${plan.associationId} AND version = ${args.version}
      ${args.termStart ? sql`AND coalesce(rotated_at, created_at) < ${args.termStart.getTime()}` : sql``}`);
  const written = auditIfWritten(db, {
    associationId: plan.associationId,
    actorId: args.actorId,
    action: args.action,
    targetType: "block",
    targetId: plan.blockId,
    detail: {
      from: plan.currentHouseholdId,
      to: next.householdId,
      memberId: next.memberId,
      previousLeaders: plan.leaders.map((l) => l.id),
      inviteId: args.invite?.id ?? null,
    },
    at: now,
  });
  const statements: [BatchItem, ...BatchItem[]] = [
    guard,
    written.insert,
    // The block's 班長 so far become residents again (a 班長 account without a household too: one 班長 per block).
    db.run(sql`
      UPDATE ${members} SET role = 'resident', block_id = NULL
      WHERE association_id = ${plan.associationId} AND role = 'block_leader' AND block_id = ${plan.blockId}
        AND ${written.won}`),
  ];
  if (next.memberId) {
    statements.push(
      db.run(sql`
        UPDATE ${members} SET role = 'block_leader', block_id = ${plan.blockId}
        WHERE id = ${next.memberId} AND association_id = ${plan.associationId} AND disabled_at IS NULL
          AND role IN ('resident', 'block_leader') AND ${written.won}`),
      // 「班長になりました」 on each of their devices (circular_id names the block). Only "off" silences it; normal
      // pushes wait through quiet hours (the term job runs at midnight).
      db.run(sql`
        INSERT INTO ${pushOutbox} (association_id, subscription_id, household_id, circular_id, kind, urgent, status,
          attempts, next_attempt_at, created_at)
        SELECT s.association_id, s.id, s.household_id, ${plan.blockId}, 'rotation', 0, 'pending', 0,
          ${deliverableAt(now, false).getTime()}, ${t}
        FROM ${pushSubscriptions} s
        LEFT JOIN ${pushPreferences} p ON p.member_id = s.member_id
        WHERE s.member_id = ${next.memberId} AND s.association_id = ${plan.associationId}
          AND ${preferenceAllows(sql`p.mode`, true)} AND ${written.won}`),
    );
  }
  if (args.invite) {
    const i = args.invite;
    statements.push(
      db.run(sql`
        INSERT INTO ${invites} (id, association_id, kind, household_id, token_hash, code_hash, created_by, created_at,
          expires_at)
        SELECT ${i.id}, ${plan.associationId}, 'household', ${next.householdId}, ${i.tokenHash}, ${i.codeHash},
          ${args.actorId}, ${t}, ${i.expiresAt.getTime()}
        WHERE ${written.won}`),
    );
  }
  return statements;
}

/**
 * 「次の班長へ」: the leader moves the role on now. `version` is the one the leader's confirmation showed: a second
 * press (or a second leader) with the same version answers 409 and changes nothing. When the next household has no
 * member yet, its household invite is made in the same batch and returned for printing.
 */
export async function rotateNext({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { blockId: string; version: number; origin: string };
}): Promise<{ rotation: RotationView; invite: IssuedInvite | null }> {
  const block = await getBlock(ctx, input.blockId);
  const plan = await planRotation(ctx.db, ctx.associationId, block.id, block.name);
  if (!plan.state)
    throw errors.conflict(
      "この班の輪番の順番がまだありません。先に順番を保存してください。",
      "This block has no rotation order yet. Save the order first.",
    );
  if (plan.state.version !== input.version) throw alreadyRotated();
  const next = plan.next;
  if (!next)
    throw errors.conflict(
      "次の班長になれる世帯がありません。紙の世帯と免除の世帯のほかに、世帯を加えてください。",
      "No household can take the next turn: every other household is paper, exempt or has left.",
    );
  const issued = next.memberId ? null : { id: newId(), ...issue(ctx.config, ctx.now) };
  const results = await ctx.db.batch(
    rotationStatements(ctx.db, {
      plan,
      next,
      version: input.version,
      now: ctx.now,
      actorId: ctx.actor.memberId,
      action: "rotation.next",
      ...(issued ? { invite: issued } : {}),
    }),
  );
  if (changesOf(results[0]) === 0) throw alreadyRotated();
  const invite = issued
    ? present({ ...issued, kind: "household" }, input.origin, {
        householdId: next.householdId,
        householdLabel: next.label,
        associationName: await associationName(ctx.db, ctx.associationId),
      })
    : null;
  return { rotation: view(await planRotation(ctx.db, ctx.associationId, block.id, block.name)), invite };
}

/**
 * The periodic job (server/jobs.ts): at its first run on or after the term start, every block that has a rotation and
 * has not rotated this term (nor had its order saved this term) rotates once; a block awaiting a household that has
 * joined since gets its 班長. A next household without a member is marked awaiting: no invite is made here, since
 * nobody would see its code (the leader prints one from the 「輪番」 editor). Returns how many blocks rotated.
 */
export async function rotateForTerm(db: Db, now: Date): Promise<number> {
  // Each association's own term (features/handover/term.ts: 1 April unless it set another day).
  const rows = await db.all<{
    blockId: string;
    associationId: string;
    name: string;
    since: number;
    waiting: number;
    termStart: string;
  }>(sql`
    SELECT br.block_id AS blockId, br.association_id AS associationId, b.name,
      coalesce(br.rotated_at, br.created_at) AS since, a.term_start AS termStart,
      (br.awaiting = 1 AND NOT EXISTS (SELECT 1 FROM ${members} bl WHERE bl.association_id = br.association_id
        AND bl.role = 'block_leader' AND bl.block_id = br.block_id AND bl.disabled_at IS NULL)) AS waiting
    FROM ${blockRotations} br
    JOIN ${blocks} b ON b.id = br.block_id AND b.association_id = br.association_id
    JOIN ${associations} a ON a.id = br.association_id`);
  const due = rows
    .map((r) => {
      const termStart = currentTerm(now, r.termStart).start;
      return { ...r, termStart, termDue: r.since < termStart.getTime() };
    })
    .filter((r) => r.termDue || r.waiting === 1);
  let rotated = 0;
  for (const d of due) {
    const plan = await planRotation(db, d.associationId, d.blockId, d.name);
    if (!plan.state || !plan.next) continue;
    const joined = plan.state.awaiting && plan.next.householdId === plan.currentHouseholdId;
    // Between terms, only a household that has joined since its invite completes its turn.
    if (!d.termDue && !joined) continue;
    if (joined && !plan.next.memberId) continue;
    const results = await db.batch(
      rotationStatements(db, {
        plan,
        next: plan.next,
        version: plan.state.version,
        now,
        actorId: null,
        action: joined ? "rotation.joined" : "rotation.term",
        ...(d.termDue ? { termStart: d.termStart } : {}),
      }),
    );
    if (changesOf(results[0]) > 0) rotated++;
  }
  return rotated;
}

// ---------- the new 班長's guide ----------

/** 「班長になりました」 for the signed-in 班長: their block, and whether they have seen it since the rotation. */
export async function myGuide({ ctx }: { ctx: AssociationCtx }) {
  if (ctx.actor.role !== "block_leader" || !ctx.actor.blockId) return { guide: null };
  const [row] = await ctx.db.all<{
    blockName: string;
    associationName: string;
    unseen: number;
    rotatedAt: number | null;
  }>(sql`
    SELECT b.name AS blockName, a.name AS associationName,
      (br.leader_member_id = ${ctx.actor.memberId} AND br.guide_seen_at IS NULL) AS unseen, br.rotated_at AS rotatedAt
    FROM ${blocks} b
    JOIN associations a ON a.id = b.association_id
    LEFT JOIN ${blockRotations} br ON br.block_id = b.id AND br.association_id = b.association_id
    WHERE b.id = ${ctx.actor.blockId} AND b.association_id = ${ctx.associationId}`);
  if (!row) return { guide: null };
  return {
    guide: {
      blockId: ctx.actor.blockId,
      blockName: row.blockName,
      associationName: row.associationName,
      unseen: row.unseen === 1,
      since: row.rotatedAt ? new Date(row.rotatedAt).toISOString() : null,
    },
  };
}

/** The guide was shown: it no longer opens by itself (it stays at /leader/hancho). */
export async function markGuideSeen({ ctx }: { ctx: AssociationCtx }) {
  await ctx.db.run(sql`
    UPDATE ${blockRotations} SET guide_seen_at = ${ctx.now.getTime()}
    WHERE leader_member_id = ${ctx.actor.memberId} AND association_id = ${ctx.associationId}
      AND guide_seen_at IS NULL`);
  return myGuide({ ctx });
}
