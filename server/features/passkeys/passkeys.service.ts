// Staff passkeys (WebAuthn, @simplewebauthn/server): a signed-in leader, block leader or city staff member adds
// passkeys, lists and removes them, and signs in with one instead of a password. The session is opened by
// auth.service's openSession, exactly as a password sign-in opens it.
//
// Every challenge is a row used once: the batch that uses it deletes it, and what it guards (the new passkey, the
// counter's move) is written only if that DELETE removed it (changes()), so two requests with one challenge cannot
// both succeed. A sign-in moves the counter only from the value it was verified against, so a replayed assertion
// loses to the first even when both arrive together.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { RequestCtx, ServiceCtx } from "../../context";
import { changesOf, type Db } from "../../db/client";
import { members, passkeyChallenges, passkeys, type PasskeyPurpose, type Role } from "../../db/schema";
import { errors, ServiceError } from "../../lib/errors";
import { MINUTE } from "../../lib/time";
import { auditIfWritten, happened, type AuditAction, type AuditEntry } from "../audit/audit";
import { openSession } from "../auth/auth.service";
import { userAgentLabel } from "../auth/session";
import { beginAttempt, forgiveKey } from "../auth/throttle";

/** Who may have passkeys: staff who sign in with a password today. Residents join by QR code and have none. */
export const PASSKEY_ROLES = ["leader", "block_leader", "city", "admin"] as const satisfies readonly Role[];

const CHALLENGE_TTL_MS = 5 * MINUTE;
const RP_NAME = "回覧板 Kairan";
/** A member may keep this many passkeys (a phone, a PC, a spare key...). */
const MAX_PASSKEYS = 10;

/** The relying party: the configured public origin, or (development, tests) the origin the request came to. */
function relyingParty(ctx: RequestCtx, requestOrigin: string) {
  const origin = ctx.config.publicOrigin ?? requestOrigin;
  return { origin, rpID: new URL(origin).hostname };
}

const refused = () =>
  new ServiceError(
    "unauthorized",
    "パスキーでログインできませんでした。もう一度お試しいただくか、パスワードでログインしてください。",
    "Could not sign in with the passkey. Please try again, or sign in with your password.",
  );

const registrationFailed = () =>
  errors.validation(
    "パスキーを登録できませんでした。もう一度「パスキーを追加」からお試しください。",
    "The passkey could not be added. Please try again from “Add a passkey”.",
  );

function requirePasskeyRole(ctx: ServiceCtx) {
  if (!(PASSKEY_ROLES as readonly Role[]).includes(ctx.actor.role)) throw errors.forbidden();
}

