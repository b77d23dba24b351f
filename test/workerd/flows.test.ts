// The app's own flows through the Workers entry inside workerd: D1 for the data, R2 for attachments, the
// static-assets binding for the PWA, the cron handler for the periodic jobs.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sessions, invites } from "../../server/db/schema";
import { coalesceAcrossRequests } from "../../server/lib/coalesce";
import worker from "../../server/worker";
import type { TestApp } from "../helpers/app";
import {
  makeAssociation,
  makeResident,
  makeStaff,
  type AssociationFixture,
  type MemberFixture,
} from "../helpers/factories";
import { client, expectError, sessionFrom } from "../helpers/http";
import { workerEnv, workerFetch, workerTestApp } from "./harness";

let t: TestApp;
let assoc: AssociationFixture;
let leader: MemberFixture;

/** A valid 1x1 baseline JPEG. */
const JPEG = Uint8Array.from(
  (
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933" +
    "383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238426363636363" +
    "636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363ffc0001108000100" +
    "0103012200021101031101ffc4001500010100000000000000000000000000000005ffc40014100100000000000000000000000000000000" +
    "ffc4001501010100000000000000000000000000000506ffc40014110100000000000000000000000000000000ffda000c03010002110311" +
    "003f008a00b5e3ffd9"
  )
    .match(/../g)!
    .map((h) => parseInt(h, 16)),
);

beforeAll(async () => {
  t = workerTestApp();
  assoc = await makeAssociation(t, { blocks: 2, perBlock: 3 });
  leader = await makeStaff(t, assoc.id);
});

