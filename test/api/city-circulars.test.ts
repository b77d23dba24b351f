// City circulars (docs/adr/0005) through the real HTTP stack and a real libSQL file: city staff write a draft and
// publish it to the whole city, wards, districts or associations; each targeted association with member households
// gets one copy with receipts for exactly its member households; leaders cannot change it but can add a note;
// residents see it marked origin "city"; the city sees aggregates only (suppressed under 5); withdrawal takes it
// out of feeds and figures; the rollups stay equal to a recomputation from the raw rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { associations, blocks, districts, households, wards } from "../../server/db/schema";
import { claimDue } from "../../server/features/push/outbox";
import { rebuildStats } from "../../server/features/stats/rebuild";
import { newId } from "../../server/lib/ids";
import { createTestApp, type TestApp } from "../helpers/app";
import { b64u, generateUaKeys } from "../helpers/ece";
import { makeResident, makeStaff, type MemberFixture } from "../helpers/factories";
import { client, errorOf, expectError, type Res } from "../helpers/http";
import { rollupSnapshot } from "../helpers/rollups";

let t: TestApp;
let city: MemberFixture;
let cityApi: ReturnType<typeof client>;

/** A fixed "now" well before the due dates used below. */
const START = new Date("2026-11-02T09:00:00+09:00");
const HOUR = 3_600_000;
const DUE = "2026-11-30";

beforeAll(async () => {
  // Queued pushes stay in the outbox, where the test looks at them.
  t = await createTestApp({}, { sendPushes: false });
  t.clock.current = new Date(START);
  city = await makeStaff(t, null, { role: "city" });
  cityApi = client(t, city.token);
});
afterAll(() => t.close());

// ---------- helpers ----------

async function rows(sql: string, args: (string | number | null)[] = []) {
  return (await t.client.execute({ sql, args })).rows.map((r) => ({ ...r }));
}
async function scalar(sql: string, args: (string | number | null)[] = []): Promise<number> {
  return Number((await t.client.execute({ sql, args })).rows[0]![0]);
}

/** Every table a city circular write touches: a refused request leaves all of them as they were. */
async function footprint() {
  const out: Record<string, number> = {};
  for (const table of [
    "city_circulars",
    "city_attachments",
    "circulars",
    "receipts",
    "attachments",
    "push_outbox",
    "stats_circular",
    "audit_log",
  ])
    out[table] = await scalar(`SELECT count(*) FROM ${table}`);
  out.statsWeekTargeted = await scalar("SELECT coalesce(sum(targeted), 0) FROM stats_week");
  return out;
}

interface Assoc {
  id: string;
  name: string;
  districtId: string;
  wardId: string;
  blockId: string;
  /** Member households (not left). */
  members: string[];
  left: string[];
  leader: MemberFixture;
}

let seq = 0;

/**
 * A small city of its own: ward W1 (districts D1, D2) and ward W2 (district D3).
 * A1 (D1): 6 member households and 1 that left; A2 (D1): 3; A3 (D2): 5; A4 (D3): 4; A5 (D3): none.
 */
async function geography() {
  const n = ++seq;
  const now = t.clock.now();
  const w1 = { id: newId(), name: `青葉区${n}` };
  const w2 = { id: newId(), name: `泉区${n}` };
  const d1 = { id: newId(), name: `宮城地区${n}`, wardId: w1.id };
  const d2 = { id: newId(), name: `片平地区${n}`, wardId: w1.id };
  const d3 = { id: newId(), name: `将監地区${n}`, wardId: w2.id };
  await t.db.insert(wards).values([w1, w2].map((w) => ({ ...w, createdAt: now })));
  await t.db.insert(districts).values([d1, d2, d3].map((d) => ({ ...d, createdAt: now })));
  async function assoc(name: string, d: { id: string; wardId: string }, size: number, left = 0): Promise<Assoc> {
    const id = newId();
    const blockId = newId();
    await t.db
      .insert(associations)
      .values({ id, districtId: d.id, name: `${name}${n}`, householdsInArea: size * 2 + 10, createdAt: now });
    await t.db.insert(blocks).values({ id: blockId, associationId: id, name: "1班", sortOrder: 1, createdAt: now });
    const members: string[] = [];
    const gone: string[] = [];
    for (let i = 0; i < size + left; i++) {
      const hid = newId();
      const isLeft = i >= size;
      await t.db.insert(households).values({
        id: hid,
        associationId: id,
        blockId,
        label: `世帯${i + 1}`,
        channel: i === 1 ? "paper" : "app",
        joinedAt: now,
        createdAt: now,
        leftAt: isLeft ? now : null,
      });
      (isLeft ? gone : members).push(hid);
    }
    const leader = await makeStaff(t, id);
    return { id, name: `${name}${n}`, districtId: d.id, wardId: d.wardId, blockId, members, left: gone, leader };
  }
  const a1 = await assoc("作並町内会", d1, 6, 1);
  const a2 = await assoc("新川町内会", d1, 3);
  const a3 = await assoc("大倉町内会", d2, 5);
  const a4 = await assoc("将監町内会", d3, 4);
  const a5 = await assoc("空町内会", d3, 0);
  return { w1, w2, d1, d2, d3, a1, a2, a3, a4, a5 };
}

