// Staff sign-in with email and password, sign-out, and the list of one's own sessions.
import { and, desc, eq, gt } from "drizzle-orm";
import type { RequestCtx, ServiceCtx } from "../../context";
import { changesOf, type BatchItem, type Db } from "../../db/client";
import { associations, households, members, sessions } from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "./password";
import { buildSession, standingOf } from "./session";
import { beginAttempt } from "./throttle";

type Member = typeof members.$inferSelect;

/** Signs in: the session to set as a cookie, and who signed in (what GET /auth/me answers). */
export async function login({
  ctx,
  input,
}: {
  ctx: RequestCtx;
  input: { email: string; password: string; clientAddress: string; userAgent: string };
}) {
  const email = input.email.trim().toLowerCase();
  const keys = [`account:${email}`, `ip:${input.clientAddress}`];
  // Counted before the check, so simultaneous guesses cannot all slip under the limit (throttle.ts).
  const attempt = await beginAttempt(ctx.db, ctx.config, ctx.now, keys);

  const [member] = await ctx.db.select().from(members).where(eq(members.email, email)).limit(1);
  let ok = false;
  if (member?.passwordHash && !member.disabledAt) {
    ok = await verifyPassword(input.password, member.passwordHash);
  } else {
    await burnPasswordCheck(input.password, ctx.config.passwordIterations);
  }
  if (!member || !ok) {
    throw new ServiceError(
      "unauthorized",
      "メールアドレスかパスワードが違います。もう一度入力してください。",
      "The email address or password is incorrect. Please try again.",
    );
  }
  // An older hash is replaced while the password is at hand (docs/adr/0003-password-hashing.md).
  const rehash =
    member.passwordHash && needsRehash(member.passwordHash, ctx.config.passwordIterations)
      ? [
          ctx.db
            .update(members)
            .set({ passwordHash: await hashPassword(input.password, ctx.config.passwordIterations) })
            .where(and(eq(members.id, member.id), eq(members.passwordHash, member.passwordHash))),
        ]
      : [];
  return openSession({ ctx, input: { member, userAgent: input.userAgent, alsoWrite: [attempt.forgive(), ...rehash] } });
}

/**
 * Signs a member in, whatever proved who they are (a password here, a passkey in features/passkeys): the session
 * written with `alsoWrite` in one batch, and what GET /auth/me answers. An outgoing officer whose 30 days of
 * read-only access are over, and who reads for no household (features/handover), is refused.
 */
export async function openSession({
  ctx,
  input,
}: {
  ctx: RequestCtx;
  input: {
    member: Pick<Member, "id" | "householdId" | "role" | "blockId" | "readOnlyUntil">;
    userAgent: string;
    alsoWrite?: BatchItem[];
  };
}) {
  const { member } = input;
  if (!standingOf(member, ctx.now))
    throw new ServiceError(
      "forbidden",
      "役員の引き継ぎから 30 日が過ぎたため、この画面は使えません。ご用のときは今の役員にご相談ください。",
      "Your role was handed over more than 30 days ago, so you can no longer sign in. Please ask the current officers.",
    );
  const session = buildSession({
    memberId: member.id,
    householdId: member.householdId,
    role: member.role,
    userAgent: input.userAgent,
    now: ctx.now,
    config: ctx.config,
  });
  await ctx.db.batch([ctx.db.insert(sessions).values(session.row), ...(input.alsoWrite ?? [])]);
  return {
    token: session.token,
    expiresAt: session.row.expiresAt,
    me: await describeMember(ctx.db, member.id, ctx.now),
  };
}

/** Ends the session this request came with. */
export async function logout({ ctx }: { ctx: ServiceCtx }): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.id, ctx.actor.sessionId));
}

/** The member's live sessions (expired rows linger until the periodic job deletes them, and are not shown). */
export async function listOwnSessions({ ctx }: { ctx: ServiceCtx }) {
  const { db, actor, now } = ctx;
  const rows = await db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(and(eq(sessions.memberId, actor.memberId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastUsedAt));
  return rows.map((r) => ({
    id: r.id,
    device: r.userAgent,
    current: r.id === actor.sessionId,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
  }));
}

/** Ends one of the member's own sessions (another member's session answers 404, like one that does not exist). */
export async function endOwnSession({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }): Promise<void> {
  const res = await ctx.db
    .delete(sessions)
    .where(and(eq(sessions.id, input.id), eq(sessions.memberId, ctx.actor.memberId)));
  if (changesOf(res) === 0) throw errors.notFound("ログイン中の端末", "session");
}

/** Who is signed in. */
export async function describeMe({ ctx }: { ctx: ServiceCtx }) {
  return describeMember(ctx.db, ctx.actor.memberId, ctx.now);
}

async function describeMember(db: Db, memberId: string, now: Date) {
  const [found] = await db
    .select({ m: members, associationName: associations.name, householdLabel: households.label })
    .from(members)
    .leftJoin(associations, eq(associations.id, members.associationId))
    .leftJoin(households, eq(households.id, members.householdId))
    .where(eq(members.id, memberId));
  const standing = found && standingOf(found.m, now);
  if (!found || !standing) throw errors.unauthorized();
  const row = found.m;
  return {
    id: row.id,
    displayName: row.displayName,
    role: standing.role,
    email: row.email,
    associationId: row.associationId,
    associationName: found.associationName,
    householdId: row.householdId,
    householdLabel: found.householdLabel,
    blockId: standing.blockId,
    /** An outgoing officer (「前会長」): read-only until then. */
    readOnlyUntil: standing.readOnlyUntil?.toISOString() ?? null,
  };
}
