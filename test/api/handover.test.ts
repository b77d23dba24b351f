// 引き継ぎ: the term (年度), preparing a handover, the successor joining with its invite across 31 March, the
// outgoing officer's 30 days of read-only access (day 30 reads, day 31 nothing), scopes, and the races of two
// successors with one invite and of a cancel against a join. Real HTTP through the app, real libSQL file, the
// injected clock.
import { runPeriodicJobs } from "../../server/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTerm, nextTerm, parseTermStart } from "../../server/features/handover/term";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { publish } from "../helpers/flows";
import { client, expectError, sessionFrom } from "../helpers/http";

const MINUTE = 60 * 1000;
/** An instant given as a JST wall-clock time: jst("2027-03-31T23:59"). */
const jst = (local: string) => new Date(`${local}:00+09:00`);

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ PASSWORD_ITERATIONS: "100000" });
});
afterAll(() => t.close());

let seq = 0;
async function setup() {
  const assoc = await makeAssociation(t, { blocks: 2, perBlock: 3, paperEvery: 3 });
  const leader = await makeStaff(t, assoc.id, { password: "kairan-test-2026" });
  return { assoc, leader, api: client(t, leader.token) };
}

async function query(sql: string, args: (string | number)[] = []) {
  return (await t.client.execute({ sql, args })).rows;
}

interface Prepared {
  handoverIds: string[];
  invites: { id: string; kind: string; token: string; url: string; expiresAt: string; codeDisplay: string }[];
  term: { startDate: string; endDate: string; year: number };
}

