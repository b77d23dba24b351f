// The service worker's policy (web/sw/routes.ts), request by request: what it answers from where, and what it never
// touches. The browser tests (offline.test.ts) show the same policy at work in Chromium.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { API_CACHE, API_CACHE_PREFIX, classify, FILE_CACHE } from "../../web/sw/routes";

const origin = "https://kairan.example.jp";
const at = (path: string, method = "GET", mode: RequestMode = "cors", from = origin) =>
  classify({ url: new URL(path, from), method, mode, origin });

describe("service worker routes", () => {
  it("answers navigations to app routes (network first, the shell offline), never /api/ or files", () => {
    for (const p of [
      "/",
      "/join/AbCdEfGh12345678",
      "/join",
      "/c/abc123",
      "/safety/abc123",
      "/settings",
      "/welcome",
      "/leader/circulars/x",
      "/?utm=1",
    ])
      expect(at(p, "GET", "navigate"), p).toBe("navigation");
    for (const p of [
      "/api/docs",
      "/api/openapi.json",
      "/api",
      "/api/attachments/abc",
      "/manifest.webmanifest",
      "/assets/index-abc.js",
    ])
      expect(at(p, "GET", "navigate"), p).not.toBe("navigation");
    expect(at("/api/attachments/abc", "GET", "navigate")).toBeNull();
  });

  it("caches only the feed, its circulars, the open 安否確認 and attachment images, and only for GET", () => {
    expect(at("/api/feed")).toBe("api-json");
    expect(at("/api/feed/k7mp3qxr2w")).toBe("api-json");
    expect(at("/api/safety/mine")).toBe("api-json");
    expect(at("/api/attachments/k7mp3qxr2w")).toBe("api-image");
    for (const [p, m] of [
      ["/api/feed/k7mp3qxr2w/ack", "POST"],
      ["/api/feed/k7mp3qxr2w/ack", "GET"],
      ["/api/feed", "POST"],
      ["/api/feed/a/b", "GET"],
      ["/api/auth/me", "GET"],
      ["/api/auth/sessions", "GET"],
      ["/api/circulars", "GET"],
      ["/api/circulars/abc/receipts", "GET"],
      ["/api/health", "GET"],
      ["/api/join/AbCdEfGh12345678", "GET"],
      ["/api/attachments/abc", "DELETE"],
      ["/api/safety/checks", "GET"],
      ["/api/safety/checks/abc/board", "GET"],
      ["/api/safety/mine/x", "GET"],
      ["/api/safety/mine", "POST"],
    ] as const)
      expect(at(p, m), `${m} ${p}`).toBeNull();
  });

  it("watches sign-in, joining and sign-out (to empty the household's caches), nothing else that writes", () => {
    for (const p of ["/api/join", "/api/join/staff", "/api/auth/login", "/api/auth/logout"])
      expect(at(p, "POST"), p).toBe("session-change");
    expect(at("/api/auth/login", "GET")).toBeNull();
    expect(at("/api/households/x/end-sessions", "POST")).toBeNull();
  });

  it("serves files of the build from the precache, and never touches another origin", () => {
    expect(at("/assets/index-abc.js")).toBe("asset");
    expect(at("/manifest.webmanifest")).toBe("asset");
    for (const mode of ["cors", "no-cors", "navigate"] as RequestMode[]) {
      expect(at("https://www.city.sendai.jp/", "GET", mode, "https://www.city.sendai.jp")).toBeNull();
      expect(at("/api/feed", "GET", mode, "https://evil.example")).toBeNull();
    }
  });

  it("names its caches so that sign-out can find them", () => {
    expect(API_CACHE.startsWith(API_CACHE_PREFIX)).toBe(true);
    expect(FILE_CACHE.startsWith(API_CACHE_PREFIX)).toBe(true);
    expect(API_CACHE_PREFIX).toBe("kairan-api");
    // web/src/pages/resident/Settings.tsx deletes every cache whose name starts with this.
    expect(readSettingsSource()).toContain(`"${API_CACHE_PREFIX}"`);
  });
});

function readSettingsSource(): string {
  return readFileSync(join(import.meta.dirname, "../../web/src/pages/resident/Settings.tsx"), "utf8");
}
