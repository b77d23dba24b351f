// The city's side in Chromium, against the real server and its demo seed (青葉区 › 宮城地区西部 › 作並町内会 (24
// households) and 新川町内会 (16)): city staff sign in at /login and land on /city; drill down with breadcrumbs;
// sort a table; the charts are named images with a caption and a table beside them; 「CSVで保存」「JSONで保存」;
// needs support; a city circular composed with a photo, published to a ward after a confirmation naming the number
// of associations, seen by a household marked 「仙台市から」 with its leader's note, read, counted, withdrawn;
// suppression under 5 households. axe-core on every city screen, and at 特大 on a 320 px screen.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  apiClient,
  type ApiClient,
  type Browser,
  expectNoAxeViolations,
  inviteFor,
  joinByQrLink,
  openBrowser,
  presetSettings,
  requireBuild,
  ROOT,
  type RunningServer,
  signInLeader,
  solidPng,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

const CITY = { email: "city@example.jp", password: "kairan-demo-2026" };
const TITLE = "市政だより 12月号";

let server: RunningServer;
let city: ApiClient;
let leader: ApiClient;
let cityBrowser: Browser;
const opened: Browser[] = [];
const tmp = mkdtempSync(join(tmpdir(), "kairan-city-e2e-"));
let areas: {
  wards: {
    id: string;
    name: string;
    districts: { id: string; name: string; associations: { id: string; name: string }[] }[];
  }[];
};
const ids = { ward: "", district: "", sakunami: "", shinkawa: "" };
let cityCircularId = "";

async function signIn(base: string, creds: { email: string; password: string }): Promise<ApiClient> {
  const res = await apiClient(base).request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(creds),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return apiClient(base, (res.headers.get("set-cookie") ?? "").split(";")[0]!);
}

/** Into docs/screenshots/ when missing or with UPDATE_SCREENSHOTS=1 (their dates differ each run); else a temp folder. */
function shot(page: Page, name: string) {
  const docs = join(ROOT, "docs", "screenshots");
  const dir = process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(join(docs, name)) ? docs : tmp;
  mkdirSync(dir, { recursive: true });
  return page.screenshot({ path: join(dir, name), fullPage: true });
}

