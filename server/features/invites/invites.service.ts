// Invites: how people join without passwords. A household invite is a single-use token (160 bits) printed as a
// QR code that opens /join/<token>, plus an 8-character short code for typing. Only hashes are stored; they
// expire after 14 days; consuming one is a single conditional UPDATE, so two devices can never both use it. A join
// that fails says why: no such link or code (404: check the typing) or an expired or used invite (410: ask the
// leader).
import { and, desc, eq, gt, isNull, notExists, sql, type SQL } from "drizzle-orm";
import { renderSVG } from "uqr";
import type { AssociationCtx, RequestCtx } from "../../context";
import type { Config } from "../../config";
import { changesOf, inList, type BatchItem, type Db } from "../../db/client";
import {
  associations,
  blocks,
  households,
  invites,
  members,
  sessions,
  type InviteKind,
  type Role,
} from "../../db/schema";
import { sha256Hex } from "../../lib/crypto";
import { errors, ServiceError } from "../../lib/errors";
import { newId, newSecret, newShortCode, normalizeShortCode, SHORT_CODE_ALPHABET } from "../../lib/ids";
import { audit, auditIfWritten, auditInsert, happened } from "../audit/audit";
import { hashPassword } from "../auth/password";
import { buildSession } from "../auth/session";
import { beginAttempt } from "../auth/throttle";
import { getBlock, getHousehold } from "../households/households.service";
import { handoverOnJoin } from "../handover/on-join";

export interface IssuedInvite {
  id: string;
  kind: InviteKind;
  token: string;
  code: string;
  /** The code as printed: 「ABCD-EFGH」. */
  codeDisplay: string;
  url: string;
  qrSvg: string;
  expiresAt: string;
  householdId: string | null;
  householdLabel: string | null;
  associationName: string;
}

export function issue(config: Config, now: Date) {
  const token = newSecret();
  const code = newShortCode();
  return {
    token,
    code,
    tokenHash: sha256Hex(token),
    codeHash: sha256Hex(code),
    expiresAt: new Date(now.getTime() + config.inviteTtlMs),
  };
}

export function present(
  base: { id: string; kind: InviteKind; token: string; code: string; expiresAt: Date },
  origin: string,
  extra: { householdId: string | null; householdLabel: string | null; associationName: string },
): IssuedInvite {
  const url = `${origin}/join/${base.token}`;
  return {
    id: base.id,
    kind: base.kind,
    token: base.token,
    code: base.code,
    codeDisplay: `${base.code.slice(0, 4)}-${base.code.slice(4)}`,
    url,
    // ECC level M survives a smudged print; the border is the quiet zone scanners need.
    qrSvg: renderSVG(url, { ecc: "M", border: 2 }),
    expiresAt: base.expiresAt.toISOString(),
    ...extra,
  };
}

export async function associationName(db: Db, id: string): Promise<string> {
  const [a] = await db.select({ name: associations.name }).from(associations).where(eq(associations.id, id));
  if (!a) throw errors.notFound("町内会", "association");
  return a.name;
}

/**
 * The operator's CLI acting in an association (`npm run admin -- invite-household`): no member acts, so the invite
 * and its audit row name no one, like the other admin commands' rows.
 */
export type OperatorCtx = Omit<AssociationCtx, "actor"> & { actor: null };

export async function createHouseholdInvite({
  ctx,
  input,
}: {
  ctx: AssociationCtx | OperatorCtx;
  input: { householdId: string; origin: string };
}): Promise<IssuedInvite> {
  const household = await getHousehold(ctx, input.householdId);
  if (household.leftAt)
    throw errors.conflict(
      "この世帯は退会しています。招待を作る前に世帯を戻してください。",
      "This household has left the association.",
    );
  const id = newId();
  const t = issue(ctx.config, ctx.now);
  const actorId = ctx.actor?.memberId ?? null;
  await ctx.db.batch([
    ctx.db.insert(invites).values({
      id,
      associationId: ctx.associationId,
      kind: "household",
      householdId: household.id,
      tokenHash: t.tokenHash,
      codeHash: t.codeHash,
      createdBy: actorId,
      createdAt: ctx.now,
      expiresAt: t.expiresAt,
    }),
    auditInsert(ctx.db, {
      associationId: ctx.associationId,
      actorId,
      action: "invite.create",
      targetType: "household",
      targetId: household.id,
      detail: { inviteId: id },
      at: ctx.now,
    }),
  ]);
  return present({ id, kind: "household", ...t }, input.origin, {
    householdId: household.id,
    householdLabel: household.label,
    associationName: await associationName(ctx.db, ctx.associationId),
  });
}

