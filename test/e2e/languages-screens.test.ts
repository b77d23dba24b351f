// Every resident screen in every interface language, at 特大 on a 320 px wide screen, in Chromium: nothing overflows
// sideways (the page, and no button, link, label or heading wider than its box: the failure names the string), and
// axe-core finds nothing. One browser and one page for all of it; the screens are found by their structure and by
// the language's own words (its file), so the same walk serves all six.
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answersEn } from "../../web/src/i18n/answers.en";
import { answersJa } from "../../web/src/i18n/answers.ja";
import { en } from "../../web/src/i18n/en";
import { ja } from "../../web/src/i18n/ja";
import { LANGS, type Lang } from "../../web/src/i18n/languages";
import { pushEn } from "../../web/src/i18n/push.en";
import { pushJa } from "../../web/src/i18n/push.ja";
import type { ResidentMessages } from "../../web/src/i18n/resident-messages";
import { safetyEn } from "../../web/src/i18n/safety.en";
import { safetyJa } from "../../web/src/i18n/safety.ja";
import { supportEn } from "../../web/src/i18n/support.en";
import { supportJa } from "../../web/src/i18n/support.ja";
import { watchEn } from "../../web/src/i18n/watch.en";
import { watchJa } from "../../web/src/i18n/watch.ja";
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
  publishWithPhoto,
  requireBuild,
  type RunningServer,
  shot,
  signInLeader,
  solidPng,
  startServer,
} from "./harness";

let server: RunningServer;
let leader: ApiClient;
let b: Browser;
let tablet: Household;
let previewToken: string;
let photoId: string;
let askingId: string;
let safetyId: string;
const PHOTO_TITLE = "避難訓練と集合場所の変更";
const ASKING_TITLE = "一斉清掃の出欠と持ち物";
const WIDTH = 320;
/** The README's pictures of the languages (docs/screenshots/; harness.ts shot()). */
const SCREENSHOTS: Record<string, string> = {
  "ko welcome 1": "resident-welcome-ko-xlarge-320.png",
  "zh-Hans home (with the 安否確認 banner)": "resident-home-zh-xlarge-320.png",
};

/** The words a screen shows in a language: its file, or the Japanese and English dictionaries. */
async function wordsOf(l: Lang): Promise<ResidentMessages> {
  if (l === "ja") return { ...ja, ...answersJa, ...safetyJa, ...pushJa, ...watchJa, ...supportJa };
  if (l === "en") return { ...en, ...answersEn, ...safetyEn, ...pushEn, ...watchEn, ...supportEn };
  return ((await import(`../../web/src/i18n/lang/${l}.ts`)) as { default: ResidentMessages }).default;
}

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  leader = await signInLeader(server.base);
  const [a, other, preview] = (await appHouseholds(leader)) as [Household, Household, Household];
  tablet = a;
  previewToken = (await inviteFor(leader, preview.id)).token;
  photoId = (
    await publishWithPhoto(leader, PHOTO_TITLE, solidPng(320, 200, [40, 110, 60]), {
      priority: "urgent",
      dueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      fileName: "集合場所の地図.png",
      body: "12月13日(土) 午前10時から避難訓練をします。",
    })
  ).circularId;
  const asking = await leader.post<{ id: string }>("/api/circulars", {
    title: ASKING_TITLE,
    body: "12月7日(日) 朝9時から一斉清掃をします。",
    questions: [
      { kind: "attendance", label: "清掃に出られますか" },
      { kind: "multiple", label: "持ってくる道具", options: ["軍手", "ほうき", "ごみ袋"], max: 2, required: false },
      { kind: "number", label: "ごみ袋の数", unit: "枚", min: 0, max: 10, required: false },
      { kind: "text", label: "ご意見", required: false },
    ],
  });
  await leader.post(`/api/circulars/${asking.id}/publish`);
  askingId = asking.id;
  // The tablet's household watches another one and supports it, so 「見守り」 and 「支援する世帯」 have a row.
  b = await openBrowser({ viewport: { width: WIDTH, height: 640 } });
  await joinAsHousehold(b, server.base, (await inviteFor(leader, tablet.id)).token);
  const neighbour = await joinDevice(server.base, (await inviteFor(leader, other.id)).token);
  const { members } = await neighbour.get<{ members: { id: string; name: string }[] }>("/api/support/candidates");
  const watcher = members.find((m) => m.name.startsWith(tablet.label))!;
  const put = async (path: string, body: unknown) => {
    const res = await neighbour.request(path, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
  };
  await put("/api/watch/mine", { watcherId: watcher.id, days: 3 });
  await put("/api/support/mine", {
    needs: ["walking"],
    note: "2階で寝ています。",
    supporterIds: [watcher.id],
    consent: true,
  });
  safetyId = (await leader.post<{ check: { id: string } }>("/api/safety/checks", { drill: true })).check.id;
}, scaled(120_000));

