// The leader's side of the loop in Chromium, against the real server: sign in, compose with a photo, publish to one
// block; a household of that block joins through its QR link on a tablet and acknowledges; the board shows it, the
// unread households first; a paper household is recorded with one tap. The compose screen's own Japanese controls in
// an English browser. axe-core on every leader screen; screenshots for the README.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiClient,
  type Browser,
  CHROME,
  CHROME_ARGS,
  DEMO_LEADER,
  expectNoAxeViolations,
  inviteFor,
  joinByQrLink,
  openBrowser,
  presetSettings,
  receiptsOf,
  requireBuild,
  ROOT,
  type RunningServer,
  signInLeader,
  solidPng,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

let server: RunningServer;
let api: ApiClient;
let leaderBrowser: Browser;
const opened: Browser[] = [];
const tmp = mkdtempSync(join(tmpdir(), "kairan-leader-e2e-"));
const TITLE = "1班 側溝清掃のお願い";
let circularId = "";
let block1 = { id: "", name: "1班" };
let block1Households: { id: string; label: string; channel: "app" | "paper" }[] = [];

/** At least 48 x 48 px, the project's smallest target. */
async function expectTarget(target: Locator, what: string) {
  const box = await target.boundingBox();
  expect(box, what).not.toBeNull();
  expect(Math.min(box!.width, box!.height), `${what}: ${box!.width} x ${box!.height}`).toBeGreaterThanOrEqual(48);
}

async function signInPage(page: Page) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel("メールアドレス").fill(DEMO_LEADER.email);
  await page.getByLabel("パスワード").fill(DEMO_LEADER.password);
  await page.getByRole("button", { name: "ログイン", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "回覧の一覧" }).waitFor();
}