/** At most this many invites in one request: a sheet for every household of a large association. */
export const MAX_INVITES_PER_REQUEST = 200;

/**
 * Invites for several households at once, for printing a sheet per household (or a grid of them). All or none:
 * every household must belong to the association and not have left, and every invite is written in one batch.
 * The invites come back in the order the households were asked for.
 */
export async function createHouseholdInvites({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { householdIds: string[]; origin: string };
}): Promise<IssuedInvite[]> {
  const ids = [...new Set(input.householdIds)];
  const rows = await ctx.db
    .select({ id: households.id, label: households.label, leftAt: households.leftAt })
    .from(households)
    .where(and(eq(households.associationId, ctx.associationId), inList(households.id, ids)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (ids.some((id) => !byId.has(id))) throw errors.notFound("世帯", "household");
  const left = rows.filter((r) => r.leftAt);
  if (left.length > 0)
    throw errors.conflict(
      `退会した世帯が含まれています（${left.map((r) => r.label).join("・")}）。その世帯を外すか、世帯を戻してから招待を作ってください。`,
      `Some households have left the association (${left.map((r) => r.label).join(", ")}). Leave them out or restore them first.`,
    );
  const issued = ids.map((householdId) => ({ householdId, id: newId(), ...issue(ctx.config, ctx.now) }));
  const [first, ...rest] = issued.flatMap((t) => [
    ctx.db.insert(invites).values({
      id: t.id,
      associationId: ctx.associationId,
      kind: "household",
      householdId: t.householdId,
      tokenHash: t.tokenHash,
      codeHash: t.codeHash,
      createdBy: ctx.actor.memberId,
      createdAt: ctx.now,
      expiresAt: t.expiresAt,
    }),
    audit(ctx, "invite.create", "household", t.householdId, { inviteId: t.id }),
  ]);
  if (first) await ctx.db.batch([first, ...rest]);
  const name = await associationName(ctx.db, ctx.associationId);
  return issued.map((t) =>
    present({ ...t, kind: "household" }, input.origin, {
      householdId: t.householdId,
      householdLabel: byId.get(t.householdId)?.label ?? null,
      associationName: name,
    }),
  );
}

/** An invite for a leader or block leader, who sets an email and password when joining. */
/** What a staff invite is made of: where, by whom, for which role. */
interface StaffInviteArgs {
  db: Db;
  config: Config;
  now: Date;
  associationId: string;
  actorId: string | null;
  kind: "leader" | "block_leader";
  blockId: string | null;
  /** Usable at least until then (a handover's invite lasts into the new term), else the usual time. */
  usableUntil?: Date;
}

/**
 * A staff invite's rows (the invite and its audit row) for the caller's batch, with what to `present` once written:
 * one invite (createStaffInvite) or several in one batch with their handovers (handover.service prepareHandover).
 */
export function staffInviteRows(args: StaffInviteArgs) {
  const id = newId();
  const t = issue(args.config, args.now);
  const expiresAt = new Date(Math.max(t.expiresAt.getTime(), args.usableUntil?.getTime() ?? 0));
  const statements: [BatchItem, BatchItem] = [
    args.db.insert(invites).values({
      id,
      associationId: args.associationId,
      kind: args.kind,
      blockId: args.blockId,
      tokenHash: t.tokenHash,
      codeHash: t.codeHash,
      createdBy: args.actorId,
      createdAt: args.now,
      expiresAt,
    }),
    auditInsert(args.db, {
      associationId: args.associationId,
      actorId: args.actorId,
      action: "invite.create",
      targetType: "invite",
      targetId: id,
      detail: { kind: args.kind, blockId: args.blockId },
      at: args.now,
    }),
  ];
  return { id, statements, invite: { id, kind: args.kind, token: t.token, code: t.code, expiresAt } };
}

/** A staff invite as handed to the leader (its sheet): no household, the association's name. */
export function presentStaffInvite(
  invite: ReturnType<typeof staffInviteRows>["invite"],
  origin: string,
  association: string,
): IssuedInvite {
  return present(invite, origin, { householdId: null, householdLabel: null, associationName: association });
}

export async function createStaffInvite(
  args: StaffInviteArgs & {
    origin: string;
    /** More rows for the same batch, given the new invite's id (the operator's reset-leader audit row). */
    alsoWrite?: (inviteId: string) => BatchItem[];
  },
): Promise<IssuedInvite> {
  const rows = staffInviteRows(args);
  await args.db.batch([...rows.statements, ...(args.alsoWrite?.(rows.id) ?? [])]);
  return presentStaffInvite(rows.invite, args.origin, await associationName(args.db, args.associationId));
}

export async function createStaffInviteAsLeader({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { kind: "leader" | "block_leader"; blockId?: string; origin: string };
}) {
  if (input.kind === "block_leader" && !input.blockId)
    throw errors.validation("班長の招待には担当の班を選んでください。", "Choose the block for a block leader invite.");
  if (input.blockId) await getBlock(ctx, input.blockId);
  return createStaffInvite({
    db: ctx.db,
    config: ctx.config,
    now: ctx.now,
    associationId: ctx.associationId,
    actorId: ctx.actor.memberId,
    kind: input.kind,
    blockId: input.kind === "block_leader" ? (input.blockId ?? null) : null,
    origin: input.origin,
  });
}

export async function listInvites({ ctx, input }: { ctx: AssociationCtx; input: { householdId?: string } }) {
  const conditions = [
    eq(invites.associationId, ctx.associationId),
    isNull(invites.usedAt),
    gt(invites.expiresAt, ctx.now),
  ];
  if (input.householdId) conditions.push(eq(invites.householdId, input.householdId));
  const rows = await ctx.db
    .select({
      id: invites.id,
      kind: invites.kind,
      householdId: invites.householdId,
      householdLabel: households.label,
      blockId: invites.blockId,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .leftJoin(households, eq(households.id, invites.householdId))
    .where(and(...conditions))
    .orderBy(desc(invites.createdAt));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString() }));
}

export async function revokeInvite({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const [row] = await ctx.db
    .select({ id: invites.id })
    .from(invites)
    .where(and(eq(invites.id, input.id), eq(invites.associationId, ctx.associationId), isNull(invites.usedAt)));
  if (!row) throw errors.notFound("招待", "invite");
  await ctx.db.batch([
    ctx.db
      .update(invites)
      .set({ expiresAt: ctx.now })
      .where(and(eq(invites.id, row.id), eq(invites.associationId, ctx.associationId))),
    audit(ctx, "invite.revoke", "invite", row.id),
  ]);
}

// ---------- joining ----------

export type InviteSecret = { token: string } | { code: string };

/**
 * An invite that exists but can no longer be used (expired, used, cancelled, its household gone, or of the other
 * kind): only the leader can help, with a new one. 410, so the page can tell it from a mistyped code.
 */
const spentInvite = () =>
  new ServiceError(
    "gone",
    "この招待は使えません。期限切れか、すでに使われています。町内会の役員に新しい招待をお願いしてください。",
    "This invite cannot be used: it has expired or was already used. Please ask your association for a new one.",
  );

/**
 * A link or code that matches no invite at all: a mistyped code (shown back as read, grouped as printed: 「ABCD-EFGH」)
 * or a link cut short. 404, and the same answer whatever other invites exist.
 */
function unknownInvite(secret: InviteSecret): ServiceError {
  if ("token" in secret)
    return new ServiceError(
      "not_found",
      "この招待のリンクは見つかりません。QR コードをもう一度読み取るか、紙に書かれた招待コードを入力してください。",
      "This invite link was not found. Please scan the QR code again, or type the invite code printed on the paper.",
    );
  const code = normalizeShortCode(secret.code);
  const shown = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
  return new ServiceError(
    "not_found",
    `招待コード「${shown}」は見つかりません。紙に書かれた招待コードと見比べて、入力をもう一度確かめてください。`,
    `There is no invite code “${shown}”. Please compare it with the code on the paper and check what you typed.`,
  );
}

const emailTaken = () =>
  errors.conflict(
    "このメールアドレスはすでに登録されています。ログイン画面からログインしてください。",
    "This email address is already registered. Please sign in instead.",
  );

async function isEmailTaken(db: Db, email: string): Promise<boolean> {
  const [taken] = await db.select({ id: members.id }).from(members).where(eq(members.email, email)).limit(1);
  return !!taken;
}

function hashOf(secret: InviteSecret): { column: "token" | "code"; hash: string } | null {
  if ("token" in secret) return { column: "token", hash: sha256Hex(secret.token.trim()) };
  const code = normalizeShortCode(secret.code);
  if (code.length !== 8 || [...code].some((ch) => !SHORT_CODE_ALPHABET.includes(ch))) return null;
  return { column: "code", hash: sha256Hex(code) };
}

/**
 * The invite a link or code names, if it can still be used; otherwise unknownInvite (no invite has it) or
 * spentInvite (expired, used or cancelled). The hashes are unique, so a secret names at most one invite.
 */
async function usableInvite(db: Db, secret: InviteSecret, now: Date) {
  const h = hashOf(secret);
  const [row] = h
    ? await db
        .select()
        .from(invites)
        .where(h.column === "token" ? eq(invites.tokenHash, h.hash) : eq(invites.codeHash, h.hash))
    : [];
  if (!row) throw unknownInvite(secret);
  if (row.usedAt || row.expiresAt.getTime() <= now.getTime()) throw spentInvite();
  return row;
}

/** What the join page shows before 「はじめる」: whose invite this is. Reading does not consume it. */
export async function previewInvite({ ctx, input }: { ctx: RequestCtx; input: { token: string } }) {
  const { db } = ctx;
  const invite = await usableInvite(db, { token: input.token }, ctx.now);
  const [a] = await db
    .select({ name: associations.name })
    .from(associations)
    .where(eq(associations.id, invite.associationId));
  let householdLabel: string | null = null;
  if (invite.householdId) {
    const [h] = await db
      .select({ label: households.label })
      .from(households)
      .where(eq(households.id, invite.householdId));
    householdLabel = h?.label ?? null;
  }
  let blockName: string | null = null;
  if (invite.blockId) {
    const [b] = await db.select({ name: blocks.name }).from(blocks).where(eq(blocks.id, invite.blockId));
    blockName = b?.name ?? null;
  }
  return {
    kind: invite.kind,
    associationName: a?.name ?? "",
    householdLabel,
    blockName,
    expiresAt: invite.expiresAt.toISOString(),
  };
}

interface JoinDeps {
  db: Db;
  config: Config;
  now: Date;
  clientAddress: string;
  userAgent: string;
}

/** Where a join comes from: the device's address (throttling) and its browser (the session's label). */
interface JoinClient {
  clientAddress: string;
  userAgent: string;
}

const joinDeps = (ctx: RequestCtx, input: JoinClient): JoinDeps => ({
  ...ctx,
  clientAddress: input.clientAddress,
  userAgent: input.userAgent,
});

/**
 * Consumes an invite and creates the member and their session, all in one batch. The UPDATE that marks the invite
 * used is conditional (unused, unexpired); its audit row is written only if it changed the invite, and the INSERTs
 * that follow only where that audit row exists (audit.ts), so if another device won the race, nothing is written.
 */
async function consume(
  deps: JoinDeps,
  secret: InviteSecret,
  newMember: (invite: typeof invites.$inferSelect) => Promise<{
    role: Role;
    displayName: string;
    email: string | null;
    passwordHash: string | null;
  }>,
  expectKinds: readonly InviteKind[],
  /** A condition more for taking the invite, and statements for the same batch, each guarded by `won` (a handover). */
  alsoWrite?: (a: {
    invite: typeof invites.$inferSelect;
    memberId: string;
    won: SQL;
  }) => Promise<{ guard?: SQL; writes: BatchItem[] }>,
) {
  const throttleKeys = [`join-ip:${deps.clientAddress}`];
  // Only the short code can be guessed (the QR token has 160 bits). Each code attempt is counted before it is
  // checked, so simultaneous guesses cannot slip under the limit; a code that matches is not a wrong guess.
  const attempt = "code" in secret ? await beginAttempt(deps.db, deps.config, deps.now, throttleKeys) : null;

  const invite = await usableInvite(deps.db, secret, deps.now);
  if (!expectKinds.includes(invite.kind)) throw spentInvite();
  if (attempt) await attempt.forgive();
  const m = await newMember(invite);
  const memberId = newId();
  const householdId = invite.kind === "household" ? invite.householdId : null;
  const session = buildSession({
    memberId,
    householdId,
    role: m.role,
    userAgent: deps.userAgent,
    now: deps.now,
    config: deps.config,
  });
  // A staff member's email must still be free when the invite is taken: two joins with the same email may both
  // pass the check in joinAsStaff, and only the first batch may then use its invite (the other writes nothing).
  const emailFree = m.email
    ? notExists(deps.db.select({ id: members.id }).from(members).where(eq(members.email, m.email)))
    : undefined;
  const used = auditIfWritten(deps.db, {
    associationId: invite.associationId,
    actorId: memberId,
    action: "invite.use",
    targetType: "invite",
    targetId: invite.id,
    detail: { kind: invite.kind, householdId },
    at: deps.now,
  });
  const s = session.row;
  const more = (await alsoWrite?.({ invite, memberId, won: used.won })) ?? { writes: [] };
  const results = await deps.db.batch([
    deps.db
      .update(invites)
      .set({ usedAt: deps.now, usedBy: memberId })
      .where(
        and(eq(invites.id, invite.id), isNull(invites.usedAt), gt(invites.expiresAt, deps.now), emailFree, more.guard),
      )
      .returning({ id: invites.id }),
    used.insert,
    deps.db.run(sql`
      INSERT INTO ${members} (id, association_id, household_id, block_id, display_name, role, email, password_hash, created_at)
      SELECT ${memberId}, ${invite.associationId}, ${householdId}, ${invite.blockId}, ${m.displayName}, ${m.role},
             ${m.email}, ${m.passwordHash}, ${deps.now.getTime()}
      WHERE ${used.won}`),
    deps.db.run(sql`
      INSERT INTO ${sessions} (id, secret_hash, member_id, household_id, user_agent, created_at, last_used_at, expires_at)
      SELECT ${s.id}, ${s.secretHash}, ${memberId}, ${householdId}, ${s.userAgent ?? ""}, ${deps.now.getTime()},
             ${deps.now.getTime()}, ${s.expiresAt.getTime()}
      WHERE ${used.won}`),
    ...more.writes,
  ]);
  if (!happened(results[0])) {
    if (m.email && (await isEmailTaken(deps.db, m.email))) throw emailTaken();
    throw spentInvite();
  }
  return { memberId, token: session.token, expiresAt: s.expiresAt, role: m.role };
}

/** A household device joins with the QR token or the short code. No password, ever. */
export async function joinHousehold({
  ctx,
  input,
}: {
  ctx: RequestCtx;
  input: InviteSecret & JoinClient & { displayName?: string };
}) {
  const deps = joinDeps(ctx, input);
  return consume(
    deps,
    input,
    async (invite) => {
      const [h] = await deps.db
        .select({ label: households.label, leftAt: households.leftAt })
        .from(households)
        .where(eq(households.id, invite.householdId ?? ""));
      if (!h || h.leftAt) throw spentInvite();
      return {
        role: "resident",
        displayName: input.displayName?.trim() || `${h.label}さん宅`,
        email: null,
        passwordHash: null,
      };
    },
    ["household"],
  );
}

/** A leader or block leader joins and sets the email and password they will sign in with. */
export async function joinAsStaff({
  ctx,
  input,
}: {
  ctx: RequestCtx;
  input: InviteSecret & JoinClient & { displayName: string; email: string; password: string };
}) {
  const deps = joinDeps(ctx, input);
  const email = input.email.trim().toLowerCase();
  return consume(
    deps,
    input,
    async (invite) => {
      // Checked only once the invite is known to be valid, so that without one nobody can learn which emails
      // have accounts (sign-in takes care to reveal nothing of the kind either).
      if (await isEmailTaken(deps.db, email)) throw emailTaken();
      return {
        role: invite.kind === "block_leader" ? "block_leader" : "leader",
        displayName: input.displayName.trim(),
        email,
        passwordHash: await hashPassword(input.password, deps.config.passwordIterations),
      };
    },
    ["leader", "block_leader"],
    // A handover's invite: the handover is completed and the outgoing officer made read-only in the same batch.
    ({ invite, memberId, won }) =>
      handoverOnJoin(deps.db, {
        inviteId: invite.id,
        associationId: invite.associationId,
        successorId: memberId,
        now: deps.now,
        won,
      }),
  );
}

/**
 * How long an unused invite is kept after it expires or is cancelled: while it is kept, its code answers 「期限切れ」
 * (ask the leader) rather than 「見つかりません」 (check the typing), for a paper found again within the year.
 */
export const EXPIRED_INVITE_KEPT_MS = 365 * 24 * 60 * 60 * 1000;

export async function deleteExpiredInvites(db: Db, now: Date): Promise<number> {
  const res = await db
    .delete(invites)
    .where(and(isNull(invites.usedAt), sql`${invites.expiresAt} <= ${now.getTime() - EXPIRED_INVITE_KEPT_MS}`));
  return changesOf(res);
}
