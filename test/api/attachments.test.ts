// Attachments through the real HTTP stack, the real database and the real file BlobStore: the type is decided by
// the bytes, limits hold, and a file reaches exactly the members who can see its circular.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachments, auditLog } from "../../server/db/schema";
import { createTestApp, type TestApp } from "../helpers/app";
import {
  makeAssociation,
  makeResident,
  makeStaff,
  type AssociationFixture,
  type MemberFixture,
} from "../helpers/factories";
import { client, errorOf, ORIGIN } from "../helpers/http";

// ---------- real files, by their bytes ----------

const bytes = (b: ArrayLike<number>) => Uint8Array.from(b) as Uint8Array<ArrayBuffer>;
const hex = (h: string) => bytes(h.match(/../g)!.map((x) => parseInt(x, 16)));
const text = (s: string) => bytes(new TextEncoder().encode(s));

function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A valid 1x1 red PNG: signature, IHDR (8-bit RGB), one deflated scanline, IEND, with real CRCs. */
function tinyPng(): Uint8Array<ArrayBuffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return bytes(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk("IHDR", ihdr),
      pngChunk("IDAT", deflateSync(Buffer.from([0, 0xff, 0x00, 0x00]))),
      pngChunk("IEND", new Uint8Array()),
    ]),
  );
}

/** A valid 1x1 red baseline JPEG (cjpeg -optimize output; decodes with djpeg). */
const JPEG = hex(
  "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933" +
    "383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238426363636363" +
    "636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363ffc0001108000100" +
    "0103012200021101031101ffc4001500010100000000000000000000000000000005ffc40014100100000000000000000000000000000000" +
    "ffc4001501010100000000000000000000000000000506ffc40014110100000000000000000000000000000000ffda000c03010002110311" +
    "003f008a00b5e3ffd9",
);
/** A valid 1x1 lossless WebP: RIFF header, "WEBP", one VP8L chunk. */
const WEBP = hex("524946461c000000574542505650384c0f0000002f000000000710fd8ffe0722a2ff0100");
const PNG = tinyPng();
const PDF = text(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);
const HTML = text('<!doctype html><html><body><script>alert("x")</script></body></html>');

// ---------- helpers ----------

let t: TestApp;
let assoc: AssociationFixture;
let leader: MemberFixture;

beforeAll(async () => {
  t = await createTestApp();
  assoc = await makeAssociation(t, { blocks: 2, perBlock: 2 });
  leader = await makeStaff(t, assoc.id);
});
afterAll(() => t.close());

const filesDir = () => join(t.dir, "files");