/** Into docs/screenshots/ when missing or with UPDATE_SCREENSHOTS=1 (their dates differ each run); else a temp folder. */
function shot(page: Page, name: string) {
  const docs = join(ROOT, "docs", "screenshots");
  const dir = process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(join(docs, name)) ? docs : tmp;
  mkdirSync(dir, { recursive: true });
  return page.screenshot({ path: join(dir, name), fullPage: true });
}

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  api = await signInLeader(server.base);
  const blocks = await api.get<{ blocks: { id: string; name: string }[] }>("/api/blocks");
  block1 = blocks.blocks.find((b) => b.name === "1班")!;
  const hh = await api.get<{ households: { id: string; label: string; channel: "app" | "paper" }[] }>(
    `/api/households?blockId=${block1.id}`,
  );
  block1Households = hh.households;
  leaderBrowser = await openBrowser({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  for (const b of [leaderBrowser, ...opened]) await b?.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("a leader posts, a household acknowledges, the leader follows up", () => {
  it("signs in with email and password", async () => {
    const page = leaderBrowser.page;
    await page.goto(`${server.base}/login`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("役員・班長のログイン");
    await axe(page, "login");
    await page.getByLabel("メールアドレス").fill(DEMO_LEADER.email);
    await page.getByLabel("パスワード").fill("wrong password");
    await page.getByRole("button", { name: "ログイン", exact: true }).click();
    await expect
      .poll(() => page.getByText("メールアドレスかパスワードが違います", { exact: false }).count())
      .toBeGreaterThan(0);
    await page.getByLabel("パスワード").fill(DEMO_LEADER.password);
    await page.getByRole("button", { name: "ログイン", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "回覧の一覧" }).waitFor();
    // read rates as 「n / m 世帯」
    await expect.poll(() => page.getByText(/\d+ \/ \d+ 世帯/).count()).toBeGreaterThan(0);
    await axe(page, "circular list");
  });

  it("composes with a photo and publishes to one block after a confirmation that states the audience size", async () => {
    const page = leaderBrowser.page;
    await page.getByRole("link", { name: "新しい回覧を作る" }).click();
    await page.getByLabel("タイトル").waitFor();
    await axe(page, "compose (empty)");
    // Publishing an empty form says what to fix.
    await page.getByRole("button", { name: "配布する" }).click();
    await expect.poll(() => page.getByText("タイトルを入力してください", { exact: false }).count()).toBeGreaterThan(0);
    await axe(page, "compose (errors)");

    await page.getByLabel("タイトル").fill(TITLE);
    await page.getByLabel("本文").fill("12月7日(日) 午前9時から、1班の側溝を清掃します。\n軍手をお持ちください。");
    // With 「全体」 (the default) no block is listed: a row of unticked boxes looked like nothing was chosen.
    const block1Box = page.getByRole("checkbox", { name: "1班", exact: true });
    expect(await page.getByRole("radio", { name: "全体" }).isChecked()).toBe(true);
    expect(await page.getByRole("group", { name: "配布する班" }).count()).toBe(0);
    expect(await block1Box.count()).toBe(0);
    await page.getByRole("radio", { name: "班を選ぶ" }).check();
    await block1Box.check();
    // Back to 「全体」 hides them again; 「班を選ぶ」 brings the ticks back.
    await page.getByRole("radio", { name: "全体" }).check();
    await expect.poll(() => block1Box.count()).toBe(0);
    await page.getByRole("radio", { name: "班を選ぶ" }).check();
    expect(await block1Box.isChecked()).toBe(true);
    for (const name of ["全体", "班を選ぶ"])
      await expectTarget(page.locator(".segmented label").filter({ hasText: name }), name);

    // The attachment is chosen through 「ファイルを選ぶ」 (the browser's own input is hidden from sight).
    const photo = join(tmp, "側溝の地図.png");
    writeFileSync(photo, solidPng(400, 240, [30, 90, 160]));
    const choose = page.getByText("ファイルを選ぶ", { exact: true });
    await expectTarget(choose, "ファイルを選ぶ");
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), choose.click()]);
    await chooser.setFiles(photo);
    await expect.poll(() => page.getByText("側溝の地図.png").count(), { timeout: 15_000 }).toBeGreaterThan(0);

    await page.getByRole("button", { name: "プレビュー" }).click();
    await expect.poll(() => page.getByText("軍手をお持ちください。", { exact: false }).count()).toBeGreaterThan(0);
    await axe(page, "compose (preview)");

    await page.getByRole("button", { name: "配布する" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    const expected = block1Households.length;
    await expect.poll(() => dialog.textContent()).toContain(`${expected}世帯`);
    await axe(page, "publish confirmation");
    await dialog.getByRole("button", { name: "配布する" }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    circularId = new URL(page.url()).pathname.split("/").pop()!;

    // The server agrees: published to exactly the households of 1班, with the photo.
    const detail = await api.get<{ status: string; blocks: { id: string }[]; attachments: { contentType: string }[] }>(
      `/api/circulars/${circularId}`,
    );
    expect(detail.status).toBe("published");
    expect(detail.blocks.map((b) => b.id)).toEqual([block1.id]);
    expect(detail.attachments.map((a) => a.contentType)).toEqual(["image/png"]);
    const receipts = await receiptsOf(api, circularId);
    expect(receipts.map((r) => r.id).sort()).toEqual(block1Households.map((h) => h.id).sort());
  });

  it("a household of that block joins by its QR link on a tablet, sees it unread and acknowledges it", async () => {
    const household = block1Households.find((h) => h.channel === "app")!;
    const invite = await inviteFor(api, household.id);
    const tablet = await openBrowser();
    opened.push(tablet);
    const page = tablet.page;
    await joinByQrLink(page, server.base, invite.token);
    await page.goto(`${server.base}/`);
    const card = page.getByRole("link", { name: new RegExp(TITLE) });
    await card.waitFor();
    expect(await card.textContent()).toContain("未確認");
    await card.click();
    await page.getByRole("img", { name: "側溝の地図.png" }).first().waitFor();
    await page.getByRole("button", { name: "確認しました" }).click();
    await expect.poll(() => page.getByText(/確認済み \d+月\d+日/).count()).toBeGreaterThan(0);

    const row = (await receiptsOf(api, circularId)).find((r) => r.id === household.id)!;
    expect(row.channel).toBe("app");
    expect(row.readAt).not.toBeNull();
  });

  it("the board shows the receipt, and a paper household is recorded with one tap", async () => {
    const page = leaderBrowser.page;
    await page.goto(`${server.base}/leader/c/${circularId}`);
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    await page.getByRole("heading", { name: "1班" }).first().waitFor();
    const reader = block1Households.find((h) => h.channel === "app")!;
    const readerRow = page
      .getByRole("listitem")
      .filter({ hasText: reader.label })
      .or(page.getByRole("row").filter({ hasText: reader.label }));
    await expect.poll(async () => (await readerRow.first().textContent()) ?? "").toContain("確認済み");
    await page.getByText(`まだ確認していない世帯：${block1Households.length - 1}世帯`).waitFor();

    // Who has not read comes first: the first unread household and its 「紙で確認」 on the first screen (1280 x 900),
    // above the notifications, which fold into one line that opens the detail.
    const firstUnread = page.locator(".board-block .hh.unread").first();
    const paperButton = firstUnread.getByRole("button", { name: /紙で確認$/ });
    const pushSummary = page.getByText(/^通知：送信済み \d+件・失敗 \d+件・送信待ち \d+件$/);
    await pushSummary.waitFor();
    const boxOf = async (l: Locator) => (await l.boundingBox())!;
    const rowBox = await boxOf(firstUnread);
    const buttonBox = await boxOf(paperButton);
    const summaryBox = await boxOf(pushSummary);
    expect(rowBox.y + rowBox.height).toBeLessThanOrEqual(900);
    expect(buttonBox.y + buttonBox.height).toBeLessThanOrEqual(900);
    expect(summaryBox.y).toBeGreaterThan(rowBox.y + rowBox.height);
    await expectTarget(paperButton, "紙で確認");
    await expectTarget(pushSummary, "the notifications summary");
    expect(await page.getByText("件数は端末ごとの数です", { exact: false }).isVisible()).toBe(false);
    await pushSummary.click();
    await page.getByText("件数は端末ごとの数です", { exact: false }).waitFor();
    // Folded again, as the leader first sees it (and as the README's screenshot shows it).
    await pushSummary.click();
    await page.getByText("件数は端末ごとの数です", { exact: false }).waitFor({ state: "hidden" });
    // No household of this circular has a device that takes notifications: no reminder, and the board says why.
    await page.getByText("通知を受け取れる未確認の世帯はありません", { exact: false }).waitFor();
    expect(await page.getByRole("button", { name: "未確認の世帯に再通知" }).count()).toBe(0);
    await axe(page, "receipt board");

    const paper =
      block1Households.find((h) => h.channel === "paper") ?? block1Households.find((h) => h.id !== reader.id)!;
    await page.getByRole("button", { name: `${paper.label} 紙で確認` }).click();
    await expect
      .poll(async () => (await receiptsOf(api, circularId)).find((r) => r.id === paper.id)?.channel)
      .toBe("paper");
    await expect.poll(() => page.getByRole("button", { name: `${paper.label} 紙で確認` }).count()).toBe(0);
    await axe(page, "receipt board after a paper entry");
    await shot(page, "leader-board.png");
  });

  it("prints the unread list and the circular with a sign-off table for paper households", async () => {
    const page = leaderBrowser.page;
    await page.goto(`${server.base}/leader/c/${circularId}/unread`);
    await page.getByRole("table").first().waitFor();
    await axe(page, "unread print view");
    await page.goto(`${server.base}/leader/c/${circularId}/print`);
    await expect.poll(() => page.getByText("軍手をお持ちください。", { exact: false }).count()).toBeGreaterThan(0);
    await axe(page, "circular print view");
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("manages households and prints invite sheets", async () => {
    const page = leaderBrowser.page;
    await page.goto(`${server.base}/leader/households`);
    await page.getByRole("heading", { level: 1, name: "世帯と招待" }).waitFor();
    await axe(page, "households");
    await page.getByRole("button", { name: "招待を作る" }).first().click();
    await expect.poll(() => page.url()).toMatch(/\/leader\/invites\/print/);
    await page.locator("img[src^='data:image/svg+xml']").first().waitFor();
    await expect.poll(() => page.getByText(/[A-Z2-9]{4}-[A-Z2-9]{4}/).count()).toBeGreaterThan(0);
    await axe(page, "invite sheet");
    await shot(page, "invite-sheet.png");

    // The invite just made is listed as unused, and can be cancelled (a lost sheet).
    await page.goto(`${server.base}/leader/households`);
    const pending = page.getByRole("region", { name: "まだ使われていない招待" });
    const cancelButtons = pending.getByRole("button", { name: /を取り消す$/ });
    await expect.poll(() => cancelButtons.count()).toBeGreaterThan(0);
    const before = (await api.get<{ invites: { id: string }[] }>("/api/invites")).invites.length;
    await axe(page, "households with pending invites");
    await cancelButtons.first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "取り消す" }).click();
    await expect
      .poll(async () => (await api.get<{ invites: unknown[] }>("/api/invites")).invites.length)
      .toBe(before - 1);
    await expect.poll(() => pending.getByText("を取り消しました", { exact: false }).count()).toBeGreaterThan(0);
  });

  it("in an English browser, the compose screen's file and date controls still speak Japanese", async () => {
    const browser = await chromium.launch({ executablePath: CHROME, args: CHROME_ARGS, headless: true });
    try {
      const context = await browser.newContext({
        locale: "en-US",
        timezoneId: "Asia/Tokyo",
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      expect(await page.evaluate(() => navigator.language)).toBe("en-US");
      await signInPage(page);
      await page.goto(`${server.base}/leader/new`);
      const choose = page.getByText("ファイルを選ぶ", { exact: true });
      await choose.waitFor();
      expect(await choose.isVisible()).toBe(true);
      // The browser's own 「Choose Files」 is out of sight: its input is 1 px, clipped.
      const fileInput = page.getByLabel("写真・PDF を添付");
      const input = (await fileInput.boundingBox())!;
      expect(input.width * input.height).toBeLessThanOrEqual(1);
      // Reached by keyboard, the hidden input shows its focus on the button.
      await fileInput.focus();
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Tab");
      expect(await fileInput.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await choose.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");

      const due = page.getByLabel("確認期限");
      await expectTarget(due, "確認期限");
      const beside = page.locator("#compose-dueAt-beside");
      expect(await beside.textContent()).toBe("未設定");
      await due.fill("2026-12-09");
      await expect.poll(() => beside.textContent()).toBe("12月9日(水)");
      expect(await page.getByText("12月9日(水)", { exact: true }).isVisible()).toBe(true);
      expect(await due.getAttribute("aria-describedby")).toContain("compose-dueAt-beside");
      await due.fill("");
      await expect.poll(() => beside.textContent()).toBe("未設定");
      await axe(page, "compose in an English browser");
    } finally {
      await browser.close();
    }
  });

  it("every leader screen passes axe at 特大 on a 320 px screen without sideways scrolling", async () => {
    const small = await openBrowser({ viewport: { width: 320, height: 720 } });
    opened.push(small);
    const page = small.page;
    await page.goto(`${server.base}/login`);
    await presetSettings(page, { size: "xlarge", welcomed: true });
    await page.getByLabel("メールアドレス").fill(DEMO_LEADER.email);
    await page.getByLabel("パスワード").fill(DEMO_LEADER.password);
    await page.getByRole("button", { name: "ログイン", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "回覧の一覧" }).waitFor();
    for (const path of ["/leader", "/leader/new", `/leader/c/${circularId}`, "/leader/households"]) {
      await page.goto(server.base + path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.size)).toBe("xlarge");
      const overflow = await page.evaluate(
        () => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth,
      );
      expect(overflow, `sideways scrolling on ${path}`).toBeLessThanOrEqual(0);
      await axe(page, `${path} at 特大, 320 px`);
    }
  });
});
