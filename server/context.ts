// What a request carries through the app: the dependencies it was built with and, once signed in, the actor.
import type { Context } from "hono";
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { Role } from "./db/schema";
import type { AssetStore } from "./lib/assets";
import type { PushFetch } from "./features/push/sender";
import type { BlobStore } from "./lib/blob-store";
import { errors, ServiceError } from "./lib/errors";
import type { ReadingsProvider } from "./features/furigana/spans";

export interface Deps {
  config: Config;
  db: Db;
  blobs: BlobStore;
  /** The built PWA; without it, / explains how to build it. */
  assets?: AssetStore;
  /** The clock; tests pass one to move through invite and session expiry. Defaults to the real time. */
  now?: () => Date;
  /** The client's address for throttling, from the runtime (Node's socket, Workers' CF-Connecting-IP). */
  clientAddress?: (c: Context) => string | undefined;
  /**
   * Starts sending queued pushes after a publish or reminder without holding the response: the Node server's
   * outbox pump, the Worker's ctx.waitUntil. Without it, the periodic push job sends them.
   */
  sendQueuedPushes?: (c: Context) => void;
  /** The HTTP client for push services (the test notification); the platform fetch when not given. */
  pushFetch?: PushFetch;
  /**
   * ふりがな: the words of a text with their readings (server/node/readings.ts, kuromoji). Absent where the dictionary
   * does not fit (Workers): circulars are published without ふりがな (features/furigana, docs/adr/0016).
   */
  readings?: ReadingsProvider;
}

export interface Actor {
  memberId: string;
  sessionId: string;
  role: Role;
  associationId: string | null;
  householdId: string | null;
  blockId: string | null;
  /**
   * An outgoing officer (「前会長」, features/handover): until this instant the staff screens are read-only (their
   * writes are refused by associationCtx); afterwards the session no longer carries a staff role.
   */
  readOnlyUntil?: Date | null;
}

/** What a verb gets before anyone is signed in (signing in, joining, an invite's preview): the database and the time. */
export interface RequestCtx {
  db: Db;
  config: Config;
  now: Date;
}

/** What every service function receives: who acts, where, and with which database. */
export interface ServiceCtx extends RequestCtx {
  actor: Actor;
  /** Deps.readings, for the verbs that compute ふりがな (drafts and their publication). */
  readings?: ReadingsProvider | undefined;
}

/** A service context whose actor belongs to an association (leaders, block leaders, residents). */
export interface AssociationCtx extends ServiceCtx {
  associationId: string;
}

/** What a household's reader acts with: the member, and the household and association from the session. */
export interface HouseholdCtx {
  db: Db;
  now: Date;
  memberId: string;
  associationId: string;
  householdId: string;
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    actor: Actor | undefined;
    requestId: string;
  };
};

export function nowOf(c: Context<AppEnv>): Date {
  const clock = c.get("deps").now;
  return clock ? clock() : new Date();
}

/** The signed-in actor, or 401. */
export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.get("actor");
  if (!actor) throw errors.unauthorized();
  return actor;
}

/** The context for verbs open to anyone (no actor): signing in, joining, previewing an invite. */
export function requestCtx(c: Context<AppEnv>): RequestCtx {
  const { db, config } = c.get("deps");
  return { db, config, now: nowOf(c) };
}

/** The address printed on invite sheets and QR codes: the configured public origin, or the one this request came to. */
export function originOf(c: Context<AppEnv>): string {
  return c.get("deps").config.publicOrigin ?? new URL(c.req.url).origin;
}

/** The context for one's own things whatever the role (one's sessions, who one is), or 401. */
export function signedInCtx(c: Context<AppEnv>): ServiceCtx {
  const actor = requireActor(c);
  return { ...requestCtx(c), actor };
}

/**
 * The context for association data: the association always comes from the session, never from the request.
 * Roles outside `roles` get 403 (they are signed in, but this is not theirs to do).
 */
export function associationCtx(c: Context<AppEnv>, roles: readonly Role[]): AssociationCtx {
  const actor = requireActor(c);
  if (!roles.includes(actor.role) || !actor.associationId) throw errors.forbidden();
  // An outgoing officer (「前会長」, features/handover) reads the staff screens but changes nothing there; what any
  // member may do (routes open to residents, their household's own acknowledgements and answers) stays theirs.
  if (actor.readOnlyUntil && !roles.includes("resident") && !READS.test(c.req.method)) throw handedOver();
  const { db, config, readings } = c.get("deps");
  return { db, config, now: nowOf(c), actor, associationId: actor.associationId, readings };
}

const READS = /^(GET|HEAD|OPTIONS)$/;

const handedOver = () =>
  new ServiceError(
    "forbidden",
    "引き継ぎが済んだため、閲覧だけできます。変更は新しい役員の方が行います。",
    "Your role has been handed over: you can view, but changes are made by the new officer.",
  );

/** Any member who reads for a household: residents, and staff who also live in one. Everyone else gets 403. */
export function householdCtx(c: Context<AppEnv>): HouseholdCtx {
  const actor = requireActor(c);
  if (!actor.householdId || !actor.associationId) throw errors.forbidden();
  return {
    db: c.get("deps").db,
    now: nowOf(c),
    memberId: actor.memberId,
    associationId: actor.associationId,
    householdId: actor.householdId,
  };
}

export const LEADERS = ["leader"] as const satisfies readonly Role[];
export const STAFF = ["leader", "block_leader"] as const satisfies readonly Role[];
/** Every member of an association (a 要支援 household's supporters may be residents). */
export const MEMBERS = ["leader", "block_leader", "resident"] as const satisfies readonly Role[];

/** After a write that queued pushes: send them now rather than at the next periodic run. */
export function sendQueuedPushes(c: Context<AppEnv>): void {
  c.get("deps").sendQueuedPushes?.(c);
}

/** City staff (and administrators): the city's dashboard and city circulars. Everyone else gets 403. */
export const CITY = ["city", "admin"] as const satisfies readonly Role[];

/** The context for city routes: no association; the city sees aggregates only (docs/adr/0005). */
export function cityCtx(c: Context<AppEnv>): ServiceCtx {
  const actor = requireActor(c);
  if (!(CITY as readonly Role[]).includes(actor.role)) throw errors.forbidden();
  const { db, config, readings } = c.get("deps");
  return { db, config, now: nowOf(c), actor, readings };
}
