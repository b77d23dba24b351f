// The flows most test files start from, through the real app as a leader's screen would call it: an association with
// a signed-in leader (world), a draft, its publication, and an association whose residents have each subscribed a
// device (town). One copy here instead of one per test file; they run on Node (test/api) and inside workerd
// (test/workerd) alike, since they need only what test/helpers/factories.ts and http.ts need of a test app.
import { expect } from "vitest";
import type { TestApp } from "./app";
import { makeAssociation, makeResident, makeStaff, type AssociationFixture, type MemberFixture } from "./factories";
import { client } from "./http";

export type Api = ReturnType<typeof client>;

export interface World {
  assoc: AssociationFixture;
  leader: MemberFixture;
  /** The leader's client. */
  api: Api;
}

/** A fresh association (`makeAssociation`'s options) and its leader, signed in. */
export async function world(t: TestApp, opts: Parameters<typeof makeAssociation>[1] = {}): Promise<World> {
  const assoc = await makeAssociation(t, opts);
  const leader = await makeStaff(t, assoc.id);
  return { assoc, leader, api: client(t, leader.token) };
}

/** A draft (201 asserted) with a title and body unless `input` names its own; returns the created circular. */
export async function draft(api: Api, input: Record<string, unknown> = {}): Promise<{ id: string; [k: string]: any }> {
  const res = await api.post("/api/circulars", { title: "回覧", body: "本文です。", ...input });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Publishes a draft (200 asserted); returns the answer (`circular`, `audienceSize`). */
export async function publishDraft(
  api: Api,
  id: string,
): Promise<{ circular: any; audienceSize: number; [k: string]: any }> {
  const res = await api.post(`/api/circulars/${id}/publish`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A draft published at once; returns its id. */
export async function publish(api: Api, input: Record<string, unknown> = {}): Promise<string> {
  const d = await draft(api, input);
  await publishDraft(api, d.id);
  return d.id;
}

export interface Town {
  a: AssociationFixture;
  leader: MemberFixture;
  residents: MemberFixture[];
  /** Push-service endpoint name of each resident's device, in household order. */
  names: string[];
}

/**
 * An association whose first `subscribed` households (all by default) each have a resident with one device on the
 * test push service; `subscription(name)` asks that service for a subscription with that endpoint name.
 */
export async function town(
  t: TestApp,
  subscription: (name: string) => Promise<unknown>,
  opts: { blocks?: number; perBlock?: number; subscribed?: number; paperEvery?: number; name?: string } = {},
): Promise<Town> {
  const a = await makeAssociation(t, {
    blocks: opts.blocks ?? 1,
    perBlock: opts.perBlock ?? 3,
    paperEvery: opts.paperEvery,
    name: opts.name ?? "青葉町内会",
  });
  const leader = await makeStaff(t, a.id);
  const residents: MemberFixture[] = [];
  const names: string[] = [];
  for (const h of a.households.slice(0, opts.subscribed ?? a.households.length)) {
    const r = await makeResident(t, a.id, h.id);
    const name = crypto.randomUUID();
    const res = await client(t, r.token).post("/api/push/subscriptions", await subscription(name));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    residents.push(r);
    names.push(name);
  }
  return { a, leader, residents, names };
}
