// Push subscriptions (one per device of a member) and each member's preference. Everything is scoped by the
// session: a member sees and changes only their own devices; the association and household come from the session.
import { and, eq } from "drizzle-orm";
import type { AssociationCtx } from "../../context";
import { pushPreferences, pushSubscriptions, type PushMode } from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { newId } from "../../lib/ids";

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
  const url = new URL(endpoint);
  const ok = url.protocol === "https:" || (url.protocol === "http:" && ctx.config.push.allowHttpEndpoints);
  if (!ok || url.username || url.password) {
    throw new ServiceError(
      "validation_failed",
      "入力内容を確認してください。通知の宛先は https: のアドレスにしてください。",
      "Please check your input. endpoint must be an https: URL.",
      { fields: [{ path: "endpoint", message: "通知の宛先は https: のアドレスにしてください。", messageEn: "endpoint must be an https: URL." }] },
    );
  }
}

/**
 * Subscribes this device, or updates it: the endpoint is the device's browser, so subscribing again (new keys,
 * another member signing in on a shared tablet) moves the row to the current member and keys.
 */
export async function subscribe({ ctx, input }: { ctx: AssociationCtx; input: SubscribeInput }): Promise<SubscriptionView> {
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