async function newChallenge(db: Db, now: Date, challenge: string, purpose: PasskeyPurpose, memberId: string | null) {
  await db
    .insert(passkeyChallenges)
    .values({ id: challenge, purpose, memberId, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
}

/** The challenge the client data carries, or undefined when it is not readable. */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const text = new TextDecoder().decode(base64UrlToBytes(clientDataJSON));
    const challenge = (JSON.parse(text) as { challenge?: unknown }).challenge;
    return typeof challenge === "string" && challenge.length <= 128 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

function base64UrlToBytes(s: string): Uint8Array {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/** The statement that uses a challenge up: put it first in the batch, and guard what follows with changes(). */
function consumeChallenge(db: Db, now: Date, id: string, purpose: PasskeyPurpose, memberId: string | null) {
  return db
    .delete(passkeyChallenges)
    .where(
      and(
        eq(passkeyChallenges.id, id),
        eq(passkeyChallenges.purpose, purpose),
        memberId ? eq(passkeyChallenges.memberId, memberId) : sql`${passkeyChallenges.memberId} IS NULL`,
        sql`${passkeyChallenges.expiresAt} > ${now.getTime()}`,
      ),
    );
}

/** Options for navigator.credentials.create(): a new challenge for this member, their passkeys excluded. */
export async function startRegistration({ ctx, input }: { ctx: ServiceCtx; input: { requestOrigin: string } }) {
  requirePasskeyRole(ctx);
  const { rpID } = relyingParty(ctx, input.requestOrigin);
  const [member] = await ctx.db
    .select({ email: members.email, displayName: members.displayName })
    .from(members)
    .where(eq(members.id, ctx.actor.memberId));
  if (!member) throw errors.unauthorized();
  const existing = await ctx.db
    .select({ id: passkeys.id, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.memberId, ctx.actor.memberId));
  if (existing.length >= MAX_PASSKEYS) {
    throw errors.conflict(
      `パスキーは${MAX_PASSKEYS}個まで登録できます。使わないものを削除してから追加してください。`,
      `You can keep up to ${MAX_PASSKEYS} passkeys. Remove one you no longer use first.`,
    );
  }
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID,
    userName: member.email ?? member.displayName,
    userDisplayName: member.displayName,
    userID: new TextEncoder().encode(ctx.actor.memberId),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: parseTransports(p.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    // ES256 and RS256: what authenticators offer, and what Web Crypto verifies on every runtime.
    supportedAlgorithmIDs: [-7, -257],
  });
  await newChallenge(ctx.db, ctx.now, options.challenge, "registration", ctx.actor.memberId);
  return options;
}

/** Verifies the authenticator's answer to this member's registration challenge and keeps the new passkey. */
export async function finishRegistration({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { requestOrigin: string; response: RegistrationResponseJSON; name?: string | undefined; userAgent: string };
}) {
  requirePasskeyRole(ctx);
  const { origin, rpID } = relyingParty(ctx, input.requestOrigin);
  const challenge = challengeOf(input.response.response.clientDataJSON);
  if (!challenge) throw registrationFailed();
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
      supportedAlgorithmIDs: [-7, -257],
    });
  } catch {
    throw registrationFailed();
  }
  if (!verified.verified) throw registrationFailed();
  const { credential } = verified.registrationInfo;
  const name = input.name?.trim() || userAgentLabel(input.userAgent) || "パスキー";
  const id = credential.id;
  const transports = JSON.stringify(credential.transports ?? input.response.response.transports ?? []);
  const audit = auditIfWritten(ctx.db, auditEntry(ctx, "passkey.create", { passkey: id.slice(0, 16), name }));
  const results = await ctx.db.batch([
    consumeChallenge(ctx.db, ctx.now, challenge, "registration", ctx.actor.memberId),
    // Only with the challenge just used up; OR IGNORE: a credential already registered (by anyone) stays as it is.
    ctx.db.run(sql`
      INSERT OR IGNORE INTO ${passkeys} (id, member_id, public_key, counter, transports, name, created_at)
      SELECT ${id}, ${ctx.actor.memberId}, ${credential.publicKey}, ${credential.counter}, ${transports}, ${name},
        ${ctx.now.getTime()}
      WHERE changes() > 0`),
    audit.insert,
  ]);
  if (!happened(results[0])) throw registrationFailed();
  if (!happened(results[1])) {
    throw errors.conflict("このパスキーはすでに登録されています。", "This passkey is already registered.");
  }
  return { id, name, createdAt: ctx.now.toISOString(), lastUsedAt: null };
}

/** The member's own passkeys, newest first. */
export async function listPasskeys({ ctx }: { ctx: ServiceCtx }) {
  requirePasskeyRole(ctx);
  const rows = await ctx.db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .where(eq(passkeys.memberId, ctx.actor.memberId))
    .orderBy(desc(passkeys.createdAt));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}

