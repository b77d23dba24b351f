// Replies (issue 12) on the leaders' and the city's screens, in Chromium against the real server and the loopback push
// service: a leader composes a circular with a 出欠 and a one-choice question through 「質問を追加」 (a problem shown
// next to its question, the server's own message too), previews and publishes it; a household answers through the
// API; the board reads the tallies aloud (「出席 1世帯（2人）」); a paper household's answer is entered through
// 「紙の回答を入力」 and the tallies follow; the print view has its answer slip, on a page of its own; 「未回答の世帯に
// 再通知」 reaches the one household it can; the CSV opens with Japanese headers. The city sees a survey's tallies by
// area, a small group as 「—」. axe on compose with questions, the board with tallies, the paper-answer form and the
// city's tallies. The circular is urgent so quiet hours (21:00-7:00 JST) never hold its pushes back.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPushService, type PushService } from "../helpers/push-service";
import { scaled } from "../helpers/timeouts";
import {
  type ApiClient,
  type Browser,
  DEMO_CITY,
  DEMO_LEADER,
  expectNoAxeViolations,
  type Household,
  inviteFor,
  joinDevice,
  openBrowser,
  presetSettings,
  receiptsOf,
  requireBuild,
  type RunningServer,
  shot,
  signInAs,
  signInLeader,
  signInPage,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

let server: RunningServer;
let push: PushService;
let leader: ApiClient;
let b: Browser;
const opened: Browser[] = [];
const tmp = mkdtempSync(join(tmpdir(), "kairan-answers-e2e-"));
const TITLE = "1班 側溝清掃の出欠";
let block1 = { id: "", name: "1班" };
let block: Household[] = [];
let answerer: Household;
let subscribed: Household;
let paper: Household;
let circularId = "";

interface BoardAnswers {
  answered: number;
  blocks: { answers: { householdId: string; channel: string; value: unknown }[]; unanswered: { id: string }[] }[];
}

beforeAll(async () => {
  requireBuild();
  push = await startPushService();
  server = await startServer({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
  leader = await signInLeader(server.base);
  const { blocks } = await leader.get<{ blocks: { id: string; name: string }[] }>("/api/blocks");
  block1 = blocks.find((x) => x.name === "1班")!;
  block = (await leader.get<{ households: Household[] }>(`/api/households?blockId=${block1.id}`)).households;
  const app = block.filter((h) => h.channel === "app");
  [answerer, subscribed] = app as [Household, Household];
  paper = block.find((h) => h.channel === "paper")!;
  expect(paper).toBeDefined();
  // One household's tablet takes notifications: the one a reminder to answer can reach.
  const device = await joinDevice(server.base, (await inviteFor(leader, subscribed.id)).token);
  await device.post("/api/push/subscriptions", { ...(await push.subscription("tablet")), userAgentLabel: "iPad" });
  b = await openBrowser({ viewport: { width: 1280, height: 900 } });
  await signInPage(b.page, server.base, DEMO_LEADER, "回覧の一覧");
});

afterAll(async () => {
  for (const x of [b, ...opened]) await x?.close();
  await server?.stop();
  await push?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const answersRegion = (page: Page) => page.getByRole("region", { name: "回答", exact: true });
const question = (page: Page, n: number) => page.getByRole("group", { name: `質問${n}`, exact: true });

describe("replies on the leader's screens", { timeout: scaled(120_000) }, () => {
  it("composes a circular with a 出欠 and a one-choice question through 「質問を追加」, previews and publishes it", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader/new`);
    await page.getByLabel("タイトル").fill(TITLE);
    await page.getByLabel("本文").fill("12月7日(日) 午前9時から清掃します。\n出欠をお知らせください。");
    await page.getByRole("radio", { name: "班を選ぶ" }).check();
    await page.getByRole("checkbox", { name: "1班", exact: true }).check();
    await page.getByRole("radio", { name: "急ぎ" }).check();

    await page.getByRole("button", { name: "質問を追加" }).click();
    const q1 = question(page, 1);
    expect(await q1.getByRole("radio", { name: "出欠" }).isChecked()).toBe(true);
    await q1.getByLabel("質問の文").fill("清掃に出られますか");
    await page.getByRole("button", { name: "質問を追加" }).click();
    const q2 = question(page, 2);
    await q2.getByRole("radio", { name: "ひとつ選ぶ" }).check();
    await q2.getByLabel("質問の文").fill("集合場所");
    await q2.getByLabel("選択肢1", { exact: true }).fill("公民館");
    // An empty option: said next to its question, and the keyboard is taken there.
    await page.getByRole("button", { name: "下書きを保存" }).click();
    await q2.getByText("空いている選択肢があります", { exact: false }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("compose-questions-1");
    await q2.getByLabel("選択肢2", { exact: true }).fill("公園");
    await q2.getByRole("button", { name: "選択肢を追加" }).click();
    await q2.getByLabel("選択肢3", { exact: true }).fill("集会所");
    await q2.getByRole("button", { name: "選択肢3を削除" }).click();
    await expect.poll(() => q2.getByLabel(/^選択肢\d$/).count()).toBe(2);
    // Up and down: the questions trade places, and back.
    await page.getByRole("button", { name: "質問2を上へ" }).click();
    await expect.poll(() => question(page, 1).getByLabel("質問の文").inputValue()).toBe("集合場所");
    await page.getByRole("button", { name: "質問1を下へ" }).click();
    await expect.poll(() => question(page, 1).getByLabel("質問の文").inputValue()).toBe("清掃に出られますか");
    await page.getByText("誰がどう答えたかは見えません。回答した世帯だけ分かります。").waitFor();
    expect(await page.getByRole("checkbox", { name: "無記名にする" }).isChecked()).toBe(false);
    await axe(page, "compose with questions");

    // The server's own message about a question is shown next to that question too.
    await page.route("**/api/circulars", async (route) => {
      await route.fulfill({
        status: 400,
        contentType: "application/json",
        body: JSON.stringify({
          error: {
            code: "validation",
            message: "質問を確認してください。同じ選択肢が2つあります。",
            messageEn: "Please check the questions.",
            fields: [{ path: "questions.1", message: "サーバーの確認：同じ選択肢が2つあります。", messageEn: "x" }],
          },
        }),
      });
    });
    await page.getByRole("button", { name: "下書きを保存" }).click();
    await question(page, 2).getByText("サーバーの確認：同じ選択肢が2つあります。").waitFor();
    await page.unroute("**/api/circulars");

    await page.getByRole("button", { name: "プレビュー" }).click();
    const preview = page.getByRole("region", { name: "質問", exact: true });
    await preview.waitFor();
    expect(await preview.textContent()).toContain("清掃に出られますか");
    expect(await preview.textContent()).toContain("人数 ＿＿＿人");
    expect(await preview.textContent()).toContain("公民館");
    await page.getByRole("button", { name: "配布する" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "配布する" }).click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    circularId = new URL(page.url()).pathname.split("/").pop()!;

    const c = await leader.get<{ status: string; questions: { kind: string; options: { label: string }[] }[] }>(
      `/api/circulars/${circularId}`,
    );
    expect(c.status).toBe("published");
    expect(c.questions.map((q) => q.kind)).toEqual(["attendance", "single"]);
    expect(c.questions[1]!.options.map((o) => o.label)).toEqual(["公民館", "公園"]);
  });

  it("the board reads a household's answer aloud: 「出席 1世帯（2人）」", async () => {
    const device = await joinDevice(server.base, (await inviteFor(leader, answerer.id)).token);
    await device.post(`/api/feed/${circularId}/answer`, {
      answers: { q1: { choice: "attend", people: 2 }, q2: { choice: "o1" } },
    });
    const page = b.page;
    await page.goto(`${server.base}/leader/c/${circularId}`);
    const region = answersRegion(page);
    await region.getByText("出席 1世帯（2人）", { exact: true }).waitFor();
    await region.getByText("欠席 0世帯", { exact: true }).waitFor();
    await region.getByText("公民館 1世帯", { exact: true }).waitFor();
    await region.getByText(`回答 1 / ${block.length} 世帯`, { exact: true }).waitFor();
    await region.getByRole("heading", { name: `未回答の世帯（${block.length - 1}世帯）` }).waitFor();
    // Who answered what (not 無記名), folded.
    await region.getByText("回答した世帯（1世帯）").click();
    await region.getByText("出席（2人）／公民館", { exact: true }).waitFor();
    // The unread households still lead the page: the receipts come before the answers.
    const firstUnread = (await page.locator(".board-block .hh.unread").first().boundingBox())!;
    const answersTop = (await region.boundingBox())!;
    expect(firstUnread.y).toBeLessThan(answersTop.y);
    await axe(page, "the board with tallies");
  });

  it("enters a paper household's answer through 「紙の回答を入力」, and the tallies follow", async () => {
    const page = b.page;
    const region = answersRegion(page);
    await region.getByRole("button", { name: `${paper.label} 紙の回答を入力` }).click();
    const dialog = page.getByRole("dialog", { name: `${paper.label} さんの紙の回答` });
    await dialog.waitFor();
    await axe(page, "the paper-answer form");
    // Nothing chosen: the server says what each required question needs, under it.
    await dialog.getByRole("button", { name: "回答を記録する" }).click();
    await dialog
      .getByRole("group", { name: /^質問1/ })
      .getByText("出席・欠席・未定から選んでください", { exact: false })
      .waitFor();
    await dialog
      .getByRole("group", { name: /^質問2/ })
      .getByText("1つ選んでください", { exact: false })
      .waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("paper-q1");
    await axe(page, "the paper-answer form with errors");

    const first = dialog.getByRole("group", { name: /^質問1/ });
    await first.getByRole("radio", { name: "出席" }).check();
    await first.getByLabel("人数").selectOption("3");
    await dialog
      .getByRole("group", { name: /^質問2/ })
      .getByRole("radio", { name: "公園" })
      .check();
    // Large, simple targets: each choice is at least 48 px high.
    const choice = (await first.locator("label").filter({ hasText: "欠席" }).boundingBox())!;
    expect(choice.height).toBeGreaterThanOrEqual(48);
    await dialog.getByRole("button", { name: "回答を記録する" }).click();
    await dialog.waitFor({ state: "hidden" });

    await region.getByText("出席 2世帯（5人）", { exact: true }).waitFor();
    await region.getByText("公園 1世帯", { exact: true }).waitFor();
    await region.getByText(`回答 2 / ${block.length} 世帯`, { exact: true }).waitFor();
    expect(await region.getByRole("button", { name: `${paper.label} 紙の回答を入力` }).count()).toBe(0);
    const board = await leader.get<BoardAnswers>(`/api/circulars/${circularId}/answers`);
    expect(board.answered).toBe(2);
    const entered = board.blocks.flatMap((x) => x.answers).find((a) => a.householdId === paper.id)!;
    expect(entered).toMatchObject({
      channel: "paper",
      value: { q1: { choice: "attend", people: 3 }, q2: { choice: "o2" } },
    });
    // A paper answer acknowledges the circular too.
    expect((await receiptsOf(leader, circularId)).find((r) => r.id === paper.id)).toMatchObject({ channel: "paper" });
    await axe(page, "the board after a paper answer");
    await shot(region, "leader-answers.png", tmp);
  });

  it("prints an answer slip for each paper household, each on a sheet of its own", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader/c/${circularId}/print`);
    const slip = page.getByRole("article", { name: `回答用紙（${paper.label}）` });
    await slip.waitFor();
    const text = (await slip.textContent()) ?? "";
    for (const words of [
      paper.label,
      "1班",
      "回答用紙：",
      "清掃に出られますか",
      "☐ 出席",
      "人数 ＿＿＿人",
      "☐ 欠席",
      "☐ 未定",
      "☐ 公民館",
      "☐ 公園",
    ])
      expect(text, words).toContain(words);
    await slip.getByRole("rowheader", { name: "回答" }).waitFor();
    const paperHouseholds = block.filter((h) => h.channel === "paper").length;
    expect(await page.locator("article.answer-slip").count()).toBe(paperHouseholds);
    // The sign-off table has its 「回答」 column for the 班長.
    await page.getByRole("columnheader", { name: "回答" }).first().waitFor();
    // Print rules: every slip starts a page and is kept whole.
    const rules = await page.evaluate(() => {
      const found: { breakBefore: string; breakInside: string }[] = [];
      for (const sheet of document.styleSheets)
        for (const rule of sheet.cssRules)
          if (rule instanceof CSSMediaRule && rule.media.mediaText === "print")
            for (const inner of rule.cssRules)
              if (inner instanceof CSSStyleRule && inner.selectorText === ".answer-slip")
                found.push({ breakBefore: inner.style.breakBefore, breakInside: inner.style.breakInside });
      return found;
    });
    expect(rules).toEqual([{ breakBefore: "page", breakInside: "avoid" }]);
    await axe(page, "print view with answer slips");
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("offers 「未回答の世帯に再通知」, which reaches the unanswered household that takes notifications", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader/c/${circularId}`);
    const region = answersRegion(page);
    const remind = region.getByRole("button", { name: "未回答の世帯に再通知" });
    await remind.waitFor();
    const box = (await remind.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    const before = push.received.length;
    await remind.click();
    const dialog = page.getByRole("dialog", { name: "未回答の世帯に再通知" });
    await dialog.getByText("通知が届く未回答の 1 世帯に", { exact: false }).waitFor();
    await dialog.getByRole("button", { name: "再通知する" }).click();
    await region.getByText("1世帯（端末1台）に再通知しました。", { exact: false }).waitFor();
    const [reminder] = (await push.waitFor(before + 1, scaled(15_000))).slice(before);
    expect(JSON.parse(reminder!.payload!)).toMatchObject({ kind: "answer_reminder", circularId });
    // The push panel shows it as the last reminder (one an hour, of either kind).
    await page
      .getByRole("region", { name: "通知（スマホ・タブレット）" })
      .getByText(/前回の再通知：\d+月\d+日 \d\d:\d\d/)
      .waitFor();
  });

  it("downloads the answers as CSV with Japanese headers", async () => {
    const page = b.page;
    const link = answersRegion(page).getByRole("link", { name: "CSVをダウンロード" });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const file = join(tmp, "answers.csv");
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(lines[0]).toContain("班,世帯,回答方法,回答日時,質問1 清掃に出られますか");
    expect(lines[1]).toContain("block,household");
    expect(lines.find((l) => l.includes(paper.label))).toContain("紙");
  });
});

describe("replies at 特大 on a 320 px screen", { timeout: scaled(120_000) }, () => {
  it("compose with questions, the board's answers and the paper-answer form fit without sideways scrolling", async () => {
    const small = await openBrowser({ viewport: { width: 320, height: 720 } });
    opened.push(small);
    const page = small.page;
    await page.goto(`${server.base}/login`);
    await presetSettings(page, { size: "xlarge", welcomed: true });
    await signInPage(page, server.base, DEMO_LEADER, "回覧の一覧");
    const overflow = () =>
      page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);
    await page.goto(`${server.base}/leader/new`);
    await page.getByRole("button", { name: "質問を追加" }).click();
    await page.getByRole("button", { name: "質問を追加" }).click();
    await question(page, 2).getByRole("radio", { name: "数" }).check();
    await page.getByRole("button", { name: "質問を追加" }).click();
    await question(page, 3).getByRole("radio", { name: "いくつでも選ぶ" }).check();
    expect(await overflow(), "compose with questions").toBeLessThanOrEqual(0);
    await axe(page, "compose with questions at 特大, 320 px");

    await page.goto(`${server.base}/leader/c/${circularId}`);
    const region = answersRegion(page);
    await region.getByText(/^回答 \d+ \/ \d+ 世帯$/).waitFor();
    expect(await overflow(), "the board's answers").toBeLessThanOrEqual(0);
    await region
      .getByRole("button", { name: /紙の回答を入力$/ })
      .first()
      .click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("radio", { name: "出席" }).check();
    await dialog.getByLabel("人数").waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x + box.width, "the paper-answer form").toBeLessThanOrEqual(320);
    await axe(page, "the paper-answer form at 特大, 320 px");
  });
});

describe("a city survey's tallies", { timeout: scaled(120_000) }, () => {
  it("the city's compose has 「質問を追加」, and its circular's page shows the tallies by area, small groups as 「—」", async () => {
    const city = await signInAs(server.base, DEMO_CITY);
    const areas = await city.get<{
      wards: { id: string; name: string; districts: { associations: { name: string }[] }[] }[];
    }>("/api/city/areas");
    const ward = areas.wards.find((w) => w.name === "青葉区")!;
    const draft = await city.post<{ id: string }>("/api/city/circulars", {
      title: "市民センター説明会の出欠",
      body: "説明会を開きます。出欠をお知らせください。",
      target: { scope: "wards", ids: [ward.id] },
      questions: [{ kind: "attendance", label: "説明会に出られますか" }],
    });
    await city.post(`/api/city/circulars/${draft.id}/publish`);
    // Five households of 作並町内会 answer (on paper, through their leader); 新川町内会's none: under 5, 「—」.
    const copy = (await leader.get<{ circulars: { id: string; title: string }[] }>("/api/circulars")).circulars.find(
      (c) => c.title === "市民センター説明会の出欠",
    )!;
    const { households } = await leader.get<{ households: { id: string; leftAt: string | null }[] }>("/api/households");
    for (const h of households.filter((x) => !x.leftAt).slice(0, 5)) {
      const res = await leader.request(`/api/circulars/${copy.id}/answers/${h.id}/paper`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answers: { q1: { choice: "attend", people: 2 } } }),
      });
      expect(res.status, await res.text()).toBe(200);
    }

    const cb = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(cb);
    const page = cb.page;
    await signInPage(page, server.base, DEMO_CITY, "仙台市の状況");
    await page.goto(`${server.base}/city/circulars/new`);
    await page.getByRole("button", { name: "質問を追加" }).click();
    await question(page, 1).getByLabel("質問の文").waitFor();

    await page.goto(`${server.base}/city/circulars/${draft.id}`);
    const survey = page.getByRole("region", { name: "回答の集計" });
    await survey.getByText(/^全体：5 \/ \d+ 世帯が回答$/).waitFor();
    await survey.getByText("出席 5世帯（10人）", { exact: true }).first().waitFor();
    const table = survey.getByRole("table", { name: "町内会ごとの回答" });
    const row = (name: string) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
    await expect.poll(() => row("作並町内会").textContent()).toContain("出席 5世帯（10人）");
    expect(await row("新川町内会").textContent()).toContain("—");
    expect(await row("新川町内会").textContent()).not.toContain("世帯（");
    await survey.getByText("5世帯未満のため表示していません", { exact: false }).first().waitFor();
    expect(await survey.getByRole("link", { name: /^CSVで保存/ }).getAttribute("href")).toBe(
      `/api/city/circulars/${draft.id}/answers?format=csv`,
    );
    await axe(page, "the city's survey tallies");
    await shot(survey, "city-survey.png", tmp);
  });
});
