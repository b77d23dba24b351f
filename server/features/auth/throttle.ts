// Password and short-code attempts are counted in the database, so the limit holds across processes and Worker
// isolates: at most `maxFailures` failures per key (an account, a client address) within `windowMs`.
//
// An attempt is written down before it is checked, in the same batch (one transaction) that counts the key's
// recent rows. Attempts that arrive together are therefore counted one after another: twenty simultaneous guesses
// cannot all see "no failures yet" and slip under the limit. A refused attempt takes its rows back (a refusal is
// not a failure); a successful one is forgiven by the caller; a failed one stays on record.
import { and, count, eq, gt, inArray, lt } from "drizzle-orm";
import type { Config } from "../../config";
import { changesOf, type Db } from "../../db/client";
import { authFailures } from "../../db/schema";
import { ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";

function rateLimited(config: Config): ServiceError {
  const minutes = Math.round(config.throttle.windowMs / 60000);
  return new ServiceError(
    "rate_limited",
    `失敗が続いたため、しばらく受け付けを止めています。${minutes}分ほど待ってから、もう一度お試しください。`,
    `Too many failed attempts. Please wait about ${minutes} minutes and try again.`,
    { retryAfterSeconds: Math.ceil(config.throttle.windowMs / 1000) },
  );
}

export interface Attempt {
  /** The statement that removes this attempt's rows: await it, or put it in the batch that completes a success. */
  forgive(): ReturnType<typeof forgiveRows>;
}

function forgiveRows(db: Db, ids: string[]) {
  return db.delete(authFailures).where(inArray(authFailures.id, ids));
}

/** Records an attempt for `keys` and throws rate_limited if any key is over its limit with it. */
export async function beginAttempt(db: Db, config: Config, now: Date, keys: string[]): Promise<Attempt> {
  const rows = keys.map((key) => ({ id: newId(), key, at: now }));
  const ids = rows.map((r) => r.id);
  const since = new Date(now.getTime() - config.throttle.windowMs);
  const [, counts] = await db.batch([
    db.insert(authFailures).values(rows),
    db
      .select({ key: authFailures.key, n: count() })
      .from(authFailures)
      .where(and(inArray(authFailures.key, keys), gt(authFailures.at, since)))
      .groupBy(authFailures.key),
  ]);
  // The count includes this attempt: more than maxFailures means maxFailures were already on record.
  if (counts.some((r) => r.n > config.throttle.maxFailures)) {
    await forgiveRows(db, ids);
    throw rateLimited(config);
  }
  return { forgive: () => forgiveRows(db, ids) };
}

/** The statement that removes every attempt on record for `key` (a success that proves who is behind it). */
export function forgiveKey(db: Db, key: string) {
  return db.delete(authFailures).where(eq(authFailures.key, key));
}

export async function deleteOldFailures(db: Db, config: Config, now: Date): Promise<number> {
  const res = await db
    .delete(authFailures)
    .where(lt(authFailures.at, new Date(now.getTime() - config.throttle.windowMs)));
  return changesOf(res);
}
