// The operator's CLI, run as a real child process against a real database file; its invite then works in the app.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { parseConfig } from "../../server/config";
import { blocks, households } from "../../server/db/schema";
import { newId } from "../../server/lib/ids";
import { openDatabase } from "../../server/node/database";
import { createFileBlobStore } from "../../server/node/file-blob-store";
import { scaled } from "../helpers/timeouts";

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
      await database.close();
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

  it(
    "prints a fresh household invite, by id or by label, that joins that household once",
    async () => {
      const created = await admin(
        "create-association",
        "--ward",
        "泉区",
        "--district",
        "将監地区",
        "--name",
        "泉中央町内会",
        "--households",
        "50",
      );
      const associationId = created.stdout.match(/\(id ([a-z0-9]+)\)/)?.[1];
      expect(associationId).toBeTruthy();
      const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false", PUBLIC_ORIGIN: "https://kairan.example.jp" });
      const database = await openDatabase(config.databaseUrl);
      try {
        // Households as the leader would have registered them: two 「山田」, one 「佐藤」, and a 「鈴木」 who left.
        const now = new Date();
        const blockId = newId();
        await database.db
          .insert(blocks)
          .values({ id: blockId, associationId: associationId!, name: "2班", sortOrder: 1, createdAt: now });
        const made = ["山田", "山田", "佐藤", "鈴木"].map((label) => ({ id: newId(), label }));
        await database.db.insert(households).values(
          made.map((h) => ({
            ...h,
            associationId: associationId!,
            blockId,
            channel: "app" as const,
            joinedAt: now,
            createdAt: now,
            leftAt: h.label === "鈴木" ? now : null,
          })),
        );
        const [yamada, , sato] = made;

        const list = (await admin("list-households", "--association", associationId!)).stdout;
        expect(list).toContain(`${sato!.id}  2班 / 佐藤`);
        expect(list).toContain(`${yamada!.id}  2班 / 山田`);
        expect(list).not.toContain("鈴木");

        const app = createApp({ config, db: database.db, blobs: createFileBlobStore(join(dir, "files")) });
        const joinWith = (secret: { token: string } | { code: string }) =>
          app.request("https://kairan.example.jp/api/join", {
            method: "POST",
            headers: { "content-type": "application/json", origin: "https://kairan.example.jp" },
            body: JSON.stringify(secret),
          });
        const householdOf = async (res: Response) => {
          const { memberId } = (await res.json()) as { memberId: string };
          const row = await database.client.execute({
            sql: "SELECT household_id FROM members WHERE id = ?",
            args: [memberId],
          });
          return row.rows[0]?.household_id;
        };

        // By label: the link joins 佐藤 once.
        const bySato = await admin("invite-household", "--association", associationId!, "--household", "佐藤");
        expect(bySato.stdout).toContain("佐藤 (泉中央町内会)");
        expect(bySato.stdout).toMatch(/有効期限 \/ expires: .+\(JST\)/);
        const token = bySato.stdout.match(/https:\/\/kairan\.example\.jp\/join\/([a-z0-9]+)/)?.[1];
        expect(token).toBeTruthy();
        const joined = await joinWith({ token: token! });
        expect(joined.status).toBe(201);
        expect(await householdOf(joined)).toBe(sato!.id);
        expect((await joinWith({ token: token! })).status).toBe(410); // used: 410 (gone), not 404 (no such invite)

        // By id (its label is shared): the printed code joins that 山田.
        const byId = await admin("invite-household", "--association", associationId!, "--household", yamada!.id);
        const code = byId.stdout.match(/招待コード \/ code:\s+([A-Z2-9]{4}-[A-Z2-9]{4})/)?.[1];
        expect(code).toBeTruthy();
        const joinedByCode = await joinWith({ code: code! });
        expect(joinedByCode.status).toBe(201);
        expect(await householdOf(joinedByCode)).toBe(yamada!.id);

        // Written as the other admin commands write: in the association, by no member.
        const rows = await database.client.execute({
          sql: `SELECT a.actor_id, a.target_id, i.created_by FROM audit_log a JOIN invites i ON i.id = json_extract(a.detail, '$.inviteId')
          WHERE a.action = 'invite.create' AND a.target_type = 'household' AND a.association_id = ? ORDER BY a.at`,
          args: [associationId!],
        });
        expect(rows.rows.map((r) => [r.actor_id, r.target_id, r.created_by])).toEqual([
          [null, sato!.id, null],
          [null, yamada!.id, null],
        ]);

        // A shared label, a household that left, one that does not exist, another association's: refused, nothing made.
        await Promise.all([
          ...[
            ["山田", "2つあります"],
            ["鈴木", "退会"],
            ["田中", "世帯が見つかりません"],
          ].map(([household, message]) =>
            expect(
              admin("invite-household", "--association", associationId!, "--household", household!),
            ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(message!) }),
          ),
          expect(
            admin("invite-household", "--association", "no-such-association", "--household", "佐藤"),
          ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("町内会が見つかりません") }),
        ]);
        const invites = await database.client.execute({
          sql: "SELECT count(*) AS n FROM invites WHERE association_id = ? AND kind = 'household'",
          args: [associationId!],
        });
        expect(Number(invites.rows[0]!.n)).toBe(2);
      } finally {
        await database.close();
      }
      // Eight runs of the CLI (each starts tsx), four of them at once.
    },
    scaled(90_000),
  );

  it(
    "reset-leader prints a one-time leader invite when nobody can sign in, audited; the new leader joins once",
    async () => {
      const created = await admin(
        "create-association",
        "--ward",
        "若林区",
        "--district",
        "七郷地区",
        "--name",
        "荒井町内会",
      );
      const associationId = created.stdout.match(/\(id ([a-z0-9]+)\)/)?.[1];
      expect(associationId).toBeTruthy();
      const out = await admin("reset-leader", "--association", associationId!);
      expect(out.stdout).toContain("荒井町内会");
      expect(out.stdout).toContain("current leader accounts: 0");
      const token = out.stdout.match(/https:\/\/kairan\.example\.jp\/join\/([a-z0-9]+)/)?.[1];
      expect(token).toBeTruthy();
      expect(out.stdout).toMatch(/招待コード \/ code:\s+[A-Z2-9]{4}-[A-Z2-9]{4}/);

      const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false", PUBLIC_ORIGIN: "https://kairan.example.jp" });
      const database = await openDatabase(config.databaseUrl);
      try {
        const app = createApp({ config, db: database.db, blobs: createFileBlobStore(join(dir, "files")) });
        const joinWith = (email: string) =>
          app.request("https://kairan.example.jp/api/join/staff", {
            method: "POST",
            headers: { "content-type": "application/json", origin: "https://kairan.example.jp" },
            body: JSON.stringify({ token, displayName: "新会長", email, password: "correct horse 2026" }),
          });
        const joined = await joinWith("arai-kaicho@example.jp");
        expect(joined.status).toBe(201);
        expect(((await joined.json()) as { role: string }).role).toBe("leader");
        expect((await joinWith("someone-else@example.jp")).status).toBe(410);

        const audit = await database.client.execute({
          sql: "SELECT action, actor_id, detail FROM audit_log WHERE association_id = ? AND action = 'leader.reset'",
          args: [associationId!],
        });
        expect(audit.rows).toHaveLength(1);
        expect(audit.rows[0]!.actor_id).toBeNull();
        expect(JSON.parse(String(audit.rows[0]!.detail))).toMatchObject({ leaders: 0, inviteId: expect.any(String) });
      } finally {
        await database.close();
      }
      await expect(admin("reset-leader", "--association", "no-such-association")).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining("町内会が見つかりません"),
      });
      await expect(admin("reset-leader")).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining("--association"),
      });
    },
    scaled(60_000),
  );

  it("explains its usage when a required option is missing", async () => {
    await expect(admin("create-association", "--ward", "青葉区")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--district"),
    });
    await expect(admin("invite-household", "--association", "x")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("invite-household --association <id> --household <id or label>"),
    });
  });
});
