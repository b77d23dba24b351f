// The offline side, in Chromium with the real service worker: an acknowledgement made offline waits on the device
// (「送信待ち」) and is sent exactly once when the connection returns; a circular the household opened (and its
// photo) reads offline after a reload; the shell opens any app route offline; and no other /api/ request is ever
// answered from a cache.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  appHouseholds,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  publishCircular,
  publishWithPhoto,
  receiptsOf,
  requireBuild,
  signInLeader,
  solidPng,
  startServer,
  waitForCached,
  waitForServiceWorker,
  type ApiClient,
  type Browser,
  type RunningServer,
} from "./harness";

let server: RunningServer;
let leader: ApiClient;
let households: { id: string }[];
let nextHousehold = 0;
const browsers: Browser[] = [];

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
  households = await appHouseholds(leader);
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

/** A browser signed in as a household that has not read anything new, with the service worker in control. */
async function householdTablet(): Promise<{ b: Browser; householdId: string }> {
  const household = households[nextHousehold++]!;
  const invite = await inviteFor(leader, household.id);
  const b = await openBrowser();
  browsers.push(b);
  await b.page.goto(server.base);
  await joinAsHousehold(b, server.base, invite.token);
  await b.page.reload();
  await waitForServiceWorker(b.page);
  return { b, householdId: household.id };
}

