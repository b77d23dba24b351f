// Each test file builds exactly the data it needs. Sessions are made directly (like a sign-in would) so tests
// need not pay for a 600,000-iteration password hash each time; the sign-in route has its own tests.
import type { Db } from "../../server/db/client";
import {
  associations,
  blocks,
  districts,
  households,
  members,
  sessions,
  wards,
  type Channel,
  type Role,
} from "../../server/db/schema";
import { buildSession } from "../../server/features/auth/session";
import type { Config } from "../../server/config";
import { newId } from "../../server/lib/ids";
import { hashPassword } from "../../server/features/auth/password";
import type { TestApp } from "./app";

let seq = 0;

export interface AssociationFixture {
  id: string;
  name: string;
  blockIds: string[];
  households: { id: string; blockId: string; label: string; channel: Channel }[];
}

/** An association with `blocks` blocks of `perBlock` households each; `paperEvery` makes every n-th household paper. */
export async function makeAssociation(
  t: TestApp,
  opts: { blocks?: number; perBlock?: number; paperEvery?: number; name?: string } = {},
): Promise<AssociationFixture> {
  const n = ++seq;
  const wardId = newId();
  const districtId = newId();
  const id = newId();
  const name = opts.name ?? `テスト町内会${n}`;
  const now = t.clock.now();
  await t.db.batch([
    t.db.insert(wards).values({ id: wardId, name: `テスト区${n}-${wardId.slice(0, 4)}`, createdAt: now }),
    t.db.insert(districts).values({ id: districtId, wardId, name: `テスト地区${n}`, createdAt: now }),
    t.db.insert(associations).values({ id, districtId, name, householdsInArea: 100, createdAt: now }),
  ]);
  const blockIds: string[] = [];
  const hh: AssociationFixture["households"] = [];
  const nBlocks = opts.blocks ?? 2;
  const perBlock = opts.perBlock ?? 3;
  let i = 0;
  for (let b = 0; b < nBlocks; b++) {
    const blockId = newId();
    blockIds.push(blockId);
    await t.db
      .insert(blocks)
      .values({ id: blockId, associationId: id, name: `${b + 1}班`, sortOrder: b + 1, createdAt: now });
    const rows = [];
    for (let k = 0; k < perBlock; k++) {
      i++;
      const channel: Channel = opts.paperEvery && i % opts.paperEvery === 0 ? "paper" : "app";
      const row = {
        id: newId(),
        associationId: id,
        blockId,
        label: `世帯${b + 1}-${k + 1}`,
        channel,
        joinedAt: now,
        createdAt: now,
      };
      rows.push(row);
      hh.push({ id: row.id, blockId, label: row.label, channel });
    }
    // One multi-row insert per block keeps big fixtures (hundreds of households) fast.
    if (rows.length) await t.db.insert(households).values(rows);
  }
  return { id, name, blockIds, households: hh };
}

export interface MemberFixture {
  id: string;
  token: string;
  role: Role;
  email: string | null;
}

async function session(db: Db, config: Config, now: Date, memberId: string, householdId: string | null, role: Role) {
  const s = buildSession({ memberId, householdId, role, userAgent: "vitest", now, config });
  await db.insert(sessions).values(s.row);
  return s.token;
}

/** A leader or block leader with a live session (and, if `password` is given, a real password hash). */
export async function makeStaff(
  t: TestApp,
  associationId: string | null,
  opts: { role?: Role; blockId?: string; password?: string; email?: string; householdId?: string } = {},
): Promise<MemberFixture> {
  const id = newId();
  const role = opts.role ?? "leader";
  const email = opts.email ?? `staff-${id}@example.jp`;
  await t.db.insert(members).values({
    id,
    associationId,
    householdId: opts.householdId ?? null,
    blockId: opts.blockId ?? null,
    displayName: `役員${++seq}`,
    role,
    email,
    passwordHash: opts.password ? await hashPassword(opts.password, t.config.passwordIterations) : null,
    createdAt: t.clock.now(),
  });
  return { id, token: await session(t.db, t.config, t.clock.now(), id, opts.householdId ?? null, role), role, email };
}

/** A resident device of a household, signed in (as after joining with an invite). */
export async function makeResident(t: TestApp, associationId: string, householdId: string): Promise<MemberFixture> {
  const id = newId();
  await t.db.insert(members).values({
    id,
    associationId,
    householdId,
    displayName: `住民${++seq}`,
    role: "resident",
    createdAt: t.clock.now(),
  });
  return {
    id,
    token: await session(t.db, t.config, t.clock.now(), id, householdId, "resident"),
    role: "resident",
    email: null,
  };
}
