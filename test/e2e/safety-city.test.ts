// The city's 安否確認 screens in Chromium, against the real server and its demo seed (青葉区 › 宮城地区西部 ›
// 作並町内会 (24 households) and 新川町内会 (16)): 「安否確認」 in the city navigation; 「安否確認を始める」 opens the
// form (the message prefilled, 「訓練として行う」, the city circulars' target picker), a question says every household
// of the target gets an urgent notification at once, and starting opens the live view; a household answers
// 助けが必要 through the API and the live view shows it for its association once refreshed (「今すぐ更新」, and the
// 30-second timer on a fake clock); 「CSVをダウンロード」 answers text/csv; 「安否確認を終了する」 after a question, then
// under-5 groups show 「—」; a drill is marked 「訓練」; the list puts open checks first and past ones under
// 「これまでの安否確認」. axe-core on every new screen and dialog, and at 特大 on a 320 px screen. Writes
// docs/screenshots/city-safety-start.png and city-safety-live.png when missing (or with UPDATE_SCREENSHOTS=1).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  type ApiClient,
  appHouseholds,
  type Browser,
  DEMO_CITY,
  expectNoAxeViolations,
  inviteFor,
  joinDevice,
  openBrowser,
  presetSettings,
  requireBuild,
  type RunningServer,
  shot,
  signInAs,
  signInLeader,
  signInPage,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

const MESSAGE = "地震がありました。ご無事ですか？";

let server: RunningServer;
let city: ApiClient;
let leader: ApiClient;
/** A household of 作並町内会, signed in through the API alone. */
let household: ApiClient;
let cityBrowser: Browser;
const opened: Browser[] = [];
const tmp = mkdtempSync(join(tmpdir(), "kairan-safety-city-e2e-"));
const ids = { ward: "", sakunami: "", shinkawa: "" };
let checkId = "";
let drillId = "";

interface Live {
  check: { id: string; open: boolean; drill: boolean; message: string };
  refreshSeconds: number;
  total: { associations: number; targeted: number | null; help: number | null };
  associations: { id: string; name: string; suppressed: boolean; targeted: number | null; help: number | null }[];
}

const h1 = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

/** The cells of an association's row in 「町内会ごとの安否」: 区, 地区, 対象, 回答, 無事, 助けが必要, 未回答. */
async function associationRow(page: Page, name: string) {
  const row = page.getByRole("table", { name: "町内会ごとの安否" }).getByRole("row").filter({ hasText: name });
  const cells = (await row.locator("td").allTextContents()).map((s) => s.trim());
  const [ward, district, targeted, answered, safe, help, unanswered] = cells;
  return { ward, district, targeted, answered, safe, help, unanswered };
}

/** The household's copy of the open check: what GET /api/safety/mine answers first. */
async function copyOf(client: ApiClient): Promise<string> {
  const mine = await client.get<{ checks: { id: string }[] }>("/api/safety/mine");
  expect(mine.checks.length).toBeGreaterThan(0);
  return mine.checks[0]!.id;
}

