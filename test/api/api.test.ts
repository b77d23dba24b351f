// The API as a whole: its OpenAPI document and reference page, health, the error shape for everything a client can
// get wrong (never a 5xx), sign-in and Origin checks, and the rule that only the Node entry touches Node.
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../server/app";
import { circulars } from "../../server/db/schema";
import { API_REFERENCE_SCRIPT } from "../../server/lib/api-docs";
import { createFileBlobStore } from "../../server/node/file-blob-store";
import { createTestApp, type TestApp } from "../helpers/app";
import {
  makeAssociation,
  makeResident,
  makeStaff,
  type AssociationFixture,
  type MemberFixture,
} from "../helpers/factories";
import { client, ORIGIN, expectError } from "../helpers/http";

let t: TestApp;
let assoc: AssociationFixture;
let leader: MemberFixture;

beforeAll(async () => {
  t = await createTestApp();
  assoc = await makeAssociation(t, { blocks: 1, perBlock: 2 });
  leader = await makeStaff(t, assoc.id);
});
afterAll(() => t.close());

/** The error shape, with a request id that matches the X-Request-Id header, and never a 5xx. */

async function circularCount() {
  return (await t.db.select().from(circulars).where(eq(circulars.associationId, assoc.id))).length;
}

describe("OpenAPI document and reference", () => {
  it("GET /api/openapi.json is an OpenAPI 3.1 document of the whole API", async () => {
    const res = await client(t).get("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Kairan API", version: expect.any(String) });

    // Paths are keyed by their full URL with OpenAPI {param} templates.
    const paths = doc.paths as Record<string, Record<string, any>>;
    const expected: [string, string[]][] = [
      ["/api/health", ["get"]],
      ["/api/auth/login", ["post"]],
      ["/api/auth/me", ["get"]],
      ["/api/join", ["post"]],
      ["/api/join/{token}", ["get"]],
      ["/api/circulars", ["get", "post"]],
      ["/api/circulars/{id}", ["get", "patch", "delete"]],
      ["/api/circulars/{id}/publish", ["post"]],
      ["/api/circulars/{id}/attachments", ["post"]],
      ["/api/circulars/{id}/receipts", ["get"]],
      ["/api/attachments/{id}", ["get", "delete"]],
      ["/api/feed", ["get"]],
      ["/api/feed/{id}/ack", ["post"]],
      ["/api/blocks", ["get", "post"]],
      ["/api/households", ["get", "post"]],
      ["/api/households/{id}", ["get", "patch"]],
      ["/api/members/{id}", ["patch"]],
      ["/api/audit", ["get"]],
    ];
    for (const [path, methods] of expected) {
      expect(paths[path], path).toBeDefined();
      for (const m of methods) expect(paths[path]![m], `${m} ${path}`).toBeDefined();
    }
    for (const key of Object.keys(paths)) {
      expect(key).toMatch(/^\/api\//);
      expect(key).not.toMatch(/\/:/);
    }
    expect(paths["/api/feed/{id}/ack"]!.post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "id", in: "path", required: true })]),
    );
    expect(paths["/api/circulars/{id}/attachments"]!.post.requestBody.content["multipart/form-data"]).toBeDefined();
    expect(paths["/api/circulars"]!.post.requestBody.content["application/json"]).toBeDefined();

    // The Error component, and every documented error answer uses it.
    const error = doc.components.schemas.Error;
    expect(error.required).toEqual(["error"]);
    expect(error.properties.error.required).toEqual(
      expect.arrayContaining(["code", "message", "messageEn", "requestId"]),
    );
    const errorRef = "#/components/schemas/Error";
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (Number(status) >= 400)
            expect(response.content?.["application/json"]?.schema?.$ref, `${method} ${path} ${status}`).toBe(errorRef);
        }
      }
    }
  });

  it("GET /api/docs answers the HTML reference page", async () => {
    const res = await client(t).get("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
    expect(res.body).toContain("/api/openapi.json");
  });

  it("loads the reference viewer from this server only, and the server answers its script as JavaScript", async () => {
    // The viewer's script as the build copies it (vite.config.ts), served through the app's static files.
    const bundle = join(
      dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")),
      "browser/standalone.js",
    );
    const bytes = new Uint8Array(readFileSync(bundle));
    const app = createApp({
      config: t.config,
      db: t.db,
      blobs: createFileBlobStore(join(t.dir, "files")),
      assets: { get: async (path) => (path === API_REFERENCE_SCRIPT ? { body: bytes, size: bytes.length } : null) },
    });
    const page = await app.request("/api/docs");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({
      src: /\bsrc="([^"]+)"/.exec(m[1]!)?.[1],
      nonce: /\bnonce="([^"]+)"/.exec(m[1]!)?.[1],
      body: m[2]!,
    }));
    // One script file, from this origin; the start-up script inline, importing nothing from anywhere.
    expect(scripts.filter((s) => s.src).map((s) => s.src)).toEqual([API_REFERENCE_SCRIPT]);
    expect(new URL(API_REFERENCE_SCRIPT, ORIGIN).origin).toBe(ORIGIN);
    expect(html).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/\bimport\b/);
    // Scripts run by the page's nonce only, and the page reaches nothing outside this origin.
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = scripts[0]?.nonce;
    expect(nonce).toBeTruthy();
    expect(scripts.every((s) => s.nonce === nonce)).toBe(true);
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}'`);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    // A fresh nonce each time.
    expect((await app.request("/api/docs")).headers.get("content-security-policy")).not.toBe(csp);

    const script = await app.request(API_REFERENCE_SCRIPT);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    // What the inline start-up script calls is what the served bundle defines.
    expect(scripts.find((s) => !s.src)?.body).toContain("Scalar.createApiReference(");
    expect(await script.text()).toContain("createApiReference");
  });

  it("GET / answers HTML that points to the API reference", async () => {
    const res = await client(t).get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.body).toContain("回覧板");
    expect(res.body).toContain('href="/api/docs"');
    // Outside /api, an unknown page is a plain 404 (not the API's JSON).
    const missing = await client(t).get("/no/such/page");
    expect(missing.status).toBe(404);
  });
});

