// D1 binds at most 100 values per statement: lists a request can make long (a page of up to 500 circulars, an
// invite sheet for up to 200 households) must still work on D1.
import { expect, it } from "vitest";
import { circulars } from "../../server/db/schema";
import { newId } from "../../server/lib/ids";
import { makeAssociation, makeStaff } from "../helpers/factories";
import { client } from "../helpers/http";
import { workerTestApp } from "./harness";

it("lists 150 circulars and issues 150 household invites in one request on D1", async () => {
  const t = workerTestApp();
  const assoc = await makeAssociation(t, { blocks: 15, perBlock: 10 }); // the factory inserts a block's households in one statement;
  const leader = await makeStaff(t, assoc.id);
  const now = Date.now();
  const rows = Array.from({ length: 150 }, (_, i) => ({
    id: newId(),
    associationId: assoc.id,
    title: `お知らせ ${i}`,
    body: "本文",
    status: "draft" as const,
    authorId: leader.id,
    createdAt: new Date(now - i * 1000),
    updatedAt: new Date(now - i * 1000),
  }));
  for (const row of rows) await t.db.insert(circulars).values(row);
  const api = client(t, leader.token);
  const list = await api.get("/api/circulars?limit=500");
  expect(list.status, JSON.stringify(list.body).slice(0, 300)).toBe(200);
  expect(list.body.circulars).toHaveLength(150);

  const sheet = await api.post("/api/invites/households", { householdIds: assoc.households.map((h) => h.id) });
  expect(sheet.status, JSON.stringify(sheet.body).slice(0, 300)).toBe(201);
  expect(sheet.body.invites).toHaveLength(150);
});
