// System administration (the `npm run admin` CLI): the places (wards, districts, associations) and city staff
// accounts. These are not association-scoped: only an operator with access to the server runs them.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Config } from "../../config";
import type { BatchItem, Db } from "../../db/client";
import { associations, districts, households, members, wards } from "../../db/schema";
import { errors } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { auditInsert } from "../audit/audit";
import { hashPassword } from "../auth/password";
import { listHouseholds } from "../households/households.service";
import { createHouseholdInvite, createStaffInvite, type OperatorCtx } from "../invites/invites.service";

interface AdminDeps {
  db: Db;
  config: Config;
  now: Date;
}

async function ensureWard(deps: AdminDeps, name: string) {
  const [found] = await deps.db.select().from(wards).where(eq(wards.name, name));
  if (found) return { id: found.id, created: false };
  const id = newId();
  await deps.db.insert(wards).values({ id, name, createdAt: deps.now });
  return { id, created: true };
}

async function ensureDistrict(deps: AdminDeps, wardId: string, name: string) {
  const [found] = await deps.db
    .select()
    .from(districts)
    .where(and(eq(districts.wardId, wardId), eq(districts.name, name)));
  if (found) return { id: found.id, created: false };
  const id = newId();
  await deps.db.insert(districts).values({ id, wardId, name, createdAt: deps.now });
  return { id, created: true };
}

/** Creates (or reuses) the ward and district, creates the association and a one-time invite for its first leader. */
export async function createAssociation(
  deps: AdminDeps,
  input: { ward: string; district: string; name: string; householdsInArea: number; origin: string },
) {
  const ward = await ensureWard(deps, input.ward);
  const district = await ensureDistrict(deps, ward.id, input.district);
  const id = newId();
  await deps.db.batch([
    deps.db.insert(associations).values({
      id,
      districtId: district.id,
      name: input.name,
      householdsInArea: input.householdsInArea,
      createdAt: deps.now,
    }),
    auditInsert(deps.db, {
      associationId: id,
      actorId: null,
      action: "association.create",
      targetType: "association",
      targetId: id,
      detail: { name: input.name, ward: input.ward, district: input.district },
      at: deps.now,
    }),
  ]);
  const invite = await createStaffInvite({
    db: deps.db,
    config: deps.config,
    now: deps.now,
    associationId: id,
    actorId: null,
    kind: "leader",
    blockId: null,
    origin: input.origin,
  });
  return { associationId: id, wardCreated: ward.created, districtCreated: district.created, invite };
}

/** The association the command names (404 otherwise), as the context its commands act in: the operator, no member. */
async function inAssociation(deps: AdminDeps, associationId: string): Promise<OperatorCtx> {
  const [a] = await deps.db
    .select({ id: associations.id })
    .from(associations)
    .where(eq(associations.id, associationId));
  if (!a) throw errors.notFound("町内会", "association");
  return { db: deps.db, config: deps.config, now: deps.now, associationId: a.id, actor: null };
}

/** An operator's leader invite for the association (no actor), with `alsoWrite`'s rows in its batch. */
function operatorLeaderInvite(
  deps: AdminDeps,
  associationId: string,
  origin: string,
  alsoWrite?: (inviteId: string) => BatchItem[],
) {
  return createStaffInvite({
    db: deps.db,
    config: deps.config,
    now: deps.now,
    associationId,
    actorId: null,
    kind: "leader",
    blockId: null,
    origin,
    alsoWrite,
  });
}

/** A new first-leader invite for an existing association (the first one expired or was lost). */
export async function inviteLeader(deps: AdminDeps, input: { associationId: string; origin: string }) {
  const a = await inAssociation(deps, input.associationId);
  return operatorLeaderInvite(deps, a.associationId, input.origin);
}

/**
 * Recovery when the leader is gone and nobody can sign in (`npm run admin -- reset-leader`): a one-time leader
 * invite, written in one batch with its audit rows (「leader.reset」 says why it was made). Existing accounts are
 * left as they are; the new leader can hand over or disable them.
 */
