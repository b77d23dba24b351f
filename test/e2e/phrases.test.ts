// Line breaks that read naturally at 特大: a leader publishes notices with long titles; a resident's tablet and
// phone (320, 390 and 820 px wide) show them on the home screen and each notice's own screen. In Chromium, every line
// break inside a title must fall on a phrase (文節) boundary from BudouX (never 「…お願 / い」), and nothing may
// overflow sideways.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { phraseBreaks } from "../../server/lib/phrases";
import { scaled } from "../helpers/timeouts";
import {
  appHouseholds,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  presetSettings,
  publishCircular,
  requireBuild,
  shot,
  signInLeader,
  startServer,
  type ApiClient,
  type Browser,
  type RunningServer,
} from "./harness";

const TITLES = [
  "防犯パトロールのお願い",
  "ごみ集積所の清掃当番について",
  "敬老会のご案内と出欠のお知らせ",
  "秋季町内一斉清掃へのご協力のお願い",
  "防災訓練の実施と避難経路の確認について",
  "子ども会夏祭りのボランティア募集のお知らせ",
  "町内会費の納入方法が変わります",
  "資源回収日の変更と分別ルールのご案内",
];
const WIDTHS = [
  { width: 320, height: 640 },
  { width: 390, height: 844 },
  { width: 820, height: 1180 },
];

let server: RunningServer;
let leader: ApiClient;
const ids = new Map<string, string>();
const browsers: Browser[] = [];

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
  for (const title of TITLES)
    ids.set(title, await publishCircular(leader, title, `${title}。\n詳しくは班長までお問い合わせください。`));
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

interface Measured {
  text: string;
  /** Offsets in the text where a new line starts (excluding 0). */
  lineStarts: number[];
  overflows: boolean;
}

/** Every `.phrases` element inside `scope`: its text and where its lines start, from the characters' line boxes. */
function measure(page: Page, scope: string): Promise<Measured[]> {
  return page.evaluate((sel) => {
    const vw = document.documentElement.clientWidth;
    return [...document.querySelectorAll(`${sel} .phrases`)].map((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const lineStarts: number[] = [];
      let offset = 0;
      let lastTop: number | null = null;
      let lastBottom = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? "";
        for (let i = 0; i < text.length; i++) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          const rect = [...r.getClientRects()].find((x) => x.width > 0);
          if (rect) {
            // A character starts a new line when it sits below the previous one's line box.
            if (lastTop !== null && rect.top >= lastBottom - 1) lineStarts.push(offset + i);
            lastTop = rect.top;
            lastBottom = rect.bottom;
          }
        }
        offset += text.length;
      }
      const box = el.getBoundingClientRect();
      return { text: el.textContent ?? "", lineStarts, overflows: box.right > vw + 0.5 || box.left < -0.5 };
    });
  }, scope);
}

/**
 * Every line start is a phrase boundary (or follows a space), except inside a phrase that itself began a line and is wider than it (where
 * `overflow-wrap: anywhere` must break rather than overflow).
 */
function badBreaks(m: Measured): string[] {
  const bounds = new Set(phraseBreaks(m.text));
  const starts = [0, ...phraseBreaks(m.text)];
  const lineSet = new Set([0, ...m.lineStarts]);
  return m.lineStarts
    .filter((b) => !bounds.has(b) && !/\s/.test(m.text[b - 1]!))
    .filter((b) => !lineSet.has(starts.filter((s) => s < b).at(-1)!))
    .map((b) => `${m.text.slice(0, b)} / ${m.text.slice(b)}`);
}

async function expectNoSideways(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

describe("titles at 特大 break between phrases", { timeout: scaled(120_000) }, () => {
  WIDTHS.forEach((viewport, n) => {
    it(`at ${viewport.width} px: on the home screen and on each notice`, async () => {
      const b = await openBrowser({ viewport });
      browsers.push(b);
      const household = (await appHouseholds(leader))[n]!;
      await joinAsHousehold(b, server.base, (await inviteFor(leader, household.id)).token);
      const { page } = b;
      await page.goto(server.base);
      await presetSettings(page, { size: "xlarge", welcomed: true });
      await page.goto(server.base);
      await page.waitForFunction((titles) => {
        const shown = new Set([...document.querySelectorAll(".card .phrases")].map((e) => e.textContent));
        return titles.every((t) => shown.has(t));
      }, TITLES);
      expect(await page.evaluate(() => document.documentElement.dataset.size)).toBe("xlarge");

      // Ours and the demo's notices alike.
      const cards = await measure(page, ".card");
      expect(cards.filter((m) => TITLES.includes(m.text))).toHaveLength(TITLES.length);
      for (const m of cards) {
        expect(badBreaks(m), `home: ${m.text}`).toEqual([]);
        expect(m.overflows, `home: ${m.text}`).toBe(false);
      }
      await expectNoSideways(page);
      // On a phone at 特大 the long titles do wrap: the test measures real breaks, not one-line titles.
      if (viewport.width === 320) expect(cards.some((m) => m.lineStarts.length > 0)).toBe(true);

      let wrapped = 0;
      for (const title of TITLES) {
        await page.goto(`${server.base}/c/${ids.get(title)}`);
        await page.getByRole("heading", { level: 1, name: title }).waitFor();
        const [h1] = await measure(page, "#circular-title");
        expect(h1?.text).toBe(title);
        expect(badBreaks(h1!), `notice: ${title}`).toEqual([]);
        expect(h1!.overflows, `notice: ${title}`).toBe(false);
        wrapped += h1!.lineStarts.length > 0 ? 1 : 0;
        // The body too: its text parts break between phrases; links and line breaks stay.
        const body = await measure(page, ".circular-body");
        for (const m of body) expect(m.overflows).toBe(false);
        await expectNoSideways(page);
        if (title === "防災訓練の実施と避難経路の確認について")
          await shot(page, `resident-phrases-xlarge-${viewport.width}.png`, join("/tmp", "kairan-phrases"));
      }
      if (viewport.width < 820) expect(wrapped).toBeGreaterThan(0);
    });
  });
});
