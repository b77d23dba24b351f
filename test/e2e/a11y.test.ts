// Accessibility of every resident screen, in Chromium: axe-core (WCAG 2.0/2.1/2.2 A and AA) with no violations at
// each text size (標準 / 大 / 特大) and in high contrast; touch targets of at least 48 x 48 px; body text at 7:1 or
// better in the default theme; no sideways scrolling at 320 px wide with 特大. Also writes the screenshots in
// docs/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
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
  openBrowser,
  publishCircular,
  publishWithPhoto,
  requireBuild,
  ROOT,
  type RunningServer,
  signInLeader,
  solidPng,
  startServer,
  waitForCached,
  waitForServiceWorker,
} from "./harness";

let server: RunningServer;
let leader: ApiClient;
let households: Household[];
let nextHousehold = 0;
/** The notice shown on the circular screen: urgent, a link in the text, a due date, a photo. */
let richId: string;
const RICH_TITLE = "【至急】避難訓練と集合場所の変更";
/** A circular with questions of every kind, answered by each walk's household in turn. */
let askingId: string;
const ASKING_TITLE = "一斉清掃の出欠と持ち物";
const browsers: Browser[] = [];

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
  households = await appHouseholds(leader);
  const due = new Date(Date.now() + 5 * 86_400_000).toISOString();
  richId = (
    await publishWithPhoto(leader, RICH_TITLE, solidPng(320, 200, [40, 110, 60]), {
      priority: "urgent",
      dueAt: due,
      fileName: "集合場所の地図.png",
      body: "12月13日(土) 午前10時から避難訓練をします。\n集合場所が 第二公園 に変わりました。\n\n詳しくは市のページをご覧ください。\nhttps://www.city.sendai.jp/",
    })
  ).circularId;
  const asking = await leader.post<{ id: string }>("/api/circulars", {
    title: ASKING_TITLE,
    body: "12月7日(日) 朝9時から一斉清掃をします。",
    questions: [
      { kind: "attendance", label: "清掃に出られますか" },
      { kind: "single", label: "集合場所", options: ["集会所", "公園"] },
      { kind: "multiple", label: "持ってくる道具", options: ["軍手", "ほうき", "ごみ袋"], max: 2, required: false },
      { kind: "number", label: "ごみ袋の数", unit: "枚", min: 0, max: 10, required: false },
      { kind: "text", label: "ご意見", required: false },
    ],
  });
  await leader.post(`/api/circulars/${asking.id}/publish`);
  askingId = asking.id;
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

type Size = "standard" | "large" | "xlarge";
interface Variant {
  name: string;
  size: Size;
  contrast: boolean;
}
const VARIANTS: Variant[] = [
  { name: "標準", size: "standard", contrast: false },
  { name: "大", size: "large", contrast: false },
  { name: "特大", size: "xlarge", contrast: false },
  { name: "見やすい配色（大）", size: "large", contrast: true },
];

interface Screen {
  name: string;
  /** Gets the page to the screen and waits until it has settled. */
  open(page: Page): Promise<void>;
}

const h1 = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

function signedOutScreens(joinToken: string): Screen[] {
  return [
    { name: "start", open: async (p) => (await p.goto(server.base), await h1(p, "回覧板へようこそ")) },
    {
      name: "join (QR link)",
      open: async (p) => {
        await p.goto(`${server.base}/join/${joinToken}`);
        await p.getByRole("button", { name: "はじめる" }).waitFor();
      },
    },
    { name: "join code", open: async (p) => (await p.goto(`${server.base}/join`), await h1(p, "招待コードを入力")) },
    {
      name: "join code, wrong length",
      open: async (p) => {
        await p.goto(`${server.base}/join`);
        await p.getByLabel("招待コード（8文字）").fill("ab-12");
        await p.getByRole("button", { name: "はじめる" }).click();
        await p.getByRole("alert").waitFor();
      },
    },
  ];
}

