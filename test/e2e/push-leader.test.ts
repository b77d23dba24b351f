// The leader's side of web push on a circular's board, in Chromium against the real server and the loopback push
// service: sent / failed / waiting in one line that opens the households push cannot reach (paper, no device,
// notifications off) with whether they have read, and 「未確認の世帯に再通知」 (confirmed, reported, refused by the
// server within the hour in its own words, and offered only while an unread household can receive it). The circular
// is urgent so quiet hours (21:00-7:00 JST) never hold its pushes back.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import { startPushService, type PushService } from "../helpers/push-service";
import {
  type ApiClient,
  axeViolations,
  type Browser,
  DEMO_LEADER,
  type Household,
  inviteFor,
  joinDevice,
  openBrowser,
  requireBuild,
  type RunningServer,
  signInLeader,
  startServer,
} from "./harness";

let server: RunningServer;
let push: PushService;
let leader: ApiClient;
let b: Browser;
let block: Household[];
let subscribed: Household;
let turnedOff: Household;
let circularId: string;
const TITLE = "【テスト】1班 防犯灯の点検";

interface Figures {
  pushes: { sent: number; failed: number; waiting: number };
  households: { targeted: number; reachable: number; unreachable: number };
  unreachableHouseholds: { id: string; reason: string; read: boolean }[];
}

beforeAll(async () => {
  requireBuild();
  push = await startPushService();
  server = await startServer({ PUSH_ALLOW_HTTP_ENDPOINTS: "true" });
  leader = await signInLeader(server.base);
  const { blocks } = await leader.get<{ blocks: { id: string; name: string }[] }>("/api/blocks");
  const block1 = blocks.find((x) => x.name === "1班")!;
  block = (await leader.get<{ households: Household[] }>(`/api/households?blockId=${block1.id}`)).households;
  const app = block.filter((h) => h.channel === "app");
  expect(block.some((h) => h.channel === "paper")).toBe(true);
  [subscribed, turnedOff] = app as [Household, Household];

  // One household's tablet subscribed; another subscribed but with notifications turned off.
  for (const [h, name] of [
    [subscribed, "tablet"],
    [turnedOff, "off"],
  ] as const) {
    const device = await joinDevice(server.base, (await inviteFor(leader, h.id)).token);
    await device.post("/api/push/subscriptions", { ...(await push.subscription(name)), userAgentLabel: "iPad" });
    if (name === "off") {
      const res = await device.request("/api/push/preferences", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ mode: "off" }),
      });
      expect(res.status).toBe(200);
    }
  }

  const draft = await leader.post<{ id: string }>("/api/circulars", {
    title: TITLE,
    body: "今週末、1班の防犯灯を点検します。",
    priority: "urgent",
    audience: "blocks",
    blockIds: [block1.id],
  });
  await leader.post(`/api/circulars/${draft.id}/publish`);
  circularId = draft.id;
  // The server sends right after publishing; wait until it has recorded the push service's answer.
  await push.waitFor(1, scaled(15_000));
  // The answer is recorded after the push service has replied, in the server process: nothing to listen to here.
  for (
    const until = Date.now() + scaled(10_000);
    (await leader.get<Figures>(`/api/circulars/${circularId}/push`)).pushes.sent !== 1;
  ) {
    if (Date.now() > until) throw new Error("the publication's push was not recorded as sent");
    await new Promise((r) => setTimeout(r, 100));
  }

  b = await openBrowser({ viewport: { width: 1280, height: 900 } });
  const page = b.page;
  await page.goto(`${server.base}/login`);
  await page.getByLabel("メールアドレス").fill(DEMO_LEADER.email);
  await page.getByLabel("パスワード").fill(DEMO_LEADER.password);
  await page.getByRole("button", { name: "ログイン", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "回覧の一覧" }).waitFor();
});

afterAll(async () => {
  await b?.close();
  await server?.stop();
  await push?.close();
});

const panel = (page: Page) => page.getByRole("region", { name: "通知（スマホ・タブレット）" });

