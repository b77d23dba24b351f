// Periodic housekeeping, shared by both runtimes: the Node server runs it on a timer, the Worker from its cron
// trigger (scheduled()). Each job is idempotent and safe to run from several processes at once.
import type { Config } from "./config";
import type { Db } from "./db/client";
import { deleteExpiredSessions } from "./features/auth/session";
import { deleteOldFailures } from "./features/auth/throttle";
import { deleteExpiredInvites } from "./features/invites/invites.service";

export async function runPeriodicJobs(deps: { db: Db; config: Config; now: Date }) {
  return {
    expiredSessions: await deleteExpiredSessions(deps.db, deps.now),
    expiredInvites: await deleteExpiredInvites(deps.db, deps.now),
    oldAuthFailures: await deleteOldFailures(deps.db, deps.config, deps.now),
  };
}
