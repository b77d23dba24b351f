// The PWA's types are the server's response schemas (z.output, imported as types): they are only right if every
// answer is exactly what its schema says. Each real answer here is parsed with its schema and must come out
// unchanged: a missing field, a wrong type or a Date left unserialized fails the parse, and a field the schema
// does not declare would be stripped and fail the comparison.
import type { z } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MeSchema, SessionList } from "../../server/features/auth/auth.schemas";
import { CircularList, CircularSchema, PublishedSchema } from "../../server/features/circulars/circulars.schemas";
import { CityCircularList, CityCircularSchema } from "../../server/features/city-circulars/city-circulars.schemas";
import { AreasSchema } from "../../server/features/city/city.schemas";
import { AckSchema, FeedCircularSchema, FeedSchema } from "../../server/features/feed/feed.schemas";
import { BlockList, HouseholdList, MemberList } from "../../server/features/households/households.schemas";
import { InvitePreviewSchema, IssuedInviteSchema } from "../../server/features/invites/invites.schemas";
import { PushFiguresSchema } from "../../server/features/push/push.schemas";
import { BoardSchema, ReceiptSchema } from "../../server/features/receipts/receipts.schemas";
import { createTestApp, type TestApp } from "../helpers/app";
import { makeAssociation, makeResident, makeStaff } from "../helpers/factories";
import { client, type Res } from "../helpers/http";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { sendPushes: false });
});
afterAll(() => t.close());

function expectShape(schema: z.ZodType, res: Res, status = 200) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(schema.parse(res.body)).toEqual(res.body);
  return res.body;
}

describe("answers are exactly their schemas", () => {
  it("a leader's circular, its board and pushes, and a resident's feed of it", async () => {
    const assoc = await makeAssociation(t, { blocks: 2, perBlock: 2, paperEvery: 2 });
    const household = assoc.households[0]!;
    const leader = client(t, (await makeStaff(t, assoc.id)).token);
    const resident = client(t, (await makeResident(t, assoc.id, household.id)).token);

    expectShape(MeSchema, await leader.get("/api/auth/me"));
    expectShape(SessionList, await leader.get("/api/auth/sessions"));
    expectShape(BlockList, await leader.get("/api/blocks"));
    expectShape(HouseholdList, await leader.get("/api/households"));
    expectShape(MemberList, await leader.get("/api/members"));

    const draft = expectShape(
      CircularSchema,
      await leader.post("/api/circulars", {
        title: "防災訓練",
        body: "https://example.jp を見てください",
        dueAt: "2030-01-31",
      }),
      201,
    );
    const published = expectShape(PublishedSchema, await leader.post(`/api/circulars/${draft.id}/publish`));
    expect(published.circular.publishedAt).toEqual(expect.any(String));
    expectShape(CircularList, await leader.get("/api/circulars"));
    expectShape(CircularSchema, await leader.get(`/api/circulars/${draft.id}`));
    expectShape(
      ReceiptSchema,
      await leader.put(`/api/circulars/${draft.id}/receipts/${assoc.households[1]!.id}/paper`),
    );
    expectShape(BoardSchema, await leader.get(`/api/circulars/${draft.id}/receipts`));
    expectShape(PushFiguresSchema, await leader.get(`/api/circulars/${draft.id}/push`));

    const feed = expectShape(FeedSchema, await resident.get("/api/feed"));
    expect(feed.circulars[0]).toMatchObject({ id: draft.id, origin: "association", leaderNote: null });
    expectShape(FeedCircularSchema, await resident.get(`/api/feed/${draft.id}`));
    expectShape(AckSchema, await resident.post(`/api/feed/${draft.id}/ack`));

    const invite = expectShape(
      IssuedInviteSchema,
      await leader.post(`/api/households/${assoc.households[2]!.id}/invites`),
      201,
    );
    expectShape(InvitePreviewSchema, await client(t).get(`/api/join/${invite.token}`));
  });

  it("the city's areas and circulars", async () => {
    await makeAssociation(t);
    const city = client(t, (await makeStaff(t, null, { role: "city" })).token);
    expectShape(AreasSchema, await city.get("/api/city/areas"));
    expectShape(
      CityCircularSchema,
      await city.post("/api/city/circulars", { title: "市からのお知らせ", body: "本文", target: { scope: "city" } }),
      201,
    );
    expectShape(CityCircularList, await city.get("/api/city/circulars"));
  });
});
