// The city's dashboard over real HTTP: figures equal a direct count of the raw rows, drill-down, trends and their
// captions, needs-support, CSV that parses back to the JSON's numbers, suppression under 5 households, no names
// anywhere, roles, and an audit row for every access.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associations, districts, wards } from "../../server/db/schema";
import { medianBucket } from "../../server/features/city/city.service";
import { bucketNumber, dayNumber } from "../../server/features/stats/sql";
import { newId } from "../../server/lib/ids";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { client, expectError } from "../helpers/http";
import { publish as publishAs } from "../helpers/flows";

let t: TestApp;
let city: MemberFixture;
const HOUR = 3_600_000;
/** Wednesday 2026-11-25 10:00 JST: "now" of the test, moved by hand. */
const NOW = new Date("2026-11-25T10:00:00+09:00");

interface Assoc {
  id: string;
  name: string;
  leader: MemberFixture;
  households: { id: string; label: string; resident: MemberFixture | null }[];
}
const towns: Record<string, Assoc> = {};
const ids = { wards: [newId(), newId()], districts: [newId(), newId(), newId(), newId(), newId()] };

async function association(
  name: string,
  districtId: string,
  inArea: number,
  app: number,
  paper: number,
): Promise<Assoc> {
  const id = newId();
  await t.db.insert(associations).values({ id, districtId, name, householdsInArea: inArea, createdAt: t.clock.now() });
  const leader = await makeStaff(t, id);
  const api = client(t, leader.token);
  const block = (await api.post("/api/blocks", { name: "1班" })).body.id;
  const a: Assoc = { id, name, leader, households: [] };
  for (let i = 0; i < app + paper; i++) {
    const channel = i < app ? "app" : "paper";
    const label = `${name}の世帯${i + 1}`;
    const res = await api.post("/api/households", { label, blockId: block, channel });
    expect(res.status).toBe(201);
    a.households.push({
      id: res.body.id,
      label,
      resident: channel === "app" ? await makeResident(t, id, res.body.id) : null,
    });
  }
  return a;
}

/** Published by the association's leader. */
const publish = (a: Assoc, input: Record<string, unknown> = {}) => publishAs(client(t, a.leader.token), input);

