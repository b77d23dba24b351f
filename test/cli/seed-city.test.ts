// `npm run seed:city` at a tiny scale, as a real process: a migrated file with plausible counts, rollups equal to a
// recomputation from the raw rows (and to independent counts), the triggers back in place and working, the same
// city again for the same seed, and no overwriting without --force.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { circulars, receipts } from "../../server/db/schema";
import { readStatements, stageReads } from "../../server/features/receipts/read-batch";
import { rebuildStats } from "../../server/features/stats/rebuild";
import { migrateDatabase, openDatabase, type NodeDatabase } from "../../server/node/database";
import { rollupSnapshot } from "../helpers/rollups";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "kairan-seed-city-"));
const NOW = "2026-11-26T06:00:00.000Z";
const seedCity = (...args: string[]) =>
  run(
    process.execPath,
    ["--import", "tsx", "bench/seed-city.ts", "--scale", "0.002", "--seed", "7", "--now", NOW, ...args],
    {
      cwd: process.cwd(),
    },
  );

const out = join(dir, "city.db");
let stdout = "";
let database: NodeDatabase;
const one = async (q: string) => (await database.client.execute(q)).rows[0]!;
const n = async (q: string) => Number(Object.values(await one(q))[0]);

beforeAll(async () => {
  stdout = (await seedCity("--out", out)).stdout;
  database = await openDatabase(`file:${out}`);
}, 120_000);
afterAll(() => {
  database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run seed:city -- --scale 0.002", () => {
  it("prints its phases and counts", () => {
    for (const phase of ["migrate", "households", "circulars", "receipts", "rebuildStats", "total"])
      expect(stdout).toContain(phase);
    expect(stdout).toMatch(/receipts [\d,]+; of published circulars/);
  });

  it("is a migrated file with the rollup triggers back and WAL on", async () => {
    const journal = JSON.parse(readFileSync("drizzle/meta/_journal.json", "utf8")) as { entries: unknown[] };
    expect(await n("SELECT count(*) FROM __drizzle_migrations")).toBe(journal.entries.length);
    // The same tables, indexes, views and triggers (same SQL) as a database migrated the ordinary way.
    const fresh = await openDatabase(`file:${join(dir, "fresh.db")}`);
    const objects = async (d: NodeDatabase) =>
      (await d.client.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")).rows.map((r) => ({
        ...r,
      }));
    try {
      await migrateDatabase(fresh.db);
      const expected = await objects(fresh);
      expect(expected.filter((o) => o.type === "trigger").length).toBeGreaterThan(0);
      expect(await objects(database)).toEqual(expected);
    } finally {
      fresh.close();
    }
    expect(String((await one("PRAGMA journal_mode")).journal_mode)).toBe("wal");
    expect((await database.client.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
  });

  it("has plausible counts", async () => {
    expect(await n("SELECT count(*) FROM wards")).toBe(5);
    const assocs = await n("SELECT count(*) FROM associations");
    expect(assocs).toBe(3); // round(1,385 × 0.002)
    expect(await n("SELECT count(*) FROM districts")).toBeLessThanOrEqual(assocs);
    // Every district present has an association.
    expect(
      await n(
        "SELECT count(*) FROM districts d WHERE NOT EXISTS (SELECT 1 FROM associations a WHERE a.district_id = d.id)",
      ),
    ).toBe(0);
    const inArea = await n("SELECT sum(households_in_area) FROM associations");
    const members = await n("SELECT count(*) FROM households WHERE left_at IS NULL");
    expect(inArea).toBeGreaterThan(3 * 60);
    expect(inArea).toBeLessThan(3 * 3000);
    expect(members / inArea).toBeGreaterThan(0.6);
    expect(members / inArea).toBeLessThan(0.95);
    // Blocks of 10–15 member households (in associations of 30 or more).
    const blocks = (
      await database.client.execute(`
        SELECT count(*) AS n, (SELECT count(*) FROM households x WHERE x.association_id = h.association_id AND x.left_at IS NULL) AS total
        FROM households h WHERE h.left_at IS NULL GROUP BY h.block_id`)
    ).rows;
    for (const b of blocks) {
      if (Number(b.total) < 30) continue;
      expect(Number(b.n)).toBeGreaterThanOrEqual(10);
      expect(Number(b.n)).toBeLessThanOrEqual(15);
    }
    // One leader per association; a resident per app household; push only for app households, with dummy FCM endpoints.
    expect(await n("SELECT count(*) FROM members WHERE role = 'leader'")).toBe(assocs);
    expect(
      await n(
        "SELECT count(*) FROM households h WHERE channel = 'app' AND NOT EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id)",
      ),
    ).toBe(0);
    expect(
      await n(
        "SELECT count(*) FROM push_subscriptions p JOIN households h ON h.id = p.household_id WHERE h.channel <> 'app' OR h.left_at IS NOT NULL",
      ),
    ).toBe(0);
    expect(
      await n(
        "SELECT count(*) FROM push_subscriptions WHERE endpoint NOT LIKE 'https://fcm.googleapis.com/fcm/send/%'",
      ),
    ).toBe(0);
    const app = await n("SELECT count(*) FROM households WHERE left_at IS NULL AND channel = 'app'");
    const push = await n("SELECT count(*) FROM households WHERE left_at IS NULL AND push_devices > 0");
    expect(app / members).toBeGreaterThan(0.1);
    expect(app / members).toBeLessThan(0.8);
    expect(push / app).toBeGreaterThan(0.3);
    expect(push / app).toBeLessThan(0.9);
  });

  it("has 12 months of circulars: three a month per association and the city bulletin in every association", async () => {
    const assocs = await n("SELECT count(*) FROM associations");
    expect(await n("SELECT count(*) FROM city_circulars WHERE status = 'published'")).toBe(12);
    expect(await n("SELECT count(*) FROM circulars WHERE origin = 'city' AND city_circular_id IS NOT NULL")).toBe(
      12 * assocs,
    );
    const own = await n("SELECT count(*) FROM circulars WHERE origin = 'association'");
    expect(own).toBeGreaterThan(34 * assocs);
    expect(own).toBeLessThanOrEqual(36 * assocs);
    const now = Date.parse(NOW);
    expect(
      await n(`SELECT count(*) FROM circulars WHERE published_at > ${now} OR published_at < ${now - 366 * 86_400_000}`),
    ).toBe(0);
    expect(await n("SELECT count(*) FROM circulars WHERE due_at IS NOT NULL")).toBeGreaterThan(0);
    // Receipts: one per targeted household, never read after now or after a withdrawal.
    expect(await n(`SELECT count(*) FROM receipts WHERE read_at > ${now}`)).toBe(0);
    expect(
      await n(
        "SELECT count(*) FROM receipts r JOIN circulars c ON c.id = r.circular_id WHERE r.read_at >= c.withdrawn_at",
      ),
    ).toBe(0);
    expect(
      await n(
        "SELECT count(*) FROM receipts r JOIN households h ON h.id = r.household_id WHERE r.association_id <> h.association_id OR r.created_at < h.joined_at",
      ),
    ).toBe(0);
    expect(
      await n(
        "SELECT count(*) FROM receipts r JOIN circulars c ON c.id = r.circular_id WHERE r.created_at <> c.published_at",
      ),
    ).toBe(0);
    const bulletin = await one("SELECT id FROM circulars WHERE origin = 'city' ORDER BY published_at LIMIT 1");
    expect(await n(`SELECT count(*) FROM receipts WHERE circular_id = '${bulletin.id}'`)).toBeGreaterThan(0);
  });

  it("reads with realistic delays: app mostly within a day, paper 1–10 days later, some never", async () => {
    const old = `c.published_at < ${Date.parse(NOW) - 30 * 86_400_000}`;
    const row = await one(`
      SELECT sum(h.channel = 'app') AS app, sum(h.channel = 'app' AND r.read_at - r.created_at < 86400000) AS app24,
        sum(h.channel = 'app' AND r.read_at - r.created_at > 7 * 86400000) AS appWeek,
        sum(h.channel = 'paper') AS paper, sum(h.channel = 'paper' AND r.read_at IS NOT NULL) AS paperRead,
        sum(h.channel = 'paper' AND (r.read_at - r.created_at < 86400000 OR r.read_at - r.created_at > 10 * 86400000)) AS paperOut,
        sum(r.read_at IS NULL) AS never, count(*) AS n,
        sum(r.channel = 'paper') AS paperChannel, sum(r.channel = 'app') AS appChannel
      FROM receipts r JOIN households h ON h.id = r.household_id JOIN circulars c ON c.id = r.circular_id
      WHERE c.status = 'published' AND ${old}`);
    const v = (k: string) => Number(row[k]);
    expect(v("app24") / v("app")).toBeGreaterThan(0.6);
    expect(v("appWeek")).toBeGreaterThan(0);
    expect(v("paperOut")).toBe(0);
    expect(v("paperChannel")).toBe(v("paperRead"));
    expect(v("never") / v("n")).toBeGreaterThan(0.02);
    expect(v("never") / v("n")).toBeLessThan(0.15);
  });

  it("keeps rollups equal to rebuildStats, and to counts from the raw rows", async () => {
    const seeded = await rollupSnapshot(database.client);
    expect(seeded.stats_week!.length).toBeGreaterThan(0);
    await rebuildStats(database.db);
    expect(await rollupSnapshot(database.client)).toEqual(seeded);
    // Independent of rebuildStats: the city row and the per-circular sums against plain counts.
    const city = await one("SELECT * FROM stats_households WHERE level = 'city'");
    expect(Number(city.members)).toBe(await n("SELECT count(*) FROM households WHERE left_at IS NULL"));
    expect(Number(city.in_area)).toBe(await n("SELECT sum(households_in_area) FROM associations"));
    expect(Number(city.push)).toBe(
      await n(
        "SELECT count(*) FROM households h WHERE left_at IS NULL AND EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.household_id = h.id)",
      ),
    );
    const sums = await one("SELECT sum(targeted) AS t, sum(read) AS r, sum(read_24h) AS r24 FROM stats_circular");
    const raw = await one(`
      SELECT count(*) AS t, sum(r.read_at IS NOT NULL) AS r, sum(r.read_at IS NOT NULL AND r.read_at - r.created_at < 86400000) AS r24
      FROM receipts r JOIN circulars c ON c.id = r.circular_id WHERE c.status = 'published'`);
    expect([sums.t, sums.r, sums.r24].map(Number)).toEqual([raw.t, raw.r, raw.r24].map(Number));
    const week = await one(
      `SELECT sum(targeted) AS t, ${Array.from({ length: 32 }, (_, k) => `sum(b${k})`).join(" + ")} AS r FROM stats_week WHERE level = 'city'`,
    );
    expect([Number(week.t), Number(week.r)]).toEqual([Number(raw.t), Number(raw.r)]);
  });

  it("builds the same city again for the same seed", async () => {
    const again = join(dir, "again.db");
    await seedCity("--out", again);
    const other = await openDatabase(`file:${again}`);
    try {
      const sig = async (d: NodeDatabase) =>
        (
          await d.client.execute(`
            SELECT (SELECT count(*) FROM receipts) AS n, (SELECT sum(read_at % 1000003) FROM receipts) AS r,
              (SELECT group_concat(households_in_area) FROM associations) AS a,
              (SELECT count(*) FROM push_subscriptions) AS p`)
        ).rows[0];
      const fresh = await sig(other);
      expect(fresh).toEqual(await sig(database));
      expect(Number(fresh!.r)).toBeGreaterThan(0);
    } finally {
      other.close();
    }
  }, 120_000);

  it("leaves the rollups kept as the app changes data", async () => {
    // A read in the app and a paper record undone, through the batch every change of read state takes
    // (read-batch.ts); a new household, through its triggers; then equal to a rebuild.
    const unread = await one(`
      SELECT r.circular_id, r.household_id FROM receipts r JOIN circulars c ON c.id = r.circular_id
      WHERE c.status = 'published' AND r.read_at IS NULL LIMIT 1`);
    const ofReceipt = (where: SQL) =>
      sql`FROM ${receipts} JOIN ${circulars} c ON c.id = ${receipts.circularId} WHERE ${where}`;
    const read = readStatements(database.db, {
      channel: "app",
      stage: stageReads({
        from: ofReceipt(
          sql`${receipts.circularId} = ${String(unread.circular_id)} AND ${receipts.householdId} = ${String(unread.household_id)}`,
        ),
        readAt: sql`${receipts.createdAt} + 5400000`,
        readBy: sql`'test'`,
      }),
    });
    await database.db.batch(read.items);
    const undo = readStatements(database.db, {
      channel: null,
      tell: true,
      stage: stageReads({
        from: ofReceipt(sql`${receipts.circularId} || '|' || ${receipts.householdId} = (
          SELECT r.circular_id || '|' || r.household_id FROM receipts r JOIN circulars c ON c.id = r.circular_id
          WHERE c.status = 'published' AND r.channel = 'paper' LIMIT 1)`),
        readAt: sql`${receipts.readAt}`,
        readBy: sql`${receipts.readBy}`,
      }),
    });
    const undone = await database.db.batch(undo.items);
    expect(undone[undo.written]).toHaveLength(1);
    const h = await one("SELECT association_id, block_id FROM households LIMIT 1");
    await database.client.execute({
      sql: "INSERT INTO households (id, association_id, block_id, label, channel, joined_at, created_at) VALUES ('h-new', ?, ?, '新', 'paper', 1, 1)",
      args: [String(h.association_id), String(h.block_id)],
    });
    const incremental = await rollupSnapshot(database.client);
    await rebuildStats(database.db);
    expect(incremental).toEqual(await rollupSnapshot(database.client));
  });

  it("refuses to overwrite a database that is not empty without --force", async () => {
    const size = statSync(out).size;
    await expect(seedCity("--out", out)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/exists and is not empty.*--force/),
    });
    expect(statSync(out).size).toBe(size);
  });
});
