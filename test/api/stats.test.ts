// The city's rollups, kept incrementally (triggers and batch statements), equal a brute-force recomputation from the
// raw rows (rebuildStats) after random histories: publications (whole association or blocks, with and without a due
// date), app acknowledgements one by one and in bursts (one coalesced batch) and paper acknowledgements at random delays, undone paper acknowledgements, withdrawals, households
// joining late and leaving, devices subscribing and going away, and areas resized. Several seeds.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdName, TRIGGERS_FILE, triggersMigration } from "../../scripts/gen-stats-triggers";
import { associations, districts, wards } from "../../server/db/schema";
import { rebuildStats } from "../../server/features/stats/rebuild";
import { bucketNumber, dayNumber, statsTriggers, weekNumber, weekStart } from "../../server/features/stats/sql";
import { newId } from "../../server/lib/ids";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { client } from "../helpers/http";
import { rollupSnapshot } from "../helpers/rollups";
import { b64u, generateUaKeys } from "../helpers/ece";

/** A small seeded PRNG (mulberry32), so a failing seed can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

interface Assoc {
  id: string;
  leader: MemberFixture;
  blockIds: string[];
  households: { id: string; resident: MemberFixture | null; channel: "app" | "paper" }[];
}

async function randomHistory(t: TestApp, seed: number) {
  const r = prng(seed);
  const now = t.clock.now();
  // 2 wards × 2 districts, 5 associations.
  const wardIds = [newId(), newId()];
  const districtIds = [newId(), newId(), newId(), newId()];
  await t.db.insert(wards).values(wardIds.map((id, i) => ({ id, name: `区${seed}-${i}`, createdAt: now })));
  await t.db
    .insert(districts)
    .values(districtIds.map((id, i) => ({ id, wardId: wardIds[i % 2]!, name: `地区${i}`, createdAt: now })));
  const assocs: Assoc[] = [];
  for (let i = 0; i < 5; i++) {
    const id = newId();
    await t.db.insert(associations).values({
      id,
      districtId: districtIds[i % 4]!,
      name: `町内会${seed}-${i}`,
      householdsInArea: 20 + r.int(40),
      createdAt: now,
    });
    const leader = await makeStaff(t, id);
    const api = client(t, leader.token);
    const blockIds: string[] = [];
    for (let b = 0; b < 2; b++) blockIds.push((await api.post("/api/blocks", { name: `${b + 1}班` })).body.id);
    const a: Assoc = { id, leader, blockIds, households: [] };
    for (let h = 0; h < 4 + r.int(8); h++) await addHousehold(t, r, a);
    assocs.push(a);
  }
  const published: { id: string; assoc: Assoc }[] = [];
  for (let step = 0; step < 120; step++) {
    t.clock.advance(r.int(20) * 3_600_000 + r.int(3_600_000));
    const a = r.pick(assocs);
    const api = client(t, a.leader.token);
    const roll = r.next();
    if (roll < 0.15) {
      const blocks = r.chance(0.3) ? [r.pick(a.blockIds)] : [];
      const due = r.chance(0.5)
        ? new Date(t.clock.now().getTime() + (1 + r.int(6)) * 86_400_000).toISOString()
        : undefined;
      const d = await api.post("/api/circulars", {
        title: "回覧",
        body: "本文",
        ...(blocks.length ? { audience: "blocks", blockIds: blocks } : {}),
        ...(due ? { dueAt: due } : {}),
      });
      const p = await api.post(`/api/circulars/${d.body.id}/publish`);
      if (p.status === 200) published.push({ id: d.body.id, assoc: a });
    } else if (roll < 0.45 && published.length) {
      // A household acknowledges in the app.
      const c = r.pick(published);
      const h = r.pick(c.assoc.households);
      if (h.resident) await client(t, h.resident.token).post(`/api/feed/${c.id}/ack`);
    } else if (roll < 0.55 && published.length) {
      // A burst: many acknowledgements at once, which the ack writer writes as one batch (set-wise rollups), with
      // households reading several circulars in it and the same receipt tapped twice.
      const taps = Array.from({ length: 2 + r.int(12) }, () => {
        const c = r.pick(published);
        return { c, h: r.pick(c.assoc.households) };
      });
      await Promise.all(
        [...taps, ...taps.slice(0, 2)].map(({ c, h }) =>
          h.resident ? client(t, h.resident.token).post(`/api/feed/${c.id}/ack`) : null,
        ),
      );
    } else if (roll < 0.7 && published.length) {
      // A block leader's paper record, sometimes undone.
      const c = r.pick(published);
      const h = r.pick(c.assoc.households);
      const lapi = client(t, c.assoc.leader.token);
      await lapi.put(`/api/circulars/${c.id}/receipts/${h.id}/paper`);
      if (r.chance(0.3)) await lapi.delete(`/api/circulars/${c.id}/receipts/${h.id}/paper`);
    } else if (roll < 0.75 && published.length) {
      const c = r.pick(published);
      await client(t, c.assoc.leader.token).post(`/api/circulars/${c.id}/withdraw`);
    } else if (roll < 0.83) {
      await addHousehold(t, r, a);
    } else if (roll < 0.88 && a.households.length > 2) {
      const h = r.pick(a.households);
      await api.patch(
        `/api/households/${h.id}`,
        r.chance(0.5) ? { left: true } : { channel: r.pick(["app", "paper"]) },
      );
    } else if (roll < 0.95) {
      const h = r.pick(a.households);
      if (h.resident) {
        const res = await client(t, h.resident.token).post("/api/push/subscriptions", await subscription());
        if (r.chance(0.3)) await client(t, h.resident.token).delete(`/api/push/subscriptions/${res.body.id}`);
      }
    } else {
      await t.db
        .update(associations)
        .set({ householdsInArea: 10 + r.int(60) })
        .where(eq(associations.id, a.id));
    }
  }
  return { assocs, published };
}

async function subscription() {
  const ua = await generateUaKeys();
  return {
    endpoint: `https://push.example.net/${crypto.randomUUID()}`,
    keys: { p256dh: b64u.encode(ua.publicKey), auth: b64u.encode(ua.authSecret) },
  };
}

async function addHousehold(t: TestApp, r: ReturnType<typeof prng>, a: Assoc) {
  const channel = r.chance(0.3) ? "paper" : "app";
  const res = await client(t, a.leader.token).post("/api/households", {
    label: `世帯${a.households.length + 1}`,
    blockId: r.pick(a.blockIds),
    channel,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const resident = channel === "app" ? await makeResident(t, a.id, res.body.id) : null;
  a.households.push({ id: res.body.id, resident, channel });
}

let t: TestApp;
beforeAll(async () => {
  // Sending is not what this is about: queued pushes stay queued.
  t = await createTestApp({}, { sendPushes: false });
});
afterAll(() => t.close());

describe("rollups equal a recomputation from the raw rows", () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}`, async () => {
      const { published } = await randomHistory(t, seed);
      expect(published.length).toBeGreaterThan(5);
      const incremental = await rollupSnapshot(t.client);
      expect(incremental.stats_week!.length).toBeGreaterThan(0);
      await rebuildStats(t.db);
      const rebuilt = await rollupSnapshot(t.client);
      expect(incremental).toEqual(rebuilt);
    });
  }

  it("counts what it should: a hand-made case", async () => {
    // The sums at city level equal those of the associations, and one known read lands in the right bucket.
    const [city] = (await t.client.execute("SELECT * FROM stats_households WHERE level = 'city'")).rows;
    const [sum] = (
      await t.client.execute(
        "SELECT sum(members) AS members, sum(app) AS app, sum(paper) AS paper FROM stats_households WHERE level = 'association'",
      )
    ).rows;
    expect(city!.members).toBe(sum!.members);
    expect(Number(city!.app) + Number(city!.paper)).toBe(city!.members);
    const [households] = (await t.client.execute("SELECT count(*) AS n FROM households WHERE left_at IS NULL")).rows;
    expect(city!.members).toBe(households!.n);
  });
});

describe("the triggers' migration", () => {
  it("is what scripts/gen-stats-triggers.ts makes from server/features/stats/sql.ts", () => {
    expect(readFileSync(TRIGGERS_FILE, "utf8")).toBe(triggersMigration());
  });

  it("leaves a migrated database with exactly the triggers and view sql.ts defines", async () => {
    // 0006 made them all and 0008 replaced some: what a database has after every migration is what sql.ts says.
    const rows = (
      await t.client.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name")
    ).rows;
    const expected = statsTriggers()
      .map((statement) => ({ name: createdName(statement), sql: statement }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(rows.map((r) => ({ name: r.name, sql: r.sql }))).toEqual(expected);
  });
});

describe("day, week and bucket numbers", () => {
  it("JST days and Monday weeks", () => {
    // 2026-11-26 (Thu) 23:59 JST and 2026-11-27 00:00 JST are different days.
    expect(dayNumber(new Date("2026-11-27T00:00:00+09:00")) - dayNumber(new Date("2026-11-26T23:59:00+09:00"))).toBe(1);
    const monday = new Date("2026-11-23T00:00:00+09:00");
    expect(weekNumber(monday)).toBe(weekNumber(new Date("2026-11-29T23:59:00+09:00")));
    expect(weekNumber(monday) - weekNumber(new Date("2026-11-22T23:59:00+09:00"))).toBe(1);
    expect(weekStart(weekNumber(monday))).toBe("2026-11-23");
  });
  it("read-delay buckets", () => {
    const h = 3_600_000;
    expect(
      [0, 59 * 60_000, h, 23.9 * h, 24 * h, 47.9 * h, 48 * h, 6.9 * 24 * h, 7 * 24 * h, 14 * 24 * h, -5].map(
        bucketNumber,
      ),
    ).toEqual([0, 0, 1, 23, 24, 24, 25, 29, 30, 31, 0]);
  });
});
