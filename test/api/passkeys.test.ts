// Staff passkeys through the real app against a real libSQL file, with a software authenticator
// (test/helpers/authenticator.ts) producing real WebAuthn responses signed by real keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreationOptions, PasskeyList, PasskeySchema } from "../../server/features/passkeys/passkeys.schemas";
import { createTestApp, type TestApp } from "../helpers/app";
import { softAuthenticator, userHandleText, type SoftPasskey } from "../helpers/authenticator";
import { makeAssociation, makeResident, makeStaff, type AssociationFixture } from "../helpers/factories";
import { client, expectError, ORIGIN, sessionFrom } from "../helpers/http";

let t: TestApp;
let assoc: AssociationFixture;
let other: AssociationFixture;
const authenticator = softAuthenticator(ORIGIN);

beforeAll(async () => {
  t = await createTestApp();
  assoc = await makeAssociation(t, { blocks: 1, perBlock: 2 });
  other = await makeAssociation(t, { blocks: 1, perBlock: 1 });
});
afterAll(() => t.close());

const anon = () => client(t);

async function count(sql: string, args: string[] = []): Promise<number> {
  const { rows } = await t.client.execute({ sql, args });
  return Number(rows[0]?.n);
}

/** Adds a passkey for the member behind `token`, as the settings page does. */
async function register(token: string, name?: string, startCounter = 0): Promise<SoftPasskey> {
  const api = client(t, token);
  const options = await api.post("/api/passkeys/registration/options");
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const { passkey, response } = await authenticator.create(options.body, startCounter);
  const added = await api.post("/api/passkeys", { response, ...(name ? { name } : {}) });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  expect(added.body.id).toBe(passkey.credentialId);
  return passkey;
}

async function signInOptions(): Promise<string> {
  const res = await anon().post("/api/auth/passkey/options");
  expect(res.status).toBe(200);
  expect(res.body.allowCredentials ?? []).toEqual([]);
  return res.body.challenge;
}

describe("adding a passkey and signing in with it", () => {
  it("a leader adds a passkey, sees it listed, and signs in with it without a password", async () => {
    const leader = await makeStaff(t, assoc.id);
    const options = await client(t, leader.token).post("/api/passkeys/registration/options");
    expect(options.body.rp).toMatchObject({ id: "localhost" });
    expect(userHandleText(options.body.user.id)).toBe(leader.id);
    const { passkey, response } = await authenticator.create(options.body);
    const added = await client(t, leader.token).post("/api/passkeys", { response, name: "事務所のPC" });
    expect(added.status).toBe(201);

    const list = await client(t, leader.token).get("/api/passkeys");
    expect(list.body.passkeys).toEqual([
      { id: passkey.credentialId, name: "事務所のPC", createdAt: expect.any(String), lastUsedAt: null },
    ]);

    const challenge = await signInOptions();
    const signIn = await anon().post("/api/auth/passkey", { response: await authenticator.get(passkey, challenge) });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    expect(signIn.body).toMatchObject({ id: leader.id, role: "leader", associationId: assoc.id });
    // The session is a normal one: /auth/me and the session list see it.
    const token = sessionFrom(signIn);
    const me = await client(t, token).get("/api/auth/me");
    expect(me.body.id).toBe(leader.id);
    const sessions = await client(t, token).get("/api/auth/sessions");
    expect(sessions.body.sessions.some((s: { current: boolean }) => s.current)).toBe(true);

    const after = await client(t, leader.token).get("/api/passkeys");
    expect(after.body.passkeys[0].lastUsedAt).toBe(t.clock.now().toISOString());
    expect(await count("SELECT count(*) AS n FROM passkey_challenges")).toBe(0);
  });

  it("block leaders and city staff may add passkeys; residents may not", async () => {
    const blockLeader = await makeStaff(t, assoc.id, { role: "block_leader", blockId: assoc.blockIds[0] });
    await register(blockLeader.token);
    const city = await makeStaff(t, null, { role: "city" });
    const cityKey = await register(city.token);
    const signIn = await anon().post("/api/auth/passkey", {
      response: await authenticator.get(cityKey, await signInOptions()),
    });
    expect(signIn.body).toMatchObject({ id: city.id, role: "city" });

    const resident = await makeResident(t, assoc.id, assoc.households[0]!.id);
    expectError(await client(t, resident.token).post("/api/passkeys/registration/options"), 403, "forbidden");
    expectError(await client(t, resident.token).get("/api/passkeys"), 403, "forbidden");
    expectError(await anon().post("/api/passkeys/registration/options"), 401, "unauthorized");
  });
});