describe("health", () => {
  it("GET /api/health checks the database", async () => {
    const res = await client(t).get("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 in the error shape when the database is unreachable", async () => {
    const broken = await createTestApp();
    // The route logs the failed check for the operator: expected here, so caught and asserted rather than printed.
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      broken.client.close();
      const res = await client(broken).get("/api/health");
      expectError(res, 503, "service_unavailable");
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0]![0]).toBe("health: database check failed");
      expect((logged.mock.calls[0]![1] as { cause?: { code?: string } }).cause?.code).toBe("CLIENT_CLOSED");
    } finally {
      logged.mockRestore();
      await broken.close();
    }
  });
});

describe("errors a client can cause are 4xx in the error shape", () => {
  it("an unknown /api route is a 404 JSON error", async () => {
    const api = client(t, leader.token);
    expectError(await api.get("/api/no-such-route"), 404, "not_found");
    expectError(await client(t).get("/api/circulars/x/y/z"), 404, "not_found");
    expectError(await api.post("/api/no-such-route", { a: 1 }), 404, "not_found");
    expectError(await api.put("/api/circulars", { a: 1 }), 404, "not_found");
    expectError(await client(t).get("/api"), 404, "not_found");
  });

  it("malformed JSON is 400 invalid_json", async () => {
    const api = client(t, leader.token);
    for (const body of ['{"title":', "{title: 'x'}", '{"title":"x",}', "\u0000"]) {
      const e = expectError(await api.post("/api/circulars", body), 400, "invalid_json");
      expect(e.message).toContain("JSON");
    }
    // Before sign-in too.
    expectError(await client(t).post("/api/auth/login", '{"email":'), 400, "invalid_json");
    expect(await circularCount()).toBe(0);
  });

  it("well-formed JSON of the wrong shape is 400 with field messages", async () => {
    const api = client(t, leader.token);
    for (const body of ["[]", "null", '"text"', "42"]) {
      const e = expectError(await api.post("/api/circulars", body), 400, "validation_failed");
      expect(e.message).toContain("形式が正しくありません");
      expect(e.fields).toHaveLength(1);
    }
    const e = expectError(await api.post("/api/circulars", { title: 123 }), 400, "validation_failed");
    expect(e.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "title", message: "タイトルの形式が正しくありません。" }),
        expect.objectContaining({ path: "body", message: "本文を入力してください。" }),
      ]),
    );
    const due = expectError(
      await api.post("/api/circulars", { title: "t", body: "b", dueAt: "あした" }),
      400,
      "validation_failed",
    );
    // Whatever the schema of a due date, its message names the field in Japanese (never zod's "Invalid input").
    expect(due.fields).toEqual([
      expect.objectContaining({ path: "dueAt", message: expect.stringMatching(/^確認期限.*形式/) }),
    ]);
    expectError(await api.get("/api/circulars?limit=lots"), 400, "validation_failed");
    expect(await circularCount()).toBe(0);
  });

  it("a body of the wrong Content-Type is 415, and changes nothing", async () => {
    const api = client(t, leader.token);
    const json = JSON.stringify({ title: "回覧", body: "本文" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      expectError(await api.post("/api/circulars", json, { "content-type": type }), 415, "unsupported_media_type");
    }
    expectError(
      await client(t).post("/api/auth/login", "email=a@example.jp&password=x", {
        "content-type": "application/x-www-form-urlencoded",
      }),
      415,
      "unsupported_media_type",
    );
    expect(await circularCount()).toBe(0);

    // An edit sent as text must not pass as an empty edit.
    const draft = await api.post("/api/circulars", { title: "元のタイトル", body: "本文" });
    expect(draft.status).toBe(201);
    expectError(
      await api.patch(`/api/circulars/${draft.body.id}`, JSON.stringify({ title: "新しいタイトル" }), {
        "content-type": "text/plain",
      }),
      415,
      "unsupported_media_type",
    );
    expect((await api.get(`/api/circulars/${draft.body.id}`)).body.title).toBe("元のタイトル");

    // JSON where a file upload is expected, and a broken multipart body.
    expectError(
      await api.post(`/api/circulars/${draft.body.id}/attachments`, { file: "x" }),
      415,
      "unsupported_media_type",
    );
    expectError(
      await api.post(`/api/circulars/${draft.body.id}/attachments`, "--nope\r\n\r\n", {
        "content-type": "multipart/form-data; boundary=xyz",
      }),
      400,
      "validation_failed",
    );
    expect((await api.delete(`/api/circulars/${draft.body.id}`)).status).toBe(204);
  });

  it("a JSON body over config.maxJsonBytes is 413", async () => {
    const max = t.config.maxJsonBytes;
    const api = client(t, leader.token);
    const padding = "あ".repeat(Math.ceil(max / 3) + 10); // 3 bytes each in UTF-8
    const e = expectError(
      await api.post("/api/circulars", { title: "大きすぎる", body: padding }),
      413,
      "payload_too_large",
    );
    expect(e.messageEn).toMatch(/too large/i);
    expectError(
      await client(t).post("/api/auth/login", { email: "a@example.jp", password: "x".repeat(max) }),
      413,
      "payload_too_large",
    );
    // The limit is on bytes: just under it is read (and then judged by the schema).
    const under = JSON.stringify({ title: "t", body: "x".repeat(max - 100) });
    expect(new TextEncoder().encode(under).byteLength).toBeLessThanOrEqual(max);
    expectError(await api.post("/api/circulars", under), 400, "validation_failed");
    expect(await circularCount()).toBe(0);
  });
});

