// The service worker's half of web push, in Chromium: a message delivered through the DevTools Protocol
// (ServiceWorker.deliverPushMessage, as a push service would) becomes a notification, whatever it carries; a click
// on it opens the circular in the app's window. (Headless Chromium cannot subscribe to a real push service; the
// server's sending is tested against the loopback push service in push-settings.test.ts and test/api/.)
import type { CDPSession } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  appHouseholds,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  publishCircular,
  requireBuild,
  signInLeader,
  startServer,
  waitForServiceWorker,
  type ApiClient,
  type Browser,
  type RunningServer,
} from "./harness";

/** A push may have to start the service worker first; on a busy machine that takes a while. */
const POLL = { timeout: scaled(15_000) };

let server: RunningServer;
let leader: ApiClient;
let b: Browser;
let cdp: CDPSession;
let registrationId: string;

/** The notifications the service worker is showing, read from the page. */
const shown = () =>
  b.page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return (await reg.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      icon: n.icon,
      requireInteraction: n.requireInteraction,
      data: n.data as unknown,
    }));
  });

async function deliver(data: string): Promise<void> {
  await cdp.send("ServiceWorker.deliverPushMessage", { origin: server.base, registrationId, data });
}

async function closeAll(): Promise<void> {
  await b.page.evaluate(async () => {
    for (const n of await (await navigator.serviceWorker.ready).getNotifications()) n.close();
  });
  await expect.poll(shown, POLL).toEqual([]);
}

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
  const [household] = await appHouseholds(leader);
  b = await openBrowser();
  await b.context.grantPermissions(["notifications"], { origin: server.base });
  await joinAsHousehold(b, server.base, (await inviteFor(leader, household!.id)).token);
  await b.page.goto(server.base);
  await waitForServiceWorker(b.page);

  cdp = await b.context.newCDPSession(b.page);
  const registration = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
      const r = e.registrations.find((x) => x.scopeURL === `${server.base}/` && !x.isDeleted);
      if (r) resolve(r.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  registrationId = await registration;
});

afterAll(async () => {
  await b?.close();
  await server?.stop();
});

describe("service worker: push and notification click", { timeout: scaled(60_000) }, () => {
  it("shows an urgent circular as 【至急】, kept on screen, tagged by circular, and a click opens it", async () => {
    const title = `断水のお知らせ ${Date.now()}`;
    const circularId = await publishCircular(leader, title, "明日 9時から12時まで断水します。", "urgent");
    await b.page.goto(server.base);
    await b.page.getByRole("link", { name: new RegExp(title) }).waitFor();

    await deliver(JSON.stringify({ kind: "circular", circularId, title, association: "作並町内会", urgent: true }));
    await expect.poll(shown, POLL).toEqual([
      {
        title: `【至急】${title}`,
        body: "作並町内会からの回覧です。",
        tag: `circular-${circularId}`,
        icon: `${server.base}/icons/icon-192.png`,
        requireInteraction: true,
        data: { url: `/c/${circularId}` },
      },
    ]);

    // The click, as the browser would deliver it, inside the service worker.
    const [worker] = b.context.serviceWorkers();
    expect(worker).toBeDefined();
    await worker!.evaluate(async () => {
      // Runs in the service worker (its globals are not in this file's DOM types).
      const sw = self as unknown as {
        registration: ServiceWorkerRegistration;
        NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
        dispatchEvent(e: Event): boolean;
      };
      const [notification] = await sw.registration.getNotifications();
      sw.dispatchEvent(new sw.NotificationEvent("notificationclick", { notification: notification! }));
    });
    await b.page.waitForURL(`${server.base}/c/${circularId}`);
    await b.page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect.poll(shown, POLL).toEqual([]); // closed by the click
  });

  it("a reminder replaces the circular's earlier notification instead of adding one", async () => {
    const title = `ごみ当番の交代 ${Date.now()}`;
    const circularId = await publishCircular(leader, title);
    await deliver(JSON.stringify({ kind: "circular", circularId, title, association: "作並町内会", urgent: false }));
    await expect
      .poll(async () => (await shown()).map((n) => [n.title, n.body, n.requireInteraction]), POLL)
      .toEqual([[title, "作並町内会からの回覧です。", false]]);
    await deliver(JSON.stringify({ kind: "reminder", circularId, title, association: "作並町内会", urgent: false }));
    await expect
      .poll(async () => (await shown()).map((n) => [n.title, n.body, n.tag]), POLL)
      .toEqual([[title, "まだ確認していない回覧です。作並町内会", `circular-${circularId}`]]);
    await closeAll();
  });

  it("shows the test notification, pointing at the home screen", async () => {
    await deliver(
      JSON.stringify({ kind: "test", circularId: null, title: "回覧板", association: "作並町内会", urgent: false }),
    );
    await expect
      .poll(async () => (await shown()).map((n) => [n.title, n.body, n.data]), POLL)
      .toEqual([["回覧板", "テスト通知です。このように届きます。", { url: "/" }]]);
    await closeAll();
  });

  it("still shows a notification for a message that is not JSON, or has no payload, or an unknown shape", async () => {
    for (const data of [
      "not json at all",
      "",
      JSON.stringify({ kind: "circular", circularId: "../../evil", title: "x" }),
    ]) {
      await deliver(data);
      await expect.poll(shown, POLL).toEqual([
        {
          title: "回覧板",
          body: "新しいお知らせがあります。",
          tag: "kairan",
          icon: `${server.base}/icons/icon-192.png`,
          requireInteraction: false,
          data: { url: "/" },
        },
      ]);
      await closeAll();
    }
  });

  it("writes notifications in the device's language, which the page keeps for the worker when it is chosen", async () => {
    await b.page.goto(`${server.base}/settings`);
    await b.page.getByRole("radio", { name: "한국어" }).check();
    await expect.poll(() => b.page.evaluate(() => document.documentElement.lang), POLL).toBe("ko");
    // Where the worker reads it when a push arrives with no page open (web/src/device-lang.ts).
    const kept = () =>
      b.page.evaluate(async () => (await (await caches.open("kairan-device")).match("/__kairan/lang"))?.text());
    await expect.poll(kept, POLL).toBe("ko");

    await deliver(
      JSON.stringify({
        kind: "safety",
        circularId: "s4fe7y2026",
        title: "【訓練】安否確認",
        association: "作並町内会",
        urgent: true,
      }),
    );
    await expect
      .poll(async () => (await shown()).map((n) => [n.title, n.body, n.requireInteraction]), POLL)
      .toEqual([["[훈련] 안부 확인(安否確認)", "무사하십니까? 눌러서 답해 주세요.\n作並町内会", true]]);
    await closeAll();
    await deliver(
      JSON.stringify({
        kind: "circular",
        circularId: "k7mp3qxr2w",
        title: "断水のお知らせ",
        association: "作並町内会",
        urgent: true,
      }),
    );
    await expect
      .poll(async () => (await shown()).map((n) => [n.title, n.body]), POLL)
      .toEqual([["[긴급] 断水のお知らせ", "作並町内会의 알림입니다."]]);
    await closeAll();

    await b.page.getByRole("radio", { name: "日本語" }).check();
    await expect.poll(kept, POLL).toBe("ja");
  });
});
