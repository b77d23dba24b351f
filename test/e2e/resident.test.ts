// A household's first day, in Chromium on a tablet: join through the printed QR link, the three welcome steps, the
// new notice on top, 「確認しました」, and the leader's receipt board showing exactly that household, read in the app.
// Also: the welcome steps at 特大 on a tablet and a phone, a notice past its due date, the join code typed however
// it comes (and mistyped), and settings that stay on the device.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  appHouseholds,
  inviteFor,
  joinAsHousehold,
  joinByQrLink,
  joinDevice,
  openBrowser,
  presetSettings,
  publishCircular,
  receiptsOf,
  requireBuild,
  signInLeader,
  startServer,
  type ApiClient,
  type Browser,
  type RunningServer,
  TABLET,
} from "./harness";

let server: RunningServer;
let leader: ApiClient;
const browsers: Browser[] = [];

async function browser(opts?: Parameters<typeof openBrowser>[0]) {
  const b = await openBrowser(opts);
  browsers.push(b);
  return b;
}

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

describe("resident", { timeout: scaled(90_000) }, () => {
  it("joins through the QR link, walks the welcome steps and acknowledges the newest notice in two taps", async () => {
    const title = `防災訓練のお知らせ ${Date.now()}`;
    const circularId = await publishCircular(
      leader,
      title,
      "12月6日 9時から、集会所で防災訓練をします。\n雨天決行です。",
    );
    // A fresh printed invite for a household no other test here joins (the last app household).
    const household = (await appHouseholds(leader)).at(-1)!;
    const invite = await inviteFor(leader, household.id);
    const { page } = await browser();
    const taps = { count: 0 };
    const tap = async (loc: ReturnType<typeof page.getByRole>) => {
      taps.count++;
      await loc.click();
    };

    // The printed QR code opens /join/<token>: one tap on 「はじめる」.
    await page.goto(`${server.base}/join/${invite.token}`);
    await expect.poll(() => page.getByText(`${household.label}さんのお宅`).count()).toBe(1);
    await page.getByRole("button", { name: "はじめる" }).click();

    // Welcome: text size, how to acknowledge, done.
    await page.waitForURL(/\/welcome$/);
    await page.getByText("1 / 3").waitFor();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("言葉と文字の大きさを選んでください");
    await page.getByRole("radio", { name: "特大" }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.size)).toBe("xlarge");
    await page.getByRole("button", { name: "次へ" }).click();
    await page.getByText("2 / 3").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("お知らせを読んだら");
    await page.getByRole("button", { name: "次へ" }).click();
    await page.getByText("3 / 3").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("準備ができました");
    await page.getByRole("button", { name: "お知らせを見る" }).click();
    await page.waitForURL(`${server.base}/`);

    // Home: the new notice, unread.
    const card = page.getByRole("link", { name: new RegExp(title) });
    await card.waitFor();
    expect(await card.textContent()).toContain("未確認");
    const me = await page.evaluate(async () => (await (await fetch("/api/auth/me")).json()) as { householdId: string });

    // From opening the app to the acknowledgement of the newest notice: at most two taps.
    await page.goto(server.base);
    taps.count = 0;
    await tap(page.getByRole("link", { name: new RegExp(title) }));
    await page.waitForURL(`${server.base}/c/${circularId}`);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await tap(page.getByRole("button", { name: "確認しました" }));
    const receipt = page.getByText(/確認済み \d/);
    await receipt.waitFor();
    expect(taps.count).toBeLessThanOrEqual(2);
    // Under the receipt, a big 「一覧へ戻る」, with focus on it (the pressed button is gone).
    const backToList = page.getByRole("link", { name: "一覧へ戻る", exact: true });
    const [receiptBox, backBox] = [await receipt.boundingBox(), await backToList.boundingBox()];
    expect(backBox!.y).toBeGreaterThanOrEqual(receiptBox!.y + receiptBox!.height);
    expect(backBox!.height).toBeGreaterThanOrEqual(64);
    await expect.poll(() => backToList.evaluate((el) => el === document.activeElement)).toBe(true);

    // The leader sees exactly that household as read, in the app.
    const rows = await receiptsOf(leader, circularId);
    const read = rows.filter((r) => r.readAt);
    expect(read.map((r) => r.id)).toEqual([me.householdId]);
    expect(read[0]!.channel).toBe("app");
    expect(read[0]!.label).toBe(household.label);

    // Back on the list it is read.
    await backToList.click();
    const again = page.getByRole("link", { name: new RegExp(title) });
    await again.waitFor();
    await expect.poll(() => again.textContent()).toMatch(/確認済み/);
    expect(await again.textContent()).not.toContain("未確認");
  });

  it("works by keyboard alone: Tab to the notice, Enter, Tab to 「確認しました」, Enter, with focus always visible", async () => {
    const households = await appHouseholds(leader);
    const household = households.at(-2)!;
    const title = `キーボードで確認 ${Date.now()}`;
    const circularId = await publishCircular(leader, title);
    const invite = await inviteFor(leader, household.id);
    const b = await browser();
    await joinAsHousehold(b, server.base, invite.token);
    const { page } = b;
    await page.goto(server.base);
    await page.getByRole("link", { name: new RegExp(title) }).waitFor();

    // Tab until the card of the new notice has focus; every stop must show a focus indicator.
    const focusStyle = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return { text: "", visible: false };
        const cs = getComputedStyle(el);
        const visible = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== "none";
        return { text: el.textContent ?? "", visible };
      });
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press("Tab");
      const f = await focusStyle();
      expect(f.visible, `focus indicator on "${f.text.slice(0, 30)}"`).toBe(true);
      reached = f.text.includes(title);
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/c/${circularId}$`));
    await page.getByRole("button", { name: "確認しました" }).waitFor();
    let onButton = false;
    for (let i = 0; i < 30 && !onButton; i++) {
      await page.keyboard.press("Tab");
      const f = await focusStyle();
      expect(f.visible, `focus indicator on "${f.text.slice(0, 30)}"`).toBe(true);
      onButton = f.text.trim() === "確認しました";
    }
    expect(onButton).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByText(/確認済み \d+月\d+日/).count()).toBeGreaterThan(0);
    const row = (await receiptsOf(leader, circularId)).find((r) => r.id === household.id)!;
    expect(row.channel).toBe("app");
  });

  for (const [n, viewport] of [
    [3, TABLET],
    [4, { width: 390, height: 844 }],
  ] as const) {
    it(`welcome at 特大 on ${viewport.width}×${viewport.height}: a 「見本」 picture of 「確認しました」, then both last choices on the first screen`, async () => {
      const household = (await appHouseholds(leader))[n]!;
      const invite = await inviteFor(leader, household.id);
      const { page } = await browser({ viewport });
      await page.goto(server.base);
      await presetSettings(page, { size: "xlarge" });
      await joinByQrLink(page, server.base, invite.token);
      await page.getByText("1 / 3").waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.size)).toBe("xlarge");
      await page.getByRole("button", { name: "次へ" }).click();

      // Step 2: the sample looks like the real blue button and the real green receipt, framed as 「見本」, and is a
      // picture: nothing to press, to focus or to point at.
      await page.getByText("2 / 3").waitFor();
      const sample = page.getByRole("img", { name: /^見本/ });
      await sample.waitFor();
      expect(await page.getByRole("button", { name: "確認しました" }).count()).toBe(0);
      const look = await sample.evaluate((fig) => {
        const style = (sel: string) => getComputedStyle(fig.querySelector(sel)!);
        return {
          label: fig.querySelector("figcaption")?.textContent,
          focusable: fig.querySelectorAll("a, button, input, [tabindex]").length,
          cursors: [getComputedStyle(fig), style(".btn"), style(".ack-done")].map((cs) => cs.cursor),
          reactsToPointer: getComputedStyle(fig).pointerEvents !== "none",
          button: [style(".btn").backgroundColor, style(".btn").color, fig.querySelector(".btn")!.textContent],
          receipt: [style(".ack-done").backgroundColor, fig.querySelector(".ack-done")!.textContent],
        };
      });
      const next = page.getByRole("button", { name: "次へ" });
      const realBlue = await next.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(look).toEqual({
        label: "見本",
        focusable: 0,
        cursors: ["default", "default", "default"],
        reactsToPointer: false,
        button: [realBlue, "rgb(255, 255, 255)", "確認しました"],
        receipt: ["rgb(230, 245, 236)", "✓ 確認済み"],
      });
      await next.click();

      // Step 3 opens at the top, and at 特大 both choices are on the first screen: notifications (recommended, one
      // line on what arrives) and the notices.
      await page.getByText("3 / 3").waitFor();
      const enable = page.getByRole("button", { name: "通知を受け取る" });
      const finish = page.getByRole("button", { name: "お知らせを見る" });
      await enable.waitFor();
      await page.getByText("新しいお知らせが届くと、この端末に通知が出ます。").waitFor();
      await page.getByText("おすすめ", { exact: true }).waitFor();
      expect(await page.evaluate(() => scrollY)).toBe(0);
      const within = async (l: typeof enable) => {
        const box = (await l.boundingBox())!;
        return box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0 && box.x + box.width <= viewport.width;
      };
      expect({ enable: await within(enable), finish: await within(finish) }).toEqual({ enable: true, finish: true });
      await finish.click();
      await page.waitForURL(`${server.base}/`);
    });
  }

  it("marks an unread notice past its due date 「期限を過ぎています」 in words, on the card and on the notice", async () => {
    const DAY = 86_400_000;
    const publishDue = async (title: string, dueInDays: number) => {
      const draft = await leader.post<{ id: string }>("/api/circulars", {
        title,
        body: "回覧板の本文です。",
        dueAt: new Date(Date.now() + dueInDays * DAY).toISOString(),
      });
      await leader.post(`/api/circulars/${draft.id}/publish`);
      return draft.id;
    };
    const stamp = Date.now();
    const late = `側溝清掃の出欠 ${stamp}`;
    const lateId = await publishDue(late, 1);
    const notYet = `敬老会のご案内 ${stamp}`;
    await publishDue(notYet, 10);
    const b = await browser();
    await joinAsHousehold(b, server.base, (await inviteFor(leader, (await appHouseholds(leader))[5]!.id)).token);
    const { page } = b;
    // Three days on (this device's clock): the first is past its date, the second is not.
    await page.clock.setFixedTime(new Date(Date.now() + 3 * DAY));
    await page.goto(server.base);
    const lateCard = page.getByRole("link", { name: new RegExp(late) });
    await lateCard.waitFor();
    await expect.poll(() => lateCard.textContent()).toMatch(/期限を過ぎています.*までに確認/);
    expect(await page.getByRole("link", { name: new RegExp(notYet) }).textContent()).not.toContain("期限");
    expect(await page.getByRole("link", { name: new RegExp(notYet) }).textContent()).toMatch(/までに確認/);

    await lateCard.click();
    await page.waitForURL(`${server.base}/c/${lateId}`);
    const meta = page.locator(".circular-meta");
    await expect.poll(() => meta.textContent()).toMatch(/確認期限 .+期限を過ぎています/);
    // Once acknowledged, neither the date nor the mark is shown.
    await page.getByRole("button", { name: "確認しました" }).click();
    await page.getByText(/確認済み \d/).waitFor();
    expect(await meta.textContent()).not.toContain("期限");
  });

  it("accepts the join code typed in lower case with a hyphen", async () => {
    const [, household] = await appHouseholds(leader);
    const invite = await inviteFor(leader, household!.id);
    const typed = `${invite.code.slice(0, 4)}-${invite.code.slice(4)}`.toLowerCase();
    expect(typed).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    const { page } = await browser();
    await page.goto(server.base);
    await page.getByRole("link", { name: "招待コードを入力する" }).click();
    await page.waitForURL(/\/join$/);
    await page.getByLabel("招待コード（8文字）").fill(typed);
    await page.getByRole("button", { name: "はじめる" }).click();
    await page.waitForURL(/\/welcome$/);
    const me = await page.evaluate(
      async () => (await (await fetch("/api/auth/me")).json()) as { householdId: string; role: string },
    );
    expect(me).toMatchObject({ householdId: household!.id, role: "resident" });
  });

  it("says what is wrong when the code is too short, and keeps focus in the field", async () => {
    const { page } = await browser();
    await page.goto(`${server.base}/join`);
    await page.getByLabel("招待コード（8文字）").fill("abc-12");
    await page.getByRole("button", { name: "はじめる" }).click();
    await page.getByRole("alert").filter({ hasText: "8 文字" }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("code");
    expect(await page.getByLabel("招待コード（8文字）").getAttribute("aria-invalid")).toBe("true");
  });

  it("tells a mistyped code (check the typing, shown as 4+4) from a used one (ask the leader), and a link cut short", async () => {
    const { page } = await browser();
    await page.goto(`${server.base}/join`);
    const field = page.getByLabel("招待コード（8文字）");
    await field.fill("abcd efgh");
    await page.getByRole("button", { name: "はじめる" }).click();
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "見つかりません" }).waitFor();
    const typo = (await alert.textContent())!;
    expect(typo).toContain("「ABCD-EFGH」");
    expect(typo).toMatch(/入力をもう一度確かめてください/);
    expect(typo).not.toMatch(/役員|期限/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("code");

    // A real code, already used by another device: this one says to ask the leader.
    const invite = await inviteFor(leader, (await appHouseholds(leader))[6]!.id);
    await joinDevice(server.base, invite.token);
    await field.fill(invite.codeDisplay);
    await page.getByRole("button", { name: "はじめる" }).click();
    await alert.filter({ hasText: "役員" }).waitFor();
    expect(await alert.textContent()).toMatch(/期限切れか、すでに使われています/);
    expect(await alert.textContent()).not.toContain(invite.codeDisplay);

    // A QR link that matches nothing: the code on the same paper is one tap away.
    await page.goto(`${server.base}/join/${"x".repeat(32)}`);
    await page.getByRole("alert").filter({ hasText: "リンクは見つかりません" }).waitFor();
    await page.getByRole("link", { name: "招待コードを入力する" }).click();
    await page.waitForURL(/\/join$/);
  });

  it("keeps text size, contrast and language on the device across a reload", async () => {
    const households = await appHouseholds(leader);
    const invite = await inviteFor(leader, households[2]!.id);
    const b = await browser();
    const { page } = b;
    await page.goto(server.base);
    await joinAsHousehold(b, server.base, invite.token);
    await page.goto(`${server.base}/settings`);
    // 「この端末に保存しました。」 answers a change: not there before one.
    await page.getByRole("radio", { name: "特大" }).waitFor();
    expect(await page.getByText("この端末に保存しました。").count()).toBe(0);
    await page.getByRole("radio", { name: "特大" }).check();
    await page.getByRole("status").filter({ hasText: "この端末に保存しました。" }).waitFor();
    await page.getByRole("checkbox", { name: /見やすい配色/ }).check();
    await page.getByRole("radio", { name: "English" }).check();
    // English at once.
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
    expect(await page.getByText("Saved on this device.").count()).toBe(0);
    const state = await page.evaluate(() => ({
      size: document.documentElement.dataset.size,
      contrast: document.documentElement.dataset.contrast,
      lang: document.documentElement.lang,
      bodyPx: getComputedStyle(document.body).fontSize,
      fg: getComputedStyle(document.body).color,
    }));
    expect(state).toEqual({ size: "xlarge", contrast: "high", lang: "en", bodyPx: "30px", fg: "rgb(0, 0, 0)" });
    expect(await page.getByRole("radio", { name: "Extra large" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: /contrast/i }).isChecked()).toBe(true);

    // The whole UI is English: the home screen too.
    await page.getByRole("link", { name: "Notices" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Notices" }).waitFor();
    expect(await page.evaluate(() => document.title)).toMatch(/Notices/);
  });
});