describe("sign-in and Origin", () => {
  it("protected routes answer 401 without a valid session", async () => {
    const circular = await client(t, leader.token).post("/api/circulars", { title: "t", body: "b" });
    const id = circular.body.id as string;
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/auth/me"],
      ["GET", "/api/circulars"],
      ["POST", "/api/circulars", { title: "t", body: "b" }],
      ["GET", `/api/circulars/${id}`],
      ["DELETE", `/api/circulars/${id}`],
      ["POST", `/api/circulars/${id}/publish`],
      ["GET", "/api/feed"],
      ["POST", `/api/feed/${id}/ack`],
      ["GET", "/api/blocks"],
      ["GET", "/api/households"],
      ["GET", "/api/members"],
      ["GET", "/api/audit"],
      ["GET", `/api/attachments/${id}`],
    ];
    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    const badTokens = [undefined, "garbage", `${resident.token.split(".")[0]}.wrongsecret`, "x".repeat(300)];
    for (const token of badTokens) {
      const api = client(t, token);
      for (const [method, path, body] of routes) {
        const res =
          method === "GET"
            ? await api.get(path)
            : method === "DELETE"
              ? await api.delete(path)
              : await api.post(path, body);
        expectError(res, 401, "unauthorized");
      }
    }
    // A bearer token works like the cookie (scripts, the CLI); a wrong one does not.
    const bearer = await client(t).get("/api/auth/me", { authorization: `Bearer ${leader.token}` });
    expect(bearer.status).toBe(200);
    expectError(await client(t).get("/api/auth/me", { authorization: "Bearer nope.nope" }), 401, "unauthorized");
    // The circular is still there: none of the refused requests touched it.
    expect((await client(t, leader.token).get(`/api/circulars/${id}`)).body.status).toBe("draft");
    expect((await client(t, leader.token).delete(`/api/circulars/${id}`)).status).toBe(204);
  });

  it("a session unused for its whole lifetime expires (401); one in use slides on", async () => {
    const idle = await makeStaff(t, assoc.id);
    const busy = await makeStaff(t, assoc.id);
    expect((await client(t, idle.token).get("/api/auth/me")).status).toBe(200);
    const ttl = t.config.sessionTtlMs.staff;
    t.clock.advance(ttl - 24 * 60 * 60 * 1000);
    expect((await client(t, busy.token).get("/api/auth/me")).status).toBe(200);
    // Two days on: past the idle session's end, well inside the busy one's renewed lifetime.
    t.clock.advance(2 * 24 * 60 * 60 * 1000);
    expectError(await client(t, idle.token).get("/api/auth/me"), 401, "unauthorized");
    expect((await client(t, busy.token).get("/api/auth/me")).status).toBe(200);
    // The file's leader is kept signed in for the tests that follow.
    leader = busy;
  });

  it("a state-changing request with a foreign Origin is 403 csrf_rejected and does nothing", async () => {
    const before = await circularCount();
    const evil = { origin: "https://evil.example" };
    const foreign = client(t, leader.token, evil);
    expectError(await foreign.post("/api/circulars", { title: "偽", body: "偽" }), 403, "csrf_rejected");
    expectError(
      await foreign.post("/api/circulars", "title=x", { "content-type": "application/x-www-form-urlencoded" }),
      403,
      "csrf_rejected",
    );
    expectError(
      await client(t, undefined, evil).post("/api/auth/login", { email: "a@example.jp", password: "x" }),
      403,
      "csrf_rejected",
    );
    expectError(await foreign.delete("/api/attachments/whatever"), 403, "csrf_rejected");
    // Same host on another port or scheme is foreign too.
    expectError(
      await client(t, leader.token, { origin: "http://localhost:8080" }).post("/api/circulars", {
        title: "x",
        body: "y",
      }),
      403,
      "csrf_rejected",
    );
    // A form-like post without any Origin (an old browser) is refused by the CSRF check as well.
    const bare = await t.app.request("/api/circulars", {
      method: "POST",
      headers: { cookie: `kairan_session=${leader.token}`, "content-type": "text/plain" },
      body: "{}",
    });
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { error: { code: string } }).error.code).toBe("csrf_rejected");
    expect(await circularCount()).toBe(before);
    // Reading is allowed from anywhere the cookie goes (SameSite=Lax decides that).
    expect((await foreign.get("/api/circulars")).status).toBe(200);
  });

  it("the configured public origin is accepted, others are not", async () => {
    const behindProxy = await createTestApp({ PUBLIC_ORIGIN: "https://kairan.example.jp" });
    try {
      const a = await makeAssociation(behindProxy);
      const l = await makeStaff(behindProxy, a.id);
      const auth = { authorization: `Bearer ${l.token}` };
      const ok = await client(behindProxy, undefined, { origin: "https://kairan.example.jp", ...auth }).post(
        "/api/circulars",
        { title: "t", body: "b" },
      );
      expect(ok.status).toBe(201);
      const bad = await client(behindProxy, undefined, {
        origin: "https://kairan.example.jp.evil.example",
        ...auth,
      }).post("/api/circulars", { title: "t", body: "b" });
      expectError(bad, 403, "csrf_rejected");
    } finally {
      await behindProxy.close();
    }
  });

  it("same-origin requests pass (the helper's Origin is the app's own)", async () => {
    const res = await client(t, leader.token).post("/api/circulars", { title: "t", body: "b" });
    expect(res.status).toBe(201);
    expect(ORIGIN).toBe("http://localhost");
    expect((await client(t, leader.token).delete(`/api/circulars/${res.body.id}`)).status).toBe(204);
  });
});