describe("the API's description", () => {
  it("answers are exactly their schemas, and the routes are in the OpenAPI document", async () => {
    const leader = await makeStaff(t, assoc.id);
    const api = client(t, leader.token);
    const options = await api.post("/api/passkeys/registration/options");
    expect(CreationOptions.parse(options.body)).toEqual(options.body);
    const { response } = await authenticator.create(options.body);
    const added = await api.post("/api/passkeys", { response });
    expect(PasskeySchema.parse(added.body)).toEqual(added.body);
    // Without a name, the browser and system of the request (none here: the fallback word).
    expect(added.body.name).toBe("パスキー");
    const list = await api.get("/api/passkeys");
    expect(PasskeyList.parse(list.body)).toEqual(list.body);
    const doc = await anon().get("/api/openapi.json");
    for (const path of [
      "/api/passkeys",
      "/api/passkeys/{id}",
      "/api/passkeys/registration/options",
      "/api/auth/passkey",
    ])
      expect(doc.body.paths[path], path).toBeTruthy();
  });
});

describe("challenges and counters are used once", () => {
  it("a registration challenge cannot add a second passkey", async () => {
    const leader = await makeStaff(t, assoc.id);
    const api = client(t, leader.token);
    const options = await api.post("/api/passkeys/registration/options");
    const first = await authenticator.create(options.body);
    expect((await api.post("/api/passkeys", { response: first.response })).status).toBe(201);
    const second = await authenticator.create(options.body);
    expectError(await api.post("/api/passkeys", { response: second.response }), 400, "validation_failed");
    expect((await api.get("/api/passkeys")).body.passkeys).toHaveLength(1);
  });

  it("a registration challenge belongs to the member who asked for it", async () => {
    const leader = await makeStaff(t, assoc.id);
    const intruder = await makeStaff(t, assoc.id);
    const options = await client(t, leader.token).post("/api/passkeys/registration/options");
    const { response } = await authenticator.create(options.body);
    expectError(await client(t, intruder.token).post("/api/passkeys", { response }), 400, "validation_failed");
    expect((await client(t, intruder.token).get("/api/passkeys")).body.passkeys).toEqual([]);
  });

  it("sign-in options are limited per address, and a sign-in from that address lifts the limit", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    const from = { "x-test-client": "198.51.100.77" };
    const ask = () => client(t, undefined, from).post("/api/auth/passkey/options");
    const { maxFailures } = t.config.throttle;
    const challenges: string[] = [];
    for (let i = 0; i < maxFailures; i++) {
      const res = await ask();
      expect(res.status).toBe(200);
      challenges.push(res.body.challenge);
    }
    const before = await count("SELECT count(*) AS n FROM passkey_challenges");
    const refused = await ask();
    expectError(refused, 429, "rate_limited");
    expect(await count("SELECT count(*) AS n FROM passkey_challenges")).toBe(before);
    // Another address is not affected.
    expect(
      (await client(t, undefined, { "x-test-client": "198.51.100.78" }).post("/api/auth/passkey/options")).status,
    ).toBe(200);
    // A challenge already given still signs in, and the address may ask again.
    const assertion = await authenticator.get(passkey, challenges.at(-1)!);
    expect((await client(t, undefined, from).post("/api/auth/passkey", { response: assertion })).status).toBe(200);
    expect((await ask()).status).toBe(200);
  });

  it("a sign-in challenge and its assertion work once; a second use is refused", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    const assertion = await authenticator.get(passkey, await signInOptions());
    expect((await anon().post("/api/auth/passkey", { response: assertion })).status).toBe(200);
    const again = await anon().post("/api/auth/passkey", { response: assertion });
    expectError(again, 401, "unauthorized");
    expect(again.headers.get("set-cookie")).toBeNull();
  });

  it("with a counting authenticator, an assertion that does not move the counter is refused on a new challenge", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token, undefined, 5);
    const first = await anon().post("/api/auth/passkey", {
      response: await authenticator.get(passkey, await signInOptions()),
    });
    expect(first.status).toBe(200);
    const sessionsBefore = await count("SELECT count(*) AS n FROM sessions WHERE member_id = ?", [leader.id]);
    // A cloned key replays the counter it last used (6), over a fresh challenge.
    const replay = await authenticator.get(passkey, await signInOptions(), { keepCounter: true });
    expectError(await anon().post("/api/auth/passkey", { response: replay }), 401, "unauthorized");
    expect(await count("SELECT count(*) AS n FROM sessions WHERE member_id = ?", [leader.id])).toBe(sessionsBefore);
    const { rows } = await t.client.execute({
      sql: "SELECT counter FROM passkeys WHERE id = ?",
      args: [passkey.credentialId],
    });
    expect(Number(rows[0]?.counter)).toBe(6);
  });

  it("two sign-ins racing with one assertion: exactly one session", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    const assertion = await authenticator.get(passkey, await signInOptions());
    const results = await Promise.all([1, 2, 3].map(() => anon().post("/api/auth/passkey", { response: assertion })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it("an expired challenge is refused", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    const challenge = await signInOptions();
    t.clock.advance(6 * 60 * 1000);
    expectError(
      await anon().post("/api/auth/passkey", { response: await authenticator.get(passkey, challenge) }),
      401,
      "unauthorized",
    );
  });

  it("a registration challenge does not sign anyone in", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    const regOptions = await client(t, leader.token).post("/api/passkeys/registration/options");
    expectError(
      await anon().post("/api/auth/passkey", { response: await authenticator.get(passkey, regOptions.body.challenge) }),
      401,
      "unauthorized",
    );
  });
});