/** Every stored file (relative paths), temporary ones included. */
function storedFiles(): string[] {
  if (!existsSync(filesDir())) return [];
  return (readdirSync(filesDir(), { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(filesDir().length + 1))
    .sort();
}

async function rowsOf(circularId: string) {
  return t.db.select().from(attachments).where(eq(attachments.circularId, circularId));
}

async function draft(token = leader.token, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await client(t, token).post("/api/circulars", {
    title: "防災訓練のお知らせ",
    body: "12月6日 9時から",
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function publish(id: string, token = leader.token) {
  const res = await client(t, token).post(`/api/circulars/${id}/publish`);
  expect(res.status).toBe(200);
}

function form(content: Uint8Array<ArrayBuffer>, name: string, type: string): FormData {
  const fd = new FormData();
  fd.append("file", new File([content], name, { type }));
  return fd;
}

function upload(
  circularId: string,
  content: Uint8Array<ArrayBuffer>,
  name: string,
  type: string,
  token = leader.token,
) {
  return client(t, token).post(`/api/circulars/${circularId}/attachments`, form(content, name, type));
}

/** How many audit entries of `action` the circular has. */
async function auditActions(circularId: string, action: string): Promise<number> {
  const rows = await t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, circularId), eq(auditLog.action, action)));
  return rows.length;
}

/** GET /api/attachments/{id} as a browser would, keeping the body as bytes. */
async function download(id: string, token?: string) {
  const headers: Record<string, string> = { origin: ORIGIN };
  if (token) headers.cookie = `kairan_session=${token}`;
  const res = await t.app.request(`/api/attachments/${id}`, { headers });
  const body = new Uint8Array(await res.arrayBuffer());
  const isJson = res.headers.get("content-type")?.includes("application/json");
  return { res, status: res.status, body, json: isJson ? JSON.parse(new TextDecoder().decode(body)) : null };
}

// ---------- tests ----------

describe("uploading", () => {
  it("stores JPEG, PNG, WebP and PDF, with the type found in the bytes whatever the name and declared type", async () => {
    const id = await draft();
    const cases = [
      { content: PNG, name: "写真.png", declared: "image/png", type: "image/png" },
      { content: JPEG, name: "scan", declared: "application/octet-stream", type: "image/jpeg" },
      { content: WEBP, name: "地図.webp", declared: "image/gif", type: "image/webp" },
      { content: PDF, name: "お知らせ.pdf", declared: "text/plain", type: "application/pdf" },
    ];
    for (const c of cases) {
      const res = await upload(id, c.content, c.name, c.declared);
      expect(res.status, c.name).toBe(201);
      expect(res.body).toMatchObject({ circularId: id, contentType: c.type, size: c.content.byteLength });
      expect(res.body.url).toBe(`/api/attachments/${res.body.id}`);
      const got = await download(res.body.id, leader.token);
      expect(got.status).toBe(200);
      expect(got.res.headers.get("content-type")).toBe(c.type);
      expect(Buffer.from(got.body).equals(Buffer.from(c.content))).toBe(true);
    }
    // A name without an extension gets the one of its type.
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.fileName).sort()).toEqual(["お知らせ.pdf", "地図.webp", "写真.png", "scan.jpg"].sort());
    for (const r of rows) expect(existsSync(join(filesDir(), r.blobKey))).toBe(true);
    // The circular lists them for its leaders.
    const detail = await client(t, leader.token).get(`/api/circulars/${id}`);
    expect(detail.body.attachments).toHaveLength(4);
  });

  it("gives the stored name the extension of the type found in the bytes", async () => {
    const id = await draft();
    const png = await upload(id, PNG, "写真.jpg", "image/jpeg");
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ contentType: "image/png", fileName: "写真.png" });
    // A PDF that calls itself a web page must not be saved to disk as one.
    const pdf = await upload(id, PDF, "evil.html", "text/html");
    expect(pdf.status).toBe(201);
    expect(pdf.body.contentType).toBe("application/pdf");
    expect(pdf.body.fileName).toBe("evil.html.pdf");
    const got = await download(pdf.body.id, leader.token);
    expect(got.res.headers.get("content-disposition")).toMatch(/filename="evil\.html\.pdf"/);
  });

  it("refuses a file whose bytes are not an allowed type (415) and stores nothing", async () => {
    const id = await draft();
    const before = storedFiles();
    const spoofs = [
      { content: HTML, name: "x.jpg", type: "image/jpeg" },
      { content: text("ただのテキストです"), name: "notice.pdf", type: "application/pdf" },
      {
        content: text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        name: "a.png",
        type: "image/png",
      },
      { content: text("GIF89a\x01\x00\x01\x00"), name: "anim.gif", type: "image/gif" },
      // RIFF that is not WebP (a WAV header).
      { content: text("RIFF\x24\x00\x00\x00WAVEfmt "), name: "a.webp", type: "image/webp" },
    ];
    for (const s of spoofs) {
      const res = await upload(id, s.content, s.name, s.type);
      expect(res.status, s.name).toBe(415);
      const e = errorOf(res);
      expect(e.code).toBe("unsupported_media_type");
      expect(e.message).toMatch(/JPEG.*PDF/);
      expect(e.requestId).not.toBe("");
    }
    expect(await rowsOf(id)).toHaveLength(0);
    expect(storedFiles()).toEqual(before);
    expect(await auditActions(id, "attachment.create")).toBe(0);
  });

  it("refuses a file over 10 MB (413) and stores nothing", async () => {
    const id = await draft();
    const before = storedFiles();
    const max = t.config.attachments.maxBytes;
    expect(max).toBe(10 * 1024 * 1024);
    // Just over the limit: passes the body limit, refused by the service. A PNG signature, so only the size is wrong.
    const justOver = new Uint8Array(max + 1) as Uint8Array<ArrayBuffer>;
    justOver.set(PNG);
    const res = await upload(id, justOver, "big.png", "image/png");
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe("payload_too_large");
    expect(errorOf(res).message).toMatch(/10MB/);
    // Far over: refused while the body is read.
    const huge = new Uint8Array(max + 2 * 1024 * 1024) as Uint8Array<ArrayBuffer>;
    huge.set(PNG);
    const res2 = await upload(id, huge, "huge.png", "image/png");
    expect(res2.status).toBe(413);
    expect(errorOf(res2).code).toBe("payload_too_large");
    // Exactly at the limit is fine.
    const atLimit = new Uint8Array(max) as Uint8Array<ArrayBuffer>;
    atLimit.set(PNG);
    const ok = await upload(id, atLimit, "max.png", "image/png");
    expect(ok.status).toBe(201);
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.fileName)).toEqual(["max.png"]);
    expect(storedFiles()).toEqual([...before, rows[0]!.blobKey].sort());
  });

  it("allows at most 5 attachments per circular (the 6th is 409)", async () => {
    const id = await draft();
    for (let i = 1; i <= 5; i++) expect((await upload(id, PNG, `${i}.png`, "image/png")).status).toBe(201);
    const before = storedFiles();
    const sixth = await upload(id, PNG, "6.png", "image/png");
    expect(sixth.status).toBe(409);
    const e = errorOf(sixth);
    expect(e.code).toBe("conflict");
    expect(e.message).toContain("5つまで");
    expect(await rowsOf(id)).toHaveLength(5);
    expect(storedFiles()).toEqual(before);
  });

  it("holds the limit of 5 when uploads arrive at the same time", async () => {
    const id = await draft();
    for (let i = 1; i <= 4; i++) expect((await upload(id, PNG, `${i}.png`, "image/png")).status).toBe(201);
    const before = storedFiles();
    const results = await Promise.all([1, 2, 3].map((i) => upload(id, JPEG, `late${i}.jpg`, "image/jpeg")));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409))
      expect(errorOf(refused).message).toContain("5つまで");
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(5);
    // Exactly one new file: the refused uploads' bytes were removed again.
    expect(storedFiles()).toEqual([...before, rows.find((r) => r.fileName.startsWith("late"))!.blobKey].sort());
    expect(await auditActions(id, "attachment.create")).toBe(5);
  });

  it("refuses uploads to a published or withdrawn circular (409) and stores nothing", async () => {
    const id = await draft();
    await publish(id);
    const before = storedFiles();
    const res = await upload(id, PNG, "late.png", "image/png");
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe("conflict");
    expect(errorOf(res).message).toContain("下書き");
    expect((await client(t, leader.token).post(`/api/circulars/${id}/withdraw`)).status).toBe(200);
    expect((await upload(id, PDF, "late.pdf", "application/pdf")).status).toBe(409);
    expect(await rowsOf(id)).toHaveLength(0);
    expect(storedFiles()).toEqual(before);
  });

  it("answers 400 for an empty file or a missing file field", async () => {
    const id = await draft();
    const empty = await upload(id, new Uint8Array() as Uint8Array<ArrayBuffer>, "empty.png", "image/png");
    expect(empty.status).toBe(400);
    expect(errorOf(empty).code).toBe("validation_failed");
    const fd = new FormData();
    fd.append("other", "x");
    const missing = await client(t, leader.token).post(`/api/circulars/${id}/attachments`, fd);
    expect(missing.status).toBe(400);
    const e = errorOf(missing);
    expect(e.fields).toEqual([expect.objectContaining({ path: "file", message: "ファイルを選んでください。" })]);
    expect(await rowsOf(id)).toHaveLength(0);
  });

  it("lets only leaders of the circular's own association upload", async () => {
    const id = await draft();
    const before = storedFiles();
    const blockLeader = await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[0] });
    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    expect((await upload(id, PNG, "a.png", "image/png", blockLeader.token)).status).toBe(403);
    expect((await upload(id, PNG, "a.png", "image/png", resident.token)).status).toBe(403);
    const anon = await client(t).post(`/api/circulars/${id}/attachments`, form(PNG, "a.png", "image/png"));
    expect(anon.status).toBe(401);
    const other = await makeAssociation(t);
    const otherLeader = await makeStaff(t, other.id);
    const foreign = await upload(id, PNG, "a.png", "image/png", otherLeader.token);
    expect(foreign.status).toBe(404);
    expect(errorOf(foreign).code).toBe("not_found");
    expect(await rowsOf(id)).toHaveLength(0);
    expect(storedFiles()).toEqual(before);
  });
});

