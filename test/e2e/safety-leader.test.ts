// 安否確認 on the leaders' screens, in Chromium against the real server (the demo association 作並町内会): the leader
// starts a check from the circular list, after a question that says how many households it reaches (the message
// prefilled, 「訓練として行う」 unticked), and lands on its board; a household answers 助けが必要 with けが through the
// API and the board shows it first, in the summary, without a reload (it refreshes itself); a 要支援 household is
// pinned first among the unanswered with its needs; another household is recorded 無事 through 「訪問して確認」, and
// the 要支援 one 不在 (shown with its time); the unanswered households print, block by block; the list shows the open
// check as a card; the 1班 block leader sees only their block and cannot close it; the leader closes the check and
// reads the report (within 1 h, by channel, over time, the CSV); a drill is marked 「訓練」 on the list, the board, the
// print and the report; at 特大 on a 320 px screen nothing scrolls sideways. axe on each screen.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  type ApiClient,
  type Browser,
  DEMO_LEADER,
  expectNoAxeViolations,
  type Household,
  inviteFor,
  joinDevice,
  openBrowser,
  presetSettings,
  requireBuild,
  type RunningServer,
  signInAs,
  signInLeader,
  signInPage,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

const DEMO_BLOCK_LEADER = { email: "hancho@example.jp", password: "kairan-demo-2026" };

let server: RunningServer;
let leader: ApiClient;
let b: Browser;
const opened: Browser[] = [];
const tmp = mkdtempSync(join(tmpdir(), "kairan-safety-e2e-"));
let block1 = { id: "", name: "1班" };
let block2 = { id: "", name: "2班" };
/** Answers 助けが必要 (けが) in the app: in 2班, so the 1班 block leader does not see it. */
let helper: Household;
/** Recorded 無事 through 「訪問して確認」 (1班). */
let visited: Household;
/** On the 要支援 register (1班, 歩くのが難しい). */
let supported: Household;
let checkId = "";

interface BoardHousehold {
  id: string;
  label: string;
  answer: { state: string; channel: string; needs: string[] } | null;
}
interface Board {
  check: { id: string; open: boolean; drill: boolean; counts: { unanswered: number; help: number; safe: number } };
  needHelp: BoardHousehold[];
  blocks: { id: string; name: string; help: BoardHousehold[]; unanswered: BoardHousehold[]; safe: BoardHousehold[] }[];
}

const boardOf = (id: string, as: ApiClient = leader) => as.get<Board>(`/api/safety/checks/${id}/board`);
const summary = (page: Page) => page.getByRole("region", { name: /^助けが必要な世帯/ });
const blockRegion = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
  const { blocks } = await leader.get<{ blocks: { id: string; name: string }[] }>("/api/blocks");
  block1 = blocks.find((x) => x.name === "1班")!;
  block2 = blocks.find((x) => x.name === "2班")!;
  const of = async (blockId: string) =>
    (await leader.get<{ households: Household[] }>(`/api/households?blockId=${blockId}`)).households;
  const in1 = (await of(block1.id)).filter((h) => h.channel === "app");
  const in2 = (await of(block2.id)).filter((h) => h.channel === "app");
  helper = in2[0]!;
  [visited, supported] = in1.slice(-2) as [Household, Household];
  const res = await leader.request(`/api/households/${supported.id}/support`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ needs: ["walking"], note: "車いすを使っています", consent: true }),
  });
  expect(res.status, await res.text()).toBe(200);
  b = await openBrowser({ viewport: { width: 1280, height: 900 } });
  await signInPage(b.page, server.base, DEMO_LEADER, "回覧の一覧");
}, scaled(120_000));

