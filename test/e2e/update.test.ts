// A new version reaches a tablet that stays open without stranding it: the new service worker activates by itself
// and takes over, the open page is not reloaded under the reader, and the next move between screens loads the new
// version as a whole page. The server runs in this process over a copy of dist/web, so the test can publish a
// "new version" by changing the copy.
import { serve, type ServerType } from "@hono/node-server";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import { createApp } from "../../server/app";
import { parseConfig } from "../../server/config";
import { migrateDatabase, openDatabase, type NodeDatabase } from "../../server/node/database";
import { createFileAssets } from "../../server/node/file-assets";
import { createFileBlobStore } from "../../server/node/file-blob-store";
import { seedDemo } from "../../server/node/seed";
import { DIST, joinAsHousehold, openBrowser, requireBuild, waitForServiceWorker, type Browser } from "./harness";

let dir: string;
let web: string;
let database: NodeDatabase;
let http: ServerType;
let base: string;
let token: string;
let b: Browser | undefined;

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), "kairan-update-"));
  web = join(dir, "web");
  cpSync(DIST, web, { recursive: true });
  const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false", PASSWORD_ITERATIONS: "100000" });
  database = await openDatabase(`file:${join(dir, "kairan.db")}`);
  await migrateDatabase(database.db);
  const demo = await seedDemo({ db: database.db, config, now: new Date(), origin: "http://127.0.0.1" });
  token = demo.invite.token;
  const app = createApp({
    config,
    db: database.db,
    blobs: createFileBlobStore(join(dir, "files")),
    assets: createFileAssets(web),
  });
  http = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => http.once("listening", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await b?.close();
  await new Promise((r) => http?.close(r));
  database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("updates", { timeout: scaled(90_000) }, () => {
  it("activate by themselves and reload the page at the next move, not under the reader", async () => {
    b = await openBrowser();
    const { page } = b;
    await page.goto(base);
    await joinAsHousehold(b, base, token);
    await page.goto(base);
    await waitForServiceWorker(page);
    await page.goto(base);
    await page.getByRole("heading", { level: 1, name: "お知らせ" }).waitFor();
    const marker = () => page.evaluate(() => (window as { testPage?: string }).testPage ?? "reloaded");
    await page.evaluate(() => ((window as { testPage?: string }).testPage = "first"));

    // Without an update, moving between screens stays on the same page (client-side routing).
    await page.getByRole("link", { name: "設定" }).click();
    await page.getByRole("heading", { level: 1, name: "設定" }).waitFor();
    expect(await marker()).toBe("first");
    await page.getByRole("link", { name: "お知らせ" }).first().click();
    await page.getByRole("heading", { level: 1, name: "お知らせ" }).waitFor();
    expect(await marker()).toBe("first");

    // A new version on the server: a different service worker script.
    const sw = join(web, "sw.js");
    writeFileSync(sw, `${readFileSync(sw, "utf8")}\n// next version\n`);
    await page.evaluate((limit) => {
      const w = window as { testChanged?: Promise<boolean>; testOld?: ServiceWorker | null };
      w.testOld = navigator.serviceWorker.controller;
      w.testChanged = new Promise((resolve) => {
        navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
        setTimeout(() => resolve(false), limit);
      });
    }, scaled(20_000));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    // It takes over this page by itself (no tab has to close first)...
    expect(await page.evaluate(() => (window as { testChanged?: Promise<boolean> }).testChanged)).toBe(true);
    expect(
      await page.evaluate(
        () => navigator.serviceWorker.controller !== (window as { testOld?: ServiceWorker | null }).testOld,
      ),
    ).toBe(true);
    // ...but the page the resident is reading stays as it is.
    await page.waitForTimeout(300);
    expect(await marker()).toBe("first");
    await page.getByRole("heading", { level: 1, name: "お知らせ" }).waitFor();

    // The next move loads the new version as a whole page.
    await Promise.all([page.waitForEvent("load"), page.getByRole("link", { name: "設定" }).click()]);
    await page.getByRole("heading", { level: 1, name: "設定" }).waitFor();
    expect(await marker()).toBe("reloaded");
    expect(new URL(page.url()).pathname).toBe("/settings");
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe("activated");
    // And from then on, client-side routing again.
    await page.evaluate(() => ((window as { testPage?: string }).testPage = "second"));
    await page.getByRole("link", { name: "お知らせ" }).first().click();
    await page.getByRole("heading", { level: 1, name: "お知らせ" }).waitFor();
    expect(await marker()).toBe("second");
  });
});