function signedInScreens(ackTitle: string): Screen[] {
  const welcome = async (p: Page, step: number) => {
    await p.goto(`${server.base}/welcome`);
    for (let i = 1; i < step; i++) {
      await p.getByText(`${i} / 3`).waitFor();
      await p.getByRole("button", { name: "次へ" }).click();
    }
    await p.getByText(`${step} / 3`).waitFor();
  };
  return [
    { name: "welcome 1 (text size)", open: (p) => welcome(p, 1) },
    { name: "welcome 2 (how to acknowledge)", open: (p) => welcome(p, 2) },
    { name: "welcome 3 (done)", open: (p) => welcome(p, 3) },
    {
      name: "home",
      open: async (p) => {
        await p.goto(server.base);
        await p.getByRole("link", { name: new RegExp(RICH_TITLE.slice(4)) }).waitFor();
        await p.getByRole("heading", { level: 2, name: "確認したお知らせ" }).waitFor();
      },
    },
    {
      name: "circular",
      open: async (p) => {
        await p.goto(`${server.base}/c/${richId}`);
        await h1(p, RICH_TITLE);
        await p.locator(".thumb img").evaluate((img: HTMLImageElement) => img.decode());
      },
    },
    {
      name: "circular with questions",
      open: async (p) => {
        await p.goto(`${server.base}/c/${askingId}`);
        await h1(p, ASKING_TITLE);
        await p.getByRole("radio", { name: "出席" }).check();
        await p.getByRole("textbox", { name: "人数" }).waitFor();
      },
    },
    {
      name: "circular with questions, answered",
      open: async (p) => {
        await p.getByRole("radio", { name: "集会所" }).check();
        await p.getByRole("checkbox", { name: "軍手" }).check();
        await p.getByRole("textbox", { name: /ごみ袋の数/ }).fill("3");
        await p.getByRole("button", { name: "回答する" }).click();
        await p.getByText(/^✓ 回答済み/).waitFor();
      },
    },
    {
      name: "circular, acknowledged",
      open: async (p) => {
        await p.goto(server.base);
        await p.getByRole("link", { name: new RegExp(ackTitle) }).click();
        await h1(p, ackTitle);
        await p.getByRole("button", { name: "確認しました" }).click();
        await p.getByText(/確認済み \d/).waitFor();
      },
    },
    { name: "settings", open: async (p) => (await p.goto(`${server.base}/settings`), await h1(p, "設定")) },
  ];
}

/** A browser whose settings are `v` from the first page on. */
async function browserFor(v: Variant, viewport?: { width: number; height: number }): Promise<Browser> {
  const b = await openBrowser(viewport ? { viewport } : {});
  browsers.push(b);
  await b.context.addInitScript(
    (s) => {
      if (!sessionStorage.getItem("kairan.test.preset")) {
        localStorage.setItem("kairan.settings", JSON.stringify(s));
        sessionStorage.setItem("kairan.test.preset", "1");
      }
    },
    { size: v.size, contrast: v.contrast, speech: false, lang: "ja", welcomed: true },
  );
  return b;
}

async function joinHousehold(b: Browser): Promise<void> {
  const invite = await inviteFor(leader, households[nextHousehold++]!.id);
  await joinAsHousehold(b, server.base, invite.token);
}

/** Every screen in order, signed out then signed in; `check` runs on each. */
async function walk(b: Browser, check: (screen: string) => Promise<void>) {
  const { page } = b;
  const previewInvite = await inviteFor(leader, households[nextHousehold++]!.id);
  for (const s of signedOutScreens(previewInvite.token)) {
    await s.open(page);
    await check(s.name);
  }
  await joinHousehold(b);
  const ackTitle = `回覧板の回し方について ${Date.now()}`;
  await publishCircular(leader, ackTitle, "これからは、この端末で「確認しました」を押してください。");
  for (const s of signedInScreens(ackTitle)) {
    await s.open(page);
    await check(s.name);
  }
}

// ---------- checks that run in the page ----------