async function answer(client: ApiClient, state: "safe" | "help") {
  const copy = await copyOf(client);
  const res = await client.request(`/api/feed/${copy}/answer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ answers: { state: { choice: state } } }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  city = await signInAs(server.base, DEMO_CITY);
  leader = await signInLeader(server.base);
  const areas = await city.get<{
    wards: { id: string; name: string; districts: { name: string; associations: { id: string; name: string }[] }[] }[];
  }>("/api/city/areas");
  const ward = areas.wards.find((w) => w.name === "青葉区")!;
  const district = ward.districts.find((d) => d.name === "宮城地区西部")!;
  ids.ward = ward.id;
  ids.sakunami = district.associations.find((a) => a.name === "作並町内会")!.id;
  ids.shinkawa = district.associations.find((a) => a.name === "新川町内会")!.id;
  const [first] = await appHouseholds(leader);
  household = await joinDevice(server.base, (await inviteFor(leader, first!.id)).token);
  cityBrowser = await openBrowser({ viewport: { width: 1280, height: 900 } });
  await signInPage(cityBrowser.page, server.base, DEMO_CITY, "仙台市の状況");
});

afterAll(async () => {
  for (const b of [cityBrowser, ...opened]) await b?.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("a city 安否確認", { timeout: scaled(120_000) }, () => {
  it("starts for a chosen association from the form, after a question naming the urgent notification", async () => {
    const page = cityBrowser.page;
    const nav = page.getByRole("navigation", { name: "市の画面" });
    await nav.getByRole("link", { name: "安否確認" }).click();
    await h1(page, "安否確認");
    expect(new URL(page.url()).pathname).toBe("/city/safety");
    expect(await nav.getByRole("link", { name: "安否確認" }).getAttribute("aria-current")).toBe("page");
    await page.getByText("まだ安否確認を行っていません。").waitFor();
    await axe(page, "safety list (empty)");

    await page.getByRole("button", { name: "安否確認を始める" }).click();
    const form = page.locator("form#safety-start");
    await form.waitFor();
    // Focus moves to the form's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("安否確認を始める");
    expect(await form.getByLabel("住民の方へのメッセージ").inputValue()).toBe(MESSAGE);
    expect(await form.getByRole("checkbox", { name: "訓練として行う" }).isChecked()).toBe(false);
    expect(await form.getByRole("radio", { name: "市全域", exact: true }).isChecked()).toBe(true);
    await axe(page, "safety start form");
    await shot(page, "city-safety-start.png", tmp);

    // 町内会を選ぶ with none chosen says what to fix.
    await form.getByRole("radio", { name: "町内会を選ぶ", exact: true }).check();
    await form.getByRole("button", { name: "安否確認を始める" }).click();
    await form.getByText("対象を1つ以上選んでください。").first().waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);
    await axe(page, "safety start form (errors)");

    await form.locator("summary", { hasText: "青葉区" }).click();
    await form.getByRole("checkbox", { name: "作並町内会" }).check();
    await expect
      .poll(() => form.locator(".audience-size").textContent())
      .toContain("作並町内会の 1町内会の世帯に届きます");
    await form.getByRole("button", { name: "安否確認を始める" }).click();

    const dialog = page.getByRole("dialog", { name: "安否確認を始めますか？" });
    await dialog.waitFor();
    const said = await dialog.textContent();
    expect(said).toContain("作並町内会の 1町内会のすべての世帯に、緊急の通知を一斉に送ります");
    expect(said).toContain(MESSAGE);
    expect(said).not.toContain("訓練");
    await axe(page, "safety start confirmation");
    // Cancelling sends nothing.
    await dialog.getByRole("button", { name: "やめる" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await city.get<{ checks: unknown[] }>("/api/city/safety-checks")).checks).toHaveLength(0);

    await form.getByRole("button", { name: "安否確認を始める" }).click();
    await dialog.getByRole("button", { name: "通知を送って始める" }).click();
    await page.waitForURL(/\/city\/safety\/[^/]+$/);
    await h1(page, "安否確認");
    checkId = new URL(page.url()).pathname.split("/").pop()!;
    await page
      .getByRole("status")
      .filter({ hasText: "安否確認を始めました。1町内会の世帯に通知を送りました。" })
      .waitFor();

    const live = await city.get<Live>(`/api/city/safety-checks/${checkId}`);
    expect(live.check).toMatchObject({ open: true, drill: false, message: MESSAGE });
    expect(live.associations.map((a) => a.id)).toEqual([ids.sakunami]);
    expect(await page.locator(".safety-message").textContent()).toBe(MESSAGE);
    expect(await page.locator(".badges").textContent()).toContain("実施中");
    expect(await page.locator(".badge.drill").count()).toBe(0);
    await page.getByText("実施中です。30秒ごとに数字を新しくします。").waitFor();
    await page.getByText(/^最終更新 \d\d:\d\d:\d\d$/).waitFor();
    const row = await associationRow(page, "作並町内会");
    expect(row).toMatchObject({
      ward: "青葉区",
      district: "宮城地区西部",
      targeted: String(live.total.targeted),
      answered: "0",
      help: "0",
      unanswered: String(live.total.targeted),
    });
    await page.getByRole("table", { name: "区ごとの安否", exact: true }).waitFor();
    await page.getByRole("table", { name: "地区ごとの安否" }).waitFor();
    await axe(page, "safety live view");
  });

  it("shows a household's 助けが必要 for its association once refreshed", async () => {
    const page = cityBrowser.page;
    await answer(household, "help");
    await page.getByRole("button", { name: "今すぐ更新" }).click();
    await expect.poll(async () => (await associationRow(page, "作並町内会")).help).toBe("1");
    const row = await associationRow(page, "作並町内会");
    expect(row).toMatchObject({ answered: "1", safe: "0" });
    await expect.poll(() => page.locator(".stat.alert").textContent()).toContain("1世帯");
    expect(await page.locator(".stat.alert dt").textContent()).toBe("助けが必要");
    const ward = page
      .getByRole("table", { name: "区ごとの安否", exact: true })
      .getByRole("row")
      .filter({ hasText: "青葉区" });
    expect(await ward.locator("td").nth(3).textContent()).toBe("1");
    await page
      .getByRole("status")
      .filter({ hasText: /^最終更新 / })
      .waitFor();
    await axe(page, "safety live view with help");
    await shot(page, "city-safety-live.png", tmp);
  });

  it("refreshes by itself every refreshSeconds while open", async () => {
    const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(b);
    await b.context.addCookies([
      { name: city.cookie.split("=")[0]!, value: city.cookie.split("=").slice(1).join("="), url: server.base },
    ]);
    const page = b.page;
    await page.clock.install();
    await page.goto(`${server.base}/city/safety/${checkId}`);
    await h1(page, "安否確認");
    await expect.poll(async () => (await associationRow(page, "作並町内会")).help).toBe("1");
    // From here the page's clock moves only when told (a busy machine's own seconds cannot fire the timer early).
    // pauseAt jumps ahead: a little, and again if the page's clock passed that point meanwhile.
    for (;;) {
      try {
        await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 2_000);
        break;
      } catch (e) {
        if (!String(e).includes("to the past")) throw e;
      }
    }
    // A refresh now sets the next one 30 seconds from this paused moment, whatever the load took.
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/api/city/safety-checks/${checkId}`)),
      page.getByRole("button", { name: "今すぐ更新" }).click(),
    ]);
    // The household changes its answer: the page follows without a click once 30 seconds have passed.
    await answer(household, "safe");
    const reads: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes(`/api/city/safety-checks/${checkId}`)) reads.push(r.url());
    });
    await page.clock.runFor(20_000);
    expect(reads).toHaveLength(0);
    await page.clock.runFor(11_000);
    await expect.poll(() => reads.length).toBe(1);
    await expect.poll(async () => (await associationRow(page, "作並町内会")).safe).toBe("1");
    expect((await associationRow(page, "作並町内会")).help).toBe("0");
    // And again 30 seconds later.
    await page.clock.runFor(31_000);
    await expect.poll(() => reads.length).toBe(2);
    // Back to 助けが必要 for the tests that follow.
    await answer(household, "help");
  });

  it("downloads the live counts as CSV", async () => {
    const page = cityBrowser.page;
    const link = page.getByRole("link", { name: "CSVをダウンロード" });
    const href = (await link.getAttribute("href"))!;
    expect(href).toBe(`/api/city/safety-checks/${checkId}?format=csv`);
    expect(await link.getAttribute("download")).toBeTruthy();
    const res = await page.request.get(server.base + href);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    const body = await res.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString("utf8")).toContain("作並町内会");
  });

  it("closes after a question; groups under 5 households then show 「—」", async () => {
    const page = cityBrowser.page;
    await page.getByRole("button", { name: "安否確認を終了する" }).click();
    const dialog = page.getByRole("dialog", { name: "安否確認の終了" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("住民の方は回答できなくなります");
    await axe(page, "safety close confirmation");
    await dialog.getByRole("button", { name: "安否確認を終了する" }).click();
    await page.getByText(/に終了しました。住民の方はもう回答できません。/).waitFor();
    await page.getByRole("status").filter({ hasText: "安否確認を終了しました。" }).waitFor();
    expect(await page.getByRole("button", { name: "安否確認を終了する" }).count()).toBe(0);
    expect(await page.locator(".badges").textContent()).toContain("終了");
    const live = await city.get<Live>(`/api/city/safety-checks/${checkId}`);
    expect(live.check.open).toBe(false);
    // One answer of 24: suppressed now that the check is closed.
    expect(live.associations[0]).toMatchObject({ suppressed: true, help: null });
    const row = await associationRow(page, "作並町内会");
    // 「—」, read out as 「非表示」.
    expect(row.help).toBe("—非表示");
    expect(row.targeted).toBe("—非表示");
    await page.getByText("5世帯未満のため表示していません", { exact: false }).first().waitFor();
    await axe(page, "closed safety check");
    // Answering is over for the household.
    const copy = (await household.get<{ checks: { id: string }[] }>("/api/safety/mine")).checks;
    expect(copy).toHaveLength(0);
  });

  it("marks a drill 「訓練」, from the question to the live view and the list", async () => {
    const page = cityBrowser.page;
    await page.goto(`${server.base}/city/safety`);
    await h1(page, "安否確認");
    await page.getByRole("button", { name: "安否確認を始める" }).click();
    const form = page.locator("form#safety-start");
    await form.getByRole("checkbox", { name: "訓練として行う" }).check();
    await form.getByRole("radio", { name: "区を選ぶ", exact: true }).check();
    await form.getByRole("checkbox", { name: "青葉区" }).check();
    await form.getByRole("button", { name: "安否確認を始める" }).click();
    const dialog = page.getByRole("dialog", { name: "安否確認を始めますか？" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("青葉区の 2町内会のすべての世帯に、緊急の通知を一斉に送ります");
    expect(await dialog.textContent()).toContain("訓練として行います");
    await dialog.getByRole("button", { name: "通知を送って始める" }).click();
    await h1(page, "【訓練】安否確認");
    drillId = new URL(page.url()).pathname.split("/").pop()!;
    expect(drillId).not.toBe(checkId);
    const notice = page.getByRole("note").filter({ hasText: "これは訓練です" });
    await notice.waitFor();
    expect(await notice.locator(".badge.drill").textContent()).toBe("訓練");
    expect((await city.get<Live>(`/api/city/safety-checks/${drillId}`)).check.drill).toBe(true);
    // Both associations of 青葉区 are asked.
    await page
      .getByRole("table", { name: "町内会ごとの安否" })
      .getByRole("row")
      .filter({ hasText: "新川町内会" })
      .waitFor();
    await axe(page, "drill live view");

    // The list: the open drill first, the closed check under 「これまでの安否確認」.
    await page.getByRole("link", { name: "安否確認の一覧へ戻る" }).click();
    await h1(page, "安否確認");
    const open = page.getByRole("region", { name: "実施中の安否確認" });
    const past = page.getByRole("region", { name: "これまでの安否確認" });
    await open.waitFor();
    await past.waitFor();
    expect(await open.getByRole("listitem").count()).toBe(1);
    expect(await open.getByRole("listitem").textContent()).toContain("訓練");
    expect(await open.getByRole("link").getAttribute("href")).toBe(`/city/safety/${drillId}`);
    expect(await past.getByRole("link").getAttribute("href")).toBe(`/city/safety/${checkId}`);
    expect(await past.getByRole("listitem").textContent()).toContain("終了");
    const order = await page.evaluate(() => {
      const [a, b] = [...document.querySelectorAll("main section > h2")].map((h) => h.textContent);
      return [a, b];
    });
    expect(order).toEqual(["実施中の安否確認", "これまでの安否確認"]);
    await axe(page, "safety list");
  });

  it("passes axe at 特大 on a 320 px screen without sideways scrolling", async () => {
    const small = await openBrowser({ viewport: { width: 320, height: 720 } });
    opened.push(small);
    const page = small.page;
    await page.goto(`${server.base}/login`);
    await presetSettings(page, { size: "xlarge", welcomed: true });
    await signInPage(page, server.base, DEMO_CITY, "仙台市の状況");
    for (const path of ["/city/safety", `/city/safety/${drillId}`, `/city/safety/${checkId}`]) {
      await page.goto(server.base + path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await expect.poll(() => page.getByText("読み込んでいます…").count(), { timeout: scaled(10_000) }).toBe(0);
      const overflow = await page.evaluate(
        () => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
      );
      expect(overflow, `sideways scrolling on ${path}`).toBeLessThanOrEqual(0);
      await axe(page, `${path} at 特大, 320 px`);
    }
    await page.goto(`${server.base}/city/safety`);
    await page.getByRole("button", { name: "安否確認を始める" }).click();
    await page.locator("form#safety-start").waitFor();
    await page.getByRole("radio", { name: "町内会を選ぶ", exact: true }).check();
    const overflow = await page.evaluate(
      () => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
    );
    expect(overflow, "sideways scrolling on the start form").toBeLessThanOrEqual(0);
    await axe(page, "safety start form at 特大, 320 px");
  });
});