export async function resetLeader(deps: AdminDeps, input: { associationId: string; origin: string }) {
  const a = await inAssociation(deps, input.associationId);
  const [counted] = await deps.db
    .select({ n: sql<number>`count(*)` })
    .from(members)
    .where(and(eq(members.associationId, a.associationId), eq(members.role, "leader"), isNull(members.disabledAt)));
  const leaders = Number(counted?.n ?? 0);
  const invite = await operatorLeaderInvite(deps, a.associationId, input.origin, (inviteId) => [
    auditInsert(deps.db, {
      associationId: a.associationId,
      actorId: null,
      at: deps.now,
      action: "leader.reset",
      targetType: "association",
      targetId: a.associationId,
      detail: { inviteId, leaders },
    }),
  ]);
  return { invite, leaders };
}

/** An association's households (not those that left), by block and label: where to find the one to invite. */
export async function listAssociationHouseholds(deps: AdminDeps, input: { associationId: string }) {
  return listHouseholds({ ctx: await inAssociation(deps, input.associationId), input: {} });
}

/**
 * A new invite for one household (the demo's, printed on the first start, is used or lost), as a leader makes one
 * in 「世帯と招待」. The household is named by its id, or by its label when one household (not left) has it.
 */
export async function inviteHousehold(
  deps: AdminDeps,
  input: { associationId: string; household: string; origin: string },
) {
  const ctx = await inAssociation(deps, input.associationId);
  const all = await listHouseholds({ ctx, input: { includeLeft: true } });
  const wanted = input.household.trim();
  const byId = all.find((h) => h.id === wanted);
  const named = all.filter((h) => h.label === wanted);
  const current = named.filter((h) => !h.leftAt);
  if (!byId && current.length > 1)
    throw errors.conflict(
      `「${wanted}」という世帯が${current.length}つあります（${current.map((h) => `${h.blockName} ${h.id}`).join("、")}）。--household に世帯のIDを指定してください。`,
      `${current.length} households are labelled "${wanted}" (${current.map((h) => `${h.blockName} ${h.id}`).join(", ")}). Give the household's id to --household.`,
    );
  // One left household of that name: the invite's own check says it has left.
  const household = byId ?? current[0] ?? named[0];
  if (!household) throw errors.notFound("世帯", "household");
  return createHouseholdInvite({ ctx, input: { householdId: household.id, origin: input.origin } });
}

export async function createStaffAccount(
  deps: AdminDeps,
  input: { role: "city" | "admin"; email: string; displayName: string; password: string },
) {
  const email = input.email.trim().toLowerCase();
  const [taken] = await deps.db.select({ id: members.id }).from(members).where(eq(members.email, email));
  if (taken)
    throw errors.conflict("このメールアドレスはすでに登録されています。", "This email address is already registered.");
  const id = newId();
  await deps.db.batch([
    deps.db.insert(members).values({
      id,
      associationId: null,
      householdId: null,
      displayName: input.displayName,
      role: input.role,
      email,
      passwordHash: await hashPassword(input.password, deps.config.passwordIterations),
      createdAt: deps.now,
    }),
    auditInsert(deps.db, {
      associationId: null,
      actorId: null,
      action: "member.create",
      targetType: "member",
      targetId: id,
      detail: { role: input.role, email },
      at: deps.now,
    }),
  ]);
  return { id, email, role: input.role };
}

export async function listAssociations(db: Db) {
  return db
    .select({
      id: associations.id,
      name: associations.name,
      district: districts.name,
      ward: wards.name,
      householdsInArea: associations.householdsInArea,
      households: sql<number>`(SELECT count(*) FROM ${households} h WHERE h.association_id = ${associations.id} AND h.left_at IS NULL)`,
    })
    .from(associations)
    .innerJoin(districts, eq(districts.id, associations.districtId))
    .innerJoin(wards, eq(wards.id, districts.wardId))
    .orderBy(asc(wards.name), asc(districts.name), asc(associations.name));
}
