// The audit module (server/features/audit/audit.ts) against a real libSQL file: a guarded audit row is written
// exactly when the write just before it in the same batch changed something; the statements guarded by it run
// only then; and `happened` tells, from the batch's answer, whether the request's write was the one that happened.
// Then the same rules through HTTP where races are real: uploads to a city draft (the shared upload path) and two
// deletions of the same city draft at once.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, circulars } from "../../server/db/schema";
import { auditIfWritten, happened, type AuditEntry } from "../../server/features/audit/audit";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeStaff, type AssociationFixture, type MemberFixture } from "../helpers/factories";
import { client, errorOf } from "../helpers/http";

let t: TestApp;
let assoc: AssociationFixture;
let leader: MemberFixture;
let city: MemberFixture;

beforeAll(async () => {
  t = await createTestApp();
  assoc = await makeAssociation(t, { blocks: 1, perBlock: 2 });
  leader = await makeStaff(t, assoc.id);
  city = await makeStaff(t, null, { role: "city" });
});
afterAll(() => t.close());

async function count(query: string, args: string[]): Promise<number> {
  return Number((await t.client.execute({ sql: query, args })).rows[0]![0]);
}

async function leaderDraft(): Promise<string> {
  const res = await client(t, leader.token).post("/api/circulars", {
    title: "草刈りのお知らせ",
    body: "日曜の朝です。",
    priority: "normal",
    audience: "all",
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe("a guarded audit row", () => {
  const entry = (targetId: string): AuditEntry => ({
    associationId: assoc.id,
    actorId: leader.id,
    action: "circular.update",
    targetType: "circular",
    targetId,
    detail: { fields: ["title"] },
    at: t.clock.now(),
  });
  /** The guarded write: a title change of a circular still in `status`. */
  const rename = (id: string, status: "draft" | "published") =>
    t.db
      .update(circulars)
      .set({ title: "変更後" })
      .where(and(eq(circulars.id, id), eq(circulars.status, status)))
      .returning({ id: circulars.id });

  it("is written when the write before it changed a row, and lets the statements it guards run", async () => {
    const id = await leaderDraft();
    const audit = auditIfWritten(t.db, entry(id));
    const [changed, inserted, guarded] = await t.db.batch([
      rename(id, "draft"),
      audit.insert,
      t.db.all<{ ok: number }>(sql`SELECT 1 AS ok WHERE ${audit.won}`),
    ]);
    expect(happened(changed)).toBe(true);
    expect(happened(inserted)).toBe(true);
    expect(guarded).toEqual([{ ok: 1 }]);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.id, audit.id));
    expect(row).toMatchObject({ action: "circular.update", targetId: id, associationId: assoc.id, actorId: leader.id });
    expect(JSON.parse(row!.detail)).toEqual({ fields: ["title"] });
  });

  it("is absent when the write before it changed nothing, and so is everything it guards", async () => {
    const id = await leaderDraft();
    const before = await count("SELECT count(*) FROM audit_log WHERE target_id = ?", [id]);
    const audit = auditIfWritten(t.db, entry(id));
    // The circular is a draft, so "still published" matches nothing: the request lost.
    const [changed, inserted, guarded] = await t.db.batch([
      rename(id, "published"),
      audit.insert,
      t.db.all<{ ok: number }>(sql`SELECT 1 AS ok WHERE ${audit.won}`),
    ]);
    expect(happened(changed)).toBe(false);
    expect(happened(inserted)).toBe(false);
    expect(guarded).toEqual([]);
    expect(await count("SELECT count(*) FROM audit_log WHERE target_id = ?", [id])).toBe(before);
    const [title] = await t.db.select({ title: circulars.title }).from(circulars).where(eq(circulars.id, id));
    expect(title!.title).toBe("草刈りのお知らせ");
  });
});

describe("through HTTP, when requests race", () => {
  const filesDir = () => join(t.dir, "files");
  /** Every stored file (relative paths). */
  function storedFiles(): string[] {
    if (!existsSync(filesDir())) return [];
    return (readdirSync(filesDir(), { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name).slice(filesDir().length + 1))
      .sort();
  }
  const PDF = new TextEncoder().encode("%PDF-1.4\n%test\n");
  function form(name: string) {
    const f = new FormData();
    f.append("file", new File([PDF as Uint8Array<ArrayBuffer>], name, { type: "application/pdf" }));
    return f;
  }
  async function cityDraft(): Promise<string> {
    const res = await client(t, city.token).post("/api/city/circulars", {
      title: "市政だより",
      body: "今月のお知らせです。",
      priority: "normal",
      dueAt: null,
      target: { scope: "city" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  it("a city draft keeps its limit of 5 files; only the stored ones are audited, the refused bytes removed", async () => {
    const api = client(t, city.token);
    const id = await cityDraft();
    for (let i = 1; i <= 4; i++)
      expect((await api.post(`/api/city/circulars/${id}/attachments`, form(`${i}.pdf`))).status).toBe(201);
    const before = storedFiles();
    const results = await Promise.all(
      [1, 2, 3].map((i) => api.post(`/api/city/circulars/${id}/attachments`, form(`late${i}.pdf`))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409))
      expect(errorOf(refused).message).toContain("5つまで");
    const stored = results.find((r) => r.status === 201)!.body as { id: string };
    expect(storedFiles()).toEqual([...before, `city/${stored.id}`].sort());
    expect(await count("SELECT count(*) FROM city_attachments WHERE city_circular_id = ?", [id])).toBe(5);
    expect(
      await count("SELECT count(*) FROM audit_log WHERE action = 'city.circular.attachment.create' AND target_id = ?", [
        id,
      ]),
    ).toBe(5);
  });

  it("two deletions of one city draft at once: one 204, one 404, one audit row", async () => {
    const api = client(t, city.token);
    const id = await cityDraft();
    const results = await Promise.all([
      api.delete(`/api/city/circulars/${id}`),
      api.delete(`/api/city/circulars/${id}`),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 404]);
    expect(
      await count("SELECT count(*) FROM audit_log WHERE action = 'city.circular.delete' AND target_id = ?", [id]),
    ).toBe(1);
  });
});
