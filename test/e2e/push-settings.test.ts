// The resident's side of web push, in Chromium against the real server and the loopback push service
// (test/helpers/push-service.ts). Headless Chromium cannot reach a real push service, so PushManager.subscribe is
// replaced in the page by one that returns a subscription of the loopback service (its keys are the service's, so
// the service decrypts what the server sends). Covered: the welcome step and settings button, what is sent to the
// server, 「テスト通知を送る」 delivered and decrypted, a subscription the push service has dropped (410) replaced,
// the preference, re-subscribing when the server's key differs, the daily re-send, and sign-out removing it.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import { startPushService, type PushService, type TestSubscription } from "../helpers/push-service";
import {
  type ApiClient,
  appHouseholds,
  axeViolations,
  type Browser,
  type Household,
  inviteFor,
  joinAsHousehold,
  joinByQrLink,
  openBrowser,
  requireBuild,
  type RunningServer,
  signInLeader,
  startServer,
  waitForServiceWorker,
} from "./harness";

let server: RunningServer;
let push: PushService;
let leader: ApiClient;
let households: Household[];
let publicKey: string;
const browsers: Browser[] = [];

beforeAll(async () => {
  requireBuild();
  push = await startPushService();
  server = await startServer({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
  leader = await signInLeader(server.base);
  households = await appHouseholds(leader);
  publicKey = (await leader.get<{ publicKey: string }>("/api/push/public-key")).publicKey;
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
  await push?.close();
});

/**
 * A browser whose PushManager hands out `sub` (a subscription of the loopback push service): subscribe() records
 * its options and returns it, getSubscription() returns it while subscribed, unsubscribe() forgets it. The state
 * lives in localStorage so it survives reloads, like a real subscription.
 */
async function deviceWith(sub: TestSubscription): Promise<Browser> {
  const b = await openBrowser();
  browsers.push(b);
  await b.context.grantPermissions(["notifications"], { origin: server.base });
  await b.context.addInitScript((s: TestSubscription) => {
    const b64u = (buf: ArrayBuffer) =>
      btoa(String.fromCharCode(...new Uint8Array(buf)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    const fake = (key: ArrayBuffer) => ({
      endpoint: s.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: key },
      toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys }),
      unsubscribe: async () => {
        localStorage.removeItem("test.push.key");
        localStorage.setItem(
          "test.push.unsubscribed",
          String(Number(localStorage.getItem("test.push.unsubscribed") ?? "0") + 1),
        );
        return true;
      },
    });
    const keyBuffer = (k: string) =>
      Uint8Array.from(atob(k.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)).buffer;
    PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
      const raw = options?.applicationServerKey;
      const key =
        typeof raw === "string"
          ? raw
          : b64u(raw instanceof ArrayBuffer ? raw : ((raw as Uint8Array).slice().buffer as ArrayBuffer));
      const calls = JSON.parse(localStorage.getItem("test.push.calls") ?? "[]") as unknown[];
      calls.push({ userVisibleOnly: options?.userVisibleOnly, applicationServerKey: key });
      localStorage.setItem("test.push.calls", JSON.stringify(calls));
      localStorage.setItem("test.push.key", key);
      return fake(keyBuffer(key)) as unknown as PushSubscription;
    };
    PushManager.prototype.getSubscription = async function () {
      const key = localStorage.getItem("test.push.key");
      return key ? (fake(keyBuffer(key)) as unknown as PushSubscription) : null;
    };
  }, sub);
  return b;
}

const subscribeCalls = (page: Page) =>
  page.evaluate(
    () =>
      JSON.parse(localStorage.getItem("test.push.calls") ?? "[]") as {
        userVisibleOnly: boolean;
        applicationServerKey: string;
      }[],
  );

/** This member's devices and preference, as the server has them (asked from the page, with its cookie). */
const serverSide = (page: Page) =>
  page.evaluate(async () => {
    const subs = (await (await fetch("/api/push/subscriptions")).json()) as {
      subscriptions: { id: string; userAgentLabel: string }[];
    };
    const pref = (await (await fetch("/api/push/preferences")).json()) as { mode: string };
    return { devices: subs.subscriptions.map((s) => s.userAgentLabel), mode: pref.mode };
  });

const state = (page: Page) => page.locator(".push-state strong").textContent();

/** A household device (its subscription named `name` in the push service), joined, on the settings screen. */
async function deviceInSettings(name: string): Promise<Page> {
  const b = await deviceWith(await push.subscription(name, { applicationServerKey: publicKey }));
  await joinAsHousehold(b, server.base, (await inviteFor(leader, households.shift()!.id)).token);
  await b.page.goto(`${server.base}/settings`);
  await waitForServiceWorker(b.page);
  return b.page;
}

/** 「通知を受け取る」, and this device receives. */
async function optIn(page: Page): Promise<void> {
  await page.getByRole("button", { name: "通知を受け取る" }).click();
  await expect.poll(() => state(page)).toBe("受け取る");
}

