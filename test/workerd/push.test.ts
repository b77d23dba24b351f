// Web push from inside workerd: the Worker's own sender (web-push under nodejs_compat, Web Crypto VAPID, fetch)
// against the loopback push service of the Node test process (test/workerd/push-service-setup.ts), on D1.
// A publish sends within the request's waitUntil; the cron handler sends what is due; quiet hours, retries,
// pruning, giving up and reminders run the same code as on Node.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../server/config";
import { publishCircular, createDraft } from "../../server/features/circulars/circulars.service";
import { MAX_ATTEMPTS } from "../../server/features/push/drain";
import { topicOf } from "../../server/features/push/sender";
import { runPushJobs } from "../../server/jobs";
import { openD1 } from "../../server/worker/d1";
import worker from "../../server/worker";
import type { TestApp } from "../helpers/app";
import { client } from "../helpers/http";
import { workerEnv, workerTestApp } from "./harness";
import { publish, town } from "../helpers/flows";

interface Message {
  name: string;
  status: number;
  reason: string | null;
  headers: { ttl: number | null; urgency: string | null; topic: string | null };
  claims: { aud: string; exp: number; sub: string } | null;
  payload: string | null;
}

const control = inject("pushControl");
async function call<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${control}${path}`, { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`push control ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const messages = () => call<Message[]>("/messages");
const to = async (name: string) => (await messages()).filter((m) => m.name === name);
const respond = (name: string, ...answers: unknown[]) => call("/respond", { name, answers });
/** A device's subscription on the loopback push service, for flows.town (a publish sends within its waitUntil,
 * which workerFetch waits for, as Cloudflare would let it finish). */
const device = (name: string) => call("/subscription", { name });

let t: TestApp;

beforeAll(() => {
  t = workerTestApp();
});

const rowsOf = (id: string) =>
  env.DB.prepare(
    "SELECT status, attempts, last_status, next_attempt_at FROM push_outbox WHERE circular_id = ? ORDER BY id",
  )
    .bind(id)
    .all<{ status: string; attempts: number; last_status: number | null; next_attempt_at: number }>()
    .then((r) => r.results);

/** The Worker's per-minute cron run. */
async function cron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** Makes every waiting push of a circular due now (what time would do). */
const makeDue = (id: string) =>
  env.DB.prepare("UPDATE push_outbox SET next_attempt_at = ? WHERE circular_id = ? AND status = 'pending'")
    .bind(Date.now() - 1, id)
    .run();

