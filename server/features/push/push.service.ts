// Push subscriptions (one per device of a member) and each member's preference. Everything is scoped by the
// session: a member sees and changes only their own devices; the association and household come from the session.
import { and, eq, sql } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { associations, pushPreferences, pushSubscriptions, type PushMode } from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { pushPayload } from "./payload";
import { endpointProblem, sendPush, TTL_URGENT_S, type PushFetch } from "./sender";
import { vapidKeys } from "./vapid";

export interface SubscribeInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  userAgentLabel?: string | undefined;
}

export interface SubscriptionView {
  id: string;
  userAgentLabel: string;
  createdAt: Date;
  lastSuccessAt: Date | null;
}

function checkEndpoint(ctx: AssociationCtx, endpoint: string) {
  if (endpointProblem(endpoint, ctx.config.push.allowHttpEndpoints)) {
    const ja = "通知の宛先は、インターネット上の https: のアドレスにしてください。";
    const en = "endpoint must be a public https: URL.";
    throw new ServiceError("validation_failed", `入力内容を確認してください。${ja}`, `Please check your input. ${en}`, {
      fields: [{ path: "endpoint", message: ja, messageEn: en }],
    });
  }
}

/**
 * Subscribes this device, or updates it: the endpoint is the device's browser, so subscribing again (new keys,
 * another member signing in on a shared tablet) moves the row to the current member and keys.
 */
export async function subscribe({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: SubscribeInput;
}): Promise<SubscriptionView> {
  checkEndpoint(ctx, input.endpoint);
  const values = {
    associationId: ctx.associationId,
    memberId: ctx.actor.memberId,
    householdId: ctx.actor.householdId,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    userAgentLabel: input.userAgentLabel ?? "",
  };
  const row = await ctx.db
    .insert(pushSubscriptions)
    .values({ id: newId(), endpoint: input.endpoint, createdAt: ctx.now, ...values })
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values })
    .returning()
    .get();
  return view(row);
}

function view(row: typeof pushSubscriptions.$inferSelect): SubscriptionView {
  return { id: row.id, userAgentLabel: row.userAgentLabel, createdAt: row.createdAt, lastSuccessAt: row.lastSuccessAt };
}

/** This member's devices. */
export async function listSubscriptions({ ctx }: { ctx: AssociationCtx }): Promise<SubscriptionView[]> {
  const rows = await ctx.db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.memberId, ctx.actor.memberId))
    .orderBy(pushSubscriptions.createdAt)
    .all();
  return rows.map(view);
}

/** Removes one of this member's devices; another member's id answers 404 like an unknown one. */
export async function unsubscribe({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }): Promise<void> {
  const gone = await ctx.db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, input.id), eq(pushSubscriptions.memberId, ctx.actor.memberId)))
    .returning({ id: pushSubscriptions.id })
    .all();
  if (gone.length === 0) throw errors.notFound("通知の登録", "push subscription");
}

export async function getPreference({ ctx }: { ctx: AssociationCtx }): Promise<{ mode: PushMode }> {
  const row = await ctx.db
    .select({ mode: pushPreferences.mode })
    .from(pushPreferences)
    .where(eq(pushPreferences.memberId, ctx.actor.memberId))
    .get();
  return { mode: row?.mode ?? "all" };
}

export async function setPreference({ ctx, input }: { ctx: AssociationCtx; input: { mode: PushMode } }) {
  await ctx.db
    .insert(pushPreferences)
    .values({ memberId: ctx.actor.memberId, associationId: ctx.associationId, mode: input.mode, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: pushPreferences.memberId, set: { mode: input.mode, updatedAt: ctx.now } })
    .run();
  return { mode: input.mode };
}

export type TestPushResult = "sent" | "gone" | "failed";

/**
 * 「テスト通知を送る」: a push to one of this member's devices, sent now rather than through the outbox, so the
 * member sees the answer on the screen. A push service that says the subscription is gone (404/410) gets it
 * deleted, and the device re-subscribes.
 */
export async function sendTestPush({
  ctx,
  input,
  fetch: fetchImpl = fetch,
}: {
  ctx: AssociationCtx;
  input: { endpoint: string };
  fetch?: PushFetch;
}): Promise<{ result: TestPushResult }> {
  const sub = await ctx.db
    .select()
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.endpoint, input.endpoint), eq(pushSubscriptions.memberId, ctx.actor.memberId)))
    .get();
  if (!sub) throw errors.notFound("この端末の通知の登録", "push subscription for this device");
  checkEndpoint(ctx, sub.endpoint);
  const association = await ctx.db
    .select({ name: associations.name })
    .from(associations)
    .where(eq(associations.id, ctx.associationId))
    .get();
  const payload = pushPayload({
    kind: "test",
    circularId: null,
    title: "テスト通知",
    associationName: association?.name ?? "",
    urgent: false,
  });
  const answer = await sendPush(
    sub,
    payload,
    { urgent: false, ttlSeconds: TTL_URGENT_S, topic: "test" },
    { vapid: await vapidKeys(ctx.db, ctx.config), now: ctx.now, fetch: fetchImpl },
  );
  if (answer.status >= 200 && answer.status < 300) {
    await ctx.db.run(sql`UPDATE ${pushSubscriptions} SET last_success_at = ${ctx.now.getTime()} WHERE id = ${sub.id}`);
    return { result: "sent" };
  }
  if (answer.status === 404 || answer.status === 410) {
    await ctx.db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, sub.id)).run();
    return { result: "gone" };
  }
  return { result: "failed" };
}
