// 見守り and 要支援 in Chromium, against the real server: a household asks in its settings to be watched by a
// neighbour and registers as needing support (consent first); the neighbour finds the household on 「見守り」 once it
// has gone quiet and records 「様子を確認しました」, and sees it under 「支援する世帯」; the leader sees both on their
// screens and records a paper form on a household. axe-core on every screen. (When a household goes quiet is the
// periodic job's rule, tested with a moved clock in test/api/watch.test.ts; here its outcome is written directly.)
import { createClient } from "@libsql/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  type ApiClient,
  appHouseholds,
  type Browser,
  DEMO_LEADER,
  expectNoAxeViolations,
  type Household,
  inviteFor,
  joinAsHousehold,
  openBrowser,
  publishCircular,
  requireBuild,
  type RunningServer,
  signInLeader,
  signInPage,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

let server: RunningServer;
let leader: ApiClient;
const dir = mkdtempSync(join(tmpdir(), "kairan-watch-e2e-"));
const opened: Browser[] = [];
let watched: Household;
let neighbour: Household;

async function household(h: Household): Promise<Browser> {
  const b = await openBrowser();
  opened.push(b);
  await joinAsHousehold(b, server.base, (await inviteFor(leader, h.id)).token);
  return b;
}

beforeAll(async () => {
  requireBuild();
  server = await startServer({ DATA_DIR: dir });
  leader = await signInLeader(server.base);
  [watched, neighbour] = (await appHouseholds(leader)) as [Household, Household];
}, scaled(90_000));

afterAll(async () => {
  for (const b of opened) await b.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("見守り and 要支援", { timeout: scaled(120_000) }, () => {
  it("a household asks in settings; its neighbour checks on it and sees whom it supports; the leader sees both", async () => {
    const nb = await household(neighbour);
    const hb = await household(watched);
    const p = hb.page;
    const neighbourName = `${neighbour.label}さん宅`;

    // 「見守りを希望する」: a named neighbour, 3 days.
    await p.goto(`${server.base}/settings`);
    await p.getByRole("button", { name: "見守りを希望する" }).click();
    await p.getByText("町内会の方を選ぶ").click();
    await p.getByLabel("見守る人を選んでください").selectOption({ label: neighbourName });
    await p.getByText("3日", { exact: true }).click();
    await p.getByRole("button", { name: "この内容で希望する" }).click();
    await p.getByText("見守りの希望を保存しました。").waitFor();
    await p.getByText(`見守る人：${neighbourName}　日数：3日`).waitFor();

    // 要支援: the explanation of who sees it, and nothing sent without consent.
    await p.getByText("町内会の会長、この世帯の班の班長、あなたが選んだ支援者だけ", { exact: false }).waitFor();
    await p.getByRole("button", { name: "登録する" }).click();
    await p.getByText("歩くのが難しい").click();
    await p.getByLabel("伝えておきたいこと（なくてもかまいません）").fill("2階で寝ています。");
    await p.locator("#support-mine").getByText(neighbourName).click();
    await p.getByRole("button", { name: "この内容で登録する" }).click();
    await p.getByText("登録するには、同意のチェックが必要です。").waitFor();
    await p.getByText("上の内容を、会長・班長・選んだ支援者が見ることに同意します。").click();
    await p.getByRole("button", { name: "この内容で登録する" }).click();
    await p.getByText("要支援の登録を保存しました。").waitFor();
    await p.getByText("支援が必要なこと：歩くのが難しい").waitFor();
    await axe(p, "settings");

    // The periodic job found it quiet (nothing acknowledged for 8 days while a circular reached it).
    await publishCircular(leader, "見守りのテスト");
    const db = createClient({ url: `file:${join(dir, "kairan.db")}` });
    const now = Date.now();
    await db.execute({
      sql: "UPDATE watches SET created_at = ?, alerted_at = ? WHERE household_id = ?",
      args: [now - 10 * 86_400_000, now - 60_000, watched.id],
    });
    await db.execute({
      sql: "UPDATE households SET last_read_at = ? WHERE id = ?",
      args: [now - 8 * 86_400_000, watched.id],
    });
    db.close();

    // The neighbour: /watch (where the notification opens), then 「様子を確認しました」 by phone.
    const n = nb.page;
    await n.goto(`${server.base}/watch`);
    const quiet = n.getByRole("region", { name: "しばらく確認していない世帯" });
    await quiet.getByText(watched.label, { exact: true }).waitFor();
    await quiet.getByText("8日間、回覧板を確認していません").waitFor();
    await axe(n, "/watch");
    await quiet.getByRole("button", { name: "様子を確認しました" }).click();
    await n.getByText("電話", { exact: true }).click();
    await n.getByLabel("メモ（なくてもかまいません）").fill("お元気でした");
    await n.getByRole("button", { name: "記録する" }).click();
    await n.getByText(`${watched.label}さんの様子の確認を記録しました。`).waitFor();
    await quiet.getByText("いま、しばらく確認していない世帯はありません。").waitFor();
    await n.getByText(/前回の様子の確認：.*（電話）/).waitFor();

    // …and finds the household it supports from its settings.
    await n.goto(`${server.base}/settings`);
    await n.getByText("あなたは 1 世帯の支援者に選ばれています。").waitFor();
    await n.getByRole("link", { name: "支援する世帯を見る" }).click();
    await n.getByRole("heading", { level: 1, name: "支援する世帯" }).waitFor();
    await n.getByText("「2階で寝ています。」").waitFor();
    await axe(n, "/support");

    // The leader: 見守り (the check recorded), 要支援の名簿, and a paper form on another household.
    const lb = await openBrowser({ viewport: { width: 1280, height: 900 } });
    opened.push(lb);
    const l = lb.page;
    await signInPage(l, server.base, DEMO_LEADER, "回覧の一覧");
    await l.getByRole("link", { name: "見守り", exact: true }).click();
    await l.getByRole("heading", { level: 1, name: "見守り" }).waitFor();
    await l.getByText(/お元気でした/).waitFor();
    await axe(l, "/leader/watch");
    await l.getByRole("link", { name: "要支援の名簿" }).click();
    await l.getByText("「2階で寝ています。」").waitFor();
    await axe(l, "/leader/support");

    await l.getByRole("link", { name: "世帯と招待" }).click();
    const item = l.locator("li.hh-manage", { has: l.getByText(neighbour.label, { exact: true }) });
    await item.getByRole("button", { name: "要支援" }).click();
    await item.getByText("目が見えにくい").click();
    await item.getByText("この世帯が署名した同意書を受け取りました。").click();
    await item.getByRole("button", { name: "この内容で登録する" }).click();
    await l.getByText(`${neighbour.label}さんの要支援の登録を保存しました。`).waitFor();
    const list = await leader.get<{ households: { householdId: string; consent: string }[] }>("/api/support");
    expect(list.households.map((h) => [h.householdId, h.consent]).sort()).toEqual(
      [
        [watched.id, "app"],
        [neighbour.id, "paper"],
      ].sort(),
    );
    await axe(l, "/leader/households");
  });
});
