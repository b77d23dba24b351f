// 引き継ぎ in Chromium against the real server: the demo leader prepares a handover of 会長・役員 on 「引き継ぎ」, prints
// its invite sheet; the successor opens the sheet's link (the URL its QR code holds) in another browser, registers
// and lands on 「はじめに確認すること」; the outgoing leader now sees the screens as read-only. axe on every screen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  DEMO_LEADER,
  expectNoAxeViolations,
  openBrowser,
  requireBuild,
  type RunningServer,
  signInPage,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

let server: RunningServer;
let leader: Browser;
let successor: Browser;

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await openBrowser({ viewport: { width: 1280, height: 900 } });
  successor = await openBrowser();
});

afterAll(async () => {
  for (const b of [leader, successor]) await b?.close();
  await server?.stop();
});

describe("a leader hands over to a successor who joins by the QR's link", () => {
  let inviteUrl = "";

  it("prepares the handover on 「引き継ぎ」 and prints the successor's invite sheet", async () => {
    const page = leader.page;
    await signInPage(page, server.base, DEMO_LEADER, "回覧の一覧");
    await page.getByRole("link", { name: "世帯と招待" }).click();
    await page.getByRole("link", { name: "引き継ぎ" }).click();
    await page.getByRole("heading", { level: 1, name: "引き継ぎ" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "準備した引き継ぎ" }).waitFor();
    await axe(page, "handover (empty)");

    // Nothing chosen: the form says what to do.
    await page.getByRole("button", { name: "招待の紙を作る" }).click();
    await expect
      .poll(() => page.getByText("引き継ぐ役を一つ以上選んでください", { exact: false }).count())
      .toBeGreaterThan(0);

    await page.getByRole("checkbox", { name: "会長・役員" }).check();
    const outgoing = page.getByLabel("会長・役員の前任者");
    await outgoing.waitFor();
    // The leader preparing it is the one stepping down, unless they choose otherwise.
    await expect.poll(() => outgoing.locator("option:checked").textContent()).toMatch(/（ご自分）/);
    await axe(page, "handover (a role chosen)");
    await page.getByRole("button", { name: "招待の紙を作る" }).click();

    await page.getByRole("heading", { level: 1, name: "招待状の印刷" }).waitFor();
    const sheet = page.locator(".invite-sheet");
    await expect.poll(() => sheet.count()).toBe(1);
    inviteUrl = (await sheet.locator(".url").textContent())?.trim() ?? "";
    expect(inviteUrl).toMatch(new RegExp(`^${server.base}/join/[A-Za-z0-9_-]+$`));
    await axe(page, "handover invite sheet");

    await page.goto(`${server.base}/leader/handover`);
    await expect.poll(() => page.getByText("次の方の登録を待っています", { exact: false }).count()).toBeGreaterThan(0);
  });

  it("the successor opens the link, registers, and first sees 「はじめに確認すること」 with places to act", async () => {
    const page = successor.page;
    await page.goto(inviteUrl);
    await page.getByRole("heading", { level: 1, name: "役員・班長の登録" }).waitFor();
    await page.getByLabel("お名前").fill("新しい会長");
    await page.getByLabel("メールアドレス").fill("shin-kaicho@example.jp");
    await page.getByLabel("パスワード").fill("shin-kaicho-2027");
    await page.getByRole("button", { name: "登録する" }).click();

    await page.getByRole("heading", { level: 1, name: "はじめに確認すること" }).waitFor();
    await expect.poll(() => page.getByText(/^班：\d+ 班$/).count()).toBe(1);
    await expect.poll(() => page.getByText(/^世帯：\d+ 世帯$/).count()).toBe(1);
    await expect.poll(() => page.getByText(/^紙で回覧する世帯：\d+ 世帯/).count()).toBe(1);
    await expect.poll(() => page.getByText(/^まだ使われていない招待：\d+ 件$/).count()).toBe(1);
    await expect.poll(() => page.getByText(/^期限がまだ先の回覧：\d+ 件$/).count()).toBe(1);
    await expect.poll(() => page.getByText(/^通知が届く世帯：\d+ 世帯/).count()).toBe(1);
    await axe(page, "checklist");

    // Each line leads where to act.
    await page.getByRole("link", { name: "世帯を見る", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "世帯と招待" }).waitFor();
  });

  it("the outgoing leader now reads only, and the handover shows as done", async () => {
    const page = leader.page;
    await page.goto(`${server.base}/leader/handover`);
    await expect
      .poll(() => page.getByText("新しい会長 さんに引き継ぎました", { exact: false }).count())
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByText("閲覧だけできます", { exact: false }).count()).toBeGreaterThan(0);
    await axe(page, "handover (done, read-only)");
  });
});