/** Removes one of the member's own passkeys; anyone else's answers 404, like one that does not exist. */
export async function deletePasskey({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  requirePasskeyRole(ctx);
  const audit = auditIfWritten(ctx.db, auditEntry(ctx, "passkey.delete", { passkey: input.id.slice(0, 16) }));
  const [res] = await ctx.db.batch([
    ctx.db.delete(passkeys).where(and(eq(passkeys.id, input.id), eq(passkeys.memberId, ctx.actor.memberId))),
    audit.insert,
  ]);
  if (changesOf(res) === 0) throw errors.notFound("パスキー", "passkey");
}

/** The throttle's key for passkey sign-ins from one address. */
const signInKey = (clientAddress: string) => `passkey-ip:${clientAddress}`;

/**
 * Options for navigator.credentials.get(): any passkey of this site (discoverable), no email asked. Anyone may ask,
 * so each request counts against its address like a failed password (throttle.ts): a script cannot fill the
 * challenges table, and a sign-in that succeeds forgives its address's requests (staff behind one office address).
 */
export async function startSignIn({
  ctx,
  input,
}: {
  ctx: RequestCtx;
  input: { requestOrigin: string; clientAddress: string };
}) {
  const { rpID } = relyingParty(ctx, input.requestOrigin);
  await beginAttempt(ctx.db, ctx.config, ctx.now, [signInKey(input.clientAddress)]);
  const options = await generateAuthenticationOptions({ rpID, userVerification: "preferred" });
  await newChallenge(ctx.db, ctx.now, options.challenge, "authentication", null);
  return options;
}

/** Signs in with a passkey: the assertion verified, its challenge used up and its counter moved, then the session. */
export async function signInWithPasskey({
  ctx,
  input,
}: {
  ctx: RequestCtx;
  input: { requestOrigin: string; response: AuthenticationResponseJSON; userAgent: string; clientAddress: string };
}) {
  const { origin, rpID } = relyingParty(ctx, input.requestOrigin);
  const challenge = challengeOf(input.response.response.clientDataJSON);
  if (!challenge) throw refused();
  const [found] = await ctx.db
    .select({ p: passkeys, m: members })
    .from(passkeys)
    .innerJoin(members, eq(members.id, passkeys.memberId))
    .where(eq(passkeys.id, input.response.id))
    .limit(1);
  if (!found) throw refused();
  const { p: passkey, m: member } = found;
  if (member.disabledAt || !(PASSKEY_ROLES as readonly Role[]).includes(member.role)) throw refused();
  // A discoverable credential names its user: it must be the passkey's own member.
  const userHandle = input.response.response.userHandle;
  if (userHandle && !sameText(userHandle, member.id)) throw refused();
  let newCounter: number;
  try {
    const verified = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: parseTransports(passkey.transports),
      },
      requireUserVerification: false,
    });
    if (!verified.verified) throw refused();
    newCounter = verified.authenticationInfo.newCounter;
  } catch {
    throw refused();
  }
  const [used, moved] = await ctx.db.batch([
    consumeChallenge(ctx.db, ctx.now, challenge, "authentication", null),
    // From the counter it was verified against, and only with the challenge just used up: a replay loses.
    ctx.db.run(sql`
      UPDATE ${passkeys} SET counter = ${newCounter}, last_used_at = ${ctx.now.getTime()}
      WHERE id = ${passkey.id} AND counter = ${passkey.counter} AND changes() > 0`),
  ]);
  if (!happened(used) || !happened(moved)) throw refused();
  await forgiveKey(ctx.db, signInKey(input.clientAddress));
  return openSession({ ctx, input: { member, userAgent: input.userAgent } });
}

/** Whether a base64url user handle encodes `text` (our user handles are the member id's UTF-8 bytes). */
function sameText(userHandle: string, text: string): boolean {
  try {
    return new TextDecoder().decode(base64UrlToBytes(userHandle)) === text;
  } catch {
    return false;
  }
}

/** The audit row of a change to one's own passkeys (in one's association, or the city's log). */
function auditEntry(ctx: ServiceCtx, action: AuditAction, detail: Record<string, unknown>): AuditEntry {
  const { actor } = ctx;
  return {
    associationId: actor.associationId,
    actorId: actor.memberId,
    action,
    targetType: "member",
    targetId: actor.memberId,
    detail,
    at: ctx.now,
  };
}

function parseTransports(json: string): AuthenticatorTransport[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? (list.filter((t) => typeof t === "string") as AuthenticatorTransport[]) : [];
  } catch {
    return [];
  }
}

/** Hourly: challenges nobody used. */
export async function deleteExpiredChallenges(db: Db, now: Date): Promise<number> {
  const res = await db.delete(passkeyChallenges).where(lt(passkeyChallenges.expiresAt, now));
  return changesOf(res);
}
