// A city 安否確認 (docs/adr/0008): city staff start one for chosen associations; each association gets a copy its
// leaders and residents use like their own; the city watches live counts per ward, district and association (never a
// household), unsuppressed while open and suppressed under 5 once closed; closing closes every copy; the live counts
// equal a brute-force count over randomised answer histories (changes, visits, late answers) at several seeds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeResident, makeStaff, type AssociationFixture } from "../helpers/factories";
import { client, expectError, type Res } from "../helpers/http";

let t: TestApp;
let cityApi: ReturnType<typeof client>;
const START = new Date("2026-11-02T03:00:00+09:00");
const MIN = 60_000;

beforeAll(async () => {
  t = await createTestApp({}, { sendPushes: false });
  t.clock.current = new Date(START);
  cityApi = client(t, (await makeStaff(t, null, { role: "city" })).token);
});
afterAll(() => t.close());

async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  return Number((await t.client.execute({ sql, args })).rows[0]![0]);
}

interface Town {
  assoc: AssociationFixture;
  leader: ReturnType<typeof client>;
  residents: { api: ReturnType<typeof client>; householdId: string; blockId: string }[];
}

async function town(households: number): Promise<Town> {
  const assoc = await makeAssociation(t, { blocks: 1, perBlock: households });
  const leader = client(t, (await makeStaff(t, assoc.id)).token);
  const residents = [];
  for (const h of assoc.households)
    residents.push({
      api: client(t, (await makeResident(t, assoc.id, h.id)).token),
      householdId: h.id,
      blockId: h.blockId,
    });
  return { assoc, leader, residents };
}

