// The core loop end to end: a leader posts, households acknowledge, the leader sees who has not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app";
import {
  makeAssociation,
  makeResident,
  makeStaff,
  type AssociationFixture,
  type MemberFixture,
} from "../helpers/factories";
import { client } from "../helpers/http";

let t: TestApp;
let assoc: AssociationFixture;
let leader: MemberFixture;

beforeAll(async () => {
  t = await createTestApp();
  assoc = await makeAssociation(t, { blocks: 2, perBlock: 3, paperEvery: 3 });
  leader = await makeStaff(t, assoc.id);
});
afterAll(() => t.close());

describe("post, acknowledge, follow up", () => {
  it("runs the whole loop", async () => {
    const api = client(t, leader.token);
    const draft = await api.post("/api/circulars", {
      title: "資源回収のお知らせ",
      body: "12月6日です。\nhttps://example.jp/a",
    });
    expect(draft.status).toBe(201);
    expect(draft.body.status).toBe("draft");
    const pub = await api.post(`/api/circulars/${draft.body.id}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body.audienceSize).toBe(6);

    const h = assoc.households[0]!;
    const resident = await makeResident(t, assoc.id, h.id);
    const r = client(t, resident.token);
    const feed = await r.get("/api/feed");
    expect(feed.status).toBe(200);
    expect(feed.body.unread).toBe(1);
    const ack = await r.post(`/api/feed/${draft.body.id}/ack`);
    expect(ack.status).toBe(200);
    expect(ack.body.changed).toBe(true);
    const again = await r.post(`/api/feed/${draft.body.id}/ack`);
    expect(again.body).toEqual({ ...ack.body, changed: false });

    const board = await api.get(`/api/circulars/${draft.body.id}/receipts`);
    expect(board.status).toBe(200);
    expect(board.body.counts).toMatchObject({ targeted: 6, read: 1, unread: 5 });
  });
});