describe("a passkey is its own member's", () => {
  it("another member's passkey id with one's own key, or another member's user handle, is refused", async () => {
    const victim = await makeStaff(t, assoc.id);
    const attacker = await makeStaff(t, assoc.id);
    const victimKey = await register(victim.token);
    const attackerKey = await register(attacker.token);
    // The attacker's key signs, naming the victim's credential: the victim's public key does not verify it.
    const forged = await authenticator.get(attackerKey, await signInOptions(), {
      credentialId: victimKey.credentialId,
      userHandle: victimKey.userHandle,
    });
    expectError(await anon().post("/api/auth/passkey", { response: forged }), 401, "unauthorized");
    // The attacker's own credential, claiming the victim as its user.
    const claimed = await authenticator.get(attackerKey, await signInOptions(), { userHandle: victimKey.userHandle });
    expectError(await anon().post("/api/auth/passkey", { response: claimed }), 401, "unauthorized");
    // And the attacker's own passkey signs in the attacker, never the victim.
    const own = await anon().post("/api/auth/passkey", {
      response: await authenticator.get(attackerKey, await signInOptions()),
    });
    expect(own.body.id).toBe(attacker.id);
  });

  it("another association's leader neither sees nor removes them (404)", async () => {
    const leader = await makeStaff(t, assoc.id);
    const stranger = await makeStaff(t, other.id);
    const passkey = await register(leader.token);
    expect((await client(t, stranger.token).get("/api/passkeys")).body.passkeys).toEqual([]);
    expectError(await client(t, stranger.token).delete(`/api/passkeys/${passkey.credentialId}`), 404, "not_found");
    expect((await client(t, leader.token).get("/api/passkeys")).body.passkeys).toHaveLength(1);
  });

  it("the member removes it, and it no longer signs in", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    expect((await client(t, leader.token).delete(`/api/passkeys/${passkey.credentialId}`)).status).toBe(204);
    expect((await client(t, leader.token).get("/api/passkeys")).body.passkeys).toEqual([]);
    expectError(
      await anon().post("/api/auth/passkey", { response: await authenticator.get(passkey, await signInOptions()) }),
      401,
      "unauthorized",
    );
    expectError(await client(t, leader.token).delete(`/api/passkeys/${passkey.credentialId}`), 404, "not_found");
    expect(
      await count("SELECT count(*) AS n FROM audit_log WHERE actor_id = ? AND action LIKE 'passkey.%'", [leader.id]),
    ).toBe(2);
  });

  it("a disabled member cannot sign in with a passkey", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    await t.client.execute({ sql: "UPDATE members SET disabled_at = ? WHERE id = ?", args: [Date.now(), leader.id] });
    expectError(
      await anon().post("/api/auth/passkey", { response: await authenticator.get(passkey, await signInOptions()) }),
      401,
      "unauthorized",
    );
  });

  it("a response for another origin is refused", async () => {
    const leader = await makeStaff(t, assoc.id);
    const passkey = await register(leader.token);
    const phishing = softAuthenticator("https://kairan.example.invalid");
    const assertion = await phishing.get(passkey, await signInOptions());
    expectError(await anon().post("/api/auth/passkey", { response: assertion }), 401, "unauthorized");
  });
});