async function prepare(token: string, items: unknown[]): Promise<Prepared> {
  const res = await client(t, token).post<Prepared>("/api/handover", { items });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

function joinStaff(token: string, name = "新会長") {
  return client(t, undefined, { "x-test-client": `198.51.100.${++seq}` }).post("/api/join/staff", {
    token,
    displayName: name,
    email: `successor-${++seq}@example.jp`,
    password: "successor-pass-2026",
  });
}

describe("term (年度)", () => {
  it("runs from 1 April to 31 March in JST, and from another day when the association says so", () => {
    const before = currentTerm(jst("2027-03-31T23:59"));
    expect(before).toMatchObject({ startDate: "2026-04-01", endDate: "2027-03-31", year: 2026 });
    expect(before.start.toISOString()).toBe("2026-03-31T15:00:00.000Z");
    expect(before.end.toISOString()).toBe("2027-03-31T15:00:00.000Z");
    // 1 April 00:00 JST is still 31 March in UTC: the JST date decides.
    expect(currentTerm(jst("2027-04-01T00:00"))).toMatchObject({ startDate: "2027-04-01", year: 2027 });
    expect(nextTerm(jst("2027-03-31T12:00"))).toMatchObject({ startDate: "2027-04-01", endDate: "2028-03-31" });
    expect(currentTerm(jst("2027-01-05T09:00"), "01-10")).toMatchObject({
      startDate: "2026-01-10",
      endDate: "2027-01-09",
    });
    expect(parseTermStart("02-29")).toBeNull();
    expect(parseTermStart("13-01")).toBeNull();
  });

  it("is set per association by its leader, checked and audited", async () => {
    t.clock.current = jst("2027-02-01T10:00");
    const { api } = await setup();
    expect((await api.get("/api/handover")).body).toMatchObject({
      termStart: "04-01",
      term: { startDate: "2026-04-01", endDate: "2027-03-31" },
      // Within 90 days of the term's end: a handover prepared now is for the next one.
      handoverTerm: { startDate: "2027-04-01" },
    });
    expectError(await api.put("/api/handover/term", { termStart: "02-30" }), 400, "validation_failed");
    const res = await api.put("/api/handover/term", { termStart: "01-10" });
    expect(res.status).toBe(200);
    expect(res.body.term).toMatchObject({ startDate: "2027-01-10", endDate: "2028-01-09" });
    const audit = await api.get("/api/audit?limit=5");
    expect(audit.body.entries[0]).toMatchObject({ action: "handover.term", detail: { from: "04-01", to: "01-10" } });
  });
});

describe("a handover across 31 March", () => {
  it("gives the successor the role, keeps the outgoing leader read-only for 30 days, and ends it on day 31", async () => {
    t.clock.current = jst("2027-03-10T10:00");
    const { assoc, leader, api } = await setup();
    const p = await prepare(leader.token, [{ role: "leader", outgoingMemberId: leader.id }]);
    expect(p.term).toMatchObject({ startDate: "2027-04-01", endDate: "2028-03-31", year: 2027 });
    // Usable until 14 days into the new term, though made 22 days before it.
    expect(new Date(p.invites[0]!.expiresAt).getTime()).toBe(jst("2027-04-15T00:00").getTime());
    expect(p.invites[0]).toMatchObject({ kind: "leader", associationName: assoc.name });
    expect(p.invites[0]!.url).toMatch(/\/join\/[A-Za-z0-9_-]+$/);

    const pending = (await api.get("/api/handover")).body;
    expect(pending.handovers[0]).toMatchObject({
      status: "pending",
      role: "leader",
      outgoingName: expect.any(String),
      termStartDate: "2027-04-01",
    });

    // 31 March 23:59 JST: still the old term; the outgoing leader is in charge until the successor joins.
    t.clock.current = jst("2027-03-31T23:59");
    expect((await api.get("/api/handover")).body.term.year).toBe(2026);

    // 2 April: the successor scans the QR (its URL) and joins.
    t.clock.current = jst("2027-04-02T10:00");
    const joined = await joinStaff(p.invites[0]!.token);
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.role).toBe("leader");
    const successor = client(t, sessionFrom(joined));
    const checklist = await successor.get("/api/handover/checklist");
    expect(checklist.status).toBe(200);
    expect(checklist.body.term).toMatchObject({ startDate: "2027-04-01", year: 2027 });
    const lines = Object.fromEntries(
      (checklist.body.lines as { key: string; count: number; total: number | null; href: string }[]).map((l) => [
        l.key,
        l,
      ]),
    );
    expect(lines.blocks).toMatchObject({ count: 2, href: "/leader/households" });
    expect(lines.households).toMatchObject({ count: 6 });
    expect(lines.paperHouseholds).toMatchObject({ count: 2, total: 6 });
    expect(lines.circularsDue).toMatchObject({ count: 0, href: "/leader" });
    expect(lines.pushReach).toMatchObject({ count: 0, total: 4 });

    // The handover is completed and shown in the audit log.
    const done = (await successor.get("/api/handover")).body;
    expect(done.handovers[0]).toMatchObject({ status: "completed", successorName: "新会長" });
    const until = "2027-05-01T15:00:00.000Z"; // 00:00 JST on 2 May: day 31, counting 2 April as day 1
    expect(done.handovers[0].readOnlyUntil).toBe(until);
    const actions = (await successor.get("/api/audit?limit=20")).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["handover.prepare", "handover.complete", "invite.use"]));
    expect(done.officers.find((o: { id: string }) => o.id === leader.id)).toMatchObject({ readOnlyUntil: until });

    // 「前会長」: reads the leader screens, changes nothing.
    const me = await api.get("/api/auth/me");
    expect(me.body).toMatchObject({ role: "leader", readOnlyUntil: until });
    expect((await api.get("/api/circulars")).status).toBe(200);
    expect((await api.get(`/api/households`)).status).toBe(200);
    const refused = expectError(
      await api.post("/api/circulars", { title: "前会長から", body: "本文" }),
      403,
      "forbidden",
    );
    expect(refused.message).toContain("引き継ぎ");
    expectError(await api.put("/api/handover/term", { termStart: "05-01" }), 403, "forbidden");
    expectError(await api.post(`/api/handover`, { items: [{ role: "leader" }] }), 403, "forbidden");
    expect(
      Number((await query("SELECT count(*) AS n FROM circulars WHERE association_id = ?", [assoc.id]))[0]!.n),
    ).toBe(0);

    // Day 30 (1 May, 23:59 JST): still reads.
    t.clock.current = jst("2027-05-01T23:59");
    expect((await api.get("/api/circulars")).status).toBe(200);
    // Day 31 (2 May, 00:00 JST): no staff access; signing in again is refused with the reason.
    t.clock.current = jst("2027-05-02T00:00");
    expectError(await api.get("/api/circulars"), 401, "unauthorized");
    expectError(await api.get("/api/handover"), 401, "unauthorized");
    const login = await client(t).post("/api/auth/login", { email: leader.email, password: "kairan-test-2026" });
    expect(expectError(login, 403, "forbidden").message).toContain("30 日");
    // The successor carries on.
    expect((await successor.get("/api/handover")).status).toBe(200);
  });

  it("hands a block over: the new 班長 gets the block, the old one reads for 30 days; with a household, stays a resident", async () => {
    t.clock.current = jst("2027-03-25T09:00");
    const { assoc, leader } = await setup();
    const block = assoc.blockIds[0]!;
    const home = assoc.households[0]!.id;
    const old = await makeStaff(t, assoc.id, { role: "block_leader", blockId: block, householdId: home });
    const p = await prepare(leader.token, [{ role: "block_leader", blockId: block, outgoingMemberId: old.id }]);
    t.clock.current = jst("2027-04-01T09:00");
    const joined = await joinStaff(p.invites[0]!.token, "新班長");
    expect(joined.status).toBe(201);
    const me = await client(t, sessionFrom(joined)).get("/api/auth/me");
    expect(me.body).toMatchObject({ role: "block_leader", blockId: block, readOnlyUntil: null });

    const oldApi = client(t, old.token);
    expect((await oldApi.get("/api/auth/me")).body).toMatchObject({
      role: "block_leader",
      readOnlyUntil: "2027-04-30T15:00:00.000Z",
    });
    // Read-only on the staff screens, but still the household's reader: its acknowledgement goes through.
    const circular = await publish(client(t, leader.token), { title: "班の清掃" });
    const paperHome = assoc.households.find((h) => h.blockId === block && h.channel === "paper")!.id;
    expectError(await oldApi.put(`/api/circulars/${circular}/receipts/${paperHome}/paper`), 403, "forbidden");
    expect((await oldApi.post(`/api/feed/${circular}/ack`)).status).toBe(200);
    expect(
      (
        await query(
          "SELECT count(*) AS n FROM receipts WHERE circular_id = ? AND household_id = ? AND read_at IS NOT NULL",
          [circular, home],
        )
      )[0]!.n,
    ).toBe(1);
    t.clock.current = jst("2027-05-01T00:00");
    // Day 31: no longer a 班長, still the household's reader.
    expect((await oldApi.get("/api/auth/me")).body).toMatchObject({ role: "resident", blockId: null });
    expectError(await oldApi.get(`/api/circulars`), 403, "forbidden");
    expect((await oldApi.get("/api/feed")).status).toBe(200);

    // The hourly job then makes it so in the data too: rules that pick a block's 班長 by role see only the new one.
    const before = await runPeriodicJobs({ db: t.db, config: t.config, now: jst("2027-04-30T23:59") });
    expect(before.outgoingOfficersEnded).toBe(0);
    const ran = await runPeriodicJobs({ db: t.db, config: t.config, now: t.clock.now() });
    expect(ran.outgoingOfficersEnded).toBe(1);
    const rows = await query("SELECT role, block_id, read_only_until, disabled_at FROM members WHERE id = ?", [old.id]);
    expect(rows[0]).toMatchObject({ role: "resident", block_id: null, read_only_until: null, disabled_at: null });
    const leaders = await query("SELECT count(*) AS n FROM members WHERE block_id = ? AND role = 'block_leader'", [
      block,
    ]);
    expect(Number(leaders[0]!.n)).toBe(1);
    expect(
      (
        await query("SELECT count(*) AS n FROM audit_log WHERE action = 'handover.ended' AND target_id = ?", [old.id])
      )[0]!.n,
    ).toBe(1);
    expect((await oldApi.get("/api/feed")).status).toBe(200);
    expect((await runPeriodicJobs({ db: t.db, config: t.config, now: t.clock.now() })).outgoingOfficersEnded).toBe(0);
  });
});

