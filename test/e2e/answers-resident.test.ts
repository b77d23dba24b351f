// Answering a circular's questions on a household tablet (820×1180, 特大), in Chromium against the real server: a
// leader publishes a circular with a 出欠 question and a one-choice question; the household answers 出席 with 2
// people, sees 回答済み with 出席（2人）, changes to 欠席; the leader's board counts it; home says 「回答してください」
// until then. Also: what is missing said next to the question (人数 too) before anything is sent, and the server's
// refusal shown the same way; an answer made offline waits (「送信待ち」) and arrives exactly once, with the time it
// was made, so another member's later answer wins and the resident is told; 「締め切りました」 past the due date;
// axe on the circular page unanswered, refused, waiting and answered.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
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
  joinDevice,
  openBrowser,
  receiptsOf,
  requireBuild,
  type RunningServer,
  shot,
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
const DAY = 86_400_000;

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

const QUESTIONS = [
  { kind: "attendance", label: "清掃に出られますか" },
  { kind: "single", label: "集合場所", options: ["集会所", "公園"] },
];

/** A circular asking QUESTIONS, published to everyone; returns its id. */
async function publishAsking(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const draft = await leader.post<{ id: string }>("/api/circulars", {
    title,
    body: "12月7日(日) 朝9時から側溝の清掃をします。\n出欠と集合場所をお知らせください。",
    questions: QUESTIONS,
    ...extra,
  });
  await leader.post(`/api/circulars/${draft.id}/publish`);
  return draft.id;
}

interface Board {
  answered: number;
  tallies: { questionId: string; options: { id: string; households: number; amount: number }[] }[];
  blocks: { answers: { householdId: string; answeredAt: string; value: Record<string, unknown> }[] }[];
}
const boardOf = (id: string) => leader.get<Board>(`/api/circulars/${id}/answers`);
/** Households per option of a question on the leader's board, and 出席's people. */
async function tally(id: string, q: string) {
  const t = (await boardOf(id)).tallies.find((x) => x.questionId === q)!;
  return Object.fromEntries(t.options.map((o) => [o.id, o.id === "attend" ? [o.households, o.amount] : o.households]));
}
async function answerOfHousehold(id: string, householdId: string) {
  return (await boardOf(id)).blocks.flatMap((b) => b.answers).find((a) => a.householdId === householdId);
}

/** A household tablet at 特大, signed in, with the service worker in control (so it works offline). */
async function tablet(): Promise<{ b: Browser; page: Page; householdId: string }> {
  const household = households[nextHousehold++]!;
  const b = await openBrowser();
  browsers.push(b);
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
  expect(await b.page.evaluate(() => document.documentElement.dataset.size)).toBe("xlarge");
  return { b, page: b.page, householdId: household.id };
}

async function openFromHome(page: Page, title: string) {
  await page.goto(server.base);
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.getByRole("heading", { level: 2, name: "質問" }).waitFor();
}

/** Opens the circular online (so the device keeps a copy), then without a connection chooses and taps 回答する. */
async function answerOffline(b: Browser, id: string, title: string, choices: string[]) {
  await openFromHome(b.page, title);
  await waitForCached(b.page, `/api/feed/${id}`);
  await b.context.setOffline(true);
  for (const name of choices) await b.page.getByRole("radio", { name }).check();
  await b.page.getByRole("button", { name: "回答する" }).click();
  await b.page.getByText(/^送信待ち：/).waitFor();
}

/** The household's answer to a question as the page says it in words (the list under 回答済み or 送信待ち). */
const answerShown = (page: Page, label: string) =>
  page
    .locator(".answer-list > div")
    .filter({ has: page.locator("dt", { hasText: label }) })
    .locator("dd")
    .textContent();

/** A question on the form (its box, with what is wrong under it). */
const question = (page: Page, label: string) =>
  page.locator(".question").filter({ has: page.getByText(label, { exact: true }) });