/** Opens a circular from the home screen, as a resident does (a move within the app). */
async function openFromHome(b: Browser, title: string) {
  await b.page.goto(server.base);
  await b.page.getByRole("link", { name: new RegExp(title) }).click();
  await b.page.getByRole("heading", { level: 1, name: title }).waitFor();
  await waitForCached(b.page, new URL(b.page.url()).pathname.replace(/^\/c\//, "/api/feed/"));
}

describe("offline", { timeout: scaled(90_000) }, () => {
  it("queues 「確認しました」 offline, keeps the circular readable across a reload, and sends it exactly once", async () => {
    const title = `ゴミ集積所の清掃当番 ${Date.now()}`;
    const circularId = await publishCircular(leader, title, "今月の当番は 2班 です。\nよろしくお願いします。");
    const { b, householdId } = await householdTablet();
    const { page, context } = b;
    const acks: number[] = [];
    page.on("response", (res) => {
      if (res.request().method() === "POST" && res.url().endsWith(`/api/feed/${circularId}/ack`))
        acks.push(res.status());
    });

    await openFromHome(b, title);
    await context.setOffline(true);
    await page.getByRole("button", { name: "確認しました" }).click();
    await page.getByText(/^送信待ち/).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("kairan.pendingAcks"))).toContain(circularId);
    expect((await receiptsOf(leader, circularId)).find((r) => r.id === householdId)!.readAt).toBeNull();

    // Reloading without a connection: the shell from the precache, the circular from the household's cache.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.getByText("今月の当番は 2班 です。", { exact: false }).waitFor();
    await page.getByText(/^送信待ち/).waitFor();
    await page.getByText("インターネットにつながっていません", { exact: false }).first().waitFor();
    // And the list shows it waiting.
    await page.getByRole("link", { name: /お知らせの一覧へ戻る/ }).click();
    const card = page.getByRole("link", { name: new RegExp(title) });
    await card.waitFor();
    expect(await card.textContent()).toContain("送信待ち");
    await card.click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();

    // Back online: sent once, shown as read, counted once.
    await context.setOffline(false);
    await page.getByText(/確認済み \d/).waitFor({ timeout: scaled(20_000) });
    expect(acks).toEqual([200]);
    expect(await page.evaluate(() => localStorage.getItem("kairan.pendingAcks"))).toBe("{}");
    const rows = (await receiptsOf(leader, circularId)).filter((r) => r.readAt);
    expect(rows.map((r) => [r.id, r.channel])).toEqual([[householdId, "app"]]);

    // Later visits and the periodic retry send nothing more.
    await page.goto(server.base);
    await page.getByRole("link", { name: new RegExp(title) }).waitFor();
    await page.waitForTimeout(500);
    expect(acks).toEqual([200]);
  });

  it("keeps the acknowledgement when the server is down, and sends it once it is back", async () => {
    const title = `防犯灯の点検 ${Date.now()}`;
    const circularId = await publishCircular(leader, title);
    const { b, householdId } = await householdTablet();
    const { page } = b;
    const answered: number[] = [];
    page.on("response", (res) => {
      if (res.request().method() === "POST" && res.url().endsWith(`/api/feed/${circularId}/ack`))
        answered.push(res.status());
    });
    await openFromHome(b, title);
    // A proxy in front of a restarting server.
    await page.route(`**/api/feed/${circularId}/ack`, (route) =>
      route.fulfill({ status: 503, contentType: "text/html", body: "<h1>503</h1>" }),
    );
    await page.getByRole("button", { name: "確認しました" }).click();
    await page.getByText(/^送信待ち/).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("kairan.pendingAcks"))).toContain(circularId);
    await expect.poll(() => answered).toEqual([503]);
    await page.unroute(`**/api/feed/${circularId}/ack`);
    // The next try (the browser says it is online again; the timer would do it within 30 s).
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.getByText(/確認済み \d/).waitFor();
    expect(answered).toEqual([503, 200]);
    expect((await receiptsOf(leader, circularId)).filter((r) => r.readAt).map((r) => r.id)).toEqual([householdId]);
  });

  it("sends a waiting acknowledgement once even with the app open in two tabs", async () => {
    const title = `町内一斉清掃の集合時間 ${Date.now()}`;
    const circularId = await publishCircular(leader, title);
    const { b, householdId } = await householdTablet();
    const { page, context } = b;
    const answered: string[] = [];
    context.on("response", (res) => {
      if (res.request().method() === "POST" && res.url().endsWith(`/api/feed/${circularId}/ack`))
        answered.push(`${res.status()}`);
    });
    await openFromHome(b, title);
    const second = await context.newPage();
    await second.goto(page.url());
    await second.getByRole("heading", { level: 1, name: title }).waitFor();

    await context.setOffline(true);
    await page.getByRole("button", { name: "確認しました" }).click();
    await page.getByText(/^送信待ち/).waitFor();
    // The other tab learns of it through the shared storage.
    await second.getByText(/^送信待ち/).waitFor();
    await context.setOffline(false);
    await page.getByText(/確認済み \d/).waitFor({ timeout: scaled(20_000) });
    await second.getByText(/確認済み \d/).waitFor({ timeout: scaled(20_000) });
    await page.waitForTimeout(500);
    expect(answered).toEqual(["200"]);
    expect((await receiptsOf(leader, circularId)).filter((r) => r.readAt).map((r) => r.id)).toEqual([householdId]);
    await second.close();
  });

  it("keeps the photo of an opened circular readable offline", async () => {
    const title = `避難場所の地図 ${Date.now()}`;
    const { attachmentId } = await publishWithPhoto(leader, title, solidPng(64, 48, [0, 90, 160]));
    const { b } = await householdTablet();
    const { page, context } = b;
    await openFromHome(b, title);
    const img = page.locator(".thumb img");
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(64);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect
      .poll(() => page.locator(".thumb img").evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
      .toBe(64);
    // Past the browser's HTTP cache (which may keep it a day too): the service worker's copy.
    const cached = await page.evaluate(async (id) => {
      const res = await fetch(`/api/attachments/${id}`, { cache: "no-store" });
      return {
        status: res.status,
        type: res.headers.get("content-type"),
        marked: res.headers.get("x-kairan-from-cache"),
      };
    }, attachmentId);
    expect(cached).toEqual({ status: 200, type: "image/png", marked: "1" });
    const files = await page.evaluate(async () =>
      (await (await caches.open("kairan-api-files-v1")).keys()).map((r) => r.url),
    );
    expect(files).toEqual([`${server.base}/api/attachments/${attachmentId}`]);
    await context.setOffline(false);
  });

  it("opens the shell for /join/<token> offline, and answers no other /api/ request from a cache", async () => {
    const title = `回覧の順番について ${Date.now()}`;
    const circularId = await publishCircular(leader, title);
    const { b } = await householdTablet();
    const { page, context } = b;
    await openFromHome(b, title);
    // Online, every one of these answers.
    const online = await page.evaluate(async () =>
      Promise.all(["/api/auth/sessions", "/api/auth/me", "/api/feed"].map(async (p) => (await fetch(p)).status)),
    );
    expect(online).toEqual([200, 200, 200]);

    await context.setOffline(true);
    const outcome = (path: string, init?: RequestInit) =>
      page.evaluate(
        async ([p, i]) => {
          try {
            const res = await fetch(p!, i as RequestInit | undefined);
            return `${res.status} ${res.headers.get("x-kairan-from-cache") ?? "network"}`;
          } catch {
            return "failed";
          }
        },
        [path, init] as const,
      );
    expect(await outcome("/api/auth/sessions")).toBe("failed");
    expect(await outcome("/api/auth/me")).toBe("failed");
    expect(await outcome("/api/health")).toBe("failed");
    expect(await outcome(`/api/circulars/${circularId}`)).toBe("failed");
    expect(await outcome(`/api/feed/${circularId}/ack`, { method: "POST" })).toBe("failed");
    expect(await outcome("/api/feed/never-opened-0000")).toBe("failed");
    // ... but the reads it cached do.
    expect(await outcome("/api/feed")).toBe("200 1");
    expect(await outcome(`/api/feed/${circularId}`)).toBe("200 1");

    // What the caches hold: the build, and only feed reads (and the open 安否確認) of this origin.
    const stored = await page.evaluate(async () => {
      const out: Record<string, string[]> = {};
      for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
      return out;
    });
    const apiUrls = Object.entries(stored)
      .filter(([name]) => name.startsWith("kairan-api"))
      .flatMap(([, urls]) => urls);
    expect(apiUrls.length).toBeGreaterThan(0);
    for (const url of apiUrls)
      expect(url).toMatch(new RegExp(`^${server.base}/api/(feed(/[\\w-]+)?|attachments/[\\w-]+|safety/mine)$`));
    const precached = Object.entries(stored).find(([name]) => name.includes("precache"))![1];
    expect(precached.some((u) => u.startsWith(`${server.base}/index.html`))).toBe(true);
    for (const url of Object.values(stored).flat()) expect(url.startsWith(server.base + "/")).toBe(true);

    // A QR link opened without a connection: the app opens and says it is offline.
    await page.goto(`${server.base}/join/AbCdEfGhIjKlMnOpQrStUv12`);
    await page.getByRole("heading", { level: 1, name: "回覧板をはじめます" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "インターネットにつながっていません" }).waitFor();
    // /api/ itself is never answered with the shell.
    expect(
      await page.evaluate(async () => {
        try {
          return (await fetch("/api/docs", { headers: { accept: "text/html" } })).status;
        } catch {
          return "failed";
        }
      }),
    ).toBe("failed");
    const nav = await page.goto(`${server.base}/api/openapi.json`).catch((e: Error) => e);
    expect(nav).toBeInstanceOf(Error);
    await context.setOffline(false);
  });

  it("removes the household's cached notices from the device at sign-out", async () => {
    const title = `集会所の鍵の受け渡し ${Date.now()}`;
    await publishCircular(leader, title);
    const { b } = await householdTablet();
    const { page, context } = b;
    await openFromHome(b, title);
    const apiCaches = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("kairan-api")));
    expect((await apiCaches()).length).toBeGreaterThan(0);
    await page.goto(`${server.base}/settings`);
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "この端末の登録を解除する" }).click();
    await page.getByRole("heading", { level: 1, name: "回覧板へようこそ" }).waitFor();
    expect(await apiCaches()).toEqual([]);
    await context.setOffline(true);
    const feed = await page.evaluate(async () => {
      try {
        return (await fetch("/api/feed")).status;
      } catch {
        return "failed";
      }
    });
    expect(feed).toBe("failed");
    await context.setOffline(false);
  });

  it("forgets a circular that was withdrawn", async () => {
    const title = `取り下げる回覧 ${Date.now()}`;
    const circularId = await publishCircular(leader, title);
    const { b } = await householdTablet();
    const { page, context } = b;
    await openFromHome(b, title);
    await leader.post(`/api/circulars/${circularId}/withdraw`, {});
    await page.reload();
    await page.getByText("このお知らせは見つかりません", { exact: false }).waitFor();
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("heading", { level: 1, name: title }).count()).toBe(0);
    await context.setOffline(false);
  });
});