describe("push: opting in and the settings", { timeout: scaled(90_000) }, () => {
  it("the welcome step offers 「通知を受け取る」 and one tap subscribes this device, then points to 「お知らせを見る」", async () => {
    const sub = await push.subscription("welcome", { applicationServerKey: publicKey });
    const b = await deviceWith(sub);
    const { page } = b;
    const invite = await inviteFor(leader, households.shift()!.id);
    await joinByQrLink(page, server.base, invite.token);
    await waitForServiceWorker(page);
    for (const n of [1, 2]) {
      await page.getByText(`${n} / 3`).waitFor();
      await page.getByRole("button", { name: "次へ" }).click();
    }
    await page.getByText("3 / 3").waitFor();
    // One line on what arrives, recommended; while the button is on offer no state is shown (nothing reads as
    // refused: push is a word of its own, 「通知」, and 「お知らせ」 are the notices).
    const enable = page.getByRole("button", { name: "通知を受け取る" });
    await enable.waitFor();
    const offer = page.getByRole("region", { name: /おすすめ/ });
    expect(await offer.textContent()).toContain("新しいお知らせが届くと、この端末に通知が出ます。");
    expect(await page.locator(".push-state").count()).toBe(0);
    expect(await page.getByText("受け取らない").count()).toBe(0);
    const finish = page.getByRole("button", { name: "お知らせを見る" });
    expect(await finish.getAttribute("class")).not.toContain("primary");
    expect(await axeViolations(page)).toEqual([]);

    await enable.click();
    await page.getByText("この端末で、通知を受け取ります。").waitFor();
    await expect.poll(() => state(page)).toBe("受け取る");
    expect(await enable.count()).toBe(0);
    // The next step is plain: 「お知らせを見る」 is now the main button, and focus is on it.
    expect(await finish.getAttribute("class")).toContain("primary");
    await expect.poll(() => finish.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await subscribeCalls(page)).toEqual([{ userVisibleOnly: true, applicationServerKey: publicKey }]);
    // A short label, never the User-Agent.
    expect(await serverSide(page)).toEqual({ devices: ["パソコン"], mode: "all" });

    await finish.click();
    await page.waitForURL(`${server.base}/`);
  });

  it("settings: subscribe, send a test notification that the push service decrypts, choose what to receive", async () => {
    const page = await deviceInSettings("settings");
    // Never asked on this device: said neutrally, not as a refusal; settings also says when notifications come.
    await expect.poll(() => state(page)).toBe("まだ設定していません");
    await page.getByText("至急のお知らせは、すぐに通知します。").waitFor();
    await page.getByText("夜9時から朝7時までは通知しません", { exact: false }).waitFor();
    await optIn(page);
    expect(await page.getByRole("radio", { name: "すべて" }).isChecked()).toBe(true);

    // 「テスト通知を送る」: the server pushes to this device's endpoint at once; the result is shown.
    const before = push.received.length;
    await page.getByRole("button", { name: "テスト通知を送る" }).click();
    await page.getByText("テスト通知を送りました。", { exact: false }).waitFor();
    const [message] = (await push.waitFor(before + 1)).slice(before);
    expect(message).toMatchObject({ name: "settings", status: 201, reason: null });
    expect(JSON.parse(message!.payload!)).toMatchObject({ kind: "test", circularId: null, urgent: false });
    expect(await axeViolations(page)).toEqual([]);

    // The preference: urgent only, then off (the test button goes), then all again.
    await page.getByRole("radio", { name: "至急のみ" }).check();
    await page.getByText("通知の設定を保存しました。").waitFor();
    await expect.poll(() => state(page)).toBe("受け取る（至急のみ）");
    expect((await serverSide(page)).mode).toBe("urgent");
    await page.getByRole("radio", { name: "受け取らない" }).check();
    await expect.poll(() => state(page)).toBe("受け取らない");
    expect((await serverSide(page)).mode).toBe("off");
    expect(await page.getByRole("button", { name: "テスト通知を送る" }).count()).toBe(0);
    // Turning it off keeps the device subscribed (one tap turns it back on, without asking for permission again).
    expect((await serverSide(page)).devices).toHaveLength(1);
    await page.getByRole("radio", { name: "すべて" }).check();
    await expect.poll(() => state(page)).toBe("受け取る");
    expect((await serverSide(page)).mode).toBe("all");
    await page.reload();
    await expect.poll(() => state(page)).toBe("受け取る");
    expect(await page.getByRole("radio", { name: "すべて" }).isChecked()).toBe(true);
  });

  it("when the push service says the subscription is gone, the device subscribes again and the test goes through", async () => {
    const page = await deviceInSettings("gone");
    await optIn(page);
    push.respondWith("gone", 410);
    const before = push.received.length;
    await page.getByRole("button", { name: "テスト通知を送る" }).click();
    await page.getByText("テスト通知を送りました。", { exact: false }).waitFor();
    const sent = (await push.waitFor(before + 2)).slice(before).map((m) => [m.name, m.status]);
    expect(sent).toEqual([
      ["gone", 410],
      ["gone", 201],
    ]);
    expect(await subscribeCalls(page)).toHaveLength(2);
    expect((await serverSide(page)).devices).toHaveLength(1);
  });

  it("on start, re-subscribes when the server's key differs and re-sends a subscription older than a day", async () => {
    const page = await deviceInSettings("restart");
    await optIn(page);
    expect(await subscribeCalls(page)).toHaveLength(1);

    // Same key, sent to the server just now: a restart leaves everything alone.
    let posts = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/api/push/subscriptions")) posts++;
    });
    await page.goto(server.base);
    await page.getByRole("heading", { level: 1, name: "お知らせ" }).waitFor();
    await page.waitForTimeout(500);
    expect(posts).toBe(0);

    // Last sent two days ago: sent again once.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("kairan.push")!) as { postedAt: number };
      localStorage.setItem("kairan.push", JSON.stringify({ ...s, postedAt: Date.now() - 2 * 86_400_000 }));
    });
    // Waited for as the server's answer (an event), not by polling a counter against expect.poll's short limit.
    const answered = () =>
      page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/api/push/subscriptions"));
    const stored = () =>
      page.evaluate(() => JSON.parse(localStorage.getItem("kairan.push")!) as { postedAt: number; publicKey: string });
    const sentAgain = answered();
    await page.reload();
    await sentAgain;
    expect(posts).toBe(1);
    expect(await subscribeCalls(page)).toHaveLength(1);
    // The app records the sending once the answer is in: wait for that record before changing it below.
    await expect.poll(async () => (await stored()).postedAt).toBeGreaterThan(Date.now() - 60_000);

    // Subscribed with a key the server no longer has: unsubscribed and subscribed again with the current key.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("kairan.push")!) as { publicKey: string };
      localStorage.setItem("kairan.push", JSON.stringify({ ...s, publicKey: "an-old-key" }));
      localStorage.setItem("test.push.key", "BOldKeyOldKeyOldKeyOldKeyOldKey");
    });
    const resubscribed = answered();
    await page.reload();
    await resubscribed;
    expect(posts).toBe(2);
    await expect
      .poll(async () => (await subscribeCalls(page)).map((c) => c.applicationServerKey))
      .toEqual([publicKey, publicKey]);
    expect(await page.evaluate(() => localStorage.getItem("test.push.unsubscribed"))).toBe("1");
    // Written after the server's answer, like postedAt above.
    await expect.poll(async () => (await stored()).publicKey).toBe(publicKey);
  });

  it("ending this device's registration removes its subscription, so the next household gets nothing of this one's", async () => {
    const page = await deviceInSettings("signout");
    await optIn(page);
    const { id } = await page.evaluate(() => JSON.parse(localStorage.getItem("kairan.push")!) as { id: string });
    page.once("dialog", (d) => void d.accept());
    const deleted = page.waitForResponse(
      (r) => r.request().method() === "DELETE" && r.url().endsWith(`/api/push/subscriptions/${id}`),
    );
    await page.getByRole("button", { name: "この端末の登録を解除する" }).click();
    expect((await deleted).status()).toBe(204);
    await page.waitForURL(`${server.base}/`);
    expect(
      await page.evaluate(() => [localStorage.getItem("kairan.push"), localStorage.getItem("test.push.key")]),
    ).toEqual([null, null]);
  });

  it("says plainly when this device cannot receive notifications: refused, or an iPhone outside the home screen", async () => {
    const denied = await openBrowser();
    browsers.push(denied);
    await denied.context.addInitScript(() =>
      Object.defineProperty(Notification, "permission", { get: () => "denied" }),
    );
    await joinAsHousehold(denied, server.base, (await inviteFor(leader, households.shift()!.id)).token);
    await denied.page.goto(`${server.base}/settings`);
    await expect.poll(() => state(denied.page)).toBe("この端末では使えません");
    await denied.page.getByText("回覧板の通知が止められています。").waitFor();
    await denied.page.getByText("「通知」を「許可」にしてください", { exact: false }).waitFor();
    expect(await denied.page.getByRole("button", { name: "通知を受け取る" }).count()).toBe(0);
    expect(await axeViolations(denied.page)).toEqual([]);

    const iphone = await openBrowser();
    browsers.push(iphone);
    await iphone.context.addInitScript(() =>
      Object.defineProperty(navigator, "userAgent", {
        get: () =>
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      }),
    );
    await joinAsHousehold(iphone, server.base, (await inviteFor(leader, households.shift()!.id)).token);
    await iphone.page.goto(`${server.base}/settings`);
    await expect.poll(() => state(iphone.page)).toBe("この端末では使えません");
    await iphone.page.getByText("「ホーム画面に追加」を押して", { exact: false }).waitFor();
    await iphone.page.getByText("共有ボタン", { exact: false }).waitFor();
    expect(await axeViolations(iphone.page)).toEqual([]);
  });
});