describe("the Worker on D1 and R2", () => {
  it("signs a staff member in with a password hashed at the configured cost (600,000 iterations)", async () => {
    expect(t.config.passwordIterations).toBe(600_000);
    const staff = await makeStaff(t, assoc.id, { password: "correct horse battery" });
    const anon = client(t, undefined, { "cf-connecting-ip": "203.0.113.7" });
    const ok = await anon.post("/api/auth/login", { email: staff.email, password: "correct horse battery" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const me = await client(t, sessionFrom(ok)).get("/api/auth/me");
    expect(me.status).toBe(200);
    expectError(
      await anon.post("/api/auth/login", { email: staff.email, password: "wrong password!" }),
      401,
      "unauthorized",
    );
  });

  it("joins a household device with an invite", async () => {
    const hh = assoc.households[0]!;
    const inv = await client(t, leader.token).post(`/api/households/${hh.id}/invites`);
    expect(inv.status).toBe(201);
    const joined = await client(t).post("/api/join", { token: inv.body.token });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.role).toBe("resident");
    const feed = await client(t, sessionFrom(joined)).get("/api/feed");
    expect(feed.status).toBe(200);
    expectError(await client(t).post("/api/join", { token: inv.body.token }), 410, "gone");
  });

  it("publishes to one block; a household acknowledges (idempotently); the board counts it", async () => {
    const api = client(t, leader.token);
    const [b1] = assoc.blockIds as [string];
    const draft = await api.post("/api/circulars", {
      title: "資源回収",
      body: "12月6日です。",
      audience: "blocks",
      blockIds: [b1],
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const pub = await api.post(`/api/circulars/${draft.body.id}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body.audienceSize).toBe(3);

    const h = assoc.households.find((x) => x.blockId === b1)!;
    const r = client(t, (await makeResident(t, assoc.id, h.id)).token);
    const ack = await r.post(`/api/feed/${draft.body.id}/ack`);
    expect(ack.status).toBe(200);
    expect(ack.body.changed).toBe(true);
    const again = await r.post(`/api/feed/${draft.body.id}/ack`);
    expect(again.body).toEqual({ ...ack.body, changed: false });

    // Several acknowledgements at once (coalescing is off in workerd: each is its own statement).
    expect(coalesceAcrossRequests).toBe(false);
    const others = assoc.households.filter((x) => x.blockId === b1 && x.id !== h.id);
    const residents = await Promise.all(others.map((o) => makeResident(t, assoc.id, o.id)));
    const acks = await Promise.all(residents.map((m) => client(t, m.token).post(`/api/feed/${draft.body.id}/ack`)));
    expect(acks.map((a) => a.body.changed)).toEqual([true, true]);

    const board = await api.get(`/api/circulars/${draft.body.id}/receipts`);
    expect(board.status).toBe(200);
    expect(board.body.counts).toMatchObject({ targeted: 3, read: 3, unread: 0 });
  });

  it("sends a title and body with their phrase boundaries (BudouX runs in workerd, no DOM)", async () => {
    const api = client(t, leader.token);
    const draft = await api.post("/api/circulars", {
      title: "防犯パトロールのお願い",
      body: "集合場所は公民館です。",
      audience: "all",
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect((await api.post(`/api/circulars/${draft.body.id}/publish`)).status).toBe(200);
    const r = client(t, (await makeResident(t, assoc.id, assoc.households[0]!.id)).token);
    const item = await r.get(`/api/feed/${draft.body.id}`);
    expect(item.status).toBe(200);
    // 「防犯パトロールの / お願い」
    expect(item.body.titleBreaks).toEqual([8]);
    expect(item.body.bodyParts[0].breaks.length).toBeGreaterThan(0);
    const feed = await r.get("/api/feed");
    expect(feed.body.circulars.find((c: { id: string }) => c.id === draft.body.id).titleBreaks).toEqual([8]);
  });

  it("a circular with questions: households answer (which acknowledges), a paper answer, the tallies on D1", async () => {
    const api = client(t, leader.token);
    const draft = await api.post("/api/circulars", {
      title: "清掃の出欠",
      body: "出られますか。",
      questions: [
        { kind: "attendance", label: "清掃に出られますか" },
        { kind: "multiple", label: "道具", options: ["軍手", "ほうき", "袋"], required: false },
      ],
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect((await api.post(`/api/circulars/${draft.body.id}/publish`)).status).toBe(200);
    const id = draft.body.id as string;
    const [h1, h2, h3] = assoc.households as [
      (typeof assoc.households)[0],
      (typeof assoc.households)[0],
      (typeof assoc.households)[0],
    ];
    const r1 = client(t, (await makeResident(t, assoc.id, h1.id)).token);
    const r2 = client(t, (await makeResident(t, assoc.id, h2.id)).token);
    const [a1, a2] = await Promise.all([
      r1.post(`/api/feed/${id}/answer`, {
        answers: { q1: { choice: "attend", people: 3 }, q2: { choices: ["o1", "o2"] } },
      }),
      r2.post(`/api/feed/${id}/answer`, { answers: { q1: { choice: "absent" } } }),
    ]);
    expect([a1.status, a2.status], JSON.stringify([a1.body, a2.body])).toEqual([200, 200]);
    expect(a1.body.readAt).not.toBeNull();
    expectError(
      await r1.post(`/api/feed/${id}/answer`, { answers: { q1: { choice: "attend" } } }),
      400,
      "validation_failed",
    );
    const paper = await api.put(`/api/circulars/${id}/answers/${h3.id}/paper`, {
      answers: { q1: { choice: "attend", people: 1 } },
    });
    expect(paper.status, JSON.stringify(paper.body)).toBe(200);
    // A changed answer moves the tallies.
    expect((await r2.post(`/api/feed/${id}/answer`, { answers: { q1: { choice: "undecided" } } })).status).toBe(200);

    const board = await api.get(`/api/circulars/${id}/answers`);
    expect(board.status, JSON.stringify(board.body)).toBe(200);
    expect(board.body.answered).toBe(3);
    expect(board.body.tallies[0].options).toMatchObject([
      { id: "attend", households: 2, amount: 4 },
      { id: "absent", households: 0 },
      { id: "undecided", households: 1 },
    ]);
    expect(board.body.tallies[1].options.map((o: { households: number }) => o.households)).toEqual([1, 1, 0]);
    const receipts = await api.get(`/api/circulars/${id}/receipts`);
    expect(receipts.body.counts).toMatchObject({ read: 3, readByPaper: 1 });
  });

  it("stores an attachment in R2 and serves it back", async () => {
    const api = client(t, leader.token);
    const draft = await api.post("/api/circulars", { title: "防災訓練", body: "9時から" });
    const fd = new FormData();
    fd.append("file", new File([JPEG], "map.jpg", { type: "image/jpeg" }));
    const up = await api.post(`/api/circulars/${draft.body.id}/attachments`, fd);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const listed = await env.FILES.list();
    expect(listed.objects.length).toBeGreaterThan(0);
    const res = await client(t, leader.token).raw(up.body.url, {
      headers: { cookie: `kairan_session=${leader.token}` },
    });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(JPEG);
  });

  it("runs the periodic jobs from the cron trigger", async () => {
    const past = new Date(Date.now() - 1000);
    await t.db.run(sql`UPDATE ${sessions} SET expires_at = ${past.getTime()} WHERE member_id = ${leader.id}`);
    const before = await t.db.select().from(sessions);
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() }),
      workerEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const after = await t.db.select().from(sessions);
    expect(after.length).toBeLessThan(before.length);
    expect(after.some((s) => s.memberId === leader.id)).toBe(false);
    expect(await t.db.select().from(invites)).toBeDefined();
    leader = await makeStaff(t, assoc.id);
  });

  it("serves the OpenAPI document and the same error shape for bad input", async () => {
    const doc = await client(t).get("/api/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toContain("/api/feed/{id}/ack");
    const bad = await client(t, leader.token).post("/api/circulars", { title: "" });
    expectError(bad, 400, "validation_failed");
    expectError(await client(t).get("/api/nope"), 404, "not_found");
    expectError(await client(t).get("/api/feed"), 401, "unauthorized");
  });

  it("serves the PWA from the static-assets binding with the Node caching headers", async () => {
    const home = await workerFetch(new Request("http://localhost/"));
    expect(home.status).toBe(200);
    expect(home.headers.get("cache-control")).toBe("no-cache");
    const html = await home.text();
    const js = html.match(/\/assets\/[^"]+\.js/)?.[0];
    expect(js).toBeTruthy();
    const asset = await workerFetch(new Request(`http://localhost${js}`));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const sw = await workerFetch(new Request("http://localhost/sw.js"));
    expect(sw.headers.get("cache-control")).toBe("no-cache");
    const route = await workerFetch(new Request("http://localhost/leader/board"));
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(html);
  });

  it("serves the API reference page and its viewer's script from the build, not a CDN", async () => {
    const page = await workerFetch(new Request("http://localhost/api/docs"));
    expect(page.status).toBe(200);
    const html = await page.text();
    const srcs = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBe(1);
    for (const src of srcs) {
      expect(new URL(src, "http://localhost").origin, src).toBe("http://localhost");
      // The file vite.config.ts copies into dist/web, through the static-assets binding.
      const script = await workerFetch(new Request(`http://localhost${src}`));
      expect(script.status, src).toBe(200);
      expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(await script.text()).toContain("createApiReference");
    }
  });

  it("imports a Shift_JIS 名簿 and an .xlsx one, and exports the roster as .xlsx (TextDecoder and the xlsx libraries in workerd)", async () => {
    const roster = await makeAssociation(t, { blocks: 1, perBlock: 1 });
    const api = client(t, (await makeStaff(t, roster.id)).token);
    // 「班,世帯名,回覧方法,備考 / 1班,山田,紙,足が悪い / ３班,新井,アプリ,」 as Excel on a Japanese PC saves it.
    const sjis = Uint8Array.from(
      "94c72c90a291d196bc2c89f1979795fb96402c94f58d6c0d0a3194c72c8e5293632c8e862c91ab82aa88ab82a20d0a825294c72c905688e42c83418376838a2c0d0a"
        .match(/../g)!
        .map((h) => parseInt(h, 16)),
    );
    const upload = (bytes: Uint8Array, extra: Record<string, string> = {}) => {
      const f = new FormData();
      f.append("file", new File([new Uint8Array(bytes)], "名簿"));
      for (const [k, v] of Object.entries(extra)) f.append(k, v);
      return f;
    };
    const preview = await api.post("/api/roster/preview", upload(sjis));
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.add).toEqual([
      { line: 2, block: "1班", label: "山田", channel: "paper", note: "足が悪い" },
      { line: 3, block: "3班", label: "新井", channel: "app", note: null },
    ]);
    const applied = await api.post("/api/roster/apply", upload(sjis, { token: preview.body.token }));
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ added: 2, newBlocks: 1 });

    const xlsx = await api.raw("/api/roster/export", {
      headers: { cookie: `kairan_session=${(await makeStaff(t, roster.id)).token}`, origin: "http://localhost" },
    });
    expect(xlsx.status).toBe(200);
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    // The exported workbook reads back as the same roster: nothing to add, change or leave.
    const again = await api.post("/api/roster/preview", upload(bytes));
    expect(again.body).toMatchObject({ errors: [], add: [], change: [], missing: [], unchanged: 3 });
  });
});

describe("ふりがな on Workers (docs/adr/0016)", () => {
  it("answers the panel available: false and publishes without ふりがな", async () => {
    const api = client(t, leader.token);
    const draft = await api.post("/api/circulars", { title: "避難所のお知らせ", body: "申し込みは町内会長まで。" });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const readings = await api.get(`/api/circulars/${draft.body.id}/readings`);
    expect(readings.status, JSON.stringify(readings.body)).toBe(200);
    expect(readings.body).toEqual({ available: false, words: [] });
    const published = await api.post(`/api/circulars/${draft.body.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.circular.titleRuby).toEqual([]);
  });
});