const h1 = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();
const percentText = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)}%`);

/** The demo's households of 作並町内会 (the leader's association), as the leader sees them. */
async function sakunamiHouseholds() {
  return (await leader.get<{ households: { id: string; channel: string; leftAt: string | null }[] }>("/api/households"))
    .households;
}

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  city = await signIn(server.base, CITY);
  leader = await signInLeader(server.base);
  areas = await city.get("/api/city/areas");
  const ward = areas.wards.find((w) => w.name === "青葉区")!;
  const district = ward.districts.find((d) => d.name === "宮城地区西部")!;
  ids.ward = ward.id;
  ids.district = district.id;
  ids.sakunami = district.associations.find((a) => a.name === "作並町内会")!.id;
  ids.shinkawa = district.associations.find((a) => a.name === "新川町内会")!.id;
  cityBrowser = await openBrowser({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  for (const b of [cityBrowser, ...opened]) await b?.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("the city's dashboard", { timeout: scaled(90_000) }, () => {
  it("keeps signed-out visitors and leaders out of /city", async () => {
    const b = await openBrowser();
    opened.push(b);
    await b.page.goto(`${server.base}/city`);
    await b.page.waitForURL(/\/login$/);
    await h1(b.page, "役員・班長のログイン");
    // A leader's session: the city screens say whose they are.
    await b.context.addCookies([
      { name: leader.cookie.split("=")[0]!, value: leader.cookie.split("=").slice(1).join("="), url: server.base },
    ]);
    await b.page.goto(`${server.base}/city`);
    await h1(b.page, "市の職員の方の画面です");
    await axe(b.page, "not city staff");
  });

  it("city staff sign in at /login and land on the city's figures", async () => {
    const page = cityBrowser.page;
    await page.goto(`${server.base}/login`);
    await h1(page, "役員・班長のログイン");
    await page.getByLabel("メールアドレス").fill(CITY.email);
    await page.getByLabel("パスワード").fill(CITY.password);
    await page.getByRole("button", { name: "ログイン", exact: true }).click();
    await h1(page, "仙台市の状況");
    expect(new URL(page.url()).pathname).toBe("/city");
    // The summary: coverage as the API computes it.
    const o = await city.get<{ figures: { coverage: number } }>("/api/city/overview?level=city");
    await expect
      .poll(() => page.locator(".stat").filter({ hasText: "加入率" }).first().textContent())
      .toContain(percentText(o.figures.coverage));
    await page.getByRole("table", { name: "区ごとの状況" }).waitFor();
    await page.getByRole("img", { name: "回覧を確認した世帯の割合（週ごと）" }).waitFor();
    await axe(page, "city dashboard");
  });

  it("drills down city → ward → district → association, with breadcrumbs back up", async () => {
    const page = cityBrowser.page;
    await page.getByRole("table", { name: "区ごとの状況" }).getByRole("link", { name: "青葉区" }).click();
    await h1(page, "青葉区の状況");
    expect(new URL(page.url()).pathname).toBe(`/city/w/${ids.ward}`);
    await page.getByRole("table", { name: "地区ごとの状況" }).getByRole("link", { name: "宮城地区西部" }).click();
    await h1(page, "宮城地区西部の状況");
    await axe(page, "district dashboard");
    await page.getByRole("table", { name: "町内会ごとの状況" }).getByRole("link", { name: "作並町内会" }).click();
    await h1(page, "作並町内会の状況");
    expect(new URL(page.url()).pathname).toBe(`/city/a/${ids.sakunami}`);

    const crumbs = page.getByRole("navigation", { name: "いま見ている場所" });
    expect((await crumbs.getByRole("listitem").allTextContents()).map((s) => s.trim())).toEqual([
      "仙台市",
      "青葉区",
      "宮城地区西部",
      "作並町内会",
    ]);
    expect(await crumbs.getByText("作並町内会").getAttribute("aria-current")).toBe("page");

    // 24 member households of 30 in the area: the page shows what the API answers.
    const o = await city.get<{
      figures: { coverage: number; memberHouseholds: number; medianReadLabel: string | null };
    }>(`/api/city/overview?level=association&id=${ids.sakunami}`);
    expect(o.figures.memberHouseholds).toBe(24);
    const coverage = page.locator(".stat").filter({ hasText: "加入率" }).first();
    expect(await coverage.textContent()).toContain(percentText(o.figures.coverage));
    expect(await coverage.textContent()).toContain("24世帯");
    if (o.figures.medianReadLabel)
      expect(await page.locator(".stat").filter({ hasText: "確認までの時間" }).textContent()).toContain(
        o.figures.medianReadLabel,
      );
    await axe(page, "association dashboard");

    await crumbs.getByRole("link", { name: "青葉区" }).click();
    await h1(page, "青葉区の状況");
    await page.getByRole("navigation", { name: "いま見ている場所" }).getByRole("link", { name: "仙台市" }).click();
    await h1(page, "仙台市の状況");
  });

  it("sorts a table by a column, and says so with aria-sort", async () => {
    const page = cityBrowser.page;
    await page.goto(`${server.base}/city/d/${ids.district}`);
    const table = page.getByRole("table", { name: "町内会ごとの状況" });
    await table.waitFor();
    const firstRow = () => table.locator("tbody tr").first().locator("th").textContent();
    const header = table.getByRole("columnheader", { name: /加入世帯/ });
    await table.getByRole("button", { name: "加入世帯" }).click();
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("ascending");
    expect(await firstRow()).toBe("新川町内会"); // 16 households
    await table.getByRole("button", { name: "加入世帯" }).click();
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending");
    expect(await firstRow()).toBe("作並町内会"); // 24 households
    await expect.poll(() => page.getByRole("status").filter({ hasText: "加入世帯の大きい順" }).count()).toBe(1);
    await axe(page, "sorted table");
  });

  it("draws the trends as SVG with a title, a description, a caption and a table of the same numbers", async () => {
    const page = cityBrowser.page;
    await page.goto(`${server.base}/city`);
    const line = page.getByRole("img", { name: "回覧を確認した世帯の割合（週ごと）" });
    await line.waitFor();
    const svg = await line.evaluate((el) => ({
      tag: el.tagName.toLowerCase(),
      title: el.querySelector("title")?.textContent,
      desc: el.querySelector("desc")?.textContent ?? "",
      labelledby: el.getAttribute("aria-labelledby"),
      titleId: el.querySelector("title")?.id,
    }));
    expect(svg.tag).toBe("svg");
    expect(svg.labelledby).toBe(svg.titleId);
    expect(svg.desc).toContain("折れ線グラフ");
    const trends = await city.get<{ weeks: unknown[]; captions: { read72h: { ja: string } } }>(
      "/api/city/trends?level=city",
    );
    expect(trends.weeks).toHaveLength(26);
    await expect
      .poll(() => page.locator(".chart-captions").first().textContent())
      .toContain(trends.captions.read72h.ja);
    await page.getByRole("img", { name: "配った回覧の数（週ごと）" }).waitFor();

    // The table alternative: 26 weeks, opened from 「表で見る（数字）」.
    await page.getByText("表で見る（数字）").first().click();
    const table = page.getByRole("table", { name: "回覧を確認した世帯の割合（週ごと）" });
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(26);
    // The bar chart can show households reached instead.
    await page.getByRole("radio", { name: "届けた世帯の数" }).check();
    await page.getByRole("img", { name: "回覧を届けた世帯の数（週ごと・のべ）" }).waitFor();
    await axe(page, "trends with the table open");
    await page.getByRole("radio", { name: "回覧の数" }).check();
    await shot(page, "city-dashboard.png");
  });

  it("saves every table as CSV (UTF-8 with BOM) and JSON", async () => {
    const page = cityBrowser.page;
    await page.goto(`${server.base}/city/w/${ids.ward}`);
    await page.getByRole("table", { name: "地区ごとの状況" }).waitFor();
    const csvLinks = page.getByRole("link", { name: /^CSVで保存/ });
    const jsonLinks = page.getByRole("link", { name: /^JSONで保存/ });
    await expect.poll(() => csvLinks.count()).toBe(2); // the districts and the trends
    expect(await jsonLinks.count()).toBe(2);

    const [download] = await Promise.all([page.waitForEvent("download"), csvLinks.first().click()]);
    const file = join(tmp, "overview.csv");
    await download.saveAs(file);
    const bytes = new Uint8Array(await (await import("node:fs/promises")).readFile(file));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.subarray(3)).split("\r\n");
    expect(lines[0]).toContain("加入率");
    expect(lines[1]).toContain("coverage");
    expect(lines.some((l) => l.includes("宮城地区西部"))).toBe(true);

    for (const link of [jsonLinks.first(), jsonLinks.nth(1), csvLinks.nth(1)]) {
      const href = (await link.getAttribute("href"))!;
      expect(await link.getAttribute("download")).toBeTruthy();
      const res = await page.request.get(server.base + href);
      expect(res.status()).toBe(200);
      if (href.includes("format=json"))
        expect(Object.keys(await res.json())).toEqual(
          expect.arrayContaining(href.includes("trends") ? ["weeks"] : ["figures", "children"]),
        );
      else expect(res.headers()["content-type"]).toContain("text/csv");
    }
  });

  it("lists associations that need support, with the reason in words, sortable by the server", async () => {
    // 13 of 作並's 24 households leave: 11 of 30 in the area is a low coverage.
    const hh = (await sakunamiHouseholds()).filter((h) => !h.leftAt);
    for (const h of hh.slice(0, 13)) {
      const res = await leader.request(`/api/households/${h.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ left: true }),
      });
      expect(res.status).toBe(200);
    }
    const page = cityBrowser.page;
    await page.getByRole("navigation", { name: "市の画面" }).getByRole("link", { name: "支援が必要な町内会" }).click();
    await h1(page, "支援が必要な町内会");
    const table = page.getByRole("table");
    await table.waitFor();
    const row = table.getByRole("row").filter({ hasText: "作並町内会" });
    await expect.poll(() => row.textContent()).toContain("加入率が低い");
    expect(await row.textContent()).toContain("37%");
    await axe(page, "needs support");

    const header = table.getByRole("columnheader", { name: /加入率/ });
    await table.getByRole("button", { name: "加入率" }).click();
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("ascending");
    await expect
      .poll(() => page.getByRole("link", { name: /^CSVで保存/ }).getAttribute("href"))
      .toContain("sort=coverage");
    await table.getByRole("button", { name: "加入率" }).click();
    await expect.poll(() => header.getAttribute("aria-sort")).toBe("descending");
    await expect
      .poll(() => page.getByRole("link", { name: /^JSONで保存/ }).getAttribute("href"))
      .toContain("order=desc");
  });
});