/** The words an element is described by (aria-describedby), as a screen reader reads them after its name. */
const description = (l: Locator) =>
  l.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`)
      .join(" "),
  );

const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

/** The POSTs of answers to one circular that reached the server, by status. */
function watchAnswers(page: Page, circularId: string): number[] {
  const seen: number[] = [];
  page.on("response", (res) => {
    if (res.request().method() === "POST" && res.url().endsWith(`/api/feed/${circularId}/answer`))
      seen.push(res.status());
  });
  return seen;
}

/** Screenshots land in docs/screenshots/ when missing or with UPDATE_SCREENSHOTS=1; else here. */
const screenshots = mkdtempSync(join(tmpdir(), "kairan-answers-shots-"));

describe("answers on the resident's tablet", { timeout: scaled(120_000) }, () => {
  it("answers 出席 with 2 people and a place, sees 回答済み, changes to 欠席; the board counts it; home asks until then", async () => {
    const title = `側溝清掃の出欠 ${Date.now()}`;
    const id = await publishAsking(title);
    const { page, householdId } = await tablet();

    await page.goto(server.base);
    const card = page.getByRole("link", { name: new RegExp(title) });
    await card.waitFor();
    expect(await card.textContent()).toContain("回答してください");
    await card.click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();

    // The questions follow the body: 必須 in words, three large tiles, 回答する the main action.
    const group = page.getByRole("group", { name: /清掃に出られますか/ });
    await group.waitFor();
    expect(await group.textContent()).toMatch(/質問1清掃に出られますか 必須/);
    const attend = page.getByRole("radio", { name: "出席" });
    const tiles = page.locator("label.tile");
    expect(await tiles.allTextContents()).toEqual(["出席", "欠席", "未定", "集会所", "公園"]);
    for (const box of await Promise.all((await tiles.all()).map((l) => l.boundingBox())))
      expect(box!.height).toBeGreaterThanOrEqual(48);
    const send = page.getByRole("button", { name: "回答する" });
    const ack = page.getByRole("button", { name: "確認しました" });
    const [sendBox, ackBox] = [await send.boundingBox(), await ack.boundingBox()];
    expect(sendBox!.y).toBeLessThan(ackBox!.y);
    expect(await send.getAttribute("class")).toContain("primary");
    expect(await ack.getAttribute("class")).not.toContain("primary");
    expect(await axeViolations(page)).toEqual([]);

    // 出席 shows 人数 (from 1); the choice is marked ✓ in the tile, not by colour alone.
    expect(await page.getByRole("textbox", { name: "人数" }).count()).toBe(0);
    await attend.check();
    const people = page.getByRole("textbox", { name: "人数" });
    expect(await people.inputValue()).toBe("1");
    expect(await people.getAttribute("inputmode")).toBe("numeric");
    await page.getByRole("button", { name: "人数を1人ふやす" }).click();
    expect(await people.inputValue()).toBe("2");
    await page.getByRole("radio", { name: "集会所" }).check();
    expect(await tiles.allTextContents()).toEqual(["✓出席", "欠席", "未定", "✓集会所", "公園"]);
    await shot(group.locator("xpath=ancestor::section[1]"), "resident-questions-xlarge.png", screenshots);
    await send.click();

    // 回答済み with the answer in words; answering acknowledged it too.
    const done = page.getByText(/^✓ 回答済み \d+月\d+日 \d+:\d+$/);
    await done.waitFor();
    expect(await answerShown(page, "清掃に出られますか")).toBe("出席（2人）");
    expect(await answerShown(page, "集合場所")).toBe("集会所");
    await page.getByText(/^✓ 確認済み \d/).waitFor();
    expect(await ack.count()).toBe(0);
    await expect.poll(() => isFocused(page.locator(".answer-result"))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // The leader's board.
    expect(await tally(id, "q1")).toEqual({ attend: [1, 2], absent: 0, undecided: 0 });
    expect(await tally(id, "q2")).toEqual({ o1: 1, o2: 0 });
    expect((await answerOfHousehold(id, householdId))!.value).toEqual({
      q1: { choice: "attend", people: 2 },
      q2: { choice: "o1" },
    });
    const receipt = (await receiptsOf(leader, id)).find((r) => r.id === householdId)!;
    expect([!!receipt.readAt, receipt.channel]).toEqual([true, "app"]);

    // Home no longer asks.
    await page.getByRole("link", { name: /お知らせの一覧へ戻る/ }).click();
    await card.waitFor();
    await expect.poll(() => card.textContent()).toMatch(/確認済み/);
    expect(await card.textContent()).not.toContain("回答してください");

    // 「回答を変える」: the tiles as answered; 欠席 hides 人数.
    await card.click();
    await page.getByRole("button", { name: "回答を変える" }).click();
    expect(await attend.isChecked()).toBe(true);
    expect(await people.inputValue()).toBe("2");
    expect(await page.getByRole("radio", { name: "集会所" }).isChecked()).toBe(true);
    await expect.poll(() => isFocused(attend)).toBe(true);
    await page.getByRole("radio", { name: "欠席" }).check();
    expect(await people.count()).toBe(0);
    await send.click();
    await done.waitFor();
    expect(await answerShown(page, "清掃に出られますか")).toBe("欠席");
    expect(await tally(id, "q1")).toEqual({ attend: [0, 0], absent: 1, undecided: 0 });
    expect((await boardOf(id)).answered).toBe(1);
  });

  it("says what is missing next to the question, 人数 included, before sending anything; the server's refusal too", async () => {
    const title = `敬老会の出欠 ${Date.now()}`;
    const id = await publishAsking(title);
    const { page, householdId } = await tablet();
    const posts = watchAnswers(page, id);
    await openFromHome(page, title);
    const send = page.getByRole("button", { name: "回答する" });
    const q1 = question(page, "清掃に出られますか");
    const q2 = question(page, "集合場所");

    // Nothing chosen: each question says what to do, focus goes to the first.
    await send.click();
    await page.getByRole("alert").filter({ hasText: "答えていない質問" }).waitFor();
    expect(await q1.locator(".q-error").textContent()).toBe("出席・欠席・未定から選んでください。");
    expect(await q2.locator(".q-error").textContent()).toBe("1つ選んでください。");
    expect(await description(page.getByRole("group", { name: /集合場所/ }))).toBe("1つ選んでください。");
    await expect.poll(() => isFocused(page.getByRole("radio", { name: "出席" }))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Choosing clears that question's message.
    await page.getByRole("radio", { name: "公園" }).check();
    expect(await q2.locator(".q-error").count()).toBe(0);

    // 出席 with 人数 cleared: the message is next to 人数, which is marked and described by it.
    await page.getByRole("radio", { name: "出席" }).check();
    const people = page.getByRole("textbox", { name: "人数" });
    await people.fill("");
    await send.click();
    await q1.locator(".q-error").waitFor();
    expect(await q1.locator(".q-error").textContent()).toBe("人数を選んでください。");
    expect(await people.getAttribute("aria-invalid")).toBe("true");
    expect(await description(people)).toBe("人数を選んでください。");
    await expect.poll(() => isFocused(people)).toBe(true);
    const [peopleBox, errorBox] = [await people.boundingBox(), await q1.locator(".q-error").boundingBox()];
    expect(errorBox!.y).toBeGreaterThan(peopleBox!.y);
    expect(errorBox!.y - (peopleBox!.y + peopleBox!.height)).toBeLessThan(120);
    await people.fill("25");
    await send.click();
    await expect.poll(() => q1.locator(".q-error").textContent()).toBe("人数は1〜20人で選んでください。");
    expect(posts).toEqual([]);

    // A refusal by the server is shown under its question the same way (and nothing is kept to send again).
    await page.route(
      `**/api/feed/${id}/answer`,
      (route) =>
        route.fulfill({
          status: 400,
          contentType: "application/json",
          body: JSON.stringify({
            error: {
              code: "validation_failed",
              message: "回答を確認してください。",
              messageEn: "Please check the answer.",
              requestId: "test",
              fields: [
                { path: "answers.q2", message: "質問2「集合場所」: 選択肢から選んでください。", messageEn: "Choose." },
              ],
            },
          }),
        }),
      { times: 1 },
    );
    await people.fill("３"); // typed with a Japanese keyboard
    await send.click();
    await expect.poll(() => q2.locator(".q-error").textContent()).toBe("質問2「集合場所」: 選択肢から選んでください。");
    expect(await page.evaluate(() => localStorage.getItem("kairan.pendingAnswers"))).toBe("{}");
    expect(await answerOfHousehold(id, householdId)).toBeUndefined();

    await page.unroute(`**/api/feed/${id}/answer`);
    await send.click();
    await page.getByText(/^✓ 回答済み/).waitFor();
    expect(await answerShown(page, "清掃に出られますか")).toBe("出席（3人）");
    expect(await answerShown(page, "集合場所")).toBe("公園");
    expect(posts).toEqual([400, 200]); // the stand-in's refusal, then the server's answer
  });

  it("keeps an answer made offline (「送信待ち」) and sends it exactly once when the connection returns, with its time", async () => {
    const title = `防災訓練の出欠 ${Date.now()}`;
    const id = await publishAsking(title);
    const { b, page, householdId } = await tablet();
    const posts = watchAnswers(page, id);
    await answerOffline(b, id, title, ["欠席", "公園"]);
    const tapped = Date.now();
    expect(await answerShown(page, "清掃に出られますか")).toBe("欠席");
    expect(await answerShown(page, "集合場所")).toBe("公園");
    expect(await page.evaluate(() => localStorage.getItem("kairan.pendingAnswers"))).toContain(id);
    expect(await page.getByRole("button", { name: "確認しました" }).count()).toBe(0);
    expect(await answerOfHousehold(id, householdId)).toBeUndefined();
    expect(await axeViolations(page)).toEqual([]);

    // The list (from the device's copy) shows it waiting, and no longer asks.
    await page.getByRole("link", { name: /お知らせの一覧へ戻る/ }).click();
    const card = page.getByRole("link", { name: new RegExp(title) });
    await card.waitFor();
    expect(await card.textContent()).toContain("送信待ち");
    expect(await card.textContent()).not.toContain("回答してください");
    await card.click();
    await page.getByText(/^送信待ち：/).waitFor();

    // Back online: sent once, with the time it was made; shown as answered and read.
    await b.context.setOffline(false);
    await page.getByText(/^✓ 回答済み/).waitFor({ timeout: scaled(20_000) });
    await page.getByText(/^✓ 確認済み \d/).waitFor();
    expect(posts).toEqual([200]);
    expect(await page.evaluate(() => localStorage.getItem("kairan.pendingAnswers"))).toBe("{}");
    const stored = (await answerOfHousehold(id, householdId))!;
    expect(stored.value).toEqual({ q1: { choice: "absent" }, q2: { choice: "o2" } });
    // When 回答する was tapped, not when it arrived.
    expect(Date.parse(stored.answeredAt)).toBeLessThanOrEqual(tapped);
    expect((await boardOf(id)).answered).toBe(1);
    expect((await receiptsOf(leader, id)).filter((r) => r.readAt).map((r) => r.id)).toEqual([householdId]);

    // Nothing is left to send: a later visit sends nothing more.
    await page.goto(server.base);
    await card.waitFor();
    expect(await card.textContent()).not.toContain("送信待ち");
    expect(posts).toEqual([200]);
  });

  it("tells the resident when another member answered later while this answer waited offline", async () => {
    const title = `子ども会の出欠 ${Date.now()}`;
    const id = await publishAsking(title);
    const { b, page, householdId } = await tablet();
    const other = await joinDevice(server.base, (await inviteFor(leader, householdId)).token);
    await answerOffline(b, id, title, ["出席", "集会所"]);
    // Meanwhile, on another phone of the household.
    const theirs = await other.post<{ accepted: boolean }>(`/api/feed/${id}/answer`, {
      answers: { q1: { choice: "absent" }, q2: { choice: "o2" } },
    });
    expect(theirs.accepted).toBe(true);

    await b.context.setOffline(false);
    await page.getByText("ほかの方が後から回答したため、その回答になっています。").waitFor({ timeout: scaled(20_000) });
    await page.getByText(/^✓ 回答済み/).waitFor();
    await expect.poll(() => answerShown(page, "清掃に出られますか")).toBe("欠席");
    expect(await answerShown(page, "集合場所")).toBe("公園");
    expect((await answerOfHousehold(id, householdId))!.value).toEqual({
      q1: { choice: "absent" },
      q2: { choice: "o2" },
    });
  });

  it("says 「締め切りました」 past the due date (this device's clock), with the answer or that there is none", async () => {
    const stamp = Date.now();
    const answeredTitle = `町内清掃の出欠 ${stamp}`;
    const unansweredTitle = `夏祭りの出欠 ${stamp}`;
    const due = new Date(stamp + DAY).toISOString();
    await publishAsking(answeredTitle, { dueAt: due });
    await publishAsking(unansweredTitle, { dueAt: due });
    const { page } = await tablet();
    await openFromHome(page, answeredTitle);
    await page.getByRole("radio", { name: "未定" }).check();
    await page.getByRole("radio", { name: "公園" }).check();
    await page.getByRole("button", { name: "回答する" }).click();
    await page.getByText(/^✓ 回答済み/).waitFor();
    expect(await page.getByRole("button", { name: "回答を変える" }).count()).toBe(1);

    // Three days on (this device's clock).
    await page.clock.setFixedTime(new Date(stamp + 3 * DAY));
    await page.goto(server.base);
    const unansweredCard = page.getByRole("link", { name: new RegExp(unansweredTitle) });
    await unansweredCard.waitFor();
    expect(await unansweredCard.textContent()).toContain("期限を過ぎています");
    expect(await unansweredCard.textContent()).not.toContain("回答してください");

    await openFromHome(page, answeredTitle);
    await page.getByText("締め切りました。回答はもう変えられません。").waitFor();
    expect(await answerShown(page, "清掃に出られますか")).toBe("未定");
    expect(await page.getByRole("button", { name: "回答を変える" }).count()).toBe(0);

    await openFromHome(page, unansweredTitle);
    await page.getByText("締め切りました。このお宅の回答はありません。").waitFor();
    expect(await page.getByRole("radio").count()).toBe(0);
    expect(await page.getByRole("button", { name: "回答する" }).count()).toBe(0);
    // Reading it can still be told.
    expect(await page.getByRole("button", { name: "確認しました" }).getAttribute("class")).toContain("primary");
    expect(await axeViolations(page)).toEqual([]);
  });
});