describe("downloading", () => {
  it("serves the bytes with safe headers and the Japanese name in filename* (RFC 8187)", async () => {
    const id = await draft();
    const name = "回覧のお知らせ(第1回)'s.pdf";
    const up = await upload(id, PDF, name, "application/pdf");
    expect(up.status).toBe(201);
    expect(up.body.fileName).toBe(name);
    const got = await download(up.body.id, leader.token);
    expect(got.status).toBe(200);
    expect(Buffer.from(got.body).equals(Buffer.from(PDF))).toBe(true);
    const h = got.res.headers;
    expect(h.get("content-type")).toBe("application/pdf");
    expect(h.get("content-length")).toBe(String(PDF.byteLength));
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("content-security-policy")).toMatch(/(^|;\s*)default-src 'none'(;|$)/);
    expect(h.get("cache-control")).toMatch(/private/);

    const cd = h.get("content-disposition")!;
    expect(cd).toMatch(/^inline;/);
    // The fallback is plain ASCII in quotes; filename* is charset''value with only attr-chars or %XX (RFC 8187).
    const fallback = cd.match(/filename="([^"]*)"/)?.[1];
    expect(fallback).toMatch(/^[\x20-\x7e]+\.pdf$/);
    const ext = cd.match(/filename\*=UTF-8''([^;\s]*)/)?.[1];
    expect(ext).toBeDefined();
    expect(ext).toMatch(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
    expect(decodeURIComponent(ext!)).toBe(name);
  });

  it("serves images in a sandbox with default-src 'none'", async () => {
    const id = await draft();
    const up = await upload(id, JPEG, "写真.jpg", "image/jpeg");
    const got = await download(up.body.id, leader.token);
    expect(got.status).toBe(200);
    expect(got.res.headers.get("content-type")).toBe("image/jpeg");
    expect(got.res.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = got.res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/(^|;\s*)default-src 'none'(;|$)/);
    expect(csp).toMatch(/(^|;\s*)sandbox(;|$)/);
    expect(csp).not.toMatch(/script-src/);
    expect(got.res.headers.get("content-disposition")).toContain("filename*=UTF-8''%E5%86%99%E7%9C%9F.jpg");
  });

  it("reaches the households in the audience after publication, and nobody else", async () => {
    const [inBlock, outBlock] = assoc.blockIds as [string, string];
    const id = await draft(leader.token, { audience: "blocks", blockIds: [inBlock] });
    const up = await upload(id, PNG, "地図.png", "image/png");
    expect(up.status).toBe(201);
    const fileId = up.body.id as string;

    const inside = await makeResident(t, assoc.id, assoc.households.find((h) => h.blockId === inBlock)!.id);
    const outside = await makeResident(t, assoc.id, assoc.households.find((h) => h.blockId === outBlock)!.id);
    const ownBlockLeader = await makeStaff(t, assoc.id, { role: "block_leader", blockId: inBlock });
    const otherBlockLeader = await makeStaff(t, assoc.id, { role: "block_leader", blockId: outBlock });
    const other = await makeAssociation(t);
    const otherLeader = await makeStaff(t, other.id);
    const otherResident = await makeResident(t, other.id, other.households[0]!.id);

    // A draft: only its leaders.
    expect((await download(fileId, leader.token)).status).toBe(200);
    for (const who of [inside, outside, ownBlockLeader, otherBlockLeader, otherLeader, otherResident]) {
      const got = await download(fileId, who.token);
      expect(got.status).toBe(404);
      expect(got.json.error.code).toBe("not_found");
    }

    await publish(id);
    const ok = await download(fileId, inside.token);
    expect(ok.status).toBe(200);
    expect(Buffer.from(ok.body).equals(Buffer.from(PNG))).toBe(true);
    expect((await download(fileId, ownBlockLeader.token)).status).toBe(200);
    for (const who of [outside, otherBlockLeader, otherLeader, otherResident]) {
      const got = await download(fileId, who.token);
      expect(got.status).toBe(404);
      expect(got.json.error).toMatchObject({ code: "not_found", message: expect.stringMatching(/見つかりません/) });
      // Nothing of the file leaks in a refusal.
      expect(Buffer.from(got.body).includes(Buffer.from(PNG.subarray(0, 8)))).toBe(false);
    }
    expect((await download(fileId)).status).toBe(401);

    // Withdrawn: residents no longer see it; its leaders still do.
    expect((await client(t, leader.token).post(`/api/circulars/${id}/withdraw`)).status).toBe(200);
    expect((await download(fileId, inside.token)).status).toBe(404);
    expect((await download(fileId, leader.token)).status).toBe(200);
  });

  it("answers 404 for an unknown id", async () => {
    const got = await download("nosuchattachment0000000000", leader.token);
    expect(got.status).toBe(404);
    expect(got.json.error.code).toBe("not_found");
  });
});

