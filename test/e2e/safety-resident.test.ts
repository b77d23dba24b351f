// 安否確認 on the resident's tablet (820×1180, 特大), in Chromium against the real server: a leader starts a check
// through the API; the household's home shows the banner above everything (when the app comes back to the front,
// without a reload), it taps 「助けが必要です」, chooses けが, sends, sees 「送りました」, and the leader's board lists it
// under 助けが必要 with needs ["injury"]; then it changes to 「無事です」 (one tap). Sending the form with nothing
// chosen is allowed. Offline, 「無事です」 waits (「送信待ち」) and is sent exactly once when the connection returns. A
// safety push (delivered through the DevTools Protocol) is titled by the server's title, stays on screen, and a
// click opens /safety/<id>, where the same buttons answer. A check closed meanwhile says so. A drill is marked
// 「訓練」 on the banner and the answer screen. axe on the banner, the form and the answer screen.
import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  type ApiClient,
  appHouseholds,
  axeViolations,
  type Browser,
  type Household,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  requireBuild,
  type RunningServer,
  signInLeader,
  startServer,
  waitForCached,
  waitForServiceWorker,
} from "./harness";

let server: RunningServer;
let leader: ApiClient;
let households: Household[];
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

interface BoardHousehold {
  id: string;
  answer: { state: "safe" | "help"; needs: string[]; note: string; people: number | null; channel: string } | null;
}
interface Board {
  needHelp: BoardHousehold[];
  blocks: { help: BoardHousehold[]; unanswered: BoardHousehold[]; safe: BoardHousehold[] }[];
}
const boardOf = (id: string) => leader.get<Board>(`/api/safety/checks/${id}/board`);
/** Where the household is on the leader's board: "help", "safe" or "unanswered", with its answer. */
async function onBoard(id: string, householdId: string) {
  const board = await boardOf(id);
  for (const b of board.blocks)
    for (const where of ["help", "unanswered", "safe"] as const) {
      const h = b[where].find((x) => x.id === householdId);
      if (h) return { where, answer: h.answer, needHelp: board.needHelp.some((x) => x.id === householdId) };
    }
  throw new Error(`household ${householdId} is not on the board`);
}

/** Starts a check as the leader (closing one still open: only one is open at a time); returns its id. */
async function startCheck(body: { message?: string; drill: boolean }): Promise<string> {
  const { checks } = await leader.get<{ checks: { id: string; open: boolean; origin: string }[] }>(
    "/api/safety/checks",
  );
  for (const c of checks) if (c.open) await leader.post(`/api/safety/checks/${c.id}/close`);
  const started = await leader.post<{ check: { id: string; drill: boolean } }>("/api/safety/checks", body);
  expect(started.check.drill).toBe(body.drill);
  return started.check.id;
}

/** A household tablet at 特大, signed in, on home, with the service worker in control (so it works offline). */
async function tablet(
  opts: { notifications?: boolean } = {},
): Promise<{ b: Browser; page: Page; householdId: string }> {
  const household = households[nextHousehold++]!;
  const b = await openBrowser();
  browsers.push(b);
  if (opts.notifications) await b.context.grantPermissions(["notifications"], { origin: server.base });
  await b.context.addInitScript(
    (s) => {
      if (!localStorage.getItem("kairan.settings")) localStorage.setItem("kairan.settings", JSON.stringify(s));
    },
    { size: "xlarge", contrast: false, speech: false, lang: "ja", welcomed: true },
  );
  await b.page.goto(server.base);
  await joinAsHousehold(b, server.base, (await inviteFor(leader, household.id)).token);
  await b.page.reload();
  await waitForServiceWorker(b.page);
  await b.page.getByRole("heading", { level: 1, name: "お知らせ" }).waitFor();
  expect(await b.page.evaluate(() => document.documentElement.dataset.size)).toBe("xlarge");
  return { b, page: b.page, householdId: household.id };
}

/** The banner (a region named by its heading 「安否確認」, 「訓練 安否確認」 on a drill). */
const banner = (page: Page) => page.getByRole("region", { name: /安否確認/ });

