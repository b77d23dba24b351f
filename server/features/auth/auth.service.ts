// Staff sign-in with email and password, sign-out, and the list of one's own sessions.
import { and, desc, eq } from "drizzle-orm";
import type { Actor } from "../../context";
import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { members, sessions } from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { burnPasswordCheck, verifyPassword } from "./password";
import { buildSession } from "./session";
import { assertNotThrottled, recordFailures } from "./throttle";

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
  await assertNotThrottled(deps.db, deps.config, deps.now, keys);

  const [member] = await deps.db.select().from(members).where(eq(members.email, email)).limit(1);
  let ok = false;
  if (member?.passwordHash && !member.disabledAt) {
    ok = await verifyPassword(input.password, member.passwordHash);
  } else {
    await burnPasswordCheck(input.password, deps.config.passwordIterations);
  }
  if (!member || !ok) {
    await recordFailures(deps.db, keys, deps.now);
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
  await deps.db.insert(sessions).values(session.row);
  return { token: session.token, expiresAt: session.row.expiresAt, memberId: member.id };
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function listOwnSessions(db: Db, actor: Actor) {
  const rows = await db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(eq(sessions.memberId, actor.memberId))
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
  if (res.rowsAffected === 0) throw errors.notFound("ログイン中の端末", "session");
}

export async function describeMe(db: Db, memberId: string) {
  const [row] = await db.select().from(members).where(eq(members.id, memberId));
  if (!row) throw errors.unauthorized();
  return {
    id: row.id,
    displayName: row.displayName,
    role: row.role,
    email: row.email,
    associationId: row.associationId,
    householdId: row.householdId,
    blockId: row.blockId,
  };
}