describe("push on the leader's board", { timeout: scaled(90_000) }, () => {
  it("shows sent / failed / waiting and the households push cannot reach, with why and whether they have read", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader/c/${circularId}`);
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    const p = panel(page);
    // One line, which opens the detail.
    await p.getByText("通知：送信済み 1件・失敗 0件・送信待ち 0件", { exact: true }).click();
    await p.getByText(`通知が届く世帯：1 / ${block.length} 世帯`).waitFor();
    await p.getByRole("heading", { name: `通知が届かない世帯（${block.length - 1}世帯）` }).waitFor();

    // Every other household is listed, unread, with the reason push cannot reach it.
    const rows = p.getByRole("list", { name: /^まだ確認していない世帯/ }).getByRole("listitem");
    expect(await rows.count()).toBe(block.length - 1);
    for (const h of block.filter((x) => x.id !== subscribed.id)) {
      const text = await rows.filter({ hasText: h.label }).first().textContent();
      const reason = h.channel === "paper" ? "紙で回覧" : h.id === turnedOff.id ? "通知を止めている" : "端末の登録なし";
      expect(text, h.label).toContain(reason);
      expect(text, h.label).toContain("未確認");
    }
    expect(await rows.filter({ hasText: subscribed.label }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // A paper acknowledgement recorded on this screen moves that household to the read ones at once.
    const paper = block.find((h) => h.channel === "paper")!;
    await page.getByRole("button", { name: `${paper.label} 紙で確認` }).click();
    await expect.poll(() => rows.count()).toBe(block.length - 2);
    await p.getByText("確認済みの世帯（1世帯）").click();
    const read = p.getByRole("list", { name: "確認済みの世帯（1世帯）" }).getByRole("listitem");
    await expect
      .poll(async () => (await read.first().textContent()) ?? "")
      .toContain(`${paper.label}1班紙で回覧確認済み`);
  });

  it("「未確認の世帯に再通知」 asks first, reports how many households were notified, and the server refuses a second within the hour", async () => {
    const page = b.page;
    const before = push.received.length;
    const p = panel(page);
    await p.getByRole("button", { name: "未確認の世帯に再通知" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("再通知は1時間に1回までです。", { exact: false }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "再通知する" }).click();
    await p.getByText("1世帯（端末1台）に再通知しました。", { exact: false }).waitFor();
    // The other unread households cannot be reached: the leader is told to visit them or hand them paper.
    await p.getByText(/通知が届かない\d+世帯には、訪問するか紙でお知らせしてください。/).waitFor();

    const [reminder] = (await push.waitFor(before + 1, scaled(15_000))).slice(before);
    expect(reminder).toMatchObject({ name: "tablet", status: 201, reason: null });
    expect(JSON.parse(reminder!.payload!)).toMatchObject({ kind: "reminder", circularId, urgent: true });
    await p.getByText(/前回の再通知：\d+月\d+日 \d\d:\d\d/).waitFor();

    await p.getByRole("button", { name: "未確認の世帯に再通知" }).click();
    await dialog.getByRole("button", { name: "再通知する" }).click();
    await p.getByText("再通知は1時間に1回までです。", { exact: false }).and(p.locator(".notice.error")).waitFor();
    expect(push.received.length).toBe(before + 1);
  });

  it("offers the reminder only while an unread household can receive it, and otherwise says why", async () => {
    const page = b.page;
    await page.goto(`${server.base}/leader/c/${circularId}`);
    const p = panel(page);
    const remind = p.getByRole("button", { name: "未確認の世帯に再通知" });
    const why = p.getByText("通知を受け取れる未確認の世帯はありません", { exact: false });
    await remind.waitFor();
    const box = (await remind.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    expect(await why.count()).toBe(0);

    // The one household with a device that takes notifications reads (on paper, recorded here): nobody is left
    // whom a reminder would reach, at once and after a reload (the board's pushReachable).
    await page.getByRole("button", { name: `${subscribed.label} 紙で確認` }).click();
    await why.waitFor();
    expect(await remind.count()).toBe(0);
    await page.reload();
    await why.waitFor();
    expect(await remind.count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
