// The city's rollups on D1: the triggers and the batch statements run inside workerd as on libSQL, and the
// dashboard answers from them; a rebuild from the raw rows gives the same figures.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { rebuildStats } from "../../server/features/stats/rebuild";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { client } from "../helpers/http";
import { workerTestApp } from "./harness";

describe("city figures on D1", () => {
  it("acknowledgements reach the rollups in the same transaction; a rebuild agrees", async () => {
    const t = workerTestApp();
    const a = await makeAssociation(t, { blocks: 1, perBlock: 6 });
    const leader = await makeStaff(t, a.id);
    const residents = await Promise.all(a.households.map((h) => makeResident(t, a.id, h.id)));
    const d = await client(t, leader.token).post("/api/circulars", {
      title: "お知らせ",
      body: "本文",
      priority: "urgent",
    });
    expect((await client(t, leader.token).post(`/api/circulars/${d.body.id}/publish`)).status).toBe(200);
    for (const r of residents.slice(0, 4))
      expect((await client(t, r.token).post(`/api/feed/${d.body.id}/ack`)).status).toBe(200);
    const city = await makeStaff(t, null, { role: "city" });
    const path = `/api/city/overview?level=association&id=${a.id}`;
    const before = await client(t, city.token).get(path);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.figures).toMatchObject({
      memberHouseholds: 6,
      targeted: 6,
      read24hRate: 0.6667,
      activeHouseholds: 4,
    });
    const snapshot = async () =>
      (await env.DB.prepare("SELECT * FROM stats_week WHERE scope_id = ? ORDER BY week").bind(a.id).all()).results;
    const incremental = await snapshot();
    await rebuildStats(t.db);
    expect(await snapshot()).toEqual(incremental);
    expect((await client(t, city.token).get(path)).body.figures).toEqual(before.body.figures);
    // Fewer households in area than member households: coverage stops at 100%, flagged, in the association and its
    // district alike (the capped sums' query on D1).
    await env.DB.prepare("UPDATE associations SET households_in_area = 5 WHERE id = ?").bind(a.id).run();
    const over = await client(t, city.token).get(path);
    expect(over.body.figures).toMatchObject({ householdsInArea: 5, coverage: 1, coverageOverCount: true });
    const districtId = over.body.scope.parents.find((p: { level: string }) => p.level === "district").id;
    const district = await client(t, city.token).get(`/api/city/overview?level=district&id=${districtId}`);
    expect(district.body.figures).toMatchObject({ coverage: 1, coverageOverCount: true });
  });
});
