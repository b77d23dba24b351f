// Passkeys in Chromium with its virtual authenticator (DevTools Protocol WebAuthn domain: CTAP2, internal, resident
// keys, user verification): the demo leader signs in with the password, adds a passkey on 「パスキー」, signs out,
// signs in with 「パスキーでログイン」 alone, sees when it was last used and removes it (after which it signs nobody in);
// city staff do the same on /city/passkeys. axe on every screen.
//
// The page is opened at http://localhost:<port>: WebAuthn refuses an IP address as the relying party id.
import type { CDPSession } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Browser,
  DEMO_CITY,
  DEMO_LEADER,
  expectNoAxeViolations,
  openBrowser,
  requireBuild,
  type RunningServer,
  startServer,
} from "./harness";

const axe = expectNoAxeViolations;

let server: RunningServer;
let browser: Browser;
let base = "";
let cdp: CDPSession;
let authenticatorId = "";

async function credentials(): Promise<{ credentialId: string; signCount: number; isResidentCredential: boolean }[]> {
  return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
}

beforeAll(async () => {
  requireBuild();
  server = await startServer();
  base = server.base.replace("127.0.0.1", "localhost");
  browser = await openBrowser();
  cdp = await browser.context.newCDPSession(browser.page);
  await cdp.send("WebAuthn.enable");
  ({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  }));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("staff passkeys in Chromium", () => {
  it("is added after a password sign-in, signs in alone, and is removed", async () => {
    const page = browser.page;
    await page.goto(`${base}/login`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.getByRole("button", { name: "パスキーでログイン" }).waitFor();
    await axe(page, "the sign-in page with 「パスキーでログイン」");

    await page.getByLabel("メールアドレス").fill(DEMO_LEADER.email);
    await page.getByLabel("パスワード").fill(DEMO_LEADER.password);
    await page.getByRole("button", { name: "ログイン", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "回覧の一覧" }).waitFor();

    await page.getByRole("link", { name: "パスキー" }).click();
    await page.getByRole("heading", { level: 1, name: "パスキー" }).waitFor();
    await page.getByText("まだ登録していません。").waitFor();
    await axe(page, "「パスキー」 without passkeys");

    await page.getByLabel("名前（例：事務所のパソコン）").fill("テスト端末");
    await page.getByRole("button", { name: "パスキーを追加" }).click();
    await page.getByRole("status").getByText("パスキーを登録しました。").waitFor();
    const item = page.getByRole("listitem").filter({ hasText: "テスト端末" });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain("まだ使っていません");
    const [credential] = await credentials();
    expect(credential?.isResidentCredential).toBe(true);
    await axe(page, "「パスキー」 with one passkey");

    await page.getByRole("button", { name: "ログアウト" }).click();
    await page.getByRole("button", { name: "パスキーでログイン" }).waitFor();
    // Signed out for real: the API no longer knows this browser.
    const me = await page.evaluate(async () => (await fetch("/api/auth/me")).status);
    expect(me).toBe(401);

    await page.getByRole("button", { name: "パスキーでログイン" }).click();
    await page.getByRole("heading", { level: 1, name: "回覧の一覧" }).waitFor();
    const who = await page.evaluate(async () => (await (await fetch("/api/auth/me")).json()).email);
    expect(who).toBe(DEMO_LEADER.email);

    await page.getByRole("link", { name: "パスキー" }).click();
    const used = page.getByRole("listitem").filter({ hasText: "テスト端末" });
    await used.getByText(/最後に使用/).waitFor();

    await used.getByRole("button", { name: "テスト端末を削除" }).click();
    const dialog = page.getByRole("dialog", { name: "パスキーを削除しますか" });
    await dialog.waitFor();
    await axe(page, "the removal question");
    await dialog.getByRole("button", { name: "削除" }).click();
    await page.getByRole("status").getByText("パスキーを削除しました。").waitFor();
    await page.getByText("まだ登録していません。").waitFor();
    const list = await page.evaluate(async () => (await (await fetch("/api/passkeys")).json()).passkeys.length);
    expect(list).toBe(0);
  });

  it("city staff add theirs on /city/passkeys and sign in to the city's screens with it", async () => {
    const page = browser.page;
    await page.getByRole("button", { name: "ログアウト" }).click();
    // The leader's passkey is still on this authenticator, but removed on the server: it signs nobody in.
    await page.getByRole("button", { name: "パスキーでログイン" }).click();
    await page.getByRole("alert").getByText("パスキーでログインできませんでした").waitFor();
    await cdp.send("WebAuthn.clearCredentials", { authenticatorId });

    await page.getByLabel("メールアドレス").fill(DEMO_CITY.email);
    await page.getByLabel("パスワード").fill(DEMO_CITY.password);
    await page.getByRole("button", { name: "ログイン", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "仙台市の状況" }).waitFor();
    await page.getByRole("link", { name: "パスキー" }).click();
    await page.getByRole("heading", { level: 1, name: "パスキー" }).waitFor();
    await page.getByRole("button", { name: "パスキーを追加" }).click();
    await page.getByRole("status").getByText("パスキーを登録しました。").waitFor();
    await axe(page, "the city's 「パスキー」");
    expect(await credentials()).toHaveLength(1);

    await page.getByRole("button", { name: "ログアウト" }).click();
    await page.getByRole("button", { name: "パスキーでログイン" }).click();
    await page.getByRole("heading", { level: 1, name: "仙台市の状況" }).waitFor();
    const who = await page.evaluate(async () => (await (await fetch("/api/auth/me")).json()).email);
    expect(who).toBe(DEMO_CITY.email);
  });
});