describe("removing", () => {
  it("DELETE on a draft's attachment removes its row and its file", async () => {
    const id = await draft();
    const keep = await upload(id, PNG, "keep.png", "image/png");
    const gone = await upload(id, PDF, "gone.pdf", "application/pdf");
    const [row] = (await rowsOf(id)).filter((r) => r.id === gone.body.id);
    const path = join(filesDir(), row!.blobKey);
    expect(existsSync(path)).toBe(true);

    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    expect((await client(t, resident.token).delete(`/api/attachments/${gone.body.id}`)).status).toBe(403);
    const otherLeader = await makeStaff(t, (await makeAssociation(t)).id);
    expect((await client(t, otherLeader.token).delete(`/api/attachments/${gone.body.id}`)).status).toBe(404);
    expect(existsSync(path)).toBe(true);

    const res = await client(t, leader.token).delete(`/api/attachments/${gone.body.id}`);
    expect(res.status).toBe(204);
    expect((await rowsOf(id)).map((r) => r.id)).toEqual([keep.body.id]);
    expect(existsSync(path)).toBe(false);
    expect(await auditActions(id, "attachment.create")).toBe(2);
    expect(await auditActions(id, "attachment.delete")).toBe(1);
    expect((await download(gone.body.id, leader.token)).status).toBe(404);
    expect((await client(t, leader.token).delete(`/api/attachments/${gone.body.id}`)).status).toBe(404);
    // The other file is untouched.
    expect((await download(keep.body.id, leader.token)).status).toBe(200);
  });

  it("refuses to remove an attachment of a published circular (409) and keeps the file", async () => {
    const id = await draft();
    const up = await upload(id, PNG, "a.png", "image/png");
    await publish(id);
    const [row] = await rowsOf(id);
    const res = await client(t, leader.token).delete(`/api/attachments/${up.body.id}`);
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe("conflict");
    expect(await rowsOf(id)).toHaveLength(1);
    expect(existsSync(join(filesDir(), row!.blobKey))).toBe(true);
    expect(await auditActions(id, "attachment.delete")).toBe(0);
  });

  it("deleting the draft circular removes its attachments' rows and files", async () => {
    const id = await draft();
    const other = await draft();
    await upload(id, PNG, "a.png", "image/png");
    await upload(id, PDF, "b.pdf", "application/pdf");
    await upload(other, JPEG, "c.jpg", "image/jpeg");
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(2);
    const paths = rows.map((r) => join(filesDir(), r.blobKey));
    for (const p of paths) expect(existsSync(p)).toBe(true);

    const res = await client(t, leader.token).delete(`/api/circulars/${id}`);
    expect(res.status).toBe(204);
    expect(await rowsOf(id)).toHaveLength(0);
    for (const p of paths) expect(existsSync(p)).toBe(false);
    for (const r of rows) expect((await download(r.id, leader.token)).status).toBe(404);
    // Another draft's file stays.
    const [kept] = await rowsOf(other);
    expect(existsSync(join(filesDir(), kept!.blobKey))).toBe(true);
  });
});