async function startFor(towns: Town[], drill = false) {
  const res = await cityApi.post("/api/city/safety-checks", {
    drill,
    target: { scope: "associations", ids: towns.map((x) => x.assoc.id) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { check: { id: string; open: boolean }; total: Record<string, unknown> };
}

/** The copy of city check `id` in a town, from the household's own open checks. */
async function copyIn(place: Town): Promise<string> {
  const mine = (await place.residents[0]!.api.get("/api/safety/mine")).body.checks;
  expect(mine).toHaveLength(1);
  return mine[0].id;
}

const answer = (state: "safe" | "help") => ({ answers: { state: { choice: state } } });

/** Nothing in a city answer may name a household or a member. */
function noHousehold(res: Res, towns: Town[]) {
  const text = JSON.stringify(res.body);
  for (const x of towns) for (const r of x.residents) expect(text).not.toContain(r.householdId);
  expect(text).not.toMatch(/世帯\d/);
}

describe("a city safety check", () => {
  it("reaches every targeted association at once; the city sees live counts, unsuppressed while open", async () => {
    const a = await town(3);
    const b = await town(6);
    const pushesBefore = await scalar("SELECT count(*) FROM push_outbox");
    const started = await startFor([a, b]);
    expect(started.check.open).toBe(true);
    expect(started.total).toMatchObject({ associations: 2, targeted: 9, answered: 0, help: 0, unanswered: 9 });
    expect(
      await scalar("SELECT count(*) FROM circulars WHERE city_circular_id = ? AND kind = 'safety'", [started.check.id]),
    ).toBe(2);
    // No device subscribed in these towns: nothing to push, but nothing wrongly queued either.
    expect(await scalar("SELECT count(*) FROM push_outbox")).toBe(pushesBefore);
    const copyA = await copyIn(a);
    await a.residents[0]!.api.post(`/api/feed/${copyA}/answer`, answer("help"));
    await a.residents[1]!.api.post(`/api/feed/${copyA}/answer`, answer("safe"));
    const live = await cityApi.get(`/api/city/safety-checks/${started.check.id}`);
    expect(live.status).toBe(200);
    noHousehold(live, [a, b]);
    // Association a has 3 households and one needing help: shown as they are while the check is open.
    const rowA = live.body.associations.find((x: { id: string }) => x.id === a.assoc.id);
    expect(rowA).toMatchObject({ suppressed: false, targeted: 3, answered: 2, safe: 1, help: 1, unanswered: 1 });
    expect(live.body.total).toMatchObject({ targeted: 9, answered: 2, help: 1 });
    expect(live.body.refreshSeconds).toBe(30);
    // The association's leader sees its own copy on its board; it cannot close the city's check.
    const board = await a.leader.get(`/api/safety/checks/${copyA}/board`);
    expect(board.body.needHelp).toHaveLength(1);
    expectError(await a.leader.post(`/api/safety/checks/${copyA}/close`), 409, "conflict");
    // CSV of the live figures, as Excel opens it.
    const csv = await cityApi.get(`/api/city/safety-checks/${started.check.id}?format=csv`);
    expect(csv.status).toBe(200);
    const lines = String(csv.body)
      .replace(/^\uFEFF/, "")
      .split("\r\n");
    expect(lines[0]).toBe("区分,名前,区,地区,対象世帯数,回答世帯数,無事,助けが必要,未回答");
    // Every city read is audited.
    expect(
      await scalar(
        "SELECT count(*) FROM audit_log WHERE target_id = ? AND action IN ('city.circular.figures', 'city.export')",
        [started.check.id],
      ),
    ).toBeGreaterThanOrEqual(2);
    // The city's circular list and figures leave it out.
    const list = (await cityApi.get("/api/city/circulars")).body.circulars;
    expect(list.some((x: { id: string }) => x.id === started.check.id)).toBe(false);
    expectError(await cityApi.post(`/api/city/circulars/${started.check.id}/withdraw`), 404, "not_found");
  });

  it("closing closes every copy (409 after); the closed counts are suppressed under 5", async () => {
    const a = await town(3);
    const b = await town(6);
    const { check } = await startFor([a, b], true);
    const copyB = await copyIn(b);
    for (const r of b.residents.slice(0, 5)) await r.api.post(`/api/feed/${copyB}/answer`, answer("safe"));
    const closed = await cityApi.post(`/api/city/safety-checks/${check.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ open: false, drill: true });
    expectError(await cityApi.post(`/api/city/safety-checks/${check.id}/close`), 409, "conflict");
    expect(
      await scalar("SELECT count(*) FROM circulars WHERE city_circular_id = ? AND closed_at IS NULL", [check.id]),
    ).toBe(0);
    expectError(await b.residents[5]!.api.post(`/api/feed/${copyB}/answer`, answer("safe")), 409, "conflict");
    const live = (await cityApi.get(`/api/city/safety-checks/${check.id}`)).body;
    const rowA = live.associations.find((x: { id: string }) => x.id === a.assoc.id);
    expect(rowA).toMatchObject({ suppressed: true, targeted: null, help: null });
    const rowB = live.associations.find((x: { id: string }) => x.id === b.assoc.id);
    expect(rowB).toMatchObject({ suppressed: false, targeted: 6, answered: 5, safe: 5, help: 0 });
  });

  it("bad input is a 400 and writes nothing; only city staff start, read and close", async () => {
    const before = await scalar("SELECT count(*) FROM city_circulars");
    expectError(
      await cityApi.post("/api/city/safety-checks", { target: { scope: "wards", ids: [] } }),
      400,
      "validation_failed",
    );
    expectError(
      await cityApi.post("/api/city/safety-checks", { target: { scope: "associations", ids: ["nope"] } }),
      400,
      "validation_failed",
    );
    expectError(
      await cityApi.post("/api/city/safety-checks", { drill: 1, target: { scope: "city" } }),
      400,
      "validation_failed",
    );
    expect(await scalar("SELECT count(*) FROM city_circulars")).toBe(before);
    const a = await town(2);
    expectError(await a.leader.post("/api/city/safety-checks", { target: { scope: "city" } }), 403, "forbidden");
    expectError(await a.residents[0]!.api.get("/api/city/safety-checks"), 403, "forbidden");
  });

  it("live counts equal a brute-force count over randomised answer histories", async () => {
    for (const seed of [1, 7, 42]) {
      let s = seed;
      const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const towns = [await town(4), await town(7), await town(2)];
      const { check } = await startFor(towns);
      const copies = await Promise.all(towns.map(copyIn));
      for (let step = 0; step < 60; step++) {
        const k = Math.floor(rand() * towns.length);
        const x = towns[k]!;
        const r = x.residents[Math.floor(rand() * x.residents.length)]!;
        t.clock.advance(MIN);
        const roll = rand();
        if (roll < 0.6) await r.api.post(`/api/feed/${copies[k]}/answer`, answer(rand() < 0.3 ? "help" : "safe"));
        else if (roll < 0.85)
          await x.leader.put(`/api/safety/checks/${copies[k]}/households/${r.householdId}/visit`, {
            state: rand() < 0.5 ? "safe" : rand() < 0.5 ? "help" : "absent",
            channel: rand() < 0.5 ? "visit" : "phone",
          });
        else
          // A queued offline answer arriving late, made before later ones: it must not win.
          await r.api.post(`/api/feed/${copies[k]}/answer`, {
            ...answer("help"),
            answeredAt: new Date(t.clock.now().getTime() - 30 * MIN).toISOString(),
          });
      }
      const live = (await cityApi.get(`/api/city/safety-checks/${check.id}`)).body;
      for (const [k, x] of towns.entries()) {
        const brute = (
          await t.client.execute({
            sql: `SELECT count(*) AS targeted, count(a.household_id) AS answered,
                    coalesce(sum(json_extract(a.value, '$.state.choice') = 'help'), 0) AS help
                  FROM receipts r LEFT JOIN answers a ON a.circular_id = r.circular_id AND a.household_id = r.household_id
                  WHERE r.circular_id = ?`,
            args: [copies[k]!],
          })
        ).rows[0]!;
        const row = live.associations.find((y: { id: string }) => y.id === x.assoc.id);
        expect(row, `seed ${seed}`).toMatchObject({
          targeted: Number(brute.targeted),
          answered: Number(brute.answered),
          help: Number(brute.help),
          safe: Number(brute.answered) - Number(brute.help),
        });
        // The association's own board says the same.
        const board = (await x.leader.get(`/api/safety/checks/${copies[k]}/board`)).body;
        expect(board.check.counts, `seed ${seed}`).toMatchObject({
          answered: row.answered,
          help: row.help,
          safe: row.safe,
        });
      }
      expect(live.total.answered).toBe(
        live.associations.reduce((n: number, y: { answered: number }) => n + y.answered, 0),
      );
      await cityApi.post(`/api/city/safety-checks/${check.id}/close`);
    }
  });
});
