// Bench data, written in bulk (multi-row inserts in chunks) so that setting up 20,000 households takes seconds.
import { sql } from "drizzle-orm";
import type { Config } from "../server/config";
import type { AssociationCtx } from "../server/context";
import type { Db } from "../server/db/client";
import { associations, blocks, circulars, districts, households, members, sessions, wards } from "../server/db/schema";
import { buildSession } from "../server/features/auth/session";
import { newId } from "../server/lib/ids";
import { migrateDatabase, openDatabase } from "../server/node/database";

async function insertChunks<T extends Record<string, unknown>>(db: Db, table: Parameters<Db["insert"]>[0], rows: T[]) {
  for (let i = 0; i < rows.length; i += 500) await db.insert(table).values(rows.slice(i, i + 500) as never);
}

async function association(db: Db, nHouseholds: number, perBlock = 20) {
  const now = new Date();
  const wardId = newId();
  const districtId = newId();
  const associationId = newId();
  await db.insert(wards).values({ id: wardId, name: `ベンチ区${wardId.slice(0, 6)}`, createdAt: now });
  await db.insert(districts).values({ id: districtId, wardId, name: "ベンチ地区", createdAt: now });
  await db
    .insert(associations)
    .values({ id: associationId, districtId, name: "ベンチ町内会", householdsInArea: nHouseholds, createdAt: now });
  const blockRows = Array.from({ length: Math.ceil(nHouseholds / perBlock) }, (_, i) => ({
    id: newId(),
    associationId,
    name: `${i + 1}班`,
    sortOrder: i,
    createdAt: now,
  }));
  await insertChunks(db, blocks, blockRows);
  const householdRows = Array.from({ length: nHouseholds }, (_, i) => ({
    id: newId(),
    associationId,
    blockId: blockRows[Math.floor(i / perBlock)]!.id,
    label: `世帯${i + 1}`,
    channel: "app" as const,
    joinedAt: now,
    createdAt: now,
  }));
  await insertChunks(db, households, householdRows);
  const leaderId = newId();
  await db.insert(members).values({ id: leaderId, associationId, displayName: "会長", role: "leader", createdAt: now });
  return { associationId, leaderId, householdRows, now };
}

export async function seedPublishAssociation(db: Db, config: Config, n: number): Promise<AssociationCtx> {
  const a = await association(db, n);
  return {
    db,
    config,
    now: new Date(),
    associationId: a.associationId,
    actor: {
      memberId: a.leaderId,
      sessionId: "bench",
      role: "leader",
      associationId: a.associationId,
      householdId: null,
      blockId: null,
    },
  };
}

/** Households with one signed-in resident each, and `nCirculars` published circulars with a receipt per household. */
async function residentsWithCirculars(
  db: Db,
  config: Config,
  nHouseholds: number,
  nCirculars: number,
  questions = "[]",
) {
  const a = await association(db, nHouseholds);
  const tokens: string[] = [];
  const memberRows = [];
  const sessionRows = [];
  for (const h of a.householdRows) {
    const id = newId();
    memberRows.push({
      id,
      associationId: a.associationId,
      householdId: h.id,
      displayName: "住民",
      role: "resident" as const,
      createdAt: a.now,
    });
    const s = buildSession({
      memberId: id,
      householdId: h.id,
      role: "resident",
      userAgent: "bench",
      now: a.now,
      config,
    });
    sessionRows.push(s.row);
    tokens.push(s.token);
  }
  await insertChunks(db, members, memberRows);
  await insertChunks(db, sessions, sessionRows);
  const circularIds: string[] = [];
  for (let i = 0; i < nCirculars; i++) {
    const id = newId();
    const at = new Date(a.now.getTime() - (nCirculars - i) * 3_600_000);
    circularIds.push(id);
    await db.insert(circulars).values({
      id,
      associationId: a.associationId,
      title: `ベンチ用のお知らせ ${i + 1}`,
      body: "本文です。\n二行目です。",
      questions,
      status: "published",
      authorId: a.leaderId,
      createdAt: at,
      updatedAt: at,
      publishedAt: at,
    });
    await db.run(sql`
      INSERT INTO receipts (circular_id, household_id, association_id, block_id, created_at)
      SELECT ${id}, id, association_id, block_id, ${at.getTime()} FROM households WHERE association_id = ${a.associationId}`);
  }
  return { tokens, circularIds };
}

/** `questions`: the circulars' questions as stored (features/answers/questions.ts), for the answers' bench. */
export async function seedBench(
  url: string,
  config: Config,
  nHouseholds: number,
  nCirculars: number,
  questions?: string,
) {
  const { db, close } = await openDatabase(url);
  await migrateDatabase(db);
  const { tokens, circularIds } = await residentsWithCirculars(db, config, nHouseholds, nCirculars, questions);
  close();
  // Circular-major order: consecutive requests come from different households, as in a real surge.
  const pairs = circularIds.flatMap((circularId) => tokens.map((token) => ({ token, circularId })));
  return { pairs };
}

export async function seedFeed(url: string, config: Config, nCirculars: number) {
  const { db, close } = await openDatabase(url);
  await migrateDatabase(db);
  const { tokens, circularIds } = await residentsWithCirculars(db, config, 40, nCirculars);
  // Half of them already read, so the feed sorts both kinds.
  await db.run(sql`UPDATE receipts SET read_at = created_at + 3600000, channel = 'app'
                   WHERE circular_id IN (${sql.join(
                     circularIds.slice(0, nCirculars / 2).map((c) => sql`${c}`),
                     sql`, `,
                   )})`);
  close();
  return tokens[0]!;
}
