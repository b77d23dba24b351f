// `npm run bench` (part 4), or alone: `npx tsx bench/push.ts`. Web push figures for issue 5:
//  a. Encryption alone per core beside the bare operations it needs (bench/push-crypto.ts).
//  b. Fan-out of one urgent circular to 10,000 subscriptions: time to enqueue (the publish batch: receipts and
//     outbox rows) and pushes/s end to end (claim, encrypt, POST, record) against the loopback push service running
//     in a child process (bench/push-service-child.ts), which checks every JWT and decrypts a sample.
//  c. A whole-city urgent circular: 543,000 households, each with one subscribed device, enqueued by one publish.
// Prints figures; asserts nothing.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { parseConfig, type Config } from "../server/config";
import type { AssociationCtx } from "../server/context";
import type { Db } from "../server/db/client";
import { createDraft, publishCircular } from "../server/features/circulars/circulars.service";
import { drainOutbox } from "../server/features/push/drain";
import { nodePushFetch } from "../server/node/push-http";
import { migrateDatabase, openDatabase } from "../server/node/database";
import { seedPublishAssociation } from "./fixtures";
import { benchPushCrypto } from "./push-crypto";
import { sized } from "./smoke";

interface Sub {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const FANOUT = Number(process.env.BENCH_PUSH_FANOUT ?? sized(10_000, 40));
const CITY = Number(process.env.BENCH_PUSH_CITY ?? sized(543_000, 400));
const SAMPLE = sized(100, 10);

function startChild() {
  const child = fork(join(import.meta.dirname, "push-service-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = <T>(op: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { op: string }) => {
        if (m.op === op) {
          child.off("message", on);
          resolve(m as T);
        }
      };
      child.on("message", on);
    });
  return { child, next };
}

async function freshDb(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `kairan-bench-${name}-`));
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false", PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
  const database = await openDatabase(`file:${join(dir, "bench.db")}`);
  await migrateDatabase(database.db);
  return { dir, config, ...database };
}

/** One resident member per household of the association, each with one of `subs` (in household order). */
async function subscribeAll(db: Db, associationId: string, subs: Sub[]) {
  const now = Date.now();
  await db.run(sql`
    INSERT INTO members (id, association_id, household_id, display_name, role, created_at)
    SELECT 'm' || id, association_id, id, '住民', 'resident', ${now} FROM households WHERE association_id = ${associationId}`);
  const members = await db.all<{ id: string; householdId: string }>(sql`
    SELECT id, household_id AS householdId FROM members WHERE association_id = ${associationId} AND role = 'resident' ORDER BY rowid`);
  for (let i = 0; i < members.length; i += 2000) {
    const rows = members.slice(i, i + 2000).map((m, k) => ({ m, s: subs[i + k]! }));
    await db.run(sql`
      INSERT INTO push_subscriptions (id, association_id, member_id, household_id, endpoint, p256dh, auth, user_agent_label, created_at)
      SELECT 's' || json_extract(value, '$.m.id'), ${associationId}, json_extract(value, '$.m.id'),
        json_extract(value, '$.m.householdId'), json_extract(value, '$.s.endpoint'), json_extract(value, '$.s.keys.p256dh'),
        json_extract(value, '$.s.keys.auth'), 'bench', ${now}
      FROM json_each(${JSON.stringify(rows)})`);
  }
}

async function publishUrgent(ctx: AssociationCtx) {
  const draft = await createDraft({
    ctx,
    input: {
      title: "【至急】断水のお知らせ",
      body: "本文",
      priority: "urgent",
      audience: "all",
      blockIds: [],
      dueAt: null,
    },
  });
  const t0 = performance.now();
  await publishCircular({ ctx: { ...ctx, now: new Date() }, input: { id: draft.id } });
  return { id: draft.id, ms: performance.now() - t0 };
}