// ---------- only the Node entry touches Node ----------

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVER = join(ROOT, "server");
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.replace(/^node:/, "")]));

/** Whether a file is allowed to use Node: server/node.ts and everything under server/node/. */
function isNodeEntry(rel: string): boolean {
  const p = rel.split(sep).join("/");
  return p === "server/node.ts" || p.startsWith("server/node/");
}

/** Node APIs a source file uses: imports of node:* or bare built-ins (static, dynamic, require) and `process`. */
function nodeUsesIn(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (n: ts.Node) => `${fileName}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const checkSpecifier = (spec: ts.Expression | undefined, n: ts.Node) => {
    if (spec && ts.isStringLiteralLike(spec)) {
      const name = spec.text;
      if (name.startsWith("node:") || NODE_BUILTINS.has(name) || NODE_BUILTINS.has(name.split("/")[0]!))
        found.push(`${where(n)} imports "${name}"`);
    }
  };
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) checkSpecifier(n.moduleSpecifier, n);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference))
      checkSpecifier(n.moduleReference.expression, n);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument))
      checkSpecifier(n.argument.literal as ts.Expression, n);
    else if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require"))
        checkSpecifier(n.arguments[0], n);
    } else if (ts.isIdentifier(n) && n.text === "process") {
      // The global, however reached: process.env, process["env"], const { env } = process. Not a property or
      // a declaration that merely has that name.
      const p = n.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p)) && p.name === n) ||
        (ts.isPropertySignature(p) && p.name === n) ||
        (ts.isMethodDeclaration(p) && p.name === n);
      if (!isName)
        found.push(`${where(n)} uses process${ts.isPropertyAccessExpression(p) ? `.${p.name.getText(sf)}` : ""}`);
    } else if (
      ts.isPropertyAccessExpression(n) &&
      n.name.text === "process" &&
      /^(globalThis|global|window|self)$/.test(n.expression.getText(sf))
    ) {
      found.push(`${where(n)} uses ${n.getText(sf)}`);
    } else if (
      ts.isElementAccessExpression(n) &&
      ts.isStringLiteralLike(n.argumentExpression) &&
      n.argumentExpression.text === "process"
    ) {
      found.push(`${where(n)} uses ${n.getText(sf)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(?:[cm]?[jt]sx?)$/.test(d.name) && !d.name.endsWith(".d.ts"))
    .map((d) => join(d.parentPath, d.name));
}

