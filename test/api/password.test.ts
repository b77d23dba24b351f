// Password hashes: OWASP's cost (600,000 PBKDF2-SHA256 iterations) spent in rounds of at most 100,000, which is
// what Cloudflare's Web Crypto accepts per call; older one-call hashes still verify (docs/adr/0003).
import { pbkdf2Sync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeBase64 } from "@oslojs/encoding";
import { hashPassword, MAX_ITERATIONS_PER_CALL, verifyPassword } from "../../server/features/auth/password";

describe("password hashes", () => {
  it("spends a cost above 100,000 as a chain of calls, and verifies it", async () => {
    const stored = await hashPassword("パスワード 123", 600_000);
    expect(stored).toMatch(/^pbkdf2-sha256-chain\$600000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword("パスワード 123", stored)).toBe(true);
    expect(await verifyPassword("パスワード 124", stored)).toBe(false);
  });

  it("is plain PBKDF2 (RFC 8018) in one call up to 100,000, and its chain of one round is the same", async () => {
    const stored = await hashPassword("pw", MAX_ITERATIONS_PER_CALL);
    const [prefix, iter, salt, hash] = stored.split("$");
    expect(prefix).toBe("pbkdf2-sha256");
    expect(iter).toBe("100000");
    const expected = pbkdf2Sync(Buffer.from("pw"), Buffer.from(salt!, "base64"), 100_000, 32, "sha256");
    expect(hash).toBe(expected.toString("base64"));
    expect(await verifyPassword("pw", `pbkdf2-sha256-chain$100000$${salt}$${hash}`)).toBe(true);
  });

  it("the chain is round 1 = PBKDF2(password, salt), round i = PBKDF2(password, salt || previous)", async () => {
    const salt = Buffer.alloc(16, 7);
    const r1 = pbkdf2Sync("pw", salt, 100_000, 32, "sha256");
    const r2 = pbkdf2Sync("pw", Buffer.concat([salt, r1]), 50_000, 32, "sha256");
    const stored = `pbkdf2-sha256-chain$150000$${encodeBase64(salt)}$${r2.toString("base64")}`;
    expect(await verifyPassword("pw", stored)).toBe(true);
  });

  it("still verifies a one-call hash above 100,000 iterations made before the chain (on Node)", async () => {
    const salt = Buffer.alloc(16, 1);
    const old = pbkdf2Sync("pw", salt, 600_000, 32, "sha256");
    const stored = `pbkdf2-sha256$600000$${salt.toString("base64")}$${old.toString("base64")}`;
    expect(await verifyPassword("pw", stored)).toBe(true);
    expect(await verifyPassword("px", stored)).toBe(false);
  });
});

describe("rehash on sign-in", () => {
  it("replaces a one-call hash above 100,000 iterations with the chain format when its owner signs in", async () => {
    const { createTestApp } = await import("../helpers/app");
    const { makeAssociation, makeStaff } = await import("../helpers/factories");
    const { client } = await import("../helpers/http");
    const { members } = await import("../../server/db/schema");
    const { eq } = await import("drizzle-orm");
    const t = await createTestApp();
    try {
      const assoc = await makeAssociation(t, { blocks: 1, perBlock: 1 });
      const staff = await makeStaff(t, assoc.id);
      const salt = Buffer.alloc(16, 3);
      const old = `pbkdf2-sha256$600000$${salt.toString("base64")}$${pbkdf2Sync("old secret", salt, 600_000, 32, "sha256").toString("base64")}`;
      await t.db.update(members).set({ passwordHash: old }).where(eq(members.id, staff.id));
      const res = await client(t).post("/api/auth/login", { email: staff.email, password: "old secret" });
      expect(res.status).toBe(200);
      const [row] = await t.db.select().from(members).where(eq(members.id, staff.id));
      expect(row!.passwordHash).toMatch(/^pbkdf2-sha256-chain\$600000\$/);
      expect(await verifyPassword("old secret", row!.passwordHash!)).toBe(true);
      expect((await client(t).post("/api/auth/login", { email: staff.email, password: "old secret" })).status).toBe(
        200,
      );
    } finally {
      await t.close();
    }
  });
});