describe("city circulars", { timeout: scaled(90_000) }, () => {
  it("composes with a photo and publishes to a ward after a confirmation that names the number of associations", async () => {
    const page = cityBrowser.page;
    await page.goto(`${server.base}/city/circulars`);
    await h1(page, "市からの回覧");
    await axe(page, "city circulars (empty)");
    await page.getByRole("link", { name: "新しい回覧を作る" }).click();
    await page.getByLabel("タイトル").waitFor();
    await axe(page, "city compose (empty)");

    // Publishing an empty form says what to fix.
    await page.getByRole("button", { name: "配布する" }).click();
    await expect.poll(() => page.getByText("タイトルを入力してください", { exact: false }).count()).toBeGreaterThan(0);
    await page.getByRole("radio", { name: "区を選ぶ", exact: true }).check();
    await page.getByRole("button", { name: "配布する" }).click();
    await expect
      .poll(() => page.getByText("配布先を1つ以上選んでください", { exact: false }).count())
      .toBeGreaterThan(0);
    await axe(page, "city compose (errors)");

    await page.getByLabel("タイトル").fill(TITLE);
    await page.getByLabel("本文").fill("12月号をお届けします。\n詳しくは https://www.city.sendai.jp/ をご覧ください。");
    await page.getByRole("checkbox", { name: "青葉区" }).check();
    await expect.poll(() => page.locator(".audience-size").textContent()).toContain("2町内会");
    await page.getByRole("radio", { name: "至急", exact: true }).check();
    await page.getByRole("radio", { name: "通常", exact: true }).check();
    const photo = join(tmp, "表紙.png");
    writeFileSync(photo, solidPng(300, 200, [20, 80, 150]));
    await page.getByLabel("写真・PDF を添付").setInputFiles(photo);
    await expect
      .poll(() => page.locator(".attached-list").textContent(), { timeout: scaled(15_000) })
      .toContain("表紙.png");
    await axe(page, "city compose (filled)");

    await page.getByRole("button", { name: "配布する" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await expect.poll(() => dialog.textContent()).toContain("青葉区の 2町内会に配布します");
    await axe(page, "city publish confirmation");
    await dialog.getByRole("button", { name: "配布する" }).click();
    await h1(page, TITLE);
    cityCircularId = new URL(page.url()).pathname.split("/").pop()!;
    await expect.poll(() => page.getByRole("status").filter({ hasText: "2町内会に配布しました" }).count()).toBe(1);
    await page.getByRole("table", { name: "区ごとの確認", exact: true }).waitFor();
    await axe(page, "city circular figures");
    await shot(page, "city-circular-figures.png");

    const c = await city.get<{ status: string; target: { scope: string; ids: string[] }; attachments: unknown[] }>(
      `/api/city/circulars/${cityCircularId}`,
    );
    expect(c).toMatchObject({ status: "published", target: { scope: "wards", ids: [ids.ward] } });
    expect(c.attachments).toHaveLength(1);
  });

  it("reaches a household marked 「仙台市から」 with its leader's note; the leader cannot edit or withdraw it", async () => {
    const copy = (
      await leader.get<{ circulars: { id: string; title: string; origin: string }[] }>("/api/circulars")
    ).circulars.find((c) => c.title === TITLE)!;
    expect(copy.origin).toBe("city");

    // The leader adds a note on the board.
    const lb = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(lb);
    await lb.context.addCookies([
      { name: leader.cookie.split("=")[0]!, value: leader.cookie.split("=").slice(1).join("="), url: server.base },
    ]);
    await lb.page.goto(`${server.base}/leader/c/${copy.id}`);
    await h1(lb.page, TITLE);
    await lb.page.getByText("この回覧は仙台市から届いたものです", { exact: false }).waitFor();
    expect(await lb.page.getByRole("button", { name: "配布を取り下げる" }).count()).toBe(0);
    await lb.page.getByLabel("ひとこと（200文字まで）").fill("紙の回覧板も集会所に置いてあります。");
    await lb.page.getByRole("button", { name: "ひとことを保存" }).click();
    await expect.poll(() => lb.page.getByRole("status").filter({ hasText: "ひとことを保存しました" }).count()).toBe(1);
    await axe(lb.page, "leader board of a city circular");
    expect((await leader.get<{ leaderNote: string }>(`/api/circulars/${copy.id}`)).leaderNote).toBe(
      "紙の回覧板も集会所に置いてあります。",
    );
    expect((await leader.request(`/api/circulars/${copy.id}/withdraw`, { method: "POST" })).status).toBe(409);

    // A household of 作並 joins and sees it.
    const household = (await sakunamiHouseholds()).find((h) => !h.leftAt && h.channel === "app")!;
    const invite = await inviteFor(leader, household.id);
    const tablet = await openBrowser();
    opened.push(tablet);
    const page = tablet.page;
    await joinByQrLink(page, server.base, invite.token);
    await page.goto(`${server.base}/`);
    const card = page.getByRole("link", { name: new RegExp(TITLE) });
    await card.waitFor();
    expect(await card.textContent()).toContain("仙台市から");
    await axe(page, "resident home with a city circular");
    await card.click();
    await h1(page, TITLE);
    expect(await page.locator(".badge.city").first().textContent()).toBe("仙台市から");
    const note = page.getByRole("region", { name: "町内会からのひとこと" });
    expect(await note.textContent()).toContain("紙の回覧板も集会所に置いてあります。");
    // The note comes before the body.
    const order = await page.evaluate(() => {
      const n = document.querySelector(".leader-note")!;
      const b = document.querySelector(".circular-body")!;
      return n.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    await axe(page, "resident circular from the city");
    await page.getByRole("button", { name: "確認しました" }).click();
    await expect.poll(() => page.getByText(/確認済み \d+月\d+日/).count()).toBeGreaterThan(0);

    // The city sees it counted (aggregates only).
    await expect
      .poll(
        async () =>
          (await city.get<{ total: { read: number | null } }>(`/api/city/circulars/${cityCircularId}/figures`)).total
            .read,
      )
      .toBe(1);
    const cp = cityBrowser.page;
    await cp.goto(`${server.base}/city/circulars/${cityCircularId}`);
    const byAssoc = cp.getByRole("table", { name: "町内会ごとの確認" });
    await byAssoc.waitFor();
    await expect.poll(() => byAssoc.getByRole("row").filter({ hasText: "新川町内会" }).textContent()).toContain("16");
  });

  it("the city withdraws it from every association", async () => {
    const page = cityBrowser.page;
    await page.goto(`${server.base}/city/circulars/${cityCircularId}`);
    await h1(page, TITLE);
    await page.getByRole("button", { name: "配布を取り下げる" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await axe(page, "city withdraw confirmation");
    await dialog.getByRole("button", { name: "配布を取り下げる" }).click();
    await page.getByText("この回覧は取り下げました", { exact: false }).waitFor();
    expect((await city.get<{ status: string }>(`/api/city/circulars/${cityCircularId}`)).status).toBe("withdrawn");
    await page.goto(`${server.base}/city/circulars`);
    await page.getByRole("heading", { name: "取り下げた回覧" }).waitFor();
  });
});

describe("privacy and reading at any size", { timeout: scaled(90_000) }, () => {
  it("shows 「—」 with the reason for a group under 5 households", async () => {
    // 作並 down to 4 member households.
    const left = (await sakunamiHouseholds()).filter((h) => !h.leftAt);
    for (const h of left.slice(0, left.length - 4))
      await leader.request(`/api/households/${h.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ left: true }),
      });
    const o = await city.get<{ children: { name: string; suppressed: boolean; coverage: number | null }[] }>(
      `/api/city/overview?level=district&id=${ids.district}`,
    );
    expect(o.children.find((c) => c.name === "作並町内会")).toMatchObject({ suppressed: true, coverage: null });

    const page = cityBrowser.page;
    await page.goto(`${server.base}/city/d/${ids.district}`);
    const row = page
      .getByRole("table", { name: "町内会ごとの状況" })
      .getByRole("row")
      .filter({ hasText: "作並町内会" });
    await row.waitFor();
    expect(await row.textContent()).toContain("—");
    expect(await page.getByText("5世帯未満のため表示していません", { exact: false }).count()).toBeGreaterThan(0);
    await axe(page, "suppressed row");
    await page.goto(`${server.base}/city/a/${ids.sakunami}`);
    await page.getByText("5世帯未満のため、数字を表示していません", { exact: false }).waitFor();
    await axe(page, "suppressed association");
  });

  it("every city screen passes axe at 特大 on a 320 px screen without sideways scrolling", async () => {
    const small = await openBrowser({ viewport: { width: 320, height: 720 } });
    opened.push(small);
    const page = small.page;
    await page.goto(`${server.base}/login`);
    await presetSettings(page, { size: "xlarge", welcomed: true });
    await page.getByLabel("メールアドレス").fill(CITY.email);
    await page.getByLabel("パスワード").fill(CITY.password);
    await page.getByRole("button", { name: "ログイン", exact: true }).click();
    await h1(page, "仙台市の状況");
    for (const path of [
      "/city",
      `/city/w/${ids.ward}`,
      `/city/a/${ids.shinkawa}`,
      "/city/needs-support",
      "/city/circulars",
      "/city/circulars/new",
      `/city/circulars/${cityCircularId}`,
    ]) {
      await page.goto(server.base + path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await expect.poll(() => page.getByText("読み込んでいます…").count(), { timeout: 10_000 }).toBe(0);
      expect(await page.evaluate(() => document.documentElement.dataset.size)).toBe("xlarge");
      const overflow = await page.evaluate(
        () => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
      );
      expect(overflow, `sideways scrolling on ${path}`).toBeLessThanOrEqual(0);
      await axe(page, `${path} at 特大, 320 px`);
    }
  });
});
