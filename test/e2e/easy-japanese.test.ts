// やさしい日本語 in Chromium, against the real server: a leader composes, starts 「やさしい日本語の本文」 (prefilled
// from the body), opens 「やさしい日本語チェック」, sees its hints, accepts a rewrite with one tap and publishes; a
// household tablet with 「やさしい日本語で読む」 on sees the やさしい日本語 version first, and 「もとの文を見る」 shows the
// original. axe-core on every screen. (The rules, one fixture each, are in test/api/easy-japanese.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appHouseholds,
  DEMO_LEADER,
  expectNoAxeViolations,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  requireBuild,
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
const TITLE = `防災訓練のお知らせ ${Date.now()}`;
const BODY =
  "12月7日に防災訓練を行います。至急、避難所の場所と家族との連絡の方法を確認して、当日は動きやすい服装で来てください。";

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

describe("やさしい日本語", { timeout: scaled(120_000) }, () => {
  let circularId = "";

  it("a leader writes the やさしい日本語 version, accepts a hint with one tap and publishes", async () => {
    const b = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(b);
    const page = b.page;
    await signInPage(page, server.base, DEMO_LEADER, "回覧の一覧");
    await page.goto(`${server.base}/leader/new`);
    await page.getByLabel("タイトル").fill(TITLE);
    await page.locator("#compose-body").fill(BODY);

    await page.getByRole("button", { name: "やさしい日本語の本文を書く" }).click();
    const easy = page.locator("#compose-easyBody");
    await expect.poll(() => page.getByLabel("やさしい日本語の本文").count()).toBe(1);
    await expect.poll(() => easy.inputValue()).toBe(BODY);
    await page.getByRole("button", { name: "やさしい日本語チェック" }).click();
    const check = page.locator(".easy-check");
    await check.getByRole("heading", { name: /直すとよいところ/ }).waitFor();
    // The long sentence, and the difficult words with their rewrites.
    await check.getByText("30字ぐらいまでの みじかい 文に 分けましょう", { exact: false }).first().waitFor();
    await check.getByText("「至急」は むずかしい ことばです", { exact: false }).waitFor();
    await axe(page, "compose with the check open");

    await check.getByRole("button", { name: "「すぐに」にする" }).click();
    await expect.poll(() => easy.inputValue()).toBe(BODY.replace("至急", "すぐに"));
    await check.getByRole("button", { name: "「にげるところ（避難所）」にする" }).click();
    const EASY = BODY.replace("至急", "すぐに").replace("避難所", "にげるところ（避難所）");
    await expect.poll(() => easy.inputValue()).toBe(EASY);
    // The body itself is unchanged.
    expect(await page.locator("#compose-body").inputValue()).toBe(BODY);
    await expect.poll(() => check.getByText("「至急」は", { exact: false }).count()).toBe(0);

    // The preview shows it as residents will, under its own heading; 「配布する」 from there.
    await page.getByRole("button", { name: "プレビュー" }).click();
    const easyPreview = page.getByRole("region", { name: "やさしい日本語の本文" });
    await easyPreview.getByText(EASY).waitFor();
    await axe(page, "preview with the やさしい日本語 version");
    await page.getByRole("button", { name: "配布する" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "配布する" }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    circularId = new URL(page.url()).pathname.split("/").pop()!;
    const saved = await leader.get<{ body: string; easyBody: string | null }>(`/api/circulars/${circularId}`);
    expect(saved).toMatchObject({ body: BODY, easyBody: EASY });
  });

  it("a household with 「やさしい日本語で読む」 on sees it first, and the original one tap away", async () => {
    expect(circularId).not.toBe("");
    const b = await openBrowser();
    opened.push(b);
    const page = b.page;
    const household = (await appHouseholds(leader)).at(-1)!;
    await joinAsHousehold(b, server.base, (await inviteFor(leader, household.id)).token);
    await page.goto(`${server.base}/settings`);
    await page.getByRole("checkbox", { name: "やさしい日本語で読む" }).check();
    await page.getByText("この端末に保存しました。").waitFor();
    await axe(page, "settings");

    await page.goto(`${server.base}/c/${circularId}`);
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    const article = page.locator("article");
    await article.getByText("すぐに、にげるところ（避難所）の場所", { exact: false }).waitFor();
    expect(await article.getByText("至急", { exact: false }).count()).toBe(0);
    await axe(page, "circular in やさしい日本語");

    await page.getByRole("button", { name: "もとの文を見る" }).click();
    await article.getByText("至急、避難所の場所と家族との連絡の方法", { exact: false }).waitFor();
    await page.getByRole("button", { name: "やさしい日本語で見る" }).click();
    await article.getByText("すぐに、にげるところ（避難所）の場所", { exact: false }).waitFor();
    await axe(page, "circular, back in やさしい日本語");
  });
});