afterAll(async () => {
  await b?.close();
  await server?.stop();
});

interface Screen {
  name: string;
  open(page: Page, w: ResidentMessages): Promise<void>;
}
const h1 = (p: Page, name?: string) => p.getByRole("heading", { level: 1, ...(name ? { name } : {}) }).waitFor();
const go = async (p: Page, path: string, heading?: string) => {
  await p.goto(`${server.base}${path}`);
  await h1(p, heading);
};

const signedOut: Screen[] = [
  { name: "start", open: (p, w) => go(p, "/", w["start.title"]) },
  {
    name: "join (QR link)",
    open: async (p, w) => {
      await p.goto(`${server.base}/join/${previewToken}`);
      await p.getByRole("button", { name: w["join.start"] }).waitFor();
    },
  },
  { name: "invite code", open: (p, w) => go(p, "/join", w["join.code.title"]) },
  {
    name: "invite code, wrong length",
    open: async (p, w) => {
      await go(p, "/join", w["join.code.title"]);
      await p.getByLabel(w["join.code.label"]).fill("ab-12");
      await p.getByRole("button", { name: w["join.code.submit"] }).click();
      await p.getByRole("alert").waitFor();
    },
  },
];

const welcome = (step: number): Screen => ({
  name: `welcome ${step}`,
  open: async (p, w) => {
    await go(p, "/welcome");
    for (let i = 1; i < step; i++) await p.getByRole("button", { name: w["welcome.next"] }).click();
    await p.getByText(w["welcome.step"].replace("{n}", String(step)).replace("{total}", "3")).waitFor();
  },
});

const signedIn: Screen[] = [
  welcome(1),
  welcome(2),
  welcome(3),
  {
    name: "home (with the 安否確認 banner)",
    open: async (p, w) => {
      await go(p, "/", w["home.title"]);
      await p.getByRole("link", { name: new RegExp(PHOTO_TITLE) }).waitFor();
      await p.getByRole("button", { name: w["safety.safe"] }).first().waitFor();
    },
  },
  {
    name: "circular with a photo",
    open: async (p) => {
      await go(p, `/c/${photoId}`, `【至急】${PHOTO_TITLE}`).catch(() => go(p, `/c/${photoId}`));
      await p.locator(".thumb img").evaluate((img: HTMLImageElement) => img.decode());
    },
  },
  {
    name: "circular with questions",
    open: async (p, w) => {
      await go(p, `/c/${askingId}`, ASKING_TITLE);
      await p.getByRole("radio", { name: w["answers.attendance.attend"] }).check();
      await p.getByRole("button", { name: w["answers.submit"] }).waitFor();
    },
  },
  {
    name: "settings (push, 見守り, 要支援)",
    open: async (p, w) => {
      await go(p, "/settings", w["settings.title"]);
      await p.getByText(w["push.title"]).first().waitFor();
      await p.getByRole("button", { name: w["watch.settings.start"] }).waitFor();
      await p.getByRole("button", { name: w["support.settings.start"] }).waitFor();
    },
  },
  {
    name: "settings, the 見守り and 要支援 forms open",
    open: async (p, w) => {
      await p.getByRole("button", { name: w["watch.settings.start"] }).click();
      await p.getByRole("button", { name: w["watch.settings.save"] }).waitFor();
      await p.getByRole("button", { name: w["support.settings.start"] }).click();
      await p.getByRole("button", { name: w["support.settings.save"] }).waitFor();
    },
  },
  {
    name: "安否確認",
    open: async (p, w) => {
      await go(p, `/safety/${safetyId}`);
      await p.getByRole("button", { name: w["safety.help"] }).first().waitFor();
    },
  },
  {
    name: "安否確認, 助けが必要です",
    open: async (p, w) => {
      await p.getByRole("button", { name: w["safety.help"] }).first().click();
      await p.getByRole("button", { name: w["safety.send"] }).first().waitFor();
    },
  },
  { name: "見守り", open: (p, w) => go(p, "/watch", w["watch.page.title"]) },
  { name: "支援する世帯", open: (p, w) => go(p, "/support", w["support.resident.title"]) },
];

