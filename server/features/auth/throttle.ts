// Failed password and short-code attempts are counted in the database, so the limit holds across processes and
// Worker isolates: at most `maxFailures` per key (an account, a client address) within `windowMs`.
import { and, count, gt, inArray, lt } from "drizzle-orm";
import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { authFailures } from "../../db/schema";
import { ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";

export async function assertNotThrottled(db: Db, config: Config, now: Date, keys: string[]): Promise<void> {
  const since = new Date(now.getTime() - config.throttle.windowMs);
  const rows = await db
    .select({ key: authFailures.key, n: count() })
    .from(authFailures)
    .where(and(inArray(authFailures.key, keys), gt(authFailures.at, since)))
    .groupBy(authFailures.key);
  if (rows.some((r) => r.n >= config.throttle.maxFailures)) {
    const minutes = Math.round(config.throttle.windowMs / 60000);
    throw new ServiceError(
      "rate_limited",
      `失敗が続いたため、しばらく受け付けを止めています。${minutes}分ほど待ってから、もう一度お試しください。`,
      `Too many failed attempts. Please wait about ${minutes} minutes and try again.`,
      { retryAfterSeconds: Math.ceil(config.throttle.windowMs / 1000) },
    );
  }
}

export function failureRows(keys: string[], now: Date) {
  return keys.map((key) => ({ id: newId(), key, at: now }));
}

export async function recordFailures(db: Db, keys: string[], now: Date): Promise<void> {
  await db.insert(authFailures).values(failureRows(keys, now));
}

export async function deleteOldFailures(db: Db, config: Config, now: Date): Promise<number> {
  const res = await db.delete(authFailures).where(lt(authFailures.at, new Date(now.getTime() - config.throttle.windowMs)));
  return res.rowsAffected;
}