beforeAll(async () => {
  t = await createTestApp({}, { sendPushes: false });
  t.clock.current = new Date(NOW.getTime() - 8 * 7 * 24 * HOUR);
  const now = t.clock.now();
  await t.db.insert(wards).values([
    { id: ids.wards[0]!, name: "青葉区", createdAt: now },
    { id: ids.wards[1]!, name: "泉区", createdAt: now },
  ]);
  await t.db.insert(districts).values([
    { id: ids.districts[0]!, wardId: ids.wards[0]!, name: "宮城地区", createdAt: now },
    { id: ids.districts[1]!, wardId: ids.wards[0]!, name: "上杉地区", createdAt: now },
    { id: ids.districts[2]!, wardId: ids.wards[1]!, name: "将監地区", createdAt: now },
    { id: ids.districts[3]!, wardId: ids.wards[1]!, name: "泉ケ丘地区", createdAt: now },
    { id: ids.districts[4]!, wardId: ids.wards[0]!, name: "荒巻地区", createdAt: now },
  ]);
  towns.sakura = await association("桜町内会", ids.districts[0]!, 20, 8, 4); // 12 of 20: coverage 0.6
  towns.kaede = await association("楓町内会", ids.districts[0]!, 40, 6, 2); // 8 of 40: low coverage
  towns.tiny = await association("小さな町内会", ids.districts[1]!, 10, 2, 1); // 3 households: suppressed
  towns.izumi = await association("泉中央町内会", ids.districts[2]!, 12, 10, 0);
  // Households in area out of date: 10 member households where 6 were entered (coverage would be 167%) ...
  towns.stale = await association("泉ケ丘町内会", ids.districts[3]!, 6, 8, 2);
  // ... and none entered at all, in a suppressed association (3 households).
  towns.unset = await association("荒巻町内会", ids.districts[4]!, 0, 2, 1);

  // Weeks ago: circulars read quickly in 楓, then slowly (a falling read rate); 桜 reads in a few hours; nobody
  // reads in 泉ケ丘.
  for (let week = 0; week < 8; week++) {
    for (const a of [towns.sakura!, towns.kaede!, towns.izumi!, towns.tiny!, towns.stale!]) {
      const id = await publish(
        a,
        week % 2 ? { dueAt: new Date(t.clock.now().getTime() + 2 * 24 * HOUR).toISOString() } : {},
      );
      const slow = a === towns.kaede && week >= 4;
      const readers = a === towns.stale ? [] : a.households;
      t.clock.advance(slow ? 100 * HOUR : 2 * HOUR);
      for (const h of readers.filter((x) => x.resident).slice(0, slow ? 2 : undefined)) {
        await client(t, h.resident!.token).post(`/api/feed/${id}/ack`);
      }
      // Paper households recorded by the leader a day later.
      t.clock.advance(24 * HOUR);
      for (const h of readers.filter((x) => !x.resident)) {
        await client(t, a.leader.token).put(`/api/circulars/${id}/receipts/${h.id}/paper`);
      }
      t.clock.current = new Date(t.clock.now().getTime() - (slow ? 124 : 26) * HOUR);
    }
    t.clock.advance(7 * 24 * HOUR);
  }
  t.clock.current = NOW;
  city = await makeStaff(t, null, { role: "city" });
  // Two devices subscribed in 泉中央.
  for (const h of towns.izumi!.households.slice(0, 2)) {
    await client(t, h.resident!.token).post("/api/push/subscriptions", {
      endpoint: `https://push.example.net/${crypto.randomUUID()}`,
      keys: { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) },
    });
  }
});
afterAll(() => t.close());

const api = () => client(t, city.token);

/** The figures straight from the raw rows, for the scope's associations (as the dashboard defines them). */
async function direct(assocIds: string[]) {
  const list = JSON.stringify(assocIds);
  const q = async (sqlText: string) => (await t.client.execute({ sql: sqlText, args: [list] })).rows[0]!;
  const hh = await q(`SELECT count(*) AS members, sum(channel = 'app') AS app, sum(channel = 'paper') AS paper,
      sum(EXISTS (SELECT 1 FROM push_subscriptions s WHERE s.household_id = households.id)) AS push,
      sum(((SELECT max(read_at) FROM receipts r WHERE r.household_id = households.id) + ${9 * HOUR}) / ${24 * HOUR}
        >= ${dayNumber(NOW) - 29}) AS active
    FROM households WHERE left_at IS NULL AND association_id IN (SELECT value FROM json_each(?))`);
  // Coverage as docs/city-export.md defines it: an association counts at most its households in area; the flag for
  // any association of 5 or more member households above them.
  const area = await q(`SELECT sum(households_in_area) AS n, sum(min(m, households_in_area)) AS covered,
      coalesce(max(m > households_in_area AND m >= 5), 0) AS over
    FROM (SELECT households_in_area, (SELECT count(*) FROM households h WHERE h.association_id = a.id AND h.left_at IS NULL) AS m
      FROM associations a WHERE id IN (SELECT value FROM json_each(?)))`);
  const receipts = (
    await t.client.execute({
      sql: `SELECT r.read_at, r.created_at, c.due_at FROM receipts r JOIN circulars c ON c.id = r.circular_id
        WHERE c.status = 'published' AND c.association_id IN (SELECT value FROM json_each(?))`,
      args: [list],
    })
  ).rows.map((r) => ({
    readAt: r.read_at as number | null,
    createdAt: Number(r.created_at),
    dueAt: r.due_at as number | null,
  }));
  const read = receipts.filter((r) => r.readAt !== null);
  const within = (ms: number) => read.filter((r) => r.readAt! - r.createdAt < ms).length;
  const due = receipts.filter((r) => r.dueAt !== null);
  const b = Array(32).fill(0);
  for (const r of read) b[bucketNumber(r.readAt! - r.createdAt)]++;
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    memberHouseholds: Number(hh.members),
    appHouseholds: Number(hh.app),
    paperHouseholds: Number(hh.paper),
    pushHouseholds: Number(hh.push),
    activeHouseholds: Number(hh.active),
    householdsInArea: Number(area.n),
    coverage: round(Number(area.covered) / Number(area.n)),
    coverageOverCount: Number(area.over) === 1,
    targeted: receipts.length,
    read24hRate: round(within(24 * HOUR) / receipts.length),
    read72hRate: round(within(72 * HOUR) / receipts.length),
    readByDueRate: round(due.filter((r) => r.readAt !== null && r.readAt <= r.dueAt!).length / due.length),
    medianReadBucket: medianBucket(b),
  };
}