afterAll(async () => {
  await b?.close();
  for (const o of opened) await o.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("安否確認 on the leader's screens", { timeout: scaled(120_000) }, () => {
  it("starts a check from the circular list after a question that says how many households it reaches", async () => {
    const page = b.page;
    const { households } = await leader.get<{ households: number }>("/api/safety/audience");
    await page.goto(`${server.base}/leader`);
    const start = page.getByRole("button", { name: "安否確認を始める" });
    await start.waitFor();
    const box = (await start.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(56);
    // Above the circulars.
    const firstCircular = (await page.getByRole("region", { name: "配布中の回覧" }).boundingBox())!;
    expect(box.y).toBeLessThan(firstCircular.y);
    await axe(page, "the circular list with 「安否確認を始める」");

    await start.click();
    const dialog = page.getByRole("dialog", { name: "安否確認を始めますか？" });
    await dialog.getByText(`${households}世帯に送ります。`, { exact: false }).waitFor();
    expect(await dialog.getByLabel("住民の方へのメッセージ").inputValue()).toBe("地震がありました。ご無事ですか？");
    expect(await dialog.getByRole("checkbox", { name: "訓練として行う" }).isChecked()).toBe(false);
    await axe(page, "the question before starting");
    // 「やめる」 starts nothing.
    await dialog.getByRole("button", { name: "やめる" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await leader.get<{ checks: unknown[] }>("/api/safety/checks")).checks).toHaveLength(0);

    await start.click();
    await dialog.getByRole("button", { name: "安否確認を始める" }).click();
    await page.waitForURL(/\/leader\/safety\/[^/]+$/);
    checkId = new URL(page.url()).pathname.split("/").pop()!;
    await page.getByRole("heading", { level: 1, name: "安否確認" }).waitFor();
    await page.getByText(`安否確認を始めました。${households}世帯に送りました。`).waitFor();
    await page.getByText("地震がありました。ご無事ですか？").first().waitFor();
    await page.getByText(`未回答 ${households}世帯`).first().waitFor();
    // Not a drill: 「訓練」 nowhere.
    expect(await page.getByText("訓練", { exact: true }).count()).toBe(0);
    const board = await boardOf(checkId);
    expect(board.check).toMatchObject({ open: true, drill: false });
  });

  it("shows a household that needs help first, in the summary, without a reload; 要支援 is pinned first", async () => {
    const page = b.page;
    await summary(page).getByText("いま、助けが必要と答えた世帯はありません。").waitFor();
    // The 要支援 household leads 1班's unanswered, with its badge and needs.
    const unanswered1 = blockRegion(page, "1班").locator(".safety-group.unanswered li").first();
    await expect.poll(() => unanswered1.locator(".hh-name").textContent()).toContain(supported.label);
    expect(await unanswered1.textContent()).toContain("要支援");
    expect(await unanswered1.textContent()).toContain("歩くのが難しい");
    await axe(page, "the live board");

    const device = await joinDevice(server.base, (await inviteFor(leader, helper.id)).token);
    await device.post(`/api/feed/${checkId}/answer`, {
      answers: { state: { choice: "help" }, needs: { choices: ["injury"] }, note: { text: "足を痛めました" } },
    });
    // The board reloads itself (every 12 s): no reload here.
    const first = summary(page).locator(".safety-hh").first();
    await expect.poll(() => first.textContent(), { timeout: scaled(40_000), interval: 500 }).toContain(helper.label);
    expect(await first.textContent()).toContain("2班");
    expect(await first.textContent()).toContain("けが");
    expect(await first.textContent()).toContain("足を痛めました");
    await summary(page).getByRole("heading", { name: "助けが必要な世帯（1世帯）" }).waitFor();
    await page.getByText("助けが必要 1世帯").first().waitFor();
    // And in 2班, among 「助けが必要」.
    const help2 = blockRegion(page, "2班").locator(".safety-group.help");
    await help2.getByRole("heading", { name: "助けが必要（1世帯）" }).waitFor();
    expect(await help2.textContent()).toContain(helper.label);
    await axe(page, "the board with a household needing help");
  });

  it("records another household 無事 through 「訪問して確認」, and the 要支援 one 不在 with its time", async () => {
    const page = b.page;
    await page.getByRole("button", { name: `${visited.label} 訪問して確認` }).click();
    const dialog = page.getByRole("dialog", { name: `${visited.label} さんの安否を記録` });
    await dialog.waitFor();
    // Nothing chosen: it says what to choose, and the focus goes there.
    await dialog.getByRole("button", { name: "記録する" }).click();
    await dialog.getByText("「無事」「助けが必要」「不在」から選んでください。").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("visit-state");
    // 助けが必要 offers needs and a note.
    await dialog.getByRole("radio", { name: "助けが必要" }).check();
    await dialog.getByRole("checkbox", { name: "けが" }).waitFor();
    await dialog.getByLabel("ひとこと（任意）").waitFor();
    await axe(page, "the visit dialog");
    const choice = (await dialog.locator("label").filter({ hasText: "不在" }).boundingBox())!;
    expect(choice.height).toBeGreaterThanOrEqual(48);
    await dialog.getByRole("radio", { name: "無事" }).check();
    expect(await dialog.getByRole("checkbox", { name: "けが" }).count()).toBe(0);
    await dialog.getByRole("radio", { name: "訪問" }).check();
    await dialog.getByRole("button", { name: "記録する" }).click();
    await dialog.waitFor({ state: "hidden" });

    const safe1 = blockRegion(page, "1班").locator(".safety-group.safe");
    await safe1.getByText(visited.label).waitFor();
    expect(await safe1.textContent()).toContain("訪問");
    const board = await boardOf(checkId);
    const row = board.blocks.flatMap((x) => x.safe).find((h) => h.id === visited.id);
    expect(row?.answer).toMatchObject({ state: "safe", channel: "visit" });
    await page.getByText("無事 1世帯").first().waitFor();

    // 不在: still unanswered (the 要支援 household stays first), with the time of the visit.
    await page.getByRole("button", { name: `${supported.label} 訪問して確認` }).click();
    const again = page.getByRole("dialog", { name: `${supported.label} さんの安否を記録` });
    await again.getByRole("radio", { name: "不在" }).check();
    await again.getByRole("radio", { name: "電話" }).check();
    await again.getByRole("button", { name: "記録する" }).click();
    await again.waitFor({ state: "hidden" });
    const unanswered1 = blockRegion(page, "1班").locator(".safety-group.unanswered li").first();
    await expect.poll(() => unanswered1.textContent()).toMatch(/不在（\d+月\d+日 \d\d:\d\d）/);
    expect(await unanswered1.textContent()).toContain(supported.label);
  });

  it("prints the households still unanswered, block by block, with boxes to tick", async () => {
    const page = b.page;
    await page.getByRole("link", { name: "未回答の世帯を印刷" }).click();
    const sheet = page.getByRole("article", { name: "未回答の世帯" });
    await sheet.waitFor();
    const board = await boardOf(checkId);
    const remaining = board.blocks.flatMap((x) => x.unanswered);
    expect(remaining.length).toBe(board.check.counts.unanswered);
    await expect.poll(() => sheet.locator("tbody tr").count()).toBe(remaining.length);
    const text = (await sheet.textContent()) ?? "";
    for (const h of remaining) expect(text).toContain(h.label);
    expect(await sheet.getByRole("rowheader", { name: helper.label, exact: true }).count()).toBe(0);
    expect(await sheet.getByRole("rowheader", { name: visited.label, exact: true }).count()).toBe(0);
    await sheet.getByRole("heading", { name: `1班　未回答 ${board.blocks[0]!.unanswered.length}世帯` }).waitFor();
    expect(text).toContain("☐");
    expect(text).toContain("要支援（歩くのが難しい）");
    expect(text).toMatch(/不在（\d+月\d+日 \d\d:\d\d）/);
    await axe(page, "the print of unanswered households");
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("shows the open check as a card at the top of the list, without 「安否確認を始める」", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader`);
    const card = page.getByRole("region", { name: "実施中の安否確認" });
    await card.waitFor();
    await card.getByText("助けが必要 1世帯").waitFor();
    await card.getByText("無事 1世帯").waitFor();
    await card.getByText(/^未回答 \d+世帯$/).waitFor();
    expect(await page.getByRole("button", { name: "安否確認を始める" }).count()).toBe(0);
    await axe(page, "the list with an open check");
    await card.getByRole("link", { name: "実施中の安否確認を開く" }).click();
    await page.waitForURL(new RegExp(`/leader/safety/${checkId}$`));
  });

  it("a block leader sees their block only, records visits there, and cannot close the check", async () => {
    const hb = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(hb);
    const page = hb.page;
    await signInPage(page, server.base, DEMO_BLOCK_LEADER, "回覧の一覧");
    const card = page.getByRole("region", { name: "実施中の安否確認" });
    await card.waitFor();
    expect(await page.getByRole("button", { name: "安否確認を始める" }).count()).toBe(0);
    await card.getByRole("link", { name: "実施中の安否確認を開く" }).click();
    await page.getByRole("heading", { level: 1, name: "安否確認" }).waitFor();
    await blockRegion(page, "1班").waitFor();
    await page.getByText("あなたの班の世帯を表示しています。").waitFor();
    expect(await blockRegion(page, "2班").count()).toBe(0);
    // 2班's household needing help is not theirs to see.
    await summary(page).getByText("いま、助けが必要と答えた世帯はありません。").waitFor();
    expect(await page.getByText(helper.label).count()).toBe(0);
    await page.getByRole("button", { name: `${supported.label} 訪問して確認` }).waitFor();
    expect(await page.getByRole("button", { name: "安否確認を終了する" }).count()).toBe(0);
    const hancho = await signInAs(server.base, DEMO_BLOCK_LEADER);
    const board = await boardOf(checkId, hancho);
    expect(board.blocks.map((x) => x.name)).toEqual(["1班"]);
    await axe(page, "the block leader's board");
  });

  it("the leader closes the check: the board stays, read-only, with the report and its CSV", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader/safety/${checkId}`);
    await page.getByRole("button", { name: "安否確認を終了する" }).click();
    const dialog = page.getByRole("dialog", { name: "安否確認を終了しますか？" });
    await dialog.getByText("未回答は", { exact: false }).waitFor();
    await dialog.getByRole("button", { name: "安否確認を終了する" }).click();
    const report = page.getByRole("region", { name: "安否確認の結果" });
    await report.waitFor();
    await page.getByText("この安否確認は終了しました。", { exact: false }).waitFor();
    await report.getByText(/^回答 2 \/ \d+ 世帯$/).waitFor();
    const within = report.getByRole("region", { name: "回答までの時間" });
    for (const words of ["1時間以内2世帯", "3時間以内2世帯", "24時間以内2世帯"])
      expect((await within.textContent())?.replace(/\s/g, "")).toContain(words);
    const channels = ((await report.getByRole("region", { name: "回答の方法" }).textContent()) ?? "").replace(
      /\s/g,
      "",
    );
    expect(channels).toContain("アプリ1世帯");
    expect(channels).toContain("訪問1世帯");
    expect(channels).toContain("電話0世帯");
    await report.getByRole("region", { name: "時間ごとの回答" }).getByText("開始から1時間").waitFor();
    // Read-only: no 「訪問して確認」, no closing again.
    expect(await page.getByRole("button", { name: /訪問して確認$/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "安否確認を終了する" }).count()).toBe(0);
    // The board is still there.
    await summary(page).getByText(helper.label).waitFor();
    await axe(page, "the closed board with its report");

    const link = report.getByRole("link", { name: "CSVをダウンロード" });
    expect(await link.getAttribute("href")).toBe(`/api/safety/checks/${checkId}/board?format=csv`);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const file = join(tmp, "safety.csv");
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(lines[0]).toContain("班,世帯,安否");
    expect(lines.find((l) => l.includes(helper.label))).toContain("助けが必要");

    // On the list: no open card, 「安否確認を始める」 again, and the check under 「これまでの安否確認」.
    await page.goto(`${server.base}/leader`);
    await page.getByRole("button", { name: "安否確認を始める" }).waitFor();
    const past = page.getByRole("region", { name: "これまでの安否確認" });
    await past.locator(".safety-past-item").first().waitFor();
    expect(await past.locator(".safety-past-item").count()).toBe(1);
    expect(await page.getByRole("region", { name: "実施中の安否確認" }).count()).toBe(0);
  });

  it("a drill is marked 「訓練」 on the list, the board, the print and the report", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader`);
    await page.getByRole("button", { name: "安否確認を始める" }).click();
    const dialog = page.getByRole("dialog", { name: "安否確認を始めますか？" });
    await dialog.getByText("世帯に送ります。", { exact: false }).waitFor();
    await dialog.getByLabel("住民の方へのメッセージ").fill("安否確認の訓練です。");
    await dialog.getByRole("checkbox", { name: "訓練として行う" }).check();
    await dialog.getByRole("button", { name: "安否確認を始める" }).click();
    await page.waitForURL(/\/leader\/safety\/[^/]+$/);
    const drillId = new URL(page.url()).pathname.split("/").pop()!;
    expect(drillId).not.toBe(checkId);
    await page.getByRole("heading", { level: 1, name: "安否確認 訓練" }).waitFor();
    expect((await boardOf(drillId)).check.drill).toBe(true);
    await axe(page, "a drill's board");

    await page.goto(`${server.base}/leader`);
    const card = page.getByRole("region", { name: "実施中の安否確認 訓練" });
    await card.getByText("安否確認の訓練です。").waitFor();

    await page.goto(`${server.base}/leader/safety/${drillId}/unanswered`);
    await page.getByRole("heading", { level: 1, name: "未回答の世帯 訓練" }).waitFor();

    await leader.post(`/api/safety/checks/${drillId}/close`);
    await page.goto(`${server.base}/leader/safety/${drillId}`);
    await page.getByRole("region", { name: "安否確認の結果 訓練" }).waitFor();

    await page.goto(`${server.base}/leader`);
    const past = page.getByRole("region", { name: "これまでの安否確認" });
    const items = past.locator(".safety-past-item");
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.first().textContent()).toContain("訓練");
    expect(await items.nth(1).textContent()).not.toContain("訓練");
    await axe(page, "the list with past checks");
  });
});

describe("安否確認 at 特大 on a 320 px screen", { timeout: scaled(120_000) }, () => {
  it("the list's card, the board, the visit dialog and the report fit without sideways scrolling", async () => {
    const id = (await leader.post<{ check: { id: string } }>("/api/safety/checks", { drill: true })).check.id;
    const small = await openBrowser({ viewport: { width: 320, height: 720 } });
    opened.push(small);
    const page = small.page;
    await page.goto(`${server.base}/login`);
    await presetSettings(page, { size: "xlarge", welcomed: true });
    await signInPage(page, server.base, DEMO_LEADER, "回覧の一覧");
    const overflow = () =>
      page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);
    await page.getByRole("region", { name: "実施中の安否確認 訓練" }).waitFor();
    expect(await overflow(), "the list's card").toBeLessThanOrEqual(0);

    await page.goto(`${server.base}/leader/safety/${id}`);
    await summary(page).waitFor();
    await blockRegion(page, "1班").getByText(supported.label).waitFor();
    expect(await overflow(), "the board").toBeLessThanOrEqual(0);
    await axe(page, "the board at 特大, 320 px");
    await page.getByRole("button", { name: `${supported.label} 訪問して確認` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("radio", { name: "助けが必要" }).check();
    await dialog.getByRole("checkbox", { name: "家にいられない" }).waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x + box.width, "the visit dialog").toBeLessThanOrEqual(320);
    await axe(page, "the visit dialog at 特大, 320 px");
    await dialog.getByRole("button", { name: "やめる" }).click();
    await dialog.waitFor({ state: "hidden" });

    await leader.post(`/api/safety/checks/${id}/close`);
    await page.reload();
    await page.getByRole("region", { name: "安否確認の結果 訓練" }).waitFor();
    expect(await overflow(), "the report").toBeLessThanOrEqual(0);
    await axe(page, "the report at 特大, 320 px");

    await page.goto(`${server.base}/leader/safety/${id}/unanswered`);
    await page.getByRole("article", { name: "未回答の世帯 訓練" }).waitFor();
    expect(await overflow(), "the print view").toBeLessThanOrEqual(0);
  });
});
