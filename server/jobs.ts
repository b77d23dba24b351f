// Periodic housekeeping, shared by both runtimes: the Node server runs it on a timer, the Worker from its cron
// trigger (scheduled()). Each job is idempotent and safe to run from several processes at once.
import type { Config } from "./config";
import type { Db } from "./db/client";
import { deleteExpiredSessions } from "./features/auth/session";
import { deleteOldFailures } from "./features/auth/throttle";
import { deleteExpiredChallenges } from "./features/passkeys/passkeys.service";
import { deleteExpiredInvites } from "./features/invites/invites.service";
import { drainOutbox, type DrainOptions } from "./features/push/drain";
import { deleteOldPushes } from "./features/push/outbox";
import { queueDueDateReminders } from "./features/push/reminders.service";
import type { PushFetch } from "./features/push/sender";
import { endOutgoingAccess } from "./features/handover/handover.service";
import { rotateForTerm } from "./features/rotation/rotation.service";
import { raiseWatchAlerts } from "./features/watch/quiet";

export async function runPeriodicJobs(deps: { db: Db; config: Config; now: Date }) {
  return {
    expiredSessions: await deleteExpiredSessions(deps.db, deps.now),
    expiredInvites: await deleteExpiredInvites(deps.db, deps.now),
    oldAuthFailures: await deleteOldFailures(deps.db, deps.config, deps.now),
    expiredPasskeyChallenges: await deleteExpiredChallenges(deps.db, deps.now),
    oldPushes: await deleteOldPushes(deps.db, deps.now),
    // Outgoing officers past their 30 read-only days leave the staff roles (features/handover).
    outgoingOfficersEnded: await endOutgoingAccess(deps.db, deps.now),
    // At the first run on or after the association's term start: each block with a rotation gets its next 班長.
    rotatedBlocks: await rotateForTerm(deps.db, deps.now),
  };
}

/**
 * Every minute: queue the due-date reminders whose time has come (9:00 JST) and the 見守り notices of households
 * gone quiet (features/watch/quiet.ts), then send what is due in the outbox
 * (normal pushes held through quiet hours, retries, anything a kick after a publish did not finish).
 * With `send: false` only the reminders are queued: the caller's pump sends them.
 */
export async function runPushJobs(
  deps: { db: Db; config: Config; now: () => Date; fetch?: PushFetch },
  options: DrainOptions & { send?: boolean } = {},
) {
  const reminders = await queueDueDateReminders(deps.db, deps.now());
  const watchAlerts = await raiseWatchAlerts(deps.db, deps.now());
  const sent =
    options.send === false ? { sent: 0, failed: 0, gone: 0, retried: 0, skipped: 0 } : await drainOutbox(deps, options);
  return { reminders, watchAlerts, ...sent };
}