async function benchFanout() {
  const { child, next } = startChild();
  await next("ready");
  child.send({ op: "subscribe", n: FANOUT, sample: SAMPLE });
  const { subs } = await next<{ subs: Sub[] }>("subscribed");
  const rows: Record<string, Record<string, string | number>> = {};
  try {
    for (const concurrency of [64, 256]) {
      const { dir, config, db, close } = await freshDb("fanout");
      try {
        const ctx = await seedPublishAssociation(db, config, FANOUT);
        await subscribeAll(db, ctx.associationId, subs);
        const published = await publishUrgent(ctx);
        child.send({ op: "count" });
        const before = await next<{ received: number }>("count");
        const t0 = performance.now();
        const r = await drainOutbox({ db, config, now: () => new Date(), fetch: nodePushFetch }, { concurrency });
        const s = (performance.now() - t0) / 1000;
        child.send({ op: "count" });
        const after = await next<{ received: number; accepted: number; rejected: string[]; decrypted: string[] }>(
          "count",
        );
        const decryptedOk = after.decrypted.slice(-SAMPLE).every((p) => JSON.parse(p).circularId === published.id);
        rows[`${FANOUT.toLocaleString()} subscriptions, ${concurrency} in flight`] = {
          "enqueue (publish)": `${published.ms.toFixed(0)} ms`,
          sent: r.sent,
          failed: r.failed + r.gone,
          "to retry": r.retried,
          drain: `${s.toFixed(2)} s`,
          "pushes/s": Math.round(r.sent / s),
          "service got": after.received - before.received,
          refused: after.rejected.length,
          [`sample of ${SAMPLE} decrypted`]: decryptedOk ? "ok" : "WRONG",
        };
      } finally {
        close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    child.send({ op: "close" });
  }
  console.log(`\n4b. Fan-out of one urgent circular (target: >= 1,500 pushes/s end to end)`);
  console.table(rows);
}

/** 543,000 households in one association (the audience of a whole-city circular), one device each. */
async function seedCity(db: Db, config: Config, n: number): Promise<AssociationCtx> {
  const now = Date.now();
  const a = "city-bench";
  await db.run(sql`INSERT INTO wards (id, name, created_at) VALUES ('w', 'ベンチ区', ${now})`);
  await db.run(sql`INSERT INTO districts (id, ward_id, name, created_at) VALUES ('d', 'w', 'ベンチ地区', ${now})`);
  await db.run(sql`INSERT INTO associations (id, district_id, name, households_in_area, created_at)
    VALUES (${a}, 'd', '仙台市全域', ${n}, ${now})`);
  const series = (count: number) =>
    sql`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
  await db.run(sql`${series(Math.ceil(n / 20))}
    INSERT INTO blocks (id, association_id, name, sort_order, created_at)
    SELECT printf('b%06d', i), ${a}, printf('%d班', i + 1), i, ${now} FROM n`);
  await db.run(sql`${series(n)}
    INSERT INTO households (id, association_id, block_id, label, channel, joined_at, created_at)
    SELECT printf('h%07d', i), ${a}, printf('b%06d', i / 20), '世帯', 'app', ${now}, ${now} FROM n`);
  await db.run(sql`INSERT INTO members (id, association_id, household_id, display_name, role, created_at)
    SELECT 'm' || id, ${a}, id, '住民', 'resident', ${now} FROM households`);
  await db.run(sql`INSERT INTO members (id, association_id, display_name, role, created_at)
    VALUES ('leader', ${a}, '市職員', 'leader', ${now})`);
  await db.run(sql`INSERT INTO push_subscriptions (id, association_id, member_id, household_id, endpoint, p256dh, auth, created_at)
    SELECT 's' || id, ${a}, 'm' || id, id, 'https://fcm.googleapis.com/fcm/send/' || id,
      'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4', 'BTBZMqHH6r4Tts7J_aSIgg', ${now}
    FROM households`);
  return {
    db,
    config,
    now: new Date(),
    associationId: a,
    actor: {
      memberId: "leader",
      sessionId: "bench",
      role: "leader",
      associationId: a,
      householdId: null,
      blockId: null,
    },
  };
}

async function benchCity() {
  const { dir, config, db, close } = await freshDb("city");
  try {
    const t0 = performance.now();
    const ctx = await seedCity(db, config, CITY);
    const seeded = performance.now() - t0;
    const published = await publishUrgent(ctx);
    const [counts] = await db.all<{ receipts: number; outbox: number }>(sql`
      SELECT (SELECT count(*) FROM receipts WHERE circular_id = ${published.id}) AS receipts,
        (SELECT count(*) FROM push_outbox WHERE circular_id = ${published.id}) AS outbox`);
    console.log(`\n4c. A whole-city urgent circular (target: enqueued in under 10 s)`);
    console.table({
      [`${CITY.toLocaleString()} households, one device each`]: {
        "enqueue (publish batch)": `${(published.ms / 1000).toFixed(2)} s`,
        receipts: counts!.receipts,
        "outbox rows": counts!.outbox,
        "(fixture built in)": `${(seeded / 1000).toFixed(1)} s`,
      },
    });
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPush() {
  const crypto = await benchPushCrypto({ seconds: sized(3, 0.1) });
  console.log(
    `\n4a. Encryption per core: web-push encrypt / bare ceiling = ${crypto.ratio.toFixed(2)} (target >= 0.80)`,
  );
  await benchFanout();
  await benchCity();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`Kairan push benchmarks: Node ${process.version}, ${new Date().toISOString()}`);
  await benchPush();
}
