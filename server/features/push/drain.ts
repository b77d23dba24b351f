// Draining the push outbox: claim due rows (urgent first), send each with bounded concurrency, record the answers.
// 2xx: sent. 404/410: the subscription is gone, so it is deleted. 429, 5xx or no answer: tried again later with
// exponential backoff, or after Retry-After when the service names a time, while the push is still worth
// delivering (its TTL) and attempts remain. Anything else: failed. Rows that are no longer worth sending (the
// household has read it meanwhile, the circular was withdrawn, the device unsubscribed, a 見守り notice cleared) are
// skipped.
import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { claimDue, recordOutcomes, type OutboxItem, type Outcome } from "./outbox";
import { pushPayload } from "./payload";
import { endpointProblem, sendPush, topicOf, TTL_NORMAL_S, TTL_URGENT_S, type PushFetch } from "./sender";
import { vapidKeys, type VapidKeys } from "./vapid";

export interface DrainDeps {
  db: Db;
  config: Config;
  now: () => Date;
  /** The HTTP client for push services; the platform fetch by default. */
  fetch?: PushFetch | undefined;
}

export interface DrainOptions {
  /** Pushes in flight at once. */
  concurrency?: number;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Stop starting new rounds after this long (a Worker's waitUntil has about 30 s). */
  maxMs?: number;
}

export interface DrainResult {
  sent: number;
  failed: number;
  gone: number;
  retried: number;
  skipped: number;
}

export const MAX_ATTEMPTS = 5;
const FIRST_RETRY_MS = 30_000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** A claimed row comes due again after this if its sender died mid-round. */
const LEASE_MS = 5 * 60 * 1000;

/** The title of every 見守り push. */
export const WATCH_TITLE = "見守りのお知らせ";
/** The title of the push a new 班長 gets (features/rotation). */
export const ROTATION_TITLE = "班長になりました";

const transient = (status: number) => status === 0 || status === 429 || status >= 500;

/** The backoff before attempt `attempts + 1`: 30 s, 1 min, 2 min … at most an hour, or longer if the service asks. */
export function retryDelayMs(attempts: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(MAX_BACKOFF_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

async function deliver(item: OutboxItem, vapid: VapidKeys, deps: DrainDeps): Promise<Outcome> {
  const { id } = item;
  if (!item.endpoint || !item.p256dh || !item.auth) return { id, status: "skipped" };
  if (item.kind === "watch") {
    // A 見守り notice names no circular: it is worth sending while the household has read nothing since.
    if (!item.watchOpen) return { id, status: "skipped" };
  } else if (item.kind === "rotation") {
    // 「班長になりました」 names no circular (its circular_id is the block): always worth sending.
  } else {
    if (item.circularStatus !== "published") return { id, status: "skipped" };
    // Read meanwhile (answered, for an answer reminder): no longer worth a notification.
    if (item.kind === "answer_reminder" ? item.answered : item.readAt !== null) return { id, status: "skipped" };
  }
  const now = deps.now();
  const ttlMs = (item.urgent ? TTL_URGENT_S : TTL_NORMAL_S) * 1000;
  const expiresAt = item.createdAt + ttlMs;
  if (now.getTime() >= expiresAt) return { id, status: "failed", httpStatus: null };
  if (endpointProblem(item.endpoint, deps.config.push.allowHttpEndpoints))
    return { id, status: "failed", httpStatus: null };
  const watch = item.kind === "watch";
  const rotation = item.kind === "rotation";
  // A 見守り push carries neither the household (its id is the row's circular_id) nor anyone's name: only that
  // someone has gone quiet; the watcher opens /watch to see who.
  const payload = pushPayload({
    kind: item.kind,
    circularId: watch || rotation ? null : item.circularId,
    title: watch ? WATCH_TITLE : rotation ? ROTATION_TITLE : (item.title ?? ""),
    associationName: item.associationName ?? "",
    urgent: item.urgent,
  });
  const answer = await sendPush(
    { endpoint: item.endpoint, p256dh: item.p256dh, auth: item.auth },
    payload,
    // The TTL left: a push held overnight or retried still expires when it would have.
    {
      urgent: item.urgent,
      ttlSeconds: Math.floor((expiresAt - now.getTime()) / 1000),
      topic: watch ? "watch" : rotation ? "rotation" : topicOf(item.circularId),
    },
    { vapid, now, fetch: deps.fetch ?? fetch },
  );
  if (answer.status >= 200 && answer.status < 300)
    return { id, status: "sent", httpStatus: answer.status, subscriptionId: item.subscriptionId };
  if (answer.status === 404 || answer.status === 410)
    return { id, status: "failed", httpStatus: answer.status, gone: item.subscriptionId };
  if (transient(answer.status) && item.attempts < MAX_ATTEMPTS) {
    const next = deps.now().getTime() + retryDelayMs(item.attempts, answer.retryAfterMs);
    if (next < expiresAt) return { id, status: "retry", httpStatus: answer.status, nextAttemptAt: next };
  }
  return { id, status: "failed", httpStatus: answer.status };
}

/** Runs `work` over `items` with at most `limit` running at once. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return out;
}

/**
 * Sends every due push, round after round, until none is due (or `maxMs` has passed). Two rounds run side by side,
 * each with half the lanes, so that while one records its answers and claims its next rows the other keeps
 * sending (a single loop left every lane idle at each round's end: about 20% of the throughput).
 */
export async function drainOutbox(deps: DrainDeps, options: DrainOptions = {}): Promise<DrainResult> {
  const { concurrency = 128, batchSize = 500, maxMs = Number.POSITIVE_INFINITY } = options;
  const result: DrainResult = { sent: 0, failed: 0, gone: 0, retried: 0, skipped: 0 };
  const started = Date.now();
  let vapid: Promise<VapidKeys> | undefined;
  const lanes = Math.max(1, Math.floor(concurrency / 2));
  async function rounds() {
    while (Date.now() - started < maxMs) {
      const now = deps.now();
      const items = await claimDue(deps.db, now, new Date(now.getTime() + LEASE_MS), batchSize);
      if (items.length === 0) return;
      vapid ??= vapidKeys(deps.db, deps.config);
      const keys = await vapid;
      const outcomes = await mapLimit(items, lanes, (item) => deliver(item, keys, deps));
      await recordOutcomes(deps.db, outcomes, deps.now());
      for (const o of outcomes) {
        if (o.status === "retry") result.retried++;
        else if (o.status === "failed" && o.gone) result.gone++;
        else result[o.status]++;
      }
    }
  }
  await Promise.all([rounds(), rounds()]);
  return result;
}
