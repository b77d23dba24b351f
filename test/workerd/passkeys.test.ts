// Passkeys in the Worker: @simplewebauthn/server verifies a registration and a sign-in inside workerd (Web Crypto,
// no Node crypto), on D1, through the Workers entry. The software authenticator (test/helpers/authenticator.ts)
// runs here too.
import { beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app";
import { softAuthenticator } from "../helpers/authenticator";
import { makeAssociation, makeStaff, type AssociationFixture } from "../helpers/factories";
import { client, expectError, ORIGIN, sessionFrom } from "../helpers/http";
import { workerTestApp } from "./harness";

let t: TestApp;
let assoc: AssociationFixture;

beforeAll(async () => {
  t = workerTestApp();
  assoc = await makeAssociation(t, { blocks: 1, perBlock: 1 });
});

describe("passkeys in the Worker", () => {
  it("a leader adds a passkey and signs in with it; the assertion works once", async () => {
    const authenticator = softAuthenticator(ORIGIN);
    const leader = await makeStaff(t, assoc.id);
    const api = client(t, leader.token);
    const options = await api.post("/api/passkeys/registration/options");
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const { passkey, response } = await authenticator.create(options.body, 1);
    const added = await api.post("/api/passkeys", { response, name: "workerd" });
    expect(added.status, JSON.stringify(added.body)).toBe(201);

    const anon = client(t);
    const signInOptions = await anon.post("/api/auth/passkey/options");
    expect(signInOptions.status).toBe(200);
    const assertion = await authenticator.get(passkey, signInOptions.body.challenge);
    const signIn = await anon.post("/api/auth/passkey", { response: assertion });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    expect(signIn.body.id).toBe(leader.id);
    expect((await client(t, sessionFrom(signIn)).get("/api/auth/me")).body.id).toBe(leader.id);

    expectError(await anon.post("/api/auth/passkey", { response: assertion }), 401, "unauthorized");
    const list = await api.get("/api/passkeys");
    expect(list.body.passkeys).toMatchObject([{ id: passkey.credentialId, name: "workerd" }]);
    expect(list.body.passkeys[0].lastUsedAt).not.toBeNull();
  });
});