/** Buttons, links that stand alone (not inside a sentence), fields and choice labels smaller than 48 x 48 px. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const candidates = document.querySelectorAll<HTMLElement>(
      "button, a[href], [role=button], input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea, .segmented label, label.choice",
    );
    const blockOf = (el: Element): Element => {
      let p = el.parentElement;
      while (p && getComputedStyle(p).display.startsWith("inline")) p = p.parentElement;
      return p ?? document.body;
    };
    for (const el of candidates) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === "hidden" || r.right < 0 || r.bottom < 0) continue;
      if (el.closest("dialog:not([open])")) continue;
      // A link inside a sentence (WCAG 2.5.8's inline exception): its block has text of its own around it.
      if (el.tagName === "A" && style.display === "inline") {
        const block = blockOf(el);
        if ((block.textContent ?? "").trim() !== (el.textContent ?? "").trim()) continue;
      }
      if (r.width < 47.5 || r.height < 47.5)
        out.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`,
        );
    }
    return out;
  });
}

/** Text whose contrast with what is behind it is below `min` (colours, opacity and backgrounds from computed styles). */
function lowContrastText(page: Page, minRatio: number): Promise<string[]> {
  return page.evaluate((min) => {
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const [r, g, b, a] = m[1]!
        .split(/[,\s/]+/)
        .filter(Boolean)
        .map(Number);
      return [r!, g!, b!, a ?? 1];
    };
    const over = (top: RGBA, bottom: RGBA): RGBA => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const lum = ([r, g, b]: RGBA) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element | null): RGBA => {
      const layers: RGBA[] = [];
      for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
      let bg: RGBA = [255, 255, 255, 1];
      for (const layer of layers.reverse()) bg = over(layer, bg);
      return bg;
    };
    const opacity = (el: Element | null) => {
      let o = 1;
      for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !(n.textContent ?? "").trim()) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (
        r.width === 0 ||
        r.height === 0 ||
        r.right < 0 ||
        style.visibility === "hidden" ||
        el.closest("dialog:not([open]), noscript")
      )
        continue;
      const bg = background(el);
      const fgRaw = parse(style.color);
      const fg = over([fgRaw[0], fgRaw[1], fgRaw[2], fgRaw[3] * opacity(el)], bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < min)
        out.push(
          `"${(n.textContent ?? "").trim().slice(0, 24)}" ${ratio.toFixed(2)}:1 (${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(", ")}))`,
        );
    }
    return out;
  }, minRatio);
}

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => {
    const s = document.scrollingElement!;
    return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth };
  });

describe("resident screens: accessibility", { timeout: scaled(180_000) }, () => {
  for (const v of VARIANTS) {
    it(`axe finds nothing, targets are 48 px${v.contrast ? "" : " and text is 7:1"} at ${v.name}`, async () => {
      const b = await browserFor(v);
      const problems: string[] = [];
      const screens: string[] = [];
      await walk(b, async (screen) => {
        screens.push(screen);
        const expected = v.size;
        expect(await b.page.evaluate(() => document.documentElement.dataset.size), screen).toBe(expected);
        for (const p of await axeViolations(b.page)) problems.push(`${screen}: axe ${p}`);
        for (const p of await smallTargets(b.page)) problems.push(`${screen}: small target ${p}`);
        if (!v.contrast) for (const p of await lowContrastText(b.page, 7)) problems.push(`${screen}: contrast ${p}`);
      });
      expect(screens).toHaveLength(13);
      expect(problems).toEqual([]);
    });
  }

  it("a waiting acknowledgement and the offline notice pass axe too", async () => {
    const b = await browserFor(VARIANTS[1]!);
    const { page, context } = b;
    await joinHousehold(b);
    const title = `集金のお知らせ ${Date.now()}`;
    await publishCircular(leader, title, "町内会費の集金に伺います。");
    await page.goto(server.base);
    await waitForServiceWorker(page);
    await page.goto(server.base);
    await page.getByRole("link", { name: new RegExp(title) }).click();
    await h1(page, title);
    await waitForCached(page, new URL(page.url()).pathname.replace("/c/", "/api/feed/"));
    await context.setOffline(true);
    await page.getByRole("button", { name: "確認しました" }).click();
    await page.getByText(/^送信待ち/).waitFor();
    const problems = [
      ...(await axeViolations(page)),
      ...(await smallTargets(page)),
      ...(await lowContrastText(page, 7)),
    ];
    await page.getByRole("link", { name: /お知らせの一覧へ戻る/ }).click();
    await page.getByRole("link", { name: new RegExp(title) }).waitFor();
    problems.push(...(await axeViolations(page)), ...(await lowContrastText(page, 7)));
    await context.setOffline(false);
    expect(problems).toEqual([]);
  });

  it("never scrolls sideways at 320 px wide with 特大", async () => {
    const b = await browserFor(VARIANTS[2]!, { width: 320, height: 640 });
    const wide: string[] = [];
    let count = 0;
    await walk(b, async (screen) => {
      count++;
      const { scrollWidth, clientWidth } = await noSidewaysScroll(b.page);
      expect(clientWidth).toBe(320);
      if (scrollWidth > clientWidth) wide.push(`${screen}: ${scrollWidth} > ${clientWidth}`);
    });
    expect(count).toBe(13);
    expect(wide).toEqual([]);
  });
});

