// Sending web pushes, end to end: publish or remind through the HTTP API, the outbox pump sends with the real
// sender (web-push encryption, cached VAPID JWT, fetch) to a push service on loopback that checks the JWT and the
// headers and decrypts every body. Quiet hours, urgency, retries, pruning, reminders and the leader's figures.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, drainOutbox, retryDelayMs } from "../../server/features/push/drain";
import { endpointProblem, parseRetryAfter, topicOf } from "../../server/features/push/sender";
import { deliverableAt } from "../../server/features/push/quiet-hours";
import { runPushJobs } from "../../server/jobs";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { client, expectError } from "../helpers/http";
import { startPushService, type PushService } from "../helpers/push-service";
import { publish, town } from "../helpers/flows";

let t: TestApp;
let ps: PushService;

/** 2026-11-26 (Thu) at hh:mm in Japan. */
const jst = (hh: number, mm = 0, day = 26) => new Date(Date.UTC(2026, 10, day, hh - 9, mm));

beforeAll(async () => {
  t = await createTestApp({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
  ps = await startPushService({ now: t.clock.now });
});
afterAll(async () => {
  await ps.close();
  await t.close();
});
beforeEach(() => {
  t.clock.current = jst(14);
});

/** A device's subscription on this file's push service, for flows.town. */
const device = (name: string) => ps.subscription(name);

const to = (name: string) => ps.accepted.filter((m) => m.name === name);
const rowsOf = async (circularId: string) =>
  (
    await t.client.execute({
      sql: "SELECT subscription_id, kind, status, attempts, last_status, next_attempt_at, sent_at FROM push_outbox WHERE circular_id = ? ORDER BY id",
      args: [circularId],
    })
  ).rows.map((r) => ({ ...r }));
const drain = () => drainOutbox({ db: t.db, config: t.config, now: t.clock.now });

describe("publishing sends a push to every subscribed device", () => {
  it("delivers an encrypted payload the push service decrypts, with a valid VAPID JWT and the headers", async () => {
    const { leader, names } = await town(t, device, { perBlock: 3 });
    const before = ps.received.length;
    const id = await publish(client(t, leader.token), { title: "防災訓練のお知らせ" });
    await t.pushes.idle();
    expect(ps.received.length - before).toBe(3);
    expect(ps.rejected).toEqual([]);
    for (const name of names) {
      const [m] = to(name);
      expect(m!.status).toBe(201);
      expect(JSON.parse(m!.payload!)).toEqual({
        kind: "circular",
        circularId: id,
        title: "防災訓練のお知らせ",
        association: "青葉町内会",
        urgent: false,
      });
      expect(m!.headers.urgency).toBe("normal");
      expect(m!.headers.topic).toBe(topicOf(id));
      expect(m!.headers.ttl).toBeGreaterThan(72 * 3600 - 60);
      expect(m!.headers.ttl).toBeLessThanOrEqual(72 * 3600);
      expect(m!.claims!.aud).toBe(ps.origin);
      expect(m!.claims!.exp * 1000 - t.clock.now().getTime()).toBeLessThanOrEqual(24 * 3600 * 1000);
      expect(m!.vapidPublicKey).toBe((await client(t).get("/api/push/public-key")).body.publicKey);
    }
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.status, r.last_status, r.attempts])).toEqual(
      Array.from({ length: 3 }, () => ["sent", 201, 1]),
    );
    const subs = await t.client.execute(
      "SELECT last_success_at FROM push_subscriptions WHERE last_success_at IS NOT NULL",
    );
    expect(subs.rows.length).toBeGreaterThanOrEqual(3);
  });

  it("signs one VAPID JWT per push service and reuses it", async () => {
    const { leader } = await town(t, device, { perBlock: 2 });
    const first = ps.accepted.length;
    await publish(client(t, leader.token));
    await publish(client(t, leader.token));
    await t.pushes.idle();
    const jwts = new Set(ps.accepted.slice(first).map((m) => JSON.stringify(m.claims)));
    expect(ps.accepted.length - first).toBe(4);
    expect(jwts.size).toBe(1);
  });

  it("carries no household or member names, and stays far under 3,993 octets with the longest title", async () => {
    const a = await makeAssociation(t, { blocks: 1, perBlock: 1, name: "長い名前の町内会".repeat(20) });
    const leader = await makeStaff(t, a.id);
    const r = await makeResident(t, a.id, a.households[0]!.id);
    const name = crypto.randomUUID();
    await client(t, r.token).post("/api/push/subscriptions", await ps.subscription(name));
    const title = "𠮷野家🍚のお知らせ".repeat(12).slice(0, 120);
    await publish(client(t, leader.token), { title });
    await t.pushes.idle();
    const payload = to(name)[0]!.payload!;
    expect(new TextEncoder().encode(payload).length).toBeLessThan(1024);
    const parsed = JSON.parse(payload);
    expect(parsed.title.endsWith("…")).toBe(true);
    expect(title.startsWith(parsed.title.slice(0, -1))).toBe(true);
    expect(payload).not.toContain(a.households[0]!.label);
    const member = (await t.client.execute({ sql: "SELECT display_name FROM members WHERE id = ?", args: [r.id] }))
      .rows[0]!;
    expect(payload).not.toContain(String(member.display_name));
  });

  it("urgent: Urgency high, TTL 24 h, and sent before normal pushes that are already waiting", async () => {
    // A second app without the pump, so that a backlog can build up: a normal circular held overnight, then an
    // urgent one at 6:00; at 7:00 both are due and a sender taking two at a time takes the urgent ones first.
    const q = await createTestApp({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" }, { sendPushes: false });
    try {
      q.clock.current = jst(22, 30);
      const a = await makeAssociation(q, { blocks: 1, perBlock: 4 });
      const leader = await makeStaff(q, a.id);
      for (const h of a.households) {
        const r = await makeResident(q, a.id, h.id);
        await client(q, r.token).post("/api/push/subscriptions", await ps.subscription());
      }
      const post = async (input: Record<string, unknown>) => {
        const d = await client(q, leader.token).post("/api/circulars", { body: "本文", ...input });
        expect((await client(q, leader.token).post(`/api/circulars/${d.body.id}/publish`)).status).toBe(200);
      };
      await post({ title: "通常のお知らせ" });
      q.clock.current = jst(6, 0, 27);
      await post({ title: "断水のお知らせ", priority: "urgent" });
      q.clock.current = jst(7, 0, 27);
      t.clock.current = q.clock.current; // the push service's clock checks the JWT's exp
      const start = ps.accepted.length;
      const r = await drainOutbox({ db: q.db, config: q.config, now: q.clock.now }, { batchSize: 2, concurrency: 1 });
      expect(r.sent).toBe(8);
      const sent = ps.accepted.slice(start).map((m) => ({ ...JSON.parse(m.payload!), h: m.headers }));
      expect(sent.map((m) => m.urgent)).toEqual([true, true, true, true, false, false, false, false]);
      // Published at 6:00 with a 24 h TTL, sent at 7:00: 23 h left.
      expect(sent.slice(0, 4).every((m) => m.h.urgency === "high" && m.h.ttl === 23 * 3600)).toBe(true);
      expect(sent.slice(4).every((m) => m.h.urgency === "normal")).toBe(true);
    } finally {
      await q.close();
    }
  });
});

describe("quiet hours (21:00–7:00 JST)", () => {
  it("hold a normal circular until 7:00; an urgent one goes at once", async () => {
    const { leader, names } = await town(t, device, { perBlock: 2 });
    t.clock.current = jst(22, 30);
    const start = ps.accepted.length;
    const normal = await publish(client(t, leader.token), { title: "夜に配布" });
    await t.pushes.idle();
    expect(ps.accepted.length).toBe(start);
    const held = await rowsOf(normal);
    expect(held.map((r) => [r.status, r.attempts, r.next_attempt_at])).toEqual(
      Array.from({ length: 2 }, () => ["pending", 0, jst(7, 0, 27).getTime()]),
    );

    const urgent = await publish(client(t, leader.token), { title: "至急", priority: "urgent" });
    await t.pushes.idle();
    expect(ps.accepted.length - start).toBe(2);
    expect((await rowsOf(urgent)).every((r) => r.status === "sent")).toBe(true);

    // 6:59: still held. 7:00: the minute job sends them.
    t.clock.current = jst(6, 59, 27);
    await runPushJobs({ db: t.db, config: t.config, now: t.clock.now });
    expect(ps.accepted.length - start).toBe(2);
    t.clock.current = jst(7, 0, 27);
    const r = await runPushJobs({ db: t.db, config: t.config, now: t.clock.now });
    expect(r.sent).toBe(2);
    expect(new Set(ps.accepted.slice(start + 2).map((m) => m.name))).toEqual(new Set(names));
    expect((await rowsOf(normal)).every((row) => row.status === "sent")).toBe(true);
  });

  it("deliverableAt: the boundaries", () => {
    expect(deliverableAt(jst(20, 59), false)).toEqual(jst(20, 59));
    expect(deliverableAt(jst(21, 0), false)).toEqual(jst(7, 0, 27));
    expect(deliverableAt(jst(23, 59), false)).toEqual(jst(7, 0, 27));
    expect(deliverableAt(jst(0, 30, 27), false)).toEqual(jst(7, 0, 27));
    expect(deliverableAt(jst(6, 59, 27), false)).toEqual(jst(7, 0, 27));
    expect(deliverableAt(jst(7, 0, 27), false)).toEqual(jst(7, 0, 27));
    expect(deliverableAt(jst(23, 0), true)).toEqual(jst(23, 0));
  });

  it("skip a held push whose household reads the circular before 7:00", async () => {
    const { leader, residents, names } = await town(t, device, { perBlock: 2 });
    t.clock.current = jst(23, 0);
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    const ack = await client(t, residents[0]!.token).post(`/api/feed/${id}/ack`);
    expect(ack.status).toBe(200);
    t.clock.current = jst(7, 1, 27);
    const r = await drain();
    expect(r).toMatchObject({ sent: 1, skipped: 1 });
    expect(to(names[0]!)).toHaveLength(0);
    expect(to(names[1]!)).toHaveLength(1);
  });
});

describe("what the push service answers", () => {
  it("404 and 410 delete the subscription; its other waiting pushes are skipped", async () => {
    const { leader, names } = await town(t, device, { perBlock: 2 });
    ps.respondWith(names[0]!, 410);
    ps.respondWith(names[1]!, 404);
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.status, r.last_status]).sort()).toEqual([
      ["failed", 404],
      ["failed", 410],
    ]);
    const left = await t.client.execute({
      sql: "SELECT count(*) AS n FROM push_subscriptions WHERE id IN (?, ?)",
      args: rows.map((r) => String(r.subscription_id)),
    });
    expect(left.rows[0]!.n).toBe(0);
    // The next circular finds no device for these households.
    const next = await publish(client(t, leader.token));
    expect(await rowsOf(next)).toEqual([]);
  });

  it("429 with Retry-After waits that long, then sends", async () => {
    const { leader, names } = await town(t, device, { perBlock: 1 });
    ps.respondWith(names[0]!, { status: 429, retryAfter: 120 });
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    let [row] = await rowsOf(id);
    expect(row).toMatchObject({ status: "pending", last_status: 429, attempts: 1 });
    expect(row!.next_attempt_at).toBe(t.clock.now().getTime() + 120_000);
    t.clock.advance(119_000);
    expect((await drain()).sent).toBe(0);
    t.clock.advance(1_000);
    expect((await drain()).sent).toBe(1);
    [row] = await rowsOf(id);
    expect(row).toMatchObject({ status: "sent", last_status: 201, attempts: 2 });
    expect(to(names[0]!).map((m) => m.status)).toEqual([429, 201]);
  });

  it("429 with an HTTP-date Retry-After, and 5xx with exponential backoff", async () => {
    expect(parseRetryAfter("Thu, 26 Nov 2026 05:02:00 GMT", new Date("2026-11-26T05:00:00Z"))).toBe(120_000);
    expect(parseRetryAfter("7", new Date())).toBe(7_000);
    expect(parseRetryAfter("soon", new Date())).toBeUndefined();
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, undefined))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20, undefined)).toBe(3_600_000);
    expect(retryDelayMs(1, 600_000)).toBe(600_000);

    const { leader, names } = await town(t, device, { perBlock: 1 });
    ps.respondWith(names[0]!, 500, 503);
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    expect((await rowsOf(id))[0]).toMatchObject({ status: "pending", last_status: 500 });
    t.clock.advance(30_000);
    await drain();
    expect((await rowsOf(id))[0]).toMatchObject({ status: "pending", last_status: 503, attempts: 2 });
    t.clock.advance(59_000);
    expect((await drain()).sent).toBe(0);
    t.clock.advance(1_000);
    expect((await drain()).sent).toBe(1);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts`, async () => {
    const { leader, names } = await town(t, device, { perBlock: 1 });
    ps.respondWith(names[0]!, ...Array(MAX_ATTEMPTS + 1).fill(500));
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      t.clock.advance(2 * 3_600_000);
      await drain();
    }
    expect(to(names[0]!).map((m) => m.status)).toEqual(Array(MAX_ATTEMPTS).fill(500));
    expect((await rowsOf(id))[0]).toMatchObject({ status: "failed", last_status: 500, attempts: MAX_ATTEMPTS });
  });

  it("other refusals (413) fail at once; a withdrawn circular's waiting pushes are skipped", async () => {
    const { leader, names } = await town(t, device, { perBlock: 2 });
    ps.respondWith(names[0]!, 413);
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    expect((await rowsOf(id)).map((r) => [r.status, r.last_status]).sort()).toEqual([
      ["failed", 413],
      ["sent", 201],
    ]);

    t.clock.current = jst(22, 0);
    const night = await publish(client(t, leader.token));
    await t.pushes.idle();
    expect((await client(t, leader.token).post(`/api/circulars/${night}/withdraw`)).status).toBe(200);
    t.clock.current = jst(7, 0, 27);
    expect(await drain()).toMatchObject({ sent: 0, skipped: 2 });
  });

  it("a push service that does not answer is retried", async () => {
    const { leader, residents } = await town(t, device, { perBlock: 1 });
    // Point the device at a closed port on loopback.
    await t.client.execute({
      sql: "UPDATE push_subscriptions SET endpoint = 'http://127.0.0.1:9/push/closed' WHERE member_id = ?",
      args: [residents[0]!.id],
    });
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    expect((await rowsOf(id))[0]).toMatchObject({ status: "pending", last_status: 0, attempts: 1 });
  });
});

describe("reminders", () => {
  it("「未確認の世帯に再通知」 pushes only to unread households, once an hour", async () => {
    const { a, leader, residents, names } = await town(t, device, { perBlock: 4 });
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    await client(t, residents[0]!.token).post(`/api/feed/${id}/ack`);
    await client(t, residents[1]!.token).post(`/api/feed/${id}/ack`);
    const start = ps.accepted.length;
    const res = await client(t, leader.token).post(`/api/circulars/${id}/remind`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ households: 2, unread: 2, pushes: 2 });
    await t.pushes.idle();
    const sent = ps.accepted.slice(start);
    expect(sent.map((m) => m.name).sort()).toEqual([names[2], names[3]].sort());
    expect(JSON.parse(sent[0]!.payload!)).toMatchObject({ kind: "reminder", circularId: id });
    expect(sent[0]!.headers.topic).toBe(topicOf(id));

    t.clock.advance(59 * 60_000);
    const again = await client(t, leader.token).post(`/api/circulars/${id}/remind`);
    expectError(again, 429, "too_soon");
    expect(again.body.error.message).toContain("1時間に1回");
    expect(again.headers.get("retry-after")).toBe("60");
    t.clock.advance(60_000);
    expect((await client(t, leader.token).post(`/api/circulars/${id}/remind`)).status).toBe(200);

    const audit = await t.client.execute({
      sql: "SELECT count(*) AS n FROM audit_log WHERE association_id = ? AND action = 'circular.remind'",
      args: [a.id],
    });
    expect(audit.rows[0]!.n).toBe(2);
  });

  it("「未回答の世帯に再通知」 pushes only to households that have not answered; an answer meanwhile skips it", async () => {
    t.clock.current = jst(20, 0, 28);
    const { leader, residents, names } = await town(t, device, { perBlock: 4 });
    const api = client(t, leader.token);
    const draft = await api.post("/api/circulars", {
      title: "清掃の出欠",
      body: "出欠をお知らせください。",
      questions: [{ kind: "attendance", label: "出られますか" }],
    });
    expect((await api.post(`/api/circulars/${draft.body.id}/publish`)).status).toBe(200);
    const id = draft.body.id as string;
    await t.pushes.idle();
    // One household answered; one only read (still to answer).
    const answer = { answers: { q1: { choice: "absent" } } };
    expect((await client(t, residents[0]!.token).post(`/api/feed/${id}/answer`, answer)).status).toBe(200);
    await client(t, residents[1]!.token).post(`/api/feed/${id}/ack`);
    // At night the reminder waits for 7:00 (quiet hours): household 3 answers meanwhile, so its push is skipped.
    t.clock.current = jst(22, 0, 28);
    const start = ps.accepted.length;
    const res = await api.post(`/api/circulars/${id}/remind?to=unanswered`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ households: 3, unread: 3, pushes: 3 });
    expect((await client(t, residents[2]!.token).post(`/api/feed/${id}/answer`, answer)).status).toBe(200);
    t.clock.current = jst(7, 0, 29);
    await t.pushes.idle();
    await drain();
    const reminders = (await rowsOf(id)).filter((r) => r.kind === "answer_reminder").map((r) => r.status);
    expect(reminders.sort()).toEqual(["sent", "sent", "skipped"]);
    const sent = ps.accepted.slice(start);
    expect(sent.map((m) => m.name).sort()).toEqual([names[1], names[3]].sort());
    expect(JSON.parse(sent[0]!.payload!)).toMatchObject({ kind: "answer_reminder", circularId: id });
    const audit = await t.client.execute({
      sql: "SELECT detail FROM audit_log WHERE target_id = ? AND action = 'circular.remind'",
      args: [id],
    });
    expect(JSON.parse(String(audit.rows[0]!.detail))).toMatchObject({ to: "unanswered" });

    // A circular without questions has nothing to answer.
    const plain = await publish(api);
    t.clock.advance(60 * 60_000);
    expectError(await api.post(`/api/circulars/${plain}/remind?to=unanswered`), 409, "conflict");
  });

  it("two leaders tapping at once queue one reminder", async () => {
    const { a, leader } = await town(t, device, { perBlock: 3 });
    const other = await makeStaff(t, a.id);
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    const [r1, r2] = await Promise.all([
      client(t, leader.token).post(`/api/circulars/${id}/remind`),
      client(t, other.token).post(`/api/circulars/${id}/remind`),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 429]);
    const rows = await t.client.execute({
      sql: "SELECT count(*) AS n FROM push_outbox WHERE circular_id = ? AND kind = 'reminder'",
      args: [id],
    });
    expect(rows.rows[0]!.n).toBe(3);
  });

  it("a block leader reminds their block only; residents cannot; other associations get 404; drafts get 409", async () => {
    const { a, leader, residents } = await town(t, device, { blocks: 2, perBlock: 2 });
    const blockLeader = await makeStaff(t, a.id, { role: "block_leader", blockId: a.blockIds[1]! });
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    const res = await client(t, blockLeader.token).post(`/api/circulars/${id}/remind`);
    expect(res.body).toEqual({ households: 2, unread: 2, pushes: 2 });
    const households = await t.client.execute({
      sql: "SELECT DISTINCT household_id FROM push_outbox WHERE circular_id = ? AND kind = 'reminder'",
      args: [id],
    });
    expect(households.rows.map((r) => r.household_id).sort()).toEqual(
      a.households
        .slice(2)
        .map((h) => h.id)
        .sort(),
    );

    expectError(await client(t, residents[0]!.token).post(`/api/circulars/${id}/remind`), 403, "forbidden");
    const other = await town(t, device, { perBlock: 1 });
    expectError(await client(t, other.leader.token).post(`/api/circulars/${id}/remind`), 404, "not_found");
    const draft = await client(t, leader.token).post("/api/circulars", { title: "下書き", body: "本文" });
    expectError(await client(t, leader.token).post(`/api/circulars/${draft.body.id}/remind`), 409, "conflict");
  });

  it("the due-date reminder goes at 9:00 JST on the due date, once, to unread households", async () => {
    const { leader, residents, names } = await town(t, device, { perBlock: 3 });
    t.clock.current = jst(10, 0, 24);
    const id = await publish(client(t, leader.token), { dueAt: "2026-11-26" });
    await t.pushes.idle();
    await client(t, residents[0]!.token).post(`/api/feed/${id}/ack`);
    const start = ps.accepted.length;

    t.clock.current = jst(9, 0, 25); // the day before: nothing
    expect((await runPushJobs({ db: t.db, config: t.config, now: t.clock.now })).reminders).toBe(0);
    t.clock.current = jst(8, 59, 26);
    expect((await runPushJobs({ db: t.db, config: t.config, now: t.clock.now })).reminders).toBe(0);
    t.clock.current = jst(9, 0, 26);
    const r = await runPushJobs({ db: t.db, config: t.config, now: t.clock.now });
    expect(r.reminders).toBeGreaterThanOrEqual(1);
    const sent = ps.accepted.slice(start).filter((m) => JSON.parse(m.payload!).circularId === id);
    expect(sent.map((m) => m.name).sort()).toEqual([names[1], names[2]].sort());
    expect(sent.every((m) => JSON.parse(m.payload!).kind === "reminder")).toBe(true);

    t.clock.current = jst(10, 0, 26);
    await runPushJobs({ db: t.db, config: t.config, now: t.clock.now });
    expect(ps.accepted.slice(start).filter((m) => JSON.parse(m.payload!).circularId === id)).toHaveLength(2);
    const figures = await client(t, leader.token).get(`/api/circulars/${id}/push`);
    expect(figures.body.autoReminderAt).toBe(jst(9, 0, 26).toISOString());
  });
});

describe("the leader's push figures", () => {
  it("count sent, failed and waiting, and list the households push cannot reach", async () => {
    // 6 households: 1–3 subscribed (1 fails, 3 turns pushes off), 4 has a member without a device, 5 none, 6 paper.
    const { a, leader, residents, names } = await town(t, device, {
      blocks: 1,
      perBlock: 6,
      subscribed: 3,
      paperEvery: 6,
    });
    await makeResident(t, a.id, a.households[3]!.id);
    await client(t, residents[2]!.token).put("/api/push/preferences", { mode: "off" });
    ps.respondWith(names[0]!, 410);
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    await client(t, residents[1]!.token).post(`/api/feed/${id}/ack`);
    const res = await client(t, leader.token).get(`/api/circulars/${id}/push`);
    expect(res.status).toBe(200);
    expect(res.body.pushes).toEqual({ sent: 1, failed: 1, waiting: 0 });
    // Household 1's device is gone now (410): it joins the unreachable ones.
    expect(res.body.households).toEqual({ targeted: 6, reachable: 1, unreachable: 5 });
    const byLabel = Object.fromEntries(
      res.body.unreachableHouseholds.map((h: { label: string; reason: string; read: boolean }) => [
        h.label,
        [h.reason, h.read],
      ]),
    );
    expect(byLabel).toEqual({
      [a.households[0]!.label]: ["no_device", false],
      [a.households[2]!.label]: ["off", false],
      [a.households[3]!.label]: ["no_device", false],
      [a.households[4]!.label]: ["no_device", false],
      [a.households[5]!.label]: ["paper", false],
    });
    expect(res.body.lastReminderAt).toBeNull();

    t.clock.current = jst(22, 0);
    const night = await publish(client(t, leader.token));
    await t.pushes.idle();
    expect((await client(t, leader.token).get(`/api/circulars/${night}/push`)).body.pushes).toEqual({
      sent: 0,
      failed: 0,
      waiting: 1,
    });
  });

  it("a block leader sees their block; residents and other associations cannot see them", async () => {
    const { a, leader, residents } = await town(t, device, { blocks: 2, perBlock: 2 });
    const blockLeader = await makeStaff(t, a.id, { role: "block_leader", blockId: a.blockIds[0]! });
    const id = await publish(client(t, leader.token));
    await t.pushes.idle();
    const res = await client(t, blockLeader.token).get(`/api/circulars/${id}/push`);
    expect(res.body.pushes.sent).toBe(2);
    expect(res.body.households.targeted).toBe(2);
    expectError(await client(t, residents[0]!.token).get(`/api/circulars/${id}/push`), 403, "forbidden");
    const other = await town(t, device, { perBlock: 1 });
    expectError(await client(t, other.leader.token).get(`/api/circulars/${id}/push`), 404, "not_found");
  });
});

describe("test notification", () => {
  it("sends to this member's device now; a gone subscription is deleted; another member's endpoint is 404", async () => {
    const { residents, names } = await town(t, device, { perBlock: 2 });
    const endpoint = ps.endpoint(names[0]!);
    const res = await client(t, residents[0]!.token).post("/api/push/test", { endpoint });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ result: "sent" });
    const last = to(names[0]!).at(-1)!;
    expect(JSON.parse(last.payload!)).toEqual({
      kind: "test",
      circularId: null,
      title: "テスト通知",
      association: "青葉町内会",
      urgent: false,
    });

    expectError(await client(t, residents[1]!.token).post("/api/push/test", { endpoint }), 404, "not_found");
    expectError(
      await client(t, residents[0]!.token).post("/api/push/test", { endpoint: "nope" }),
      400,
      "validation_failed",
    );

    ps.respondWith(names[0]!, 500);
    expect((await client(t, residents[0]!.token).post("/api/push/test", { endpoint })).body).toEqual({
      result: "failed",
    });
    ps.respondWith(names[0]!, 410);
    expect((await client(t, residents[0]!.token).post("/api/push/test", { endpoint })).body).toEqual({
      result: "gone",
    });
    expect((await client(t, residents[0]!.token).get("/api/push/subscriptions")).body.subscriptions).toEqual([]);
  });
});

describe("a household that is signed out or leaves", () => {
  it("stops receiving pushes: its devices' subscriptions are deleted", async () => {
    const { a, leader } = await town(t, device, { perBlock: 3 });
    const [lost, leaving] = a.households;
    expect((await client(t, leader.token).post(`/api/households/${lost!.id}/end-sessions`)).status).toBe(200);
    const left = await client(t, leader.token).patch(`/api/households/${leaving!.id}`, { left: true });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    const subs = await t.client.execute({
      sql: "SELECT household_id FROM push_subscriptions WHERE association_id = ?",
      args: [a.id],
    });
    expect(subs.rows.map((r) => r.household_id)).toEqual([a.households[2]!.id]);
    const id = await publish(client(t, leader.token));
    expect((await rowsOf(id)).length).toBe(1);
  });
});

describe("endpoints the server will not push to", () => {
  it("refuses private, loopback and non-https endpoints in production", () => {
    for (const bad of [
      "http://fcm.googleapis.com/x",
      "https://localhost/x",
      "https://127.0.0.1/x",
      "https://10.1.2.3/x",
      "https://172.20.0.1/x",
      "https://192.168.1.1/x",
      "https://169.254.169.254/latest",
      "https://[::1]/x",
      "https://[fd00::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://printer.local/x",
      "https://intranet/x",
      "https://user:pw@fcm.googleapis.com/x",
    ]) {
      expect(endpointProblem(bad, false), bad).not.toBeNull();
    }
    for (const good of [
      "https://fcm.googleapis.com/fcm/send/abc",
      "https://updates.push.services.mozilla.com/wpush/v2/abc",
      "https://web.push.apple.com/QGx",
      "https://wns2-par02p.notify.windows.com/w/?token=abc",
    ]) {
      expect(endpointProblem(good, false), good).toBeNull();
    }
    expect(endpointProblem("http://127.0.0.1:9/push/x", true)).toBeNull();
  });
});
