// Sessions after Lucia's current design (lucia-auth/lucia code/auth_session.ts; docs/adr/0001-sessions.md):
// the token is "<id>.<secret>", only SHA-256(secret) is stored, the secret is compared in constant time, and the
// expiry slides with use. Residents keep a session for 180 days since last use (a shared household tablet must
// not sign an 80-year-old out); staff for 30 days.
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Actor } from "../../context";
import type { Config } from "../../config";
import { changesOf, type Db } from "../../db/client";
import { members, sessions, type Role } from "../../db/schema";
import { constantTimeEqual, sha256Bytes } from "../../lib/crypto";
import { newId, newSecret } from "../../lib/ids";
import { Coalescer } from "../../lib/coalesce";
import { HOUR } from "../../lib/time";

/** Sliding expiry is written at most this often, so reading pages does not write on every request. */
const TOUCH_INTERVAL_MS = HOUR;

export function sessionTtl(config: Config, role: Role): number {
  return role === "resident" ? config.sessionTtlMs.resident : config.sessionTtlMs.staff;
}

export interface NewSession {
  token: string;
  row: typeof sessions.$inferInsert;
}

/** Builds a session without writing it, so callers can insert it in the same batch as related rows. */
export function buildSession(args: {
  memberId: string;
  householdId: string | null;
  role: Role;
  userAgent: string;
  now: Date;
  config: Config;
}): NewSession {
  const id = newId();
  const secret = newSecret();
  return {
    token: `${id}.${secret}`,
    row: {
      id,
      secretHash: sha256Bytes(secret),
      memberId: args.memberId,
      householdId: args.householdId,
      userAgent: userAgentLabel(args.userAgent),
      createdAt: args.now,
      lastUsedAt: args.now,
      expiresAt: new Date(args.now.getTime() + sessionTtl(args.config, args.role)),
    },
  };
}

/** A short description of the device, for "your sessions"; never the full header. */
export function userAgentLabel(ua: string): string {
  const os = /iPad/.test(ua)
    ? "iPad"
    : /iPhone/.test(ua)
      ? "iPhone"
      : /Android/.test(ua)
        ? "Android"
        : /Windows/.test(ua)
          ? "Windows"
          : /Mac OS X/.test(ua)
            ? "Mac"
            : /Linux/.test(ua)
              ? "Linux"
              : "";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Chrome\//.test(ua)
      ? "Chrome"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Safari\//.test(ua)
          ? "Safari"
          : "";
  return [browser, os].filter(Boolean).join(" / ").slice(0, 60);
}

// Runs on every request, so it reads as little as it can, and the lookups of requests that arrive together are
// answered by one SELECT ... WHERE id IN (...) (lib/coalesce.ts). A disabled member's sessions never match.
type SessionRow = {
  id: string;
  secretHash: Uint8Array;
  lastUsedAt: Date;
  expiresAt: Date;
  memberId: string;
  role: Role;
  associationId: string | null;
  householdId: string | null;
  blockId: string | null;
  readOnlyUntil: Date | null;
};

/**
 * What an outgoing officer's member row grants at `now` (features/handover): read-only staff access until
 * `readOnlyUntil`; from then on a resident's (if they read for a household) or nothing. Everyone else: their role.
 */
export function standingOf(
  row: { role: Role; householdId: string | null; blockId: string | null; readOnlyUntil: Date | null },
  now: Date,
): { role: Role; blockId: string | null; readOnlyUntil: Date | null } | null {
  if (!row.readOnlyUntil) return { role: row.role, blockId: row.blockId, readOnlyUntil: null };
  if (now.getTime() < row.readOnlyUntil.getTime())
    return { role: row.role, blockId: row.blockId, readOnlyUntil: row.readOnlyUntil };
  return row.householdId ? { role: "resident", blockId: null, readOnlyUntil: null } : null;
}

function sessionLoader(db: Db) {
  // Prepared once (the ids as one JSON value): building the query anew for every batch cost more than running it.
  const lookup = db
    .select({
      id: sessions.id,
      secretHash: sessions.secretHash,
      lastUsedAt: sessions.lastUsedAt,
      expiresAt: sessions.expiresAt,
      memberId: sessions.memberId,
      role: members.role,
      associationId: members.associationId,
      householdId: members.householdId,
      blockId: members.blockId,
      readOnlyUntil: members.readOnlyUntil,
    })
    .from(sessions)
    .innerJoin(members, eq(members.id, sessions.memberId))
    .where(
      and(sql`${sessions.id} IN (SELECT value FROM json_each(${sql.placeholder("ids")}))`, isNull(members.disabledAt)),
    )
    .prepare();
  return new Coalescer<string, SessionRow | undefined>(async (ids) => {
    const rows = await lookup.all({ ids: JSON.stringify([...new Set(ids)]) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
  });
}

/** One loader per database handle, so every request of this process shares its batches. */
const loaders = new WeakMap<Db, ReturnType<typeof sessionLoader>>();

export async function validateSessionToken(db: Db, config: Config, token: string, now: Date): Promise<Actor | null> {
  return (await validateSession(db, config, token, now))?.actor ?? null;
}

/**
 * The session's actor, and `renewedUntil` when this request slid the expiry: the caller then sets the cookie
 * again with the new expiry (as Lucia's design does), or the browser would drop the cookie on the date it was
 * first given, however often the session is used.
 */
export async function validateSession(
  db: Db,
  config: Config,
  token: string,
  now: Date,
): Promise<{ actor: Actor; renewedUntil: Date | null } | null> {
  const dot = token.indexOf(".");
  if (dot <= 0) return null;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (id.length > 64 || secret.length === 0 || secret.length > 128) return null;

  let loader = loaders.get(db);
  if (!loader) loaders.set(db, (loader = sessionLoader(db)));
  const row = await loader.load(id);
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  if (!constantTimeEqual(sha256Bytes(secret), new Uint8Array(row.secretHash))) return null;
  const standing = standingOf(row, now);
  if (!standing) return null;
  let renewedUntil: Date | null = null;
  if (now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    renewedUntil = new Date(now.getTime() + sessionTtl(config, standing.role));
    await db.update(sessions).set({ lastUsedAt: now, expiresAt: renewedUntil }).where(eq(sessions.id, id));
  }
  const actor: Actor = {
    memberId: row.memberId,
    sessionId: id,
    role: standing.role,
    associationId: row.associationId,
    householdId: row.householdId,
    blockId: standing.blockId,
    readOnlyUntil: standing.readOnlyUntil,
  };
  return { actor, renewedUntil };
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const res = await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return changesOf(res);
}