describe("focus on arrival", { timeout: scaled(120_000) }, () => {
  /** Whether <main> has focus (each screen puts it there, for screen readers) and whether it is drawn framed. */
  const mainFocus = (page: Page) =>
    page.evaluate(() => {
      const main = document.getElementById("main")!;
      const cs = getComputedStyle(main);
      return {
        focused: document.activeElement === main,
        framed: cs.outlineStyle !== "none" || cs.boxShadow !== "none",
      };
    });
  const activeFramed = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const cs = getComputedStyle(el);
      return { text: el.textContent ?? "", framed: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2 };
    });
  const arrived = async (page: Page) => {
    await expect.poll(async () => (await mainFocus(page)).focused).toBe(true);
    return (await mainFocus(page)).framed;
  };

  it("frames the main region only for someone moving by keyboard: not on a fresh page or after a tap", async () => {
    const b = await browserFor(VARIANTS[2]!);
    const { page } = b;
    // The start page, opened fresh (from a bookmark, or the QR code's link): main has focus, without a frame.
    await page.goto(server.base);
    await h1(page, "回覧板へようこそ");
    expect(await arrived(page)).toBe(false);
    // A tap to the code page: focus on the new screen's main, still no frame.
    await page.getByRole("link", { name: "招待コードを入力する" }).click();
    await h1(page, "招待コードを入力");
    expect(await arrived(page)).toBe(false);
    // The printed QR link and a tap on 「はじめる」 (this browser was already welcomed: the notices), no frame.
    const invite = await inviteFor(leader, households[nextHousehold++]!.id);
    await page.goto(`${server.base}/join/${invite.token}`);
    await page.getByRole("button", { name: "はじめる" }).waitFor();
    expect(await arrived(page)).toBe(false);
    await page.getByRole("button", { name: "はじめる" }).click();
    await h1(page, "お知らせ");
    expect(await arrived(page)).toBe(false);
    await page.context().clearCookies();
    // The staff sign-in (the leader chunk, the same frame): no frame either.
    await page.goto(`${server.base}/login`);
    await h1(page, "役員・班長のログイン");
    expect(await arrived(page)).toBe(false);

    // By keyboard: every control Tab reaches shows its ring, and the skip link's jump to main frames main.
    await page.goto(server.base);
    await h1(page, "回覧板へようこそ");
    await arrived(page);
    await page.keyboard.press("Tab");
    expect(await activeFramed(page)).toEqual({ text: "招待コードを入力する", framed: true });
    let onSkipLink = false;
    for (let i = 0; i < 10 && !onSkipLink; i++) {
      await page.keyboard.press("Shift+Tab");
      const f = await activeFramed(page);
      expect(f.framed, `ring on "${f.text}"`).toBe(true);
      onSkipLink = f.text === "本文へ移動";
    }
    expect(onSkipLink).toBe(true);
    await page.keyboard.press("Enter");
    expect(await arrived(page)).toBe(true);
    // A tap ends it: the next screen opened by a tap is not framed.
    await page.getByRole("link", { name: "招待コードを入力する" }).click();
    await h1(page, "招待コードを入力");
    expect(await arrived(page)).toBe(false);
  });
});

describe("screenshots", { timeout: scaled(120_000) }, () => {
  // Written into docs/screenshots/ when missing or with UPDATE_SCREENSHOTS=1 (so a test run does not rewrite the
  // committed images each time: their dates differ); otherwise into a temporary folder.
  it("takes the resident home and a circular at 特大 (tablet and 320 px) for docs/screenshots/", async () => {
    const docs = join(ROOT, "docs", "screenshots");
    const names = ["resident-home-xlarge", "resident-circular-xlarge"].flatMap((n) => [`${n}.png`, `${n}-320.png`]);
    const update = process.env.UPDATE_SCREENSHOTS === "1" || names.some((n) => !existsSync(join(docs, n)));
    const dir = update ? docs : mkdtempSync(join(tmpdir(), "kairan-screenshots-"));
    mkdirSync(dir, { recursive: true });
    for (const [suffix, viewport] of [
      ["", { width: 820, height: 1180 }],
      ["-320", { width: 320, height: 720 }],
    ] as const) {
      const b = await browserFor(VARIANTS[2]!, viewport);
      await joinHousehold(b);
      const home = signedInScreens("").find((s) => s.name === "home")!;
      await home.open(b.page);
      await b.page.screenshot({ path: join(dir, `resident-home-xlarge${suffix}.png`) });
      const circular = signedInScreens("").find((s) => s.name === "circular")!;
      await circular.open(b.page);
      await b.page.screenshot({ path: join(dir, `resident-circular-xlarge${suffix}.png`) });
    }
    for (const n of names) expect(statSync(join(dir, n)).size, n).toBeGreaterThan(5_000);
    if (!update) rmSync(dir, { recursive: true, force: true });
  });
});
