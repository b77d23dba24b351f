// Staff sign-in with email and password, sign-out, and the list of one's own sessions.
import { and, desc, eq, gt } from "drizzle-orm";
import type { Actor } from "../../context";
import type { Config } from "../../config";
import { changesOf, type Db } from "../../db/client";
import { associations, households, members, sessions } from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "./password";
import { buildSession } from "./session";
import { beginAttempt } from "./throttle";

interface AuthDeps {
  db: Db;
  config: Config;
  now: Date;
}

export async function login(
  deps: AuthDeps,
  input: { email: string; password: string; clientAddress: string; userAgent: string },
) {
  const email = input.email.trim().toLowerCase();
  const keys = [`account:${email}`, `ip:${input.clientAddress}`];
  // Counted before the check, so simultaneous guesses cannot all slip under the limit (throttle.ts).
  const attempt = await beginAttempt(deps.db, deps.config, deps.now, keys);

  const [member] = await deps.db.select().from(members).where(eq(members.email, email)).limit(1);
  let ok = false;
  if (member?.passwordHash && !member.disabledAt) {
    ok = await verifyPassword(input.password, member.passwordHash);
  } else {
    await burnPasswordCheck(input.password, deps.config.passwordIterations);
  }
  if (!member || !ok) {
    throw new ServiceError(
      "unauthorized",
      "メールアドレスかパスワードが違います。もう一度入力してください。",
      "The email address or password is incorrect. Please try again.",
    );
  }
  const session = buildSession({
    memberId: member.id,
    householdId: member.householdId,
    role: member.role,
    userAgent: input.userAgent,
    now: deps.now,
    config: deps.config,
  });
  // An older hash is replaced while the password is at hand (docs/adr/0003-password-hashing.md).
  const rehash =
    member.passwordHash && needsRehash(member.passwordHash, deps.config.passwordIterations)
      ? [
          deps.db
            .update(members)
            .set({ passwordHash: await hashPassword(input.password, deps.config.passwordIterations) })
            .where(and(eq(members.id, member.id), eq(members.passwordHash, member.passwordHash))),
        ]
      : [];
  await deps.db.batch([deps.db.insert(sessions).values(session.row), attempt.forgive(), ...rehash]);
  return { token: session.token, expiresAt: session.row.expiresAt, memberId: member.id };
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** The member's live sessions (expired rows linger until the periodic job deletes them, and are not shown). */
export async function listOwnSessions(db: Db, actor: Actor, now: Date) {
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

export async function endOwnSession(db: Db, actor: Actor, sessionId: string): Promise<void> {
  const res = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.memberId, actor.memberId)));
  if (changesOf(res) === 0) throw errors.notFound("ログイン中の端末", "session");
}

export async function describeMe(db: Db, memberId: string) {
  const [found] = await db
    .select({ m: members, associationName: associations.name, householdLabel: households.label })
    .from(members)
    .leftJoin(associations, eq(associations.id, members.associationId))
    .leftJoin(households, eq(households.id, members.householdId))
    .where(eq(members.id, memberId));
  if (!found) throw errors.unauthorized();
  const row = found.m;
  return {
    id: row.id,
    displayName: row.displayName,
    role: row.role,
    email: row.email,
    associationId: row.associationId,
    associationName: found.associationName,
    householdId: row.householdId,
    householdLabel: found.householdLabel,
    blockId: row.blockId,
  };
}
