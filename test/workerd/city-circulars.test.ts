// City circulars on D1 and R2: the publication batch (copies made by INSERT…SELECT with ids from randomblob, the
// target read with json_each from the row, receipts, attachment rows sharing the city's blob, rollups, pushes) and
// the withdrawal batch run inside workerd as on libSQL; a rebuild of the rollups agrees.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { rebuildStats } from "../../server/features/stats/rebuild";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { client } from "../helpers/http";
import { workerTestApp } from "./harness";

const PDF = new TextEncoder().encode("%PDF-1.4\n%test\n");

describe("city circulars on D1", () => {
  it("publishes a copy per targeted association, residents read it and its file, withdrawal takes it back", async () => {
    const t = workerTestApp();
    const a = await makeAssociation(t, { blocks: 1, perBlock: 5 });
    const b = await makeAssociation(t, { blocks: 1, perBlock: 2 });
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    const d = await city.post("/api/city/circulars", {
      title: "市政だより",
      body: "本文",
      priority: "urgent",
      target: { scope: "associations", ids: [a.id, b.id] },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const form = new FormData();
    form.append("file", new File([PDF], "案内.pdf"));
    expect((await city.post(`/api/city/circulars/${d.body.id}/attachments`, form)).status).toBe(201);
    const pub = await city.post(`/api/city/circulars/${d.body.id}/publish`);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body).toMatchObject({ associations: 2, households: 7 });

    const resident = client(t, (await makeResident(t, a.id, a.households[0]!.id)).token);
    const feed = await resident.get("/api/feed");
    const entry = feed.body.circulars.find((c: { origin: string }) => c.origin === "city");
    expect(entry).toMatchObject({ title: "市政だより", origin: "city", leaderNote: null, attachmentCount: 1 });
    const item = await resident.get(`/api/feed/${entry.id}`);
    const file = await resident.get(item.body.attachments[0].url);
    expect(file.status).toBe(200);
    expect(file.body).toContain("%PDF-1.4");
    expect((await resident.post(`/api/feed/${entry.id}/ack`)).status).toBe(200);

    const figures = await city.get(`/api/city/circulars/${d.body.id}/figures`);
    expect(figures.status).toBe(200);
    expect(figures.body.associations.find((x: { id: string }) => x.id === a.id)).toMatchObject({
      targeted: 5,
      read: 1,
    });
    expect(figures.body.associations.find((x: { id: string }) => x.id === b.id)).toMatchObject({ suppressed: true });

    // The two associations' weeks, without rows whose figures are all zero (a withdrawal leaves those behind).
    const snapshot = async () =>
      (
        await env.DB.prepare("SELECT * FROM stats_week WHERE scope_id IN (?, ?) ORDER BY scope_id, week")
          .bind(a.id, b.id)
          .all()
      ).results.filter((r) =>
        Object.entries(r).some(([k, v]) => !["level", "scope_id", "week"].includes(k) && v !== 0),
      );
    const published = await snapshot();
    await rebuildStats(t.db);
    expect(await snapshot()).toEqual(published);

    const withdrawn = await city.post(`/api/city/circulars/${d.body.id}/withdraw`);
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect((await resident.get("/api/feed")).body.circulars.map((c: { id: string }) => c.id)).not.toContain(entry.id);
    const incremental = await snapshot();
    await rebuildStats(t.db);
    expect(await snapshot()).toEqual(incremental);
  });
});
