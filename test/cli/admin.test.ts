// The operator's CLI, run as a real child process against a real database file; its invite then works in the app.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { parseConfig } from "../../server/config";
import { openDatabase } from "../../server/node/database";
import { createFileBlobStore } from "../../server/node/file-blob-store";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "kairan-cli-"));
const env = { ...process.env, DATA_DIR: dir, SEED_DEMO: "false", PUBLIC_ORIGIN: "https://kairan.example.jp" };
const admin = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "server/node/admin.ts", ...args], { env, cwd: process.cwd() });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run admin", () => {
  it("creates an association whose printed leader invite works once", async () => {
    const out = await admin(
      "create-association",
      "--ward",
      "青葉区",
      "--district",
      "宮城地区",
      "--name",
      "作並町内会",
      "--households",
      "120",
    );
    expect(out.stdout).toContain("作並町内会");
    const token = out.stdout.match(/\/join\/([a-z0-9]+)/)?.[1];
    expect(token).toBeTruthy();
    expect(out.stdout).toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/);

    const list = await admin("list-associations");
    expect(list.stdout).toMatch(/青葉区 \/ 宮城地区 \/ 作並町内会/);

    const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false", PUBLIC_ORIGIN: "https://kairan.example.jp" });
    const database = await openDatabase(config.databaseUrl);
    try {
      const app = createApp({ config, db: database.db, blobs: createFileBlobStore(join(dir, "files")) });
      const join1 = await app.request("https://kairan.example.jp/api/join/staff", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://kairan.example.jp" },
        body: JSON.stringify({
          token,
          displayName: "会長",
          email: "kaicho@example.jp",
          password: "correct horse 2026",
        }),
      });
      expect(join1.status).toBe(201);
      expect(((await join1.json()) as { role: string }).role).toBe("leader");
      expect(join1.headers.get("set-cookie")).toMatch(/^__Host-kairan_session=.*Secure/);
      const again = await app.request("https://kairan.example.jp/api/join/staff", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://kairan.example.jp" },
        body: JSON.stringify({ token, displayName: "別人", email: "other@example.jp", password: "correct horse 2026" }),
      });
      expect(again.status).toBe(410);
    } finally {
      database.close();
    }
  });

  it("creates city staff with a generated password and refuses a duplicate", async () => {
    const out = await admin("create-city-staff", "--email", "Chiiki@City.Sendai.jp", "--name", "地域政策課");
    expect(out.stdout).toContain("chiiki@city.sendai.jp");
    expect(out.stdout).toMatch(/initial password \(shown once\): \S{12,}/);
    await expect(admin("create-city-staff", "--email", "chiiki@city.sendai.jp", "--name", "x")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("すでに登録"),
    });
  });

  it("explains its usage when a required option is missing", async () => {
    await expect(admin("create-association", "--ward", "青葉区")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--district"),
    });
  });
});