describe("overview", () => {
  it("city figures equal a direct count of the raw rows", async () => {
    const res = await api().get("/api/city/overview");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const all = Object.values(towns).map((a) => a.id);
    const want = await direct(all);
    const f = res.body.figures;
    expect(f).toMatchObject({ suppressed: false, ...want });
    // 泉ケ丘's and 荒巻's surplus member households are not counted as covered.
    expect(f.coverage).toBeLessThan(want.memberHouseholds / want.householdsInArea);
    // 楓's slow weeks left households that have not read anything for over 30 days.
    expect(f.activeHouseholds).toBeLessThan(want.memberHouseholds);
    expect(f.circulars).toBe(40);
    expect(res.body.scope).toMatchObject({ level: "city", name: "仙台市", parents: [] });
    expect(res.body.children.map((c: { name: string }) => c.name)).toEqual(["泉区", "青葉区"]);
  });

  it("drills down ward → district → association; the small association is suppressed (「—」)", async () => {
    const ward = await api().get(`/api/city/overview?level=ward&id=${ids.wards[0]}`);
    expect(ward.body.scope.parents.map((p: { level: string }) => p.level)).toEqual(["city"]);
    expect(ward.body.figures).toMatchObject(
      await direct([towns.sakura!.id, towns.kaede!.id, towns.tiny!.id, towns.unset!.id]),
    );
    const district = await api().get(`/api/city/overview?level=district&id=${ids.districts[1]}`);
    expect(district.body.figures).toEqual(
      expect.objectContaining({ suppressed: true, memberHouseholds: null, read72hRate: null }),
    );
    expect(district.body.children).toEqual([
      expect.objectContaining({ name: "小さな町内会", suppressed: true, coverage: null }),
    ]);
    const assoc = await api().get(`/api/city/overview?level=association&id=${towns.kaede!.id}`);
    expect(assoc.body.scope.parents.map((p: { name: string }) => p.name)).toEqual(["仙台市", "青葉区", "宮城地区"]);
    expect(assoc.body.figures).toMatchObject(await direct([towns.kaede!.id]));
    expect(assoc.body.children).toEqual([]);
    expect(
      (await api().get(`/api/city/overview?level=association&id=${towns.izumi!.id}`)).body.figures.pushHouseholds,
    ).toBe(2);
  });

  it("never shows coverage over 100%: members above the households in area count up to them, flagged for review", async () => {
    const overview = async (level: string, id: string) =>
      (await api().get(`/api/city/overview?level=${level}&id=${id}`)).body;
    expect((await overview("association", towns.stale!.id)).figures).toMatchObject({
      householdsInArea: 6,
      memberHouseholds: 10,
      coverage: 1,
      coverageOverCount: true,
    });
    const district = await overview("district", ids.districts[3]!);
    expect(district.figures).toMatchObject({ coverage: 1, coverageOverCount: true });
    expect(district.children).toEqual([
      expect.objectContaining({ name: "泉ケ丘町内会", coverage: 1, coverageOverCount: true }),
    ]);
    // 泉区: 泉中央 10 of 12 and 泉ケ丘 6 of 6 (not 10 of 6): 16 of 18, where the plain sums would say 20 of 18.
    const izumi = await overview("ward", ids.wards[1]!);
    expect(izumi.figures).toMatchObject({
      householdsInArea: 18,
      memberHouseholds: 20,
      coverage: 0.8889,
      coverageOverCount: true,
    });
    expect(izumi.children.find((c: { name: string }) => c.name === "将監地区")).toMatchObject({
      coverage: 0.8333,
      coverageOverCount: false,
    });
    // 荒巻 (no households in area entered, 3 member households) is suppressed: none of its households counts as
    // covered, and it raises no flag above it (a flag would say something about fewer than 5 households).
    const aoba = await overview("ward", ids.wards[0]!);
    expect(aoba.figures.coverageOverCount).toBe(false);
    expect(aoba.children.find((c: { name: string }) => c.name === "荒巻地区")).toMatchObject({
      suppressed: true,
      coverage: null,
      coverageOverCount: null,
    });
    const sendai = (await api().get("/api/city/overview")).body;
    expect(sendai.figures.coverageOverCount).toBe(true);
    for (const body of [izumi, aoba, sendai])
      for (const f of [body.figures, ...body.children]) expect(f.coverage ?? 0).toBeLessThanOrEqual(1);
  });

  it("unknown scopes are 404; a bad level is 400", async () => {
    expectError(await api().get("/api/city/overview?level=ward&id=nope"), 404, "not_found");
    expectError(await api().get("/api/city/overview?level=planet"), 400, "validation_failed");
  });
});