describe("web push from the Worker", () => {
  it("a publish sends in waitUntil: the push service decrypts the payload and accepts the VAPID JWT", async () => {
    const { leader, names } = await town(t, device, { perBlock: 2, name: "泉町内会" });
    const id = await publish(client(t, leader.token), { title: "断水のお知らせ", priority: "urgent" });
    for (const name of names) {
      const [m] = await to(name);
      expect(m, name).toBeDefined();
      expect(m!.reason).toBeNull();
      expect(m!.status).toBe(201);
      expect(JSON.parse(m!.payload!)).toEqual({
        kind: "circular",
        circularId: id,
        title: "断水のお知らせ",
        association: "泉町内会",
        urgent: true,
      });
      expect(m!.headers).toMatchObject({ urgency: "high", topic: topicOf(id) });
      expect(m!.headers.ttl).toBeLessThanOrEqual(24 * 3600);
      expect(new URL(m!.claims!.aud).hostname).toBe("127.0.0.1");
    }
    expect((await rowsOf(id)).map((r) => r.status)).toEqual(["sent", "sent"]);
  });

  it("the cron run sends retries when due; 410 deletes the subscription; 5xx gives up after the last attempt", async () => {
    const { leader, names } = await town(t, device, { perBlock: 3, name: "泉町内会" });
    await respond(names[0]!, { status: 429, retryAfter: 60 });
    await respond(names[1]!, 410);
    await respond(names[2]!, ...Array(MAX_ATTEMPTS).fill(503));
    // Urgent: the real clock may be in quiet hours, which would hold a normal one.
    const id = await publish(client(t, leader.token), { priority: "urgent" });
    let rows = await rowsOf(id);
    expect(rows.map((r) => [r.status, r.last_status])).toEqual([
      ["pending", 429],
      ["failed", 410],
      ["pending", 503],
    ]);
    expect(rows[0]!.next_attempt_at - Date.now()).toBeGreaterThan(50_000);
    const gone = await env.DB.prepare("SELECT count(*) AS n FROM push_subscriptions WHERE endpoint LIKE ?")
      .bind(`%${names[1]}`)
      .first<{ n: number }>();
    expect(gone!.n).toBe(0);

    // Not due yet: the cron run sends nothing. Due: it sends.
    await cron();
    expect(await to(names[0]!)).toHaveLength(1);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      await makeDue(id);
      await cron();
    }
    rows = await rowsOf(id);
    expect(rows.map((r) => [r.status, r.last_status])).toEqual([
      ["sent", 201],
      ["failed", 410],
      ["failed", 503],
    ]);
    expect((await to(names[2]!)).map((m) => m.status)).toEqual(Array(MAX_ATTEMPTS).fill(503));
  });

  it("quiet hours: a normal circular published at 22:30 JST waits for 7:00, an urgent one goes at once", async () => {
    const { a, leader, names } = await town(t, device, { perBlock: 1, name: "泉町内会" });
    const config = parseConfig({ SEED_DEMO: "false", PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
    const db = openD1(env.DB);
    // Tonight 22:30 JST, relative to the real clock so that the VAPID JWT's exp suits the push service.
    const jstNow = new Date(Date.now() + 9 * 3600_000);
    const night = new Date(
      Date.UTC(jstNow.getUTCFullYear(), jstNow.getUTCMonth(), jstNow.getUTCDate(), 22, 30) - 9 * 3600_000,
    );
    await call("/clock", { at: night.getTime() });
    try {
      const ctx = {
        db,
        config,
        now: night,
        associationId: a.id,
        actor: {
          memberId: leader.id,
          sessionId: "-",
          role: "leader" as const,
          associationId: a.id,
          householdId: null,
          blockId: null,
        },
      };
      const post = async (priority: "normal" | "urgent") => {
        const d = await createDraft({
          ctx,
          input: { title: priority, body: "本文", priority, audience: "all", blockIds: [], dueAt: null },
        });
        await publishCircular({ ctx, input: { id: d.id } });
        return d.id;
      };
      const normal = await post("normal");
      const urgent = await post("urgent");
      await runPushJobs({ db, config, now: () => night });
      expect((await to(names[0]!)).map((m) => JSON.parse(m.payload!).circularId)).toEqual([urgent]);
      expect(await rowsOf(normal)).toMatchObject([{ status: "pending", attempts: 0 }]);
      const seven = new Date(night.getTime() + 8.5 * 3600_000);
      expect((await rowsOf(normal))[0]!.next_attempt_at).toBe(seven.getTime());
      await call("/clock", { at: seven.getTime() - 60_000 });
      await runPushJobs({ db, config, now: () => new Date(seven.getTime() - 60_000) });
      expect(await to(names[0]!)).toHaveLength(1);
      await call("/clock", { at: seven.getTime() });
      await runPushJobs({ db, config, now: () => seven });
      expect((await to(names[0]!)).map((m) => JSON.parse(m.payload!).circularId)).toEqual([urgent, normal]);
    } finally {
      await call("/clock", { at: null });
    }
  });

  it("「未確認の世帯に再通知」 reaches only the unread households", async () => {
    const { leader, residents, names } = await town(t, device, { perBlock: 3, name: "泉町内会" });
    const id = await publish(client(t, leader.token), { priority: "urgent" });
    expect((await client(t, residents[0]!.token).post(`/api/feed/${id}/ack`)).status).toBe(200);
    const res = await client(t, leader.token).post(`/api/circulars/${id}/remind`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ households: 2, unread: 2, pushes: 2 });
    const reminders = (await messages()).filter(
      (m) => m.payload && JSON.parse(m.payload).kind === "reminder" && JSON.parse(m.payload).circularId === id,
    );
    expect(reminders.map((m) => m.name).sort()).toEqual([names[1], names[2]].sort());
    const figures = await client(t, leader.token).get(`/api/circulars/${id}/push`);
    // Three at publication, two reminders.
    expect(figures.body.pushes).toEqual({ sent: 5, failed: 0, waiting: 0 });
  });
});
