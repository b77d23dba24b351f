// Security headers on every response, from one middleware (server/lib/security-headers.ts): every route of the
// OpenAPI document answers with nosniff, a referrer policy, and (being data, not a page) a CSP that allows nothing
// and a same-origin resource policy, whatever its status; HSTS only when PUBLIC_ORIGIN is https.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app";
import { world } from "../helpers/flows";

let plain: TestApp;
let https: TestApp;
beforeAll(async () => {
  plain = await createTestApp({}, { sendPushes: false });
  https = await createTestApp({ PUBLIC_ORIGIN: "https://kairan.example.jp" }, { sendPushes: false });
});
afterAll(async () => {
  await plain.close();
  await https.close();
});

/** Every operation of the OpenAPI document, with its path parameters filled in. */
async function operations(t: TestApp) {
  const doc = (await (await t.app.request("/api/openapi.json")).json()) as { paths: Record<string, object> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x1") })),
  );
}

function expectApiHeaders(res: Response, what: string) {
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("same-origin");
  expect(res.headers.get("content-security-policy"), what).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(res.headers.get("cross-origin-resource-policy"), what).toBe("same-origin");
}

describe("security headers", () => {
  it("are on the answer of every route in the OpenAPI document, signed out and signed in", async () => {
    const ops = await operations(plain);
    expect(ops.length).toBeGreaterThan(40);
    const { leader } = await world(plain);
    for (const cookie of [undefined, `kairan_session=${leader.token}`]) {
      for (const op of ops) {
        const res = await plain.app.request(op.path, {
          method: op.method,
          headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
          ...(op.method === "GET" || op.method === "DELETE" ? {} : { body: "{}" }),
        });
        expect(res.status, `${op.method} ${op.path}`).toBeLessThan(500);
        expectApiHeaders(res, `${op.method} ${op.path} (${res.status})`);
        expect(res.headers.get("strict-transport-security")).toBeNull();
      }
    }
  });

  it("are on the PWA, an unknown API path and the API reference page, which keeps its own script policy", async () => {
    const shell = await plain.app.request("/");
    expect(shell.headers.get("x-content-type-options")).toBe("nosniff");
    expect(shell.headers.get("referrer-policy")).toBe("same-origin");
    expectApiHeaders(await plain.app.request("/api/no-such-thing"), "unknown API path");
    const docs = await plain.app.request("/api/docs");
    expect(docs.headers.get("x-content-type-options")).toBe("nosniff");
    expect(docs.headers.get("referrer-policy")).toBe("same-origin");
    // Its own policy for a page with scripts (server/lib/api-docs.ts), not the API's, which would stop its script.
    expect(docs.headers.get("content-security-policy")).toMatch(/^default-src 'self'; script-src 'self' 'nonce-\w+'/);
  });

  it("add Strict-Transport-Security when the public origin is https", async () => {
    for (const path of ["/api/health", "/", "/api/feed"]) {
      const res = await https.app.request(path);
      expect(res.headers.get("strict-transport-security"), path).toBe("max-age=31536000");
    }
  });
});
