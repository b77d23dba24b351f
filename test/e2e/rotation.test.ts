// 班長 rotation (輪番) in Chromium, against the real server: on 「世帯と招待」 the leader opens a block's 「輪番」, moves a
// household up with the big buttons, marks one 免除 (the paper household is shown as skipped), saves, presses
// 「次の班長へ」 and confirms in a dialog naming who becomes 班長; that household's tablet, now 班長, opens the leader
// screens and sees 「班長になりました」 first. axe-core on every screen. (The term job and the races are in
// test/api/rotation.test.ts.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiClient,
  type Browser,
  DEMO_LEADER,
  expectNoAxeViolations,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  requireBuild,
  type RunningServer,
  shot,
  signInLeader,
  signInPage,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

let server: RunningServer;
let leader: ApiClient;
const opened: Browser[] = [];
const BLOCK = "9班";
const tmp = mkdtempSync(join(tmpdir(), "kairan-rotation-e2e-"));

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
  // A block of its own: 上田 (app), 井上 (paper), 青木 (app, its tablet joined below).
  const block = await leader.post<{ id: string }>("/api/blocks", { name: BLOCK });
  const add = (label: string, channel: "app" | "paper") =>
    leader.post<{ id: string }>("/api/households", { label, blockId: block.id, channel });
  await add("上田", "app");
  await add("井上", "paper");
  const aoki = await add("青木", "app");
  const tablet = await openBrowser();
  opened.push(tablet);
  await joinAsHousehold(tablet, server.base, (await inviteFor(leader, aoki.id)).token);
});

afterAll(async () => {
  for (const b of opened) await b.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("a block rotates", () => {
  it("the leader sets the order and presses 「次の班長へ」; the new 班長 sees 「班長になりました」", async () => {
    const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(b);
    const page = b.page;
    await signInPage(page, server.base, DEMO_LEADER, "回覧の一覧");
    await page.goto(`${server.base}/leader/households`);
    const item = page.locator("li.block-item").filter({ hasText: BLOCK });
    await item.getByRole("button", { name: "輪番" }).click();
    const editor = item.getByRole("region", { name: `${BLOCK}の輪番` });
    await editor.getByRole("list", { name: `${BLOCK}の順番` }).waitFor();
    const labels = () => editor.locator(".rotation-row .hh-name").allTextContents();
    await expect.poll(labels).toEqual(["上田", "井上", "青木"]);
    // The paper household is passed over; 「次の班長へ」 waits for a saved order.
    await expect.poll(() => editor.getByText("紙の世帯（飛ばします）").count()).toBe(1);
    await expect.poll(() => editor.getByText("先に順番を保存してください。").count()).toBe(1);
    await axe(page, "rotation editor");

    await editor.getByRole("button", { name: "青木を上へ" }).click();
    await editor.getByRole("button", { name: "青木を上へ" }).click();
    await expect.poll(labels).toEqual(["青木", "上田", "井上"]);
    await editor.getByRole("checkbox", { name: "上田を免除にする" }).check();
    await editor.getByRole("button", { name: "順番を保存する" }).click();
    await editor.getByText(`${BLOCK}の順番を保存しました。`).waitFor();
    await editor.getByText("次の班長：青木の世帯（青木さん宅）").waitFor();
    await expect.poll(() => editor.getByText("免除（飛ばします）").count()).toBe(1);

    await editor.getByRole("button", { name: "次の班長へ" }).click();
    const dialog = page.getByRole("dialog", { name: "次の班長へ交代しますか" });
    await dialog.getByText(`青木の世帯の「青木さん宅」が、${BLOCK}の班長になります。`).waitFor();
    await axe(page, "rotation confirmation");
    await dialog.getByRole("button", { name: "交代する" }).click();
    await editor.getByText(`${BLOCK}の班長は「青木さん宅」になりました。`).waitFor();
    await editor.getByText("いまの班長：青木さん宅").waitFor();
    await axe(page, "rotation editor after the rotation");
    await shot(editor, "rotation-editor.png", tmp);

    // The 青木 tablet, now 班長: the leader screens open on the guide, once.
    const tablet = opened[0]!.page;
    const guideRequests: string[] = [];
    const countGuide = (r: { url(): string; method(): string }) => {
      if (r.method() === "GET" && new URL(r.url()).pathname === "/api/rotation/guide") guideRequests.push(r.url());
    };
    tablet.on("request", countGuide);
    await tablet.goto(`${server.base}/leader`);
    await tablet.getByRole("heading", { level: 1, name: "班長になりました" }).waitFor();
    // The first-visit check's answer is the page's: one request for the guide, not two.
    expect(guideRequests).toHaveLength(1);
    tablet.off("request", countGuide);
    await tablet.getByRole("heading", { level: 2, name: "安否確認のとき" }).waitFor();
    await expect.poll(() => tablet.getByText("「訪問して確認」", { exact: false }).count()).toBeGreaterThan(0);
    await expect.poll(() => tablet.getByText(`${BLOCK}の班長になりました`, { exact: false }).count()).toBe(1);
    await axe(tablet, "hancho guide");
    await shot(tablet, "hancho-guide.png", tmp);
    // Seen: the next visit goes to the circulars, the guide stays one link away.
    await expect.poll(async () => (await leaderGuide(tablet)).unseen).toBe(false);
    await tablet.goto(`${server.base}/leader`);
    await tablet.getByRole("heading", { level: 1, name: "回覧の一覧" }).waitFor();
    await tablet.getByRole("link", { name: "班長の案内" }).waitFor();
  });
});

async function leaderGuide(page: Page): Promise<{ unseen: boolean }> {
  const res = await page.request.get(`${server.base}/api/rotation/guide`);
  return ((await res.json()) as { guide: { unseen: boolean } }).guide;
}