describe("who may, and where", () => {
  it("is for the association's leaders only; another association's handovers, blocks and officers answer 404", async () => {
    t.clock.current = jst("2027-06-01T10:00");
    const a = await setup();
    const b = await setup();
    const p = await prepare(a.leader.token, [{ role: "block_leader", blockId: a.assoc.blockIds[1] }]);
    expect(p.term.startDate).toBe("2027-04-01"); // far from the term's end: this term

    expect((await b.api.get("/api/handover")).body.handovers).toEqual([]);
    expectError(await b.api.post(`/api/handover/${p.handoverIds[0]}/cancel`), 404, "not_found");
    expectError(
      await b.api.post("/api/handover", { items: [{ role: "block_leader", blockId: a.assoc.blockIds[0] }] }),
      404,
      "not_found",
    );
    expectError(
      await b.api.post("/api/handover", { items: [{ role: "leader", outgoingMemberId: a.leader.id }] }),
      404,
      "not_found",
    );
    const hancho = await makeStaff(t, a.assoc.id, { role: "block_leader", blockId: a.assoc.blockIds[0] });
    expectError(await client(t, hancho.token).get("/api/handover"), 403, "forbidden");
    expectError(await client(t, hancho.token).get("/api/handover/checklist"), 403, "forbidden");
    const resident = await makeResident(t, a.assoc.id, a.assoc.households[0]!.id);
    expectError(
      await client(t, resident.token).post("/api/handover", { items: [{ role: "leader" }] }),
      403,
      "forbidden",
    );
    expectError(await client(t).get("/api/handover"), 401, "unauthorized");

    // Bad input changes nothing.
    expectError(await a.api.post("/api/handover", { items: [] }), 400, "validation_failed");
    expectError(await a.api.post("/api/handover", { items: [{ role: "block_leader" }] }), 400, "validation_failed");
    expectError(
      await a.api.post("/api/handover", { items: [{ role: "leader", outgoingMemberId: hancho.id }] }),
      400,
      "validation_failed",
    );
    // One pending handover per outgoing officer.
    await prepare(a.leader.token, [{ role: "leader", outgoingMemberId: a.leader.id }]);
    expectError(
      await a.api.post("/api/handover", { items: [{ role: "leader", outgoingMemberId: a.leader.id }] }),
      409,
      "conflict",
    );
    const count = await query("SELECT count(*) AS n FROM handovers WHERE association_id = ?", [a.assoc.id]);
    expect(Number(count[0]!.n)).toBe(2);
  });
});

