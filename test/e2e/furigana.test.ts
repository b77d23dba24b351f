// ふりがな in Chromium, against the real server (kuromoji on Node): a leader opens 「ふりがな」 on the compose screen,
// corrects the reading of a place name, saves it and publishes; a household with 「ふりがなを表示」 on sees <ruby> with
// the corrected reading (title and body, with the phrase breaks kept), with it off sees no <rt>. axe-core on the panel
// and the circular; a screenshot at 特大, 320 px. (The rules and the API are in test/api/furigana.test.ts.)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appHouseholds,
  DEMO_LEADER,
  expectNoAxeViolations,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  presetSettings,
  requireBuild,
  shot,
  signInLeader,
  signInPage,
  startServer,
  type ApiClient,
  type Browser,
  type RunningServer,
} from "./harness";
import { scaled } from "../helpers/timeouts";

let server: RunningServer;
let leader: ApiClient;
const opened: Browser[] = [];
const shots = mkdtempSync(join(tmpdir(), "kairan-furigana-shots-"));
// 愛子 is あやし in Sendai; IPADIC reads it あいこ (a given name): the correction the panel is for.
const TITLE = `愛子地区の避難所のお知らせ ${Date.now()}`;
const BODY = "12月7日に防災訓練を行います。申し込みは愛子公民館までお願いします。";

const axe = expectNoAxeViolations;

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
}, scaled(90_000));

afterAll(async () => {
  for (const b of opened) await b.close();
  await server?.stop();
});

describe("ふりがな", { timeout: scaled(120_000) }, () => {
  let circularId = "";

  it("a leader corrects a reading in 「ふりがな」 and publishes", async () => {
    const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(b);
    const page = b.page;
    await signInPage(page, server.base, DEMO_LEADER, "回覧の一覧");
    await page.goto(`${server.base}/leader/new`);
    await page.getByLabel("タイトル").fill(TITLE);
    await page.locator("#compose-body").fill(BODY);

    const panel = page.getByRole("region", { name: "ふりがな" });
    await panel.getByRole("button", { name: "ふりがなを確認する" }).click();
    await panel.getByRole("heading", { name: /漢字のことばと読み/ }).waitFor({ timeout: scaled(30_000) });
    const field = panel.getByLabel("「愛子」の読み");
    await expect.poll(() => field.inputValue()).toBe("あいこ");
    expect(await panel.getByLabel("「避難所」の読み").inputValue()).toBe("ひなんじょ");
    // Katakana is taken and kept as hiragana.
    await field.fill("アヤシ");
    await axe(page, "compose with 「ふりがな」 open");
    // A reading in Latin letters is refused by the server, named on its field, and nothing is saved.
    const shelter = panel.getByLabel("「避難所」の読み");
    await shelter.fill("hinanjo");
    await panel.getByRole("button", { name: "ふりがなを保存" }).click();
    await panel.getByText("ひらがなかカタカナで", { exact: false }).first().waitFor();
    await shelter.fill("ひなんじょ");
    await panel.getByRole("button", { name: "ふりがなを保存" }).click();
    await panel.getByText("ふりがなを保存しました。", { exact: false }).waitFor();
    expect(await panel.getByLabel("「愛子」の読み").inputValue()).toBe("あやし");
    await panel.getByText("自動の読み：あいこ").waitFor();
    await shot(panel, "leader-furigana.png", shots);
    // Kept with the draft: the panel opened again shows the correction.
    await page.reload();
    await page.getByRole("region", { name: "ふりがな" }).getByRole("button", { name: "ふりがなを確認する" }).click();
    await expect.poll(() => page.getByLabel("「愛子」の読み").inputValue()).toBe("あやし");

    // The preview shows the readings as residents who chose 「ふりがなを表示」 will see them, whatever this device's setting.
    await page.getByRole("button", { name: "プレビュー" }).click();
    expect(await page.locator(".preview-frame rt").count()).toBe(0);
    await page.getByRole("checkbox", { name: "ふりがなも表示する" }).check();
    await page.locator(".preview-frame ruby").first().waitFor();
    const preview = await page
      .locator(".preview-frame ruby")
      .evaluateAll((els) => els.map((r) => `${r.firstChild?.textContent}:${r.querySelector("rt")?.textContent}`));
    expect(preview).toContain("愛子:あやし");
    await axe(page, "preview with ふりがな");
    await page.getByRole("button", { name: "配布する" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "配布する" }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    circularId = new URL(page.url()).pathname.split("/").pop()!;
  });

  it("a household with 「ふりがなを表示」 on sees <ruby> with the corrected reading; off, none", async () => {
    expect(circularId).not.toBe("");
    const b = await openBrowser({ viewport: { width: 320, height: 800 } });
    opened.push(b);
    const page = b.page;
    const household = (await appHouseholds(leader)).at(-1)!;
    await joinAsHousehold(b, server.base, (await inviteFor(leader, household.id)).token);
    await page.goto(`${server.base}/settings`);
    const toggle = page.getByRole("checkbox", { name: "ふりがなを表示" });
    await toggle.check();
    await page.getByText("この端末に保存しました。").waitFor();
    await axe(page, "settings");

    await page.goto(`${server.base}/c/${circularId}`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    const title = page.locator("#circular-title, h1").first();
    const rubies = () =>
      page
        .locator("article ruby")
        .evaluateAll((els) => els.map((r) => `${r.firstChild?.textContent}:${r.querySelector("rt")?.textContent}`));
    await expect.poll(async () => (await rubies()).length).toBeGreaterThan(0);
    const seen = await rubies();
    expect(seen).toContain("愛子:あやし");
    expect(seen).not.toContain("愛子:あいこ");
    expect(seen).toContain("避難所:ひなんじょ");
    expect(seen).toContain("申:もう");
    expect(seen).toContain("込:こ");
    // The phrase breaks are still there, never inside a ruby.
    expect(await title.locator("wbr").count()).toBeGreaterThan(0);
    expect(await page.locator("article ruby wbr").count()).toBe(0);
    await axe(page, "circular with ふりがな");
    // 特大 at 320 px: nothing wider than the screen.
    await presetSettings(page, { size: "xlarge", furigana: true, welcomed: true });
    await page.reload();
    await page.locator("article ruby").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, "resident-furigana-xlarge-320.png", shots);

    await page.goto(`${server.base}/settings`);
    await page.getByRole("checkbox", { name: "ふりがなを表示" }).uncheck();
    await page.goto(`${server.base}/c/${circularId}`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.locator("article").getByText("申し込みは愛子公民館まで", { exact: false }).waitFor();
    expect(await page.locator("rt").count()).toBe(0);
    expect(await page.locator("ruby").count()).toBe(0);
  });
});