/** The POSTs of answers to one check that reached the server, by status. */
function watchAnswers(page: Page, checkId: string): number[] {
  const seen: number[] = [];
  page.on("response", (res) => {
    if (res.request().method() === "POST" && res.url().endsWith(`/api/feed/${checkId}/answer`)) seen.push(res.status());
  });
  return seen;
}

describe("安否確認 on the resident's tablet", { timeout: scaled(120_000) }, () => {
  it("shows the banner above everything, sends 助けが必要です with けが, then changes to 無事です; the leader's board follows", async () => {
    const { page, householdId } = await tablet();
    expect(await banner(page).count()).toBe(0);

    const message = `震度5強の地震がありました。ご無事ですか？ ${Date.now()}`;
    const id = await startCheck({ message, drill: false });
    // Coming back to the front reads the open checks again (no reload).
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    const b = banner(page);
    await b.waitFor();
    expect(await b.getByRole("heading", { level: 2 }).textContent()).toBe(" 安否確認");
    await b.getByText(message).waitFor();
    expect(await b.getByText("訓練").count()).toBe(0);
    // Above everything on home, full width.
    const [bannerBox, h1Box, main] = [
      await b.boundingBox(),
      await page.getByRole("heading", { level: 1, name: "お知らせ" }).boundingBox(),
      await page.locator("main").boundingBox(),
    ];
    expect(bannerBox!.y).toBeLessThan(h1Box!.y);
    expect(bannerBox!.width).toBeGreaterThan(main!.width * 0.85);
    // Two large buttons.
    const safe = b.getByRole("button", { name: "無事です" });
    const help = b.getByRole("button", { name: "助けが必要です" });
    for (const button of [safe, help]) expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(64);
    expect(await axeViolations(page)).toEqual([]);

    // 助けが必要です opens the short form: need tiles with a mark and words, nothing required.
    await help.click();
    const form = b.getByRole("form", { name: "助けが必要です" });
    await form.waitFor();
    expect(await form.locator("label.safety-tile").allTextContents()).toEqual([
      "けが",
      "家にいられない",
      "薬・食料",
      "その他",
    ]);
    for (const box of await Promise.all((await form.locator("label.safety-tile").all()).map((l) => l.boundingBox())))
      expect(box!.height).toBeGreaterThanOrEqual(48);
    await form.getByRole("textbox", { name: /ひとこと/ }).waitFor();
    await form.getByRole("textbox", { name: /いま一緒にいる人数/ }).waitFor();
    const injury = form.getByRole("checkbox", { name: "けが" });
    await injury.check();
    expect(await injury.isChecked()).toBe(true);
    // Chosen: a ✓ in the tile, not colour alone.
    expect(await form.locator("label.safety-tile.checked").textContent()).toBe("✓けが");
    expect(await axeViolations(page)).toEqual([]);
    const posts = watchAnswers(page, id);
    await form.getByRole("button", { name: "送る" }).click();

    await b.getByText("✓ 送りました").waitFor();
    await b.getByText(/^助けが必要です と送りました（\d+月\d+日 \d\d:\d\d）$/).waitFor();
    await b.getByText("必要なこと：けが").waitFor();
    expect(await form.count()).toBe(0);
    expect(posts).toEqual([200]);
    expect(await onBoard(id, householdId)).toMatchObject({
      where: "help",
      needHelp: true,
      answer: { state: "help", needs: ["injury"], note: "", people: null, channel: "app" },
    });
    const board = await boardOf(id);
    expect(board.needHelp.find((h) => h.id === householdId)!.answer!.needs).toEqual(["injury"]);
    expect(await axeViolations(page)).toEqual([]);

    // Changed to 無事です in one tap, while the check is open.
    await b.getByText("答えを変えるときは、もう一度ボタンを押してください。").waitFor();
    await safe.click();
    await b.getByText(/^無事です と送りました（/).waitFor();
    expect(await b.getByText("必要なこと：けが").count()).toBe(0);
    expect(await onBoard(id, householdId)).toMatchObject({
      where: "safe",
      needHelp: false,
      answer: { state: "safe", needs: [] },
    });

    // The answer stays after reopening the app.
    await page.reload();
    await banner(page)
      .getByText(/^無事です と送りました（/)
      .waitFor();
  });

  it("sends 助けが必要です with nothing chosen (no check holds it back), with the note and people when given", async () => {
    const id = await startCheck({ drill: false });
    const { page, householdId } = await tablet();
    const b = banner(page);
    await b.getByText("地震がありました。ご無事ですか？").waitFor();

    await b.getByRole("button", { name: "助けが必要です" }).click();
    await b.getByRole("button", { name: "送る" }).click();
    await b.getByText(/^助けが必要です と送りました/).waitFor();
    expect(await onBoard(id, householdId)).toMatchObject({
      where: "help",
      answer: { state: "help", needs: [], note: "", people: null },
    });

    // Changing it: the form starts as it was; a note, 3 people (the stepper), 全角 digits are fine too.
    await b.getByRole("button", { name: "助けが必要です" }).click();
    const form = b.getByRole("form", { name: "助けが必要です" });
    await form.getByRole("checkbox", { name: "薬・食料" }).check();
    await form.getByRole("checkbox", { name: "家にいられない" }).check();
    await form.getByRole("textbox", { name: /ひとこと/ }).fill("  水がありません  ");
    await form.getByRole("textbox", { name: /いま一緒にいる人数/ }).fill("２");
    await form.getByRole("button", { name: "人数を1人ふやす" }).click();
    expect(await form.getByRole("textbox", { name: /いま一緒にいる人数/ }).inputValue()).toBe("3");
    await form.getByRole("button", { name: "送る" }).click();
    await b.getByText("✓ 送りました").waitFor();
    await b.getByText("必要なこと：家にいられない、薬・食料").waitFor();
    await b.getByText("ひとこと：水がありません").waitFor();
    await b.getByText("いま一緒にいる人数：3人").waitFor();
    expect(await onBoard(id, householdId)).toMatchObject({
      where: "help",
      answer: { state: "help", needs: ["home", "supplies"], note: "水がありません", people: 3 },
    });
  });

  it("keeps 無事です made offline (「送信待ち」) and sends it exactly once when the connection returns", async () => {
    const id = await startCheck({ drill: false });
    const { b: browser, page, householdId } = await tablet();
    const b = banner(page);
    await b.getByRole("button", { name: "無事です" }).waitFor();
    // Read once more with the service worker in control, so the device keeps a copy for a reopening offline.
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await waitForCached(page, "/api/safety/mine");
    const posts = watchAnswers(page, id);

    await browser.context.setOffline(true);
    await b.getByRole("button", { name: "無事です" }).click();
    await b.getByText(/^送信待ち：無事です。/).waitFor();
    expect(await onBoard(id, householdId)).toMatchObject({ where: "unanswered" });
    expect(await axeViolations(page)).toEqual([]);

    // Reopened without a connection: the banner (kept by the service worker) still says it waits.
    await page.reload();
    await banner(page)
      .getByText(/^送信待ち：無事です。/)
      .waitFor();

    await browser.context.setOffline(false);
    await banner(page)
      .getByText(/^無事です と送りました（/)
      .waitFor({ timeout: scaled(20_000) });
    expect(posts).toEqual([200]);
    expect(await page.evaluate(() => localStorage.getItem("kairan.pendingAnswers"))).toBe("{}");
    expect(await onBoard(id, householdId)).toMatchObject({ where: "safe", answer: { state: "safe" } });
    await new Promise((r) => setTimeout(r, 500));
    expect(posts).toEqual([200]);
  });

  it("a safety push says 安否確認, stays on screen, and its click opens /safety/<id> with the same buttons", async () => {
    const id = await startCheck({ message: "大雨で川があふれています。ご無事ですか？", drill: false });
    const { b: browser, page, householdId } = await tablet({ notifications: true });
    const cdp: CDPSession = await browser.context.newCDPSession(page);
    const registration = new Promise<string>((resolve) => {
      cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
        const r = e.registrations.find((x) => x.scopeURL === `${server.base}/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      });
    });
    await cdp.send("ServiceWorker.enable");
    const registrationId = await registration;
    const shown = () =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return (await reg.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          requireInteraction: n.requireInteraction,
          data: n.data as unknown,
        }));
      });

    // What the server sends for a check (server/features/push/payload.ts).
    await page.goto(`${server.base}/settings`);
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: server.base,
      registrationId,
      data: JSON.stringify({
        kind: "safety",
        circularId: id,
        title: "安否確認",
        association: "作並町内会",
        urgent: true,
      }),
    });
    await expect.poll(shown, { timeout: scaled(15_000) }).toEqual([
      {
        title: "安否確認",
        body: "ご無事ですか？タップして答えてください。\n作並町内会",
        tag: `safety-${id}`,
        requireInteraction: true,
        data: { url: `/safety/${id}` },
      },
    ]);

    // The click, as the browser would deliver it, inside the service worker.
    const [worker] = browser.context.serviceWorkers();
    await worker!.evaluate(async () => {
      const sw = self as unknown as {
        registration: ServiceWorkerRegistration;
        NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
        dispatchEvent(e: Event): boolean;
      };
      const [notification] = await sw.registration.getNotifications();
      sw.dispatchEvent(new sw.NotificationEvent("notificationclick", { notification: notification! }));
    });
    await page.waitForURL(`${server.base}/safety/${id}`);
    await page.getByRole("heading", { level: 1, name: "安否確認" }).waitFor();
    await page.getByText("大雨で川があふれています。ご無事ですか？").waitFor();
    await expect.poll(shown, { timeout: scaled(15_000) }).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    // One tap answers from here too.
    await page.getByRole("button", { name: "無事です" }).click();
    await page.getByText("✓ 送りました").waitFor();
    await page.getByText(/^無事です と送りました（/).waitFor();
    expect(await onBoard(id, householdId)).toMatchObject({ where: "safe" });
    expect(await axeViolations(page)).toEqual([]);

    // The form on the answer screen.
    await page.getByRole("button", { name: "助けが必要です" }).click();
    await page.getByRole("form", { name: "助けが必要です" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("says the check has ended when it was closed meanwhile; a closed check's screen says so", async () => {
    const id = await startCheck({ drill: false });
    const { page } = await tablet();
    await page.goto(`${server.base}/safety/${id}`);
    await page.getByRole("heading", { level: 1, name: "安否確認" }).waitFor();
    await leader.post(`/api/safety/checks/${id}/close`);

    await page.getByRole("button", { name: "無事です" }).click();
    await page.getByRole("alert").getByText("この安否確認は終了しました。").waitFor();
    expect(await page.getByRole("button", { name: "無事です" }).count()).toBe(0);

    // It stays, saying so, until 閉じる; the screen then says the check is no longer open.
    await page.getByRole("button", { name: "閉じる" }).click();
    await page.getByText("この安否確認は終了したか、見つかりません。").waitFor();
    await page.reload();
    await page.getByText("この安否確認は終了したか、見つかりません。").waitFor();
    // Home reads the open checks when it opens: none, so no banner.
    const read = page.waitForResponse((r) => r.url().endsWith("/api/safety/mine") && r.status() === 200);
    await page.goto(server.base);
    await read;
    await page.getByRole("heading", { level: 1, name: "お知らせ" }).waitFor();
    await page.getByText(/に更新$/).waitFor();
    expect(await banner(page).count()).toBe(0);
  });

  it("marks a drill 「訓練」 on the banner and on the answer screen", async () => {
    const id = await startCheck({ message: "これは訓練です。地震がありました。ご無事ですか？", drill: true });
    const { page, householdId } = await tablet();
    const b = banner(page);
    await b.waitFor();
    expect(await b.getByRole("heading", { level: 2 }).textContent()).toBe("訓練 安否確認");
    await b.getByText("これは訓練です。本番と同じように答えてください。").waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${server.base}/safety/${id}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("訓練 安否確認");
    await page.getByText("これは訓練です。本番と同じように答えてください。").waitFor();
    await page.getByRole("button", { name: "無事です" }).click();
    await page.getByText("✓ 送りました").waitFor();
    expect(await onBoard(id, householdId)).toMatchObject({ where: "safe" });
    expect(await axeViolations(page)).toEqual([]);
  });
});