describe("trends", () => {
  it("26 weeks, oldest first, with captions comparing the last two full weeks", async () => {
    const res = await api().get(`/api/city/trends?level=association&id=${towns.sakura!.id}`);
    expect(res.status).toBe(200);
    expect(res.body.weeks).toHaveLength(26);
    expect(res.body.weeks[25].start).toBe("2026-11-23");
    expect(res.body.weeks.filter((w: { circulars: number }) => w.circulars > 0)).toHaveLength(8);
    expect(res.body.captions.read24h.ja).toMatch(/先週(より|と同じ)/);
    // 楓: fast then slow; the last full weeks are both slow: the same, 0 points.
    const kaede = await api().get(`/api/city/trends?level=association&id=${towns.kaede!.id}`);
    expect(kaede.body.captions.read72h.ja).toBe("先週と同じです。");
    const tiny = await api().get(`/api/city/trends?level=association&id=${towns.tiny!.id}`);
    expect(tiny.body.suppressed).toBe(true);
    expect(tiny.body.weeks.every((w: { targeted: number | null }) => w.targeted === null)).toBe(true);
  });
});

describe("needs support", () => {
  it("lists low coverage and falling read rates with the reason; suppressed ones are left out", async () => {
    const res = await api().get("/api/city/needs-support?sort=coverage");
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.associations.map((a: { name: string; reasons: string[] }) => [a.name, a.reasons]),
    );
    expect(byName["楓町内会"]).toEqual(expect.arrayContaining(["low_coverage", "falling_read_rate"]));
    expect(byName["小さな町内会"]).toBeUndefined();
    expect(byName["泉中央町内会"]).toBeUndefined();
    const kaede = res.body.associations.find((a: { name: string }) => a.name === "楓町内会");
    expect(kaede.reasonText).toContain("加入率が低い");
    expect(kaede.change).toBeLessThan(-0.1);
    expect(kaede.coverageOverCount).toBe(false);
  });

  it("shows more member households than households in area as 100% with the flag, never as a coverage reason", async () => {
    const res = await api().get("/api/city/needs-support?sort=coverage&order=desc");
    const stale = res.body.associations.find((a: { name: string }) => a.name === "泉ケ丘町内会");
    // Listed for its reading alone (nobody reads there).
    expect(stale).toMatchObject({ coverage: 1, coverageOverCount: true, reasons: ["low_read_rate"] });
    expect(stale.reasonText).not.toContain("加入率");
    expect(res.body.associations[0].name).toBe("泉ケ丘町内会");
    for (const a of res.body.associations) expect(a.coverage ?? 0).toBeLessThanOrEqual(1);
  });
});