describe("runtime independence", () => {
  it("the checker finds every way of reaching Node, and ignores comments and look-alikes", () => {
    const bad = [
      'import { readFile } from "node:fs/promises";',
      'import fs from "fs";',
      'import * as path from "path";',
      'import type { Stats } from "node:fs";',
      'export { createHash } from "node:crypto";',
      'export * from "os";',
      'const m = await import("node:child_process");',
      'const p = require("node:path");',
      "import x = require('node:util');",
      "type B = import('node:buffer').Buffer;",
      "const url = process.env.DATABASE_URL;",
      'const url = process["env"].DATABASE_URL;',
      "const { env } = process;",
      "const e = globalThis.process.env;",
      'const e = globalThis["process"];',
      "process.exit(1);",
    ];
    for (const line of bad) expect(nodeUsesIn("bad.ts", line), line).toHaveLength(1);
    const fine = [
      "// Nothing else reads process.env or Worker bindings.",
      "/* import fs from 'node:fs' */",
      'import { z } from "zod";',
      'import { sha256 } from "@oslojs/crypto/sha2";',
      'import { x } from "./process";',
      'import { y } from "../lib/path";',
      "const s = 'https://example.jp'; const process2 = 1;",
      "const o = { process: 1 }; o.process;",
      "crypto.getRandomValues(new Uint8Array(4));",
    ];
    for (const line of fine) expect(nodeUsesIn("fine.ts", line), line).toEqual([]);
  });

  it("no file under server/ except server/node.ts and server/node/** uses node:* modules or process.env", () => {
    const files = sourceFiles(SERVER);
    const checked = files.map((f) => relative(ROOT, f)).filter((rel) => !isNodeEntry(rel));
    // The scan really covers the app (so it cannot pass by finding nothing) and really skips the Node entry.
    expect(checked).toEqual(
      expect.arrayContaining([
        join("server", "app.ts"),
        join("server", "config.ts"),
        join("server", "lib", "blob-store.ts"),
      ]),
    );
    expect(checked.length).toBeGreaterThanOrEqual(30);
    expect(checked.some((rel) => rel.startsWith(join("server", "node")))).toBe(false);
    expect(files.some((f) => relative(ROOT, f) === join("server", "node", "file-blob-store.ts"))).toBe(true);
    expect(
      nodeUsesIn("file-blob-store.ts", readFileSync(join(SERVER, "node", "file-blob-store.ts"), "utf8")).length,
    ).toBeGreaterThan(0);

    const offences = checked.flatMap((rel) => nodeUsesIn(rel, readFileSync(join(ROOT, rel), "utf8")));
    expect(offences).toEqual([]);
  });
});