describe("races", () => {
  it("two successors with the same invite at once: one joins, the other writes nothing", async () => {
    t.clock.current = jst("2027-03-20T10:00");
    const { assoc, leader } = await setup();
    const p = await prepare(leader.token, [{ role: "leader", outgoingMemberId: leader.id }]);
    const [r1, r2] = await Promise.all([joinStaff(p.invites[0]!.token, "甲"), joinStaff(p.invites[0]!.token, "乙")]);
    expect([r1.status, r2.status].sort()).toEqual([201, 410]);
    const rows = await query("SELECT status, successor_member_id FROM handovers WHERE id = ?", [p.handoverIds[0]!]);
    expect(rows[0]!.status).toBe("completed");
    const leaders = await query("SELECT id FROM members WHERE association_id = ? AND role = 'leader' AND id <> ?", [
      assoc.id,
      leader.id,
    ]);
    expect(leaders.map((r) => r.id)).toEqual([rows[0]!.successor_member_id]);
    const completes = await query(
      "SELECT count(*) AS n FROM audit_log WHERE association_id = ? AND action = 'handover.complete'",
      [assoc.id],
    );
    expect(Number(completes[0]!.n)).toBe(1);
  });

  it("a cancel racing a join: exactly one of them happens, never half of each", async () => {
    for (let round = 0; round < 6; round++) {
      t.clock.current = jst("2027-03-20T10:00");
      const { assoc, leader, api } = await setup();
      const p = await prepare(leader.token, [{ role: "leader", outgoingMemberId: leader.id }]);
      const [cancel, join] = await Promise.all([
        api.post(`/api/handover/${p.handoverIds[0]}/cancel`),
        joinStaff(p.invites[0]!.token),
      ]);
      const [h] = await query("SELECT status FROM handovers WHERE id = ?", [p.handoverIds[0]!]);
      const [m] = await query("SELECT read_only_until FROM members WHERE id = ?", [leader.id]);
      const newLeaders = Number(
        (
          await query("SELECT count(*) AS n FROM members WHERE association_id = ? AND id <> ?", [assoc.id, leader.id])
        )[0]!.n,
      );
      if (cancel.status === 204) {
        expectError(join, 410, "gone");
        expect(h!.status).toBe("cancelled");
        expect(m!.read_only_until).toBeNull();
        expect(newLeaders).toBe(0);
      } else {
        expectError(cancel, 409, "conflict");
        expect(join.status).toBe(201);
        expect(h!.status).toBe("completed");
        expect(m!.read_only_until).not.toBeNull();
        expect(newLeaders).toBe(1);
      }
    }
  });

  it("a cancelled handover's invite cannot be used, even by a request whose clock reads earlier", async () => {
    t.clock.current = jst("2027-03-20T10:00");
    const { leader, api } = await setup();
    const p = await prepare(leader.token, [{ role: "leader", outgoingMemberId: leader.id }]);
    t.clock.advance(10 * MINUTE);
    expect((await api.post(`/api/handover/${p.handoverIds[0]}/cancel`)).status).toBe(204);
    t.clock.advance(-5 * MINUTE);
    expectError(await joinStaff(p.invites[0]!.token), 410, "gone");
    const list = (await api.get("/api/handover")).body.handovers;
    expect(list[0]).toMatchObject({ status: "cancelled" });
    const actions = (await api.get("/api/audit?limit=5")).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain("handover.cancel");
  });
});