/** A minimal RFC 4180 parser: enough to read back what the server wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

describe("CSV export", () => {
  it("UTF-8 with BOM, Japanese headers then codes, and the same numbers as the JSON (「—」 when suppressed)", async () => {
    const path = `/api/city/overview?level=ward&id=${ids.wards[0]}`;
    const jsonRes = await api().get(path);
    const res = await t.app.request(`${path}&format=csv`, { headers: { cookie: `kairan_session=${city.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain("attachment;");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM.
    const rows = parseCsv(new TextDecoder().decode(bytes));
    expect(rows[0]!.slice(0, 3)).toEqual(["区分", "名前", "区域内の世帯数"]);
    const codes = rows[1]!;
    expect(codes.slice(0, 4)).toEqual(["level", "name", "householdsInArea", "memberHouseholds"]);
    const objects = rows.slice(2).map((r) => Object.fromEntries(codes.map((c, i) => [c, r[i]])));
    const expected = [jsonRes.body.figures, ...jsonRes.body.children];
    expect(objects).toHaveLength(expected.length);
    objects.forEach((o, i) => {
      for (const code of codes.filter((c) => c !== "level" && c !== "name")) {
        const v = expected[i][code];
        expect(o[code], `${i} ${code}`).toBe(v === null ? "—" : String(v));
      }
    });
    expect(objects.find((o) => o.name === "上杉地区")!.memberHouseholds).toBe("—");
    expect(objects.find((o) => o.name === "荒巻地区")!.coverageOverCount).toBe("—");
    expect(objects.find((o) => o.name === "宮城地区")!.coverageOverCount).toBe("false");
  });

  it("carries the flag of households in area to review in the overview's and needs-support's CSV", async () => {
    const csv = async (path: string) => {
      const res = await t.app.request(path, { headers: { cookie: `kairan_session=${city.token}` } });
      const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
      return rows.slice(2).map((r) => Object.fromEntries(rows[1]!.map((c, i) => [c, r[i]])));
    };
    const district = await csv(`/api/city/overview?level=district&id=${ids.districts[3]}&format=csv`);
    expect(district.find((r) => r.name === "泉ケ丘町内会")).toMatchObject({ coverage: "1", coverageOverCount: "true" });
    const needs = await csv("/api/city/needs-support?format=csv");
    expect(needs.find((r) => r.name === "泉ケ丘町内会")).toMatchObject({ coverage: "1", coverageOverCount: "true" });
  });

  it("every export's second row is the JSON's keys (trends, needs-support and the overview)", async () => {
    const exports = [
      { path: `/api/city/trends?level=city`, rows: (b: any) => b.weeks },
      { path: `/api/city/needs-support?sort=reason`, rows: (b: any) => b.associations },
      { path: `/api/city/overview?level=city`, rows: (b: any) => b.children },
    ];
    for (const { path, rows: rowsOf } of exports) {
      const json = rowsOf((await api().get(path)).body) as Record<string, unknown>[];
      const res = await t.app.request(`${path}&format=csv`, { headers: { cookie: `kairan_session=${city.token}` } });
      expect(res.status, path).toBe(200);
      const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
      expect(rows.length, path).toBeGreaterThan(2);
      // level is the overview's own column: which area a row is (the JSON nests them as figures and children).
      for (const code of rows[1]!.filter((c) => c !== "level"))
        expect(json[0], `${path}: ${code}`).toHaveProperty(code);
    }
  });
});

describe("privacy and roles", () => {
  it("no household label or member name appears in any city answer", async () => {
    const bodies: string[] = [];
    for (const path of [
      "/api/city/overview",
      `/api/city/overview?level=association&id=${towns.sakura!.id}`,
      `/api/city/overview?level=association&id=${towns.sakura!.id}&format=csv`,
      `/api/city/trends?level=association&id=${towns.sakura!.id}`,
      "/api/city/needs-support",
      "/api/city/areas",
    ]) {
      const res = await t.app.request(path, { headers: { cookie: `kairan_session=${city.token}` } });
      expect(res.status, path).toBe(200);
      bodies.push(await res.text());
    }
    const names = (await t.client.execute("SELECT display_name FROM members")).rows.map((r) => String(r.display_name));
    for (const text of bodies) {
      for (const a of Object.values(towns)) for (const h of a.households) expect(text).not.toContain(h.label);
      for (const n of names) expect(text).not.toContain(n);
    }
  });

  it("refuses leaders and residents (403) and the signed-out (401); admins may look", async () => {
    expectError(await client(t, towns.sakura!.leader.token).get("/api/city/overview"), 403, "forbidden");
    expectError(
      await client(t, towns.sakura!.households[0]!.resident!.token).get("/api/city/needs-support"),
      403,
      "forbidden",
    );
    expectError(await client(t).get("/api/city/trends"), 401, "unauthorized");
    const admin = await makeStaff(t, null, { role: "admin" });
    expect((await client(t, admin.token).get("/api/city/overview")).status).toBe(200);
  });

  it("leader routes refuse city staff: names stay with the association", async () => {
    for (const path of ["/api/households", "/api/circulars", "/api/members"]) {
      expectError(await api().get(path), 403, "forbidden");
    }
  });

  it("every city access is in the audit log", async () => {
    const before = Number(
      (await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'city.%'")).rows[0]!.n,
    );
    await api().get("/api/city/overview");
    await api().get(`/api/city/trends?level=ward&id=${ids.wards[1]}`);
    const rows = (
      await t.client.execute({
        sql: "SELECT actor_id, action, target_id FROM audit_log WHERE action LIKE 'city.%' ORDER BY at DESC, rowid DESC LIMIT 2",
        args: [],
      })
    ).rows;
    const after = Number(
      (await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'city.%'")).rows[0]!.n,
    );
    expect(after - before).toBe(2);
    expect(rows.map((r) => r.actor_id)).toEqual([city.id, city.id]);
    expect(rows[0]!.target_id).toBe(`ward:${ids.wards[1]}`);
  });

  it("records a download as an export with its format and scope, the page's own view as a view", async () => {
    const last = async () =>
      (
        await t.client.execute(
          "SELECT action, target_id, detail FROM audit_log WHERE action LIKE 'city.%' ORDER BY at DESC, rowid DESC LIMIT 1",
        )
      ).rows[0]!;
    const ward = `ward:${ids.wards[0]}`;
    const cookie = { headers: { cookie: `kairan_session=${city.token}` } };
    for (const [path, format] of [
      [`/api/city/overview?level=ward&id=${ids.wards[0]}&format=csv`, "csv"],
      [`/api/city/trends?level=ward&id=${ids.wards[0]}&format=json`, "json"],
    ] as const) {
      expect((await t.app.request(path, cookie)).status).toBe(200);
      const row = await last();
      expect(row.action, path).toBe("city.export");
      expect(row.target_id).toBe(ward);
      expect(JSON.parse(String(row.detail))).toMatchObject({ format, scope: ward });
    }
    expect((await t.app.request("/api/city/needs-support?format=csv", cookie)).status).toBe(200);
    expect(await last()).toMatchObject({ action: "city.export", target_id: "needs-support" });
    await api().get(`/api/city/overview?level=ward&id=${ids.wards[0]}`);
    expect(await last()).toMatchObject({ action: "city.view", target_id: ward });
  });
});