async function draft(input: Record<string, unknown> = {}) {
  const res = await cityApi.post("/api/city/circulars", {
    title: "市政だより12月号",
    body: "今月のお知らせです。\nhttps://www.city.sendai.jp/",
    target: { scope: "city" },
    ...input,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; [k: string]: any };
}

async function publish(id: string) {
  const res = await cityApi.post(`/api/city/circulars/${id}/publish`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { circular: any; associations: number; households: number | null };
}

async function copies(cityCircularId: string) {
  return rows(
    "SELECT id, association_id, title, body, priority, audience, status, author_id, due_at, published_at, origin, city_circular_id FROM circulars WHERE city_circular_id = ? ORDER BY association_id",
    [cityCircularId],
  );
}

async function copyIn(cityCircularId: string, associationId: string): Promise<string> {
  const [row] = await rows("SELECT id FROM circulars WHERE city_circular_id = ? AND association_id = ?", [
    cityCircularId,
    associationId,
  ]);
  if (!row) throw new Error("no copy");
  return String(row.id);
}

const sorted = (xs: unknown[]) => xs.map(String).sort();

async function receiptHouseholds(cityCircularId: string) {
  return sorted(
    (
      await rows(
        "SELECT r.household_id FROM receipts r JOIN circulars c ON c.id = r.circular_id WHERE c.city_circular_id = ?",
        [cityCircularId],
      )
    ).map((r) => r.household_id),
  );
}

async function expectRollupsEqualRebuild() {
  const incremental = await rollupSnapshot(t.client);
  await rebuildStats(t.db);
  expect(incremental).toEqual(await rollupSnapshot(t.client));
}

async function pushSubscription() {
  const ua = await generateUaKeys();
  return {
    endpoint: `https://push.example.net/${crypto.randomUUID()}`,
    keys: { p256dh: b64u.encode(ua.publicKey), auth: b64u.encode(ua.authSecret) },
  };
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const PDF = new TextEncoder().encode("%PDF-1.4\n%test\n");
function form(bytes: Uint8Array, name: string, type = "application/octet-stream") {
  const f = new FormData();
  f.append("file", new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  return f;
}

// ---------- tests ----------

describe("drafts", () => {
  it("creates a draft with its audit row (no association), and edits and lists it", async () => {
    const g = await geography();
    const before = await footprint();
    const res = await cityApi.post("/api/city/circulars", {
      title: "  健康診査のお知らせ ",
      body: "受診券を同封しています。\r\n",
      priority: "urgent",
      dueAt: DUE,
      target: { scope: "wards", ids: [g.w1.id, g.w1.id] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      title: "健康診査のお知らせ",
      body: "受診券を同封しています。",
      priority: "urgent",
      status: "draft",
      target: { scope: "wards", ids: [g.w1.id] },
      targetNames: [{ id: g.w1.id, name: g.w1.name }],
      dueAt: "2026-11-30T14:59:59.999Z",
      publishedAt: null,
      reach: null,
      attachments: [],
    });
    const after = await footprint();
    expect(after.city_circulars).toBe(before.city_circulars! + 1);
    expect(after.circulars).toBe(before.circulars);
    const [audit] = await rows("SELECT * FROM audit_log WHERE action = 'city.circular.create' AND target_id = ?", [
      res.body.id,
    ]);
    expect(audit).toMatchObject({ association_id: null, actor_id: city.id, target_type: "city_circular" });

    const edited = await cityApi.patch(`/api/city/circulars/${res.body.id}`, {
      target: { scope: "districts", ids: [g.d3.id] },
      priority: "normal",
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      target: { scope: "districts", ids: [g.d3.id] },
      priority: "normal",
      title: "健康診査のお知らせ",
    });
    expect(edited.body.targetNames).toEqual([{ id: g.d3.id, name: g.d3.name }]);

    const got = await cityApi.get(`/api/city/circulars/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(edited.body);
    const list = await cityApi.get("/api/city/circulars?status=draft");
    expect(list.status).toBe(200);
    expect(list.body.circulars.map((c: { id: string }) => c.id)).toContain(res.body.id);
    // Reads are audited too.
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.circular.view' AND actor_id = ?", [city.id]),
    ).toBeGreaterThan(0);
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.circular.list' AND actor_id = ?", [city.id]),
    ).toBeGreaterThan(0);
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.circular.update' AND target_id = ?", [
        res.body.id,
      ]),
    ).toBe(1);

    const del = await cityApi.delete(`/api/city/circulars/${res.body.id}`);
    expect(del.status).toBe(204);
    expectError(await cityApi.get(`/api/city/circulars/${res.body.id}`), 404, "not_found");
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.circular.delete' AND target_id = ?", [
        res.body.id,
      ]),
    ).toBe(1);
  });

  it("refuses bad input with Japanese field messages and changes nothing", async () => {
    const g = await geography();
    const base = { title: "お知らせ", body: "本文", target: { scope: "city" } };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, title: "" }, "title", /タイトル/],
      [{ ...base, title: "あ".repeat(121) }, "title", /タイトルは120文字以内/],
      [{ ...base, body: " \n " }, "body", /本文/],
      [{ ...base, priority: "high" }, "priority", /重要度/],
      [{ ...base, dueAt: "来週" }, "dueAt", /確認期限は日時の形式/],
      [{ title: "お知らせ", body: "本文" }, "target", /配布先を入力してください/],
      [{ ...base, target: { scope: "town" } }, "target.scope", /配布範囲/],
      [{ ...base, target: { scope: "wards", ids: [] } }, "target.ids", /配布先を1つ以上/],
      [{ ...base, target: { scope: "wards" } }, "target.ids", /配布先を入力してください/],
      [{ ...base, target: { scope: "wards", ids: [newId()] } }, "target.ids", /区の中に見つからないもの/],
      // A district's id is not a ward.
      [{ ...base, target: { scope: "wards", ids: [g.w1.id, g.d1.id] } }, "target.ids", /区の中に見つからないもの/],
      [{ ...base, target: { scope: "associations", ids: [g.d1.id] } }, "target.ids", /町内会の中に見つからないもの/],
      [{ ...base, extra: 1 }, "", /使えない項目/],
    ];
    const before = await footprint();
    for (const [body, path, message] of cases) {
      const res = await cityApi.post("/api/city/circulars", body);
      const e = expectError(res, 400, "validation_failed");
      expect(e.message, JSON.stringify(body)).toMatch(message);
      if (path)
        expect(
          (e.fields as { path: string }[]).map((f) => f.path),
          JSON.stringify(e),
        ).toContain(path);
    }
    expect(await footprint()).toEqual(before);

    // An edit with a bad target changes nothing either.
    const d = await draft({ target: { scope: "associations", ids: [g.a1.id] } });
    const mid = await footprint();
    expectError(
      await cityApi.patch(`/api/city/circulars/${d.id}`, { target: { scope: "districts", ids: [g.w2.id] } }),
      400,
      "validation_failed",
    );
    expectError(await cityApi.patch(`/api/city/circulars/${d.id}`, { title: "" }), 400, "validation_failed");
    expect(await footprint()).toEqual(mid);
    expect((await cityApi.get(`/api/city/circulars/${d.id}`)).body.target).toEqual({
      scope: "associations",
      ids: [g.a1.id],
    });
  });

  it("refuses to publish to associations without households, or past its due date, changing nothing", async () => {
    const g = await geography();
    const empty = await draft({ target: { scope: "associations", ids: [g.a5.id] } });
    let before = await footprint();
    const e = expectError(await cityApi.post(`/api/city/circulars/${empty.id}/publish`), 400, "validation_failed");
    expect(e.message).toMatch(/世帯がありません/);
    expect(await footprint()).toEqual(before);

    const late = await draft({ target: { scope: "associations", ids: [g.a1.id] }, dueAt: "2026-11-03" });
    t.clock.advance(2 * 24 * HOUR);
    try {
      before = await footprint();
      expect(errorOf(await cityApi.post(`/api/city/circulars/${late.id}/publish`)).message).toMatch(
        /確認期限が過ぎています/,
      );
      expect(await footprint()).toEqual(before);
    } finally {
      t.clock.current = new Date(START);
    }
    expectError(await cityApi.post(`/api/city/circulars/${newId()}/publish`), 404, "not_found");
  });
});

describe("publishing reaches exactly the targeted associations' member households", () => {
  it("wards, districts and associations", async () => {
    const g = await geography();
    const targets: [Record<string, unknown>, Assoc[]][] = [
      [{ scope: "wards", ids: [g.w1.id] }, [g.a1, g.a2, g.a3]],
      [{ scope: "districts", ids: [g.d1.id, g.d3.id] }, [g.a1, g.a2, g.a4]],
      [{ scope: "associations", ids: [g.a3.id, g.a4.id, g.a5.id] }, [g.a3, g.a4]],
      [{ scope: "wards", ids: [g.w2.id] }, [g.a4]],
    ];
    for (const [target, reached] of targets) {
      const d = await draft({ target, priority: "urgent", dueAt: DUE });
      const res = await publish(d.id);
      const members = reached.flatMap((a) => a.members);
      expect(res.associations).toBe(reached.length);
      expect(res.circular).toMatchObject({ status: "published", publishedAt: START.toISOString() });
      if (members.length >= 5) {
        expect(res.households).toBe(members.length);
        expect(res.circular.reach).toEqual({
          associations: reached.length,
          suppressed: false,
          households: members.length,
          read: 0,
          readRate: 0,
        });
      } else {
        // Fewer than 5 households: the count is suppressed.
        expect(res.households).toBeNull();
        expect(res.circular.reach).toEqual({
          associations: reached.length,
          suppressed: true,
          households: null,
          read: null,
          readRate: null,
        });
      }

      const cs = await copies(d.id);
      expect(sorted(cs.map((c) => c.association_id))).toEqual(sorted(reached.map((a) => a.id)));
      for (const c of cs)
        expect(c).toMatchObject({
          title: "市政だより12月号",
          body: "今月のお知らせです。\nhttps://www.city.sendai.jp/",
          priority: "urgent",
          audience: "all",
          status: "published",
          author_id: city.id,
          origin: "city",
          city_circular_id: d.id,
          published_at: START.getTime(),
          due_at: new Date("2026-11-30T23:59:59.999+09:00").getTime(),
        });
      // Households that left get nothing; associations without households get no copy.
      expect(await receiptHouseholds(d.id)).toEqual(sorted(members));
      const [audit] = await rows("SELECT * FROM audit_log WHERE action = 'city.circular.publish' AND target_id = ?", [
        d.id,
      ]);
      expect(audit).toMatchObject({ association_id: null, actor_id: city.id });
      expect(JSON.parse(String(audit!.detail))).toEqual({ associations: reached.length, households: members.length });
    }
    await expectRollupsEqualRebuild();
  });

  it("the whole city: every association with member households, in every ward", async () => {
    await geography();
    const d = await draft({ target: { scope: "city" } });
    const res = await publish(d.id);
    // Computed independently: associations with at least one household that has not left.
    const expected = sorted(
      (await rows("SELECT DISTINCT association_id FROM households WHERE left_at IS NULL")).map((r) => r.association_id),
    );
    expect(sorted((await copies(d.id)).map((c) => c.association_id))).toEqual(expected);
    expect(res.associations).toBe(expected.length);
    const members = sorted((await rows("SELECT id FROM households WHERE left_at IS NULL")).map((r) => r.id));
    expect(await receiptHouseholds(d.id)).toEqual(members);
    await expectRollupsEqualRebuild();
  });

  it("copies the attachments to every copy (same file), and residents download them", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "districts", ids: [g.d1.id] } });
    const png = await cityApi.post(`/api/city/circulars/${d.id}/attachments`, form(PNG, "地図.jpg", "image/jpeg"));
    expect(png.status, JSON.stringify(png.body)).toBe(201);
    expect(png.body).toMatchObject({ fileName: "地図.png", contentType: "image/png", circularId: d.id });
    const pdf = await cityApi.post(`/api/city/circulars/${d.id}/attachments`, form(PDF, "案内.pdf"));
    expect(pdf.status).toBe(201);
    // Type by the bytes: HTML named .pdf is refused.
    const html = await cityApi.post(
      `/api/city/circulars/${d.id}/attachments`,
      form(new TextEncoder().encode("<html>"), "x.pdf"),
    );
    expectError(html, 415, "unsupported_media_type");
    for (let i = 0; i < 3; i++)
      expect((await cityApi.post(`/api/city/circulars/${d.id}/attachments`, form(PDF, `${i}.pdf`))).status).toBe(201);
    expectError(await cityApi.post(`/api/city/circulars/${d.id}/attachments`, form(PDF, "6.pdf")), 409, "conflict");
    // Remove one again (drafts only).
    const extra = (await cityApi.get(`/api/city/circulars/${d.id}`)).body.attachments as {
      fileName: string;
      url: string;
    }[];
    expect(extra).toHaveLength(5);
    const last = extra.find((f) => f.fileName === "2.pdf")!;
    expect((await cityApi.delete(last.url)).status).toBe(204);
    expectError(await cityApi.get(last.url), 404, "not_found");
    // City staff see their file.
    const own = await cityApi.get(png.body.url);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("image/png");

    await publish(d.id);
    expectError(await cityApi.post(`/api/city/circulars/${d.id}/attachments`, form(PDF, "late.pdf")), 409, "conflict");
    expectError(await cityApi.delete(png.body.url), 409, "conflict");
    const copied = await rows(
      "SELECT a.association_id, a.circular_id, a.blob_key, a.file_name FROM attachments a JOIN circulars c ON c.id = a.circular_id WHERE c.city_circular_id = ?",
      [d.id],
    );
    expect(copied).toHaveLength(2 * 4);
    const keys = await rows("SELECT blob_key FROM city_attachments WHERE city_circular_id = ?", [d.id]);
    expect(sorted([...new Set(copied.map((c) => c.blob_key))])).toEqual(sorted(keys.map((k) => k.blob_key)));

    // A resident of A1 downloads A1's copy; a resident of A3 (not targeted) cannot reach it.
    const resident = await makeResident(t, g.a1.id, g.a1.members[0]!);
    const item = await client(t, resident.token).get(`/api/feed/${await copyIn(d.id, g.a1.id)}`);
    expect(item.status).toBe(200);
    expect(item.body.attachments).toHaveLength(4);
    const file = await client(t, resident.token).get(
      item.body.attachments.find((a: { fileName: string }) => a.fileName === "地図.png").url,
    );
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    const outsider = await makeResident(t, g.a3.id, g.a3.members[0]!);
    expectError(await client(t, outsider.token).get(item.body.attachments[0].url), 404, "not_found");
    // Leaders cannot remove a file of the city's copy.
    const e = expectError(await client(t, g.a1.leader.token).delete(item.body.attachments[0].url), 409, "conflict");
    expect(e.message).toMatch(/仙台市/);
  });

  it("queues pushes for the copies' subscribed devices, urgent at once", async () => {
    const g = await geography();
    const resident = await makeResident(t, g.a4.id, g.a4.members[0]!);
    const sub = await client(t, resident.token).post("/api/push/subscriptions", await pushSubscription());
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    const d = await draft({ target: { scope: "wards", ids: [g.w2.id] }, priority: "urgent" });
    await publish(d.id);
    const copy = await copyIn(d.id, g.a4.id);
    const queued = await rows("SELECT * FROM push_outbox WHERE circular_id = ?", [copy]);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      association_id: g.a4.id,
      subscription_id: sub.body.id,
      household_id: g.a4.members[0],
      kind: "circular",
      urgent: 1,
      status: "pending",
      next_attempt_at: START.getTime(),
    });
    // What the sender will put in the notification: from the city, not from the association.
    const claimed = await claimDue(t.db, START, new Date(START.getTime() + 60_000), 500);
    expect(claimed.find((c) => c.circularId === copy)).toMatchObject({ associationName: "仙台市", urgent: true });
  });

  it("two publications at once: one 200, one 409, one set of copies", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "wards", ids: [g.w1.id] } });
    const results = await Promise.all([0, 1, 2].map(() => cityApi.post(`/api/city/circulars/${d.id}/publish`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, "conflict");
    expect(await copies(d.id)).toHaveLength(3);
    const members = [g.a1, g.a2, g.a3].flatMap((a) => a.members);
    expect(await receiptHouseholds(d.id)).toEqual(sorted(members));
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.circular.publish' AND target_id = ?", [d.id]),
    ).toBe(1);
    // A published circular is no longer a draft for the city either.
    expectError(await cityApi.patch(`/api/city/circulars/${d.id}`, { title: "変更" }), 409, "conflict");
    expectError(await cityApi.delete(`/api/city/circulars/${d.id}`), 409, "conflict");
    await expectRollupsEqualRebuild();
  });

  it("a household that joins later receives the active city circular", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "associations", ids: [g.a2.id] }, dueAt: DUE });
    await publish(d.id);
    const leaderApi = client(t, g.a2.leader.token);
    const created = await leaderApi.post("/api/households", {
      label: "新しい世帯",
      blockId: g.a2.blockId,
      channel: "app",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await receiptHouseholds(d.id)).toEqual(sorted([...g.a2.members, created.body.id]));
    const resident = await makeResident(t, g.a2.id, created.body.id);
    const feed = await client(t, resident.token).get("/api/feed");
    expect(feed.body.circulars.map((c: { id: string }) => c.id)).toContain(await copyIn(d.id, g.a2.id));
    await expectRollupsEqualRebuild();
  });
});

describe("leaders and residents", () => {
  it("leaders cannot edit, publish, withdraw or delete a city circular (409 saying so), but can add a note", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "associations", ids: [g.a1.id] } });
    await publish(d.id);
    const copy = await copyIn(d.id, g.a1.id);
    const leader = client(t, g.a1.leader.token);
    const before = await footprint();
    for (const res of [
      await leader.patch(`/api/circulars/${copy}`, { title: "書き換え" }),
      await leader.post(`/api/circulars/${copy}/publish`),
      await leader.post(`/api/circulars/${copy}/withdraw`),
      await leader.delete(`/api/circulars/${copy}`),
      await leader.post(`/api/circulars/${copy}/attachments`, form(PDF, "x.pdf")),
    ]) {
      const e = expectError(res, 409, "conflict");
      expect(e.message).toMatch(/仙台市から届いた/);
    }
    expect(await footprint()).toEqual(before);

    // The leader's list and detail show where it came from.
    const list = await leader.get("/api/circulars");
    expect(list.body.circulars.find((c: { id: string }) => c.id === copy)).toMatchObject({
      origin: "city",
      leaderNote: null,
      status: "published",
    });

    const noted = await leader.put(`/api/circulars/${copy}/note`, { note: "  班長さんが紙でもお配りします。 " });
    expect(noted.status, JSON.stringify(noted.body)).toBe(200);
    expect(noted.body).toMatchObject({
      origin: "city",
      leaderNote: "班長さんが紙でもお配りします。",
      title: "市政だより12月号",
    });
    expect(
      await scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'circular.note' AND target_id = ? AND association_id = ?",
        [copy, g.a1.id],
      ),
    ).toBe(1);

    // At most 200 characters; only on city circulars; only leaders.
    const mid = await footprint();
    const long = expectError(
      await leader.put(`/api/circulars/${copy}/note`, { note: "あ".repeat(201) }),
      400,
      "validation_failed",
    );
    expect(long.message).toMatch(/ひとことは200文字以内/);
    const own = await leader.post("/api/circulars", { title: "町内会の回覧", body: "本文" });
    expect(own.status).toBe(201);
    const midOwn = await footprint();
    expectError(await leader.put(`/api/circulars/${own.body.id}/note`, { note: "メモ" }), 409, "conflict");
    expect(await footprint()).toEqual(midOwn);
    const blockLeader = await makeStaff(t, g.a1.id, { role: "block_leader", blockId: g.a1.blockId });
    expectError(
      await client(t, blockLeader.token).put(`/api/circulars/${copy}/note`, { note: "メモ" }),
      403,
      "forbidden",
    );
    expectError(await cityApi.put(`/api/circulars/${copy}/note`, { note: "メモ" }), 403, "forbidden");
    // Another association's leader cannot even see it.
    expectError(
      await client(t, g.a3.leader.token).put(`/api/circulars/${copy}/note`, { note: "メモ" }),
      404,
      "not_found",
    );
    expect(mid.audit_log).toBe(midOwn.audit_log! - 1);
    expect((await rows("SELECT leader_note FROM circulars WHERE id = ?", [copy]))[0]!.leader_note).toBe(
      "班長さんが紙でもお配りします。",
    );

    // Residents see it marked as the city's, with the note on top.
    const resident = await makeResident(t, g.a1.id, g.a1.members[0]!);
    const feed = await client(t, resident.token).get("/api/feed");
    expect(feed.body.circulars.find((c: { id: string }) => c.id === copy)).toMatchObject({
      origin: "city",
      leaderNote: "班長さんが紙でもお配りします。",
      title: "市政だより12月号",
      from: g.a1.name,
    });
    const item = await client(t, resident.token).get(`/api/feed/${copy}`);
    expect(item.body).toMatchObject({ origin: "city", leaderNote: "班長さんが紙でもお配りします。" });
    // An association circular is origin "association" with no note.
    const ownPub = await leader.post(`/api/circulars/${own.body.id}/publish`);
    expect(ownPub.status).toBe(200);
    expect((await client(t, resident.token).get(`/api/feed/${own.body.id}`)).body).toMatchObject({
      origin: "association",
      leaderNote: null,
    });

    // An empty note removes it.
    const cleared = await leader.put(`/api/circulars/${copy}/note`, { note: "" });
    expect(cleared.body.leaderNote).toBeNull();
    expect((await client(t, resident.token).get(`/api/feed/${copy}`)).body.leaderNote).toBeNull();
  });

  it("a resident of an association that was not targeted does not see it", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "wards", ids: [g.w2.id] } });
    await publish(d.id);
    const resident = await makeResident(t, g.a1.id, g.a1.members[2]!);
    const feed = await client(t, resident.token).get("/api/feed");
    const mine = new Set((await copies(d.id)).map((c) => String(c.id)));
    expect(feed.body.circulars.filter((c: { id: string }) => mine.has(c.id))).toEqual([]);
    for (const id of mine) expectError(await client(t, resident.token).get(`/api/feed/${id}`), 404, "not_found");
  });
});

describe("the city's figures", () => {
  it("per ward, district and association, counts and rates only, suppressed under 5", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "city" }, dueAt: "2026-11-04" });
    await publish(d.id);
    // A1: 4 of 6 read (2 in the app within an hour, 1 on paper after 2 days, 1 after the due date);
    // A3: 5 of 5 within 24 h; A2 (3 households) and A4 (4) read some: suppressed anyway.
    const a1copy = await copyIn(d.id, g.a1.id);
    const ack = async (a: Assoc, i: number) => {
      const r = await makeResident(t, a.id, a.members[i]!);
      expect((await client(t, r.token).post(`/api/feed/${await copyIn(d.id, a.id)}/ack`)).status).toBe(200);
    };
    t.clock.advance(HOUR / 2);
    await ack(g.a1, 0);
    await ack(g.a1, 2);
    for (let i = 0; i < 5; i++) await ack(g.a3, i);
    await ack(g.a2, 0);
    await ack(g.a4, 0);
    t.clock.advance(2 * 24 * HOUR);
    // The paper household (index 1) acknowledged through its leader.
    const paper = await client(t, g.a1.leader.token).put(`/api/circulars/${a1copy}/receipts/${g.a1.members[1]}/paper`);
    expect(paper.status, JSON.stringify(paper.body)).toBe(200);
    t.clock.advance(3 * 24 * HOUR);
    await ack(g.a1, 3);
    t.clock.current = new Date(START);

    const res = await cityApi.get(`/api/city/circulars/${d.id}/figures`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const f = res.body;
    expect(f.circular).toMatchObject({ id: d.id, status: "published" });
    const assoc = (a: Assoc) => f.associations.find((x: { id: string }) => x.id === a.id);
    expect(assoc(g.a1)).toEqual({
      id: g.a1.id,
      name: g.a1.name,
      districtId: g.d1.id,
      districtName: g.d1.name,
      wardId: g.w1.id,
      wardName: g.w1.name,
      suppressed: false,
      targeted: 6,
      read: 4,
      read24hRate: 0.3333,
      read72hRate: 0.5,
      readByDueRate: 0.5,
    });
    expect(assoc(g.a3)).toMatchObject({
      suppressed: false,
      targeted: 5,
      read: 5,
      read24hRate: 1,
      read72hRate: 1,
      readByDueRate: 1,
    });
    const hidden = {
      suppressed: true,
      targeted: null,
      read: null,
      read24hRate: null,
      read72hRate: null,
      readByDueRate: null,
    };
    expect(assoc(g.a2)).toMatchObject({ name: g.a2.name, ...hidden });
    expect(assoc(g.a4)).toMatchObject({ name: g.a4.name, ...hidden });
    expect(assoc(g.a5)).toBeUndefined();
    // D1 = A1 + A2: 9 targeted, 5 read; D3 = A4 alone: suppressed; W1 = A1 + A2 + A3.
    expect(f.districts.find((x: { id: string }) => x.id === g.d1.id)).toMatchObject({
      name: g.d1.name,
      wardId: g.w1.id,
      wardName: g.w1.name,
      suppressed: false,
      targeted: 9,
      read: 5,
      read24hRate: 0.3333,
    });
    expect(f.districts.find((x: { id: string }) => x.id === g.d3.id)).toMatchObject(hidden);
    expect(f.wards.find((x: { id: string }) => x.id === g.w1.id)).toMatchObject({
      name: g.w1.name,
      targeted: 14,
      read: 10,
    });
    expect(f.wards.find((x: { id: string }) => x.id === g.w2.id)).toMatchObject(hidden);
    // The total equals the sum over the associations (from stats_circular).
    const copiesN = (await copies(d.id)).length;
    expect(f.total.associations).toBe(copiesN);
    expect(f.total.targeted).toBe(await receiptHouseholds(d.id).then((x) => x.length));
    // Names of areas only: no household labels or member names anywhere in the answer.
    const text = JSON.stringify(f);
    expect(text).not.toMatch(/世帯\d|住民|役員/);
    expect(
      await scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'city.circular.figures' AND target_id = ? AND actor_id = ?",
        [d.id, city.id],
      ),
    ).toBe(1);
    // The same table as CSV for Excel: BOM, Japanese headers, the codes, then the same numbers (「—」 when hidden).
    const csvRes = await t.app.request(`/api/city/circulars/${d.id}/figures?format=csv`, {
      headers: { cookie: `kairan_session=${city.token}` },
    });
    expect(csvRes.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const exported = (
      await t.client.execute({
        sql: "SELECT action, detail FROM audit_log WHERE target_id = ? ORDER BY at DESC, rowid DESC LIMIT 1",
        args: [d.id],
      })
    ).rows[0]!;
    expect(exported.action).toBe("city.export");
    expect(JSON.parse(String(exported.detail))).toMatchObject({ format: "csv", view: "circular-figures" });
    const csvBytes = new Uint8Array(await csvRes.arrayBuffer());
    expect(Array.from(csvBytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM.
    const csvText = new TextDecoder().decode(csvBytes);
    expect(csvText.startsWith("区分,名前,区,地区,配布数")).toBe(true);
    const lines = csvText
      .trimEnd()
      .split("\r\n")
      .map((l) => l.split(","));
    expect(lines[1]).toEqual([
      "level",
      "name",
      "wardName",
      "districtName",
      "targeted",
      "read",
      "read24hRate",
      "read72hRate",
      "readByDueRate",
    ]);
    // Row 2 is the JSON's keys: every code but level (which of the JSON's lists a row comes from) names a field of an
    // association's row, as docs/city-export.md says.
    for (const code of lines[1]!.filter((c) => c !== "level")) expect(f.associations[0], code).toHaveProperty(code);
    expect(lines).toHaveLength(2 + 1 + f.wards.length + f.districts.length + f.associations.length);
    const a1Line = lines.find((l) => l[1] === g.a1.name)!;
    expect(a1Line.slice(4)).toEqual(["6", "4", "0.3333", "0.5", "0.5"]);
    expect(lines.find((l) => l[1] === g.a2.name)!.slice(4)).toEqual(["—", "—", "—", "—", "—"]);
    expect(csvText).not.toMatch(/世帯\d|住民|役員/);
    // The list and detail show the reach (aggregates).
    const got = await cityApi.get(`/api/city/circulars/${d.id}`);
    expect(got.body.reach).toMatchObject({ associations: copiesN, suppressed: false });
    await expectRollupsEqualRebuild();
  });

  it("a small target is suppressed in the publish answer too", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "associations", ids: [g.a2.id] } });
    const res = await publish(d.id);
    expect(res).toMatchObject({ associations: 1, households: null });
    expect(res.circular.reach).toMatchObject({
      associations: 1,
      suppressed: true,
      households: null,
      read: null,
      readRate: null,
    });
    const f = (await cityApi.get(`/api/city/circulars/${d.id}/figures`)).body;
    expect(f.total).toMatchObject({ associations: 1, suppressed: true, targeted: null });
  });
});

describe("withdrawal", () => {
  it("takes every copy out of feeds and figures in one batch; rollups stay exact", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "wards", ids: [g.w1.id] }, dueAt: DUE });
    await publish(d.id);
    const resident = await makeResident(t, g.a1.id, g.a1.members[0]!);
    const rapi = client(t, resident.token);
    const a1copy = await copyIn(d.id, g.a1.id);
    t.clock.advance(HOUR);
    expect((await rapi.post(`/api/feed/${a1copy}/ack`)).status).toBe(200);
    expect((await rapi.get("/api/feed")).body.circulars.map((c: { id: string }) => c.id)).toContain(a1copy);
    await expectRollupsEqualRebuild();

    const results = await Promise.all([0, 1].map(() => cityApi.post(`/api/city/circulars/${d.id}/withdraw`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const ok = results.find((r) => r.status === 200)!;
    expect(ok.body).toMatchObject({ status: "withdrawn", withdrawnAt: t.clock.now().toISOString(), reach: null });
    expect((await copies(d.id)).map((c) => c.status)).toEqual(["withdrawn", "withdrawn", "withdrawn"]);
    expect(
      await scalar("SELECT count(*) FROM audit_log WHERE action = 'city.circular.withdraw' AND target_id = ?", [d.id]),
    ).toBe(1);
    // Receipts are kept; feeds and figures drop it.
    expect((await receiptHouseholds(d.id)).length).toBe(14);
    expect((await rapi.get("/api/feed")).body.circulars.map((c: { id: string }) => c.id)).not.toContain(a1copy);
    expectError(await rapi.get(`/api/feed/${a1copy}`), 404, "not_found");
    const f = (await cityApi.get(`/api/city/circulars/${d.id}/figures`)).body;
    expect(f).toMatchObject({
      total: { associations: 0, suppressed: true },
      wards: [],
      districts: [],
      associations: [],
    });
    expect(await scalar("SELECT count(*) FROM stats_circular WHERE city_circular_id = ?", [d.id])).toBe(0);
    await expectRollupsEqualRebuild();
    // Nothing more to do with it; leaders cannot add a note to a withdrawn copy.
    expectError(await cityApi.post(`/api/city/circulars/${d.id}/withdraw`), 409, "conflict");
    expectError(await cityApi.post(`/api/city/circulars/${d.id}/publish`), 409, "conflict");
    expectError(
      await client(t, g.a1.leader.token).put(`/api/circulars/${a1copy}/note`, { note: "メモ" }),
      409,
      "conflict",
    );
    expectError(await cityApi.post(`/api/city/circulars/${newId()}/withdraw`), 404, "not_found");
    t.clock.current = new Date(START);
  });
});

describe("who may do what", () => {
  it("city routes refuse leaders, block leaders and residents (403) and write nothing", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "associations", ids: [g.a1.id] } });
    const pub = await draft({ target: { scope: "associations", ids: [g.a3.id] } });
    await publish(pub.id);
    const blockLeader = await makeStaff(t, g.a1.id, { role: "block_leader", blockId: g.a1.blockId });
    const resident = await makeResident(t, g.a1.id, g.a1.members[0]!);
    const before = await footprint();
    for (const who of [g.a1.leader, blockLeader, resident]) {
      const api = client(t, who.token);
      const calls: Promise<Res>[] = [
        api.get("/api/city/circulars"),
        api.post("/api/city/circulars", { title: "x", body: "y", target: { scope: "city" } }),
        api.get(`/api/city/circulars/${d.id}`),
        api.patch(`/api/city/circulars/${d.id}`, { title: "x" }),
        api.delete(`/api/city/circulars/${d.id}`),
        api.post(`/api/city/circulars/${d.id}/publish`),
        api.post(`/api/city/circulars/${pub.id}/withdraw`),
        api.get(`/api/city/circulars/${pub.id}/figures`),
        api.post(`/api/city/circulars/${d.id}/attachments`, form(PDF, "x.pdf")),
        api.get(`/api/city/circulars/${d.id}/attachments/${newId()}`),
        api.delete(`/api/city/circulars/${d.id}/attachments/${newId()}`),
      ];
      for (const res of await Promise.all(calls)) expectError(res, 403, "forbidden");
    }
    expect(await footprint()).toEqual(before);
    // Signed out: 401.
    expectError(await client(t).get("/api/city/circulars"), 401, "unauthorized");
  });

  it("leader routes refuse city staff", async () => {
    const g = await geography();
    const d = await draft({ target: { scope: "associations", ids: [g.a1.id] } });
    await publish(d.id);
    const copy = await copyIn(d.id, g.a1.id);
    for (const res of [
      await cityApi.get("/api/circulars"),
      await cityApi.get(`/api/circulars/${copy}`),
      await cityApi.get(`/api/circulars/${copy}/receipts`),
      await cityApi.post("/api/circulars", { title: "x", body: "y" }),
      await cityApi.get("/api/households"),
      await cityApi.get("/api/feed"),
    ])
      expectError(res, 403, "forbidden");
  });

  it("administrators may use city routes", async () => {
    const g = await geography();
    const admin = await makeStaff(t, null, { role: "admin" });
    const api = client(t, admin.token);
    const res = await api.post("/api/city/circulars", {
      title: "お知らせ",
      body: "本文",
      target: { scope: "associations", ids: [g.a4.id] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await api.post(`/api/city/circulars/${res.body.id}/publish`)).status).toBe(200);
  });
});

describe("OpenAPI", () => {
  it("documents the city circular routes and the leader's note", async () => {
    const doc = (await client(t).get("/api/openapi.json")).body;
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    const expected: [string, string[]][] = [
      ["/api/city/circulars", ["get", "post"]],
      ["/api/city/circulars/{id}", ["get", "patch", "delete"]],
      ["/api/city/circulars/{id}/publish", ["post"]],
      ["/api/city/circulars/{id}/withdraw", ["post"]],
      ["/api/city/circulars/{id}/figures", ["get"]],
      ["/api/city/circulars/{id}/attachments", ["post"]],
      ["/api/city/circulars/{id}/attachments/{attachmentId}", ["get", "delete"]],
      ["/api/circulars/{id}/note", ["put"]],
    ];
    for (const [path, methods] of expected) expect(Object.keys(paths[path] ?? {}).sort(), path).toEqual(methods.sort());
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["CityTarget", "CityCircular", "CityCircularFigures", "CircularNote"]),
    );
  });
});