/** What is wider than its box: the page, and each visible button, link, label, legend or heading (its words). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > innerWidth) out.push(`the page: ${root.scrollWidth} px > ${innerWidth} px`);
    for (const el of document.querySelectorAll<HTMLElement>("button, a, label, legend, h1, h2, h3, .btn")) {
      const r = el.getBoundingClientRect();
      // Not shown, or off the screen on purpose (「本文へ移動」 until it has focus).
      if (r.width === 0 || r.right < 0 || getComputedStyle(el).visibility === "hidden") continue;
      if (el.closest("dialog:not([open])")) continue;
      const words = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 80);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline")
        out.push(`${el.tagName.toLowerCase()} "${words}": ${el.scrollWidth} px in ${el.clientWidth} px`);
      else if (r.right > innerWidth + 1 || r.left < -1)
        out.push(`${el.tagName.toLowerCase()} "${words}": from ${Math.round(r.left)} to ${Math.round(r.right)} px`);
    }
    return out;
  });
}

/** Sets the device to `l` at 特大 (the app reads it on the next load). */
async function setDevice(page: Page, l: Lang): Promise<void> {
  await page.goto(`${server.base}/join`);
  await page.evaluate((s) => localStorage.setItem("kairan.settings", JSON.stringify(s)), {
    size: "xlarge",
    contrast: false,
    speech: false,
    easy: false,
    lang: l,
    welcomed: true,
  });
}

/** Opens each screen in `l` and returns what is wrong on it, one line each. */
async function walk(l: Lang, screens: Screen[]): Promise<string[]> {
  const w = await wordsOf(l);
  const page = b.page;
  await setDevice(page, l);
  const problems: string[] = [];
  for (const s of screens) {
    await s.open(page, w);
    expect(await page.evaluate(() => document.documentElement.lang), s.name).toBe(l);
    for (const p of [...(await overflowing(page)), ...(await axeViolations(page))])
      problems.push(`${l} ${s.name}: ${p}`);
    const picture = SCREENSHOTS[`${l} ${s.name}`];
    if (picture) await shot(page, picture, join(tmpdir(), "kairan-shots"));
  }
  return problems;
}

describe("resident screens in every language at 特大, 320 px", { timeout: scaled(240_000) }, () => {
  it("signed out: start, the QR link, the invite code", async () => {
    // The tablet's session put aside meanwhile ("/" signed in is home).
    const session = await b.context.cookies();
    await b.context.clearCookies();
    const problems: string[] = [];
    for (const l of LANGS) problems.push(...(await walk(l, signedOut)));
    await b.context.addCookies(session);
    expect(problems).toEqual([]);
  });

  it("names the string that overflows its button", async () => {
    await b.page.goto(`${server.base}/settings`);
    await h1(b.page);
    await b.page.evaluate(() => {
      const button = document.querySelector("main button")!;
      button.textContent = "Benachrichtigungseinstellungenzurücksetzen";
      (button as HTMLElement).style.whiteSpace = "nowrap";
    });
    expect((await overflowing(b.page)).join("\n")).toContain('button "Benachrichtigungseinstellungenzurücksetzen"');
  });

  for (const l of LANGS)
    it(`${l}: welcome, home, circulars, settings, 安否確認, 見守り, 要支援`, async () => {
      expect(await walk(l, signedIn)).toEqual([]);
    });
});
