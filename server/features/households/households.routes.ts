import { createRoute } from "@hono/zod-openapi";
import { associationCtx, LEADERS, STAFF } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
import {
  BlockCreate,
  BlockList,
  BlockSchema,
  BlockUpdate,
  BlockUpdated,
  HouseholdCreate,
  HouseholdList,
  HouseholdQuery,
  HouseholdSchema,
  HouseholdUpdate,
  MemberList,
  MemberQuery,
  MemberSchema,
  MemberUpdate,
  SessionsEnded,
} from "./households.schemas";
import {
  createBlock,
  createHousehold,
  deleteBlock,
  endHouseholdSessions,
  householdDto,
  listBlocks,
  listHouseholds,
  listMembers,
  updateBlock,
  updateHousehold,
  updateMember,
} from "./households.service";

const blockTags = ["班 / Blocks"];
const householdTags = ["世帯 / Households"];
const memberTags = ["メンバー / Members"];

export const householdRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/blocks",
      tags: blockTags,
      summary: "The association's blocks with their household counts",
      responses: { 200: json(BlockList, "Blocks"), ...errorResponses },
    }),
    async (c) => c.json({ blocks: await listBlocks({ ctx: associationCtx(c, STAFF) }) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/blocks",
      tags: blockTags,
      summary: "Add a block",
      request: { body: jsonBody(BlockCreate) },
      responses: { 201: json(BlockSchema, "Created"), ...errorResponses, 409: json(ErrorSchema, "Name taken") },
    }),
    async (c) => c.json(await createBlock({ ctx: associationCtx(c, LEADERS), input: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/blocks/{id}",
      tags: blockTags,
      summary: "Rename or reorder a block",
      request: { params: IdParam, body: jsonBody(BlockUpdate) },
      responses: {
        200: json(BlockUpdated, "Updated"),
        ...errorResponses,
        409: json(ErrorSchema, "Name taken"),
      },
    }),
    async (c) =>
      c.json(
        await updateBlock({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("json"), ...c.req.valid("param") },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/blocks/{id}",
      tags: blockTags,
      summary: "Delete an empty block",
      request: { params: IdParam },
      responses: {
        204: { description: "Deleted" },
        ...errorResponses,
        409: json(ErrorSchema, "The block has households or circulars"),
      },
    }),
    async (c) => {
      await deleteBlock({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/households",
      tags: householdTags,
      summary: "Households (a block leader sees their own block)",
      request: { query: HouseholdQuery },
      responses: { 200: json(HouseholdList, "Households"), ...errorResponses },
    }),
    async (c) => {
      const ctx = associationCtx(c, STAFF);
      const q = c.req.valid("query");
      const blockId = ctx.actor.role === "block_leader" ? (ctx.actor.blockId ?? "-") : q.blockId;
      return c.json(
        { households: await listHouseholds({ ctx, input: { blockId, includeLeft: q.includeLeft === "true" } }) },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/households",
      tags: householdTags,
      summary: "Add a household",
      request: { body: jsonBody(HouseholdCreate) },
      responses: { 201: json(HouseholdSchema, "Created"), ...errorResponses },
    }),
    async (c) => c.json(await createHousehold({ ctx: associationCtx(c, LEADERS), input: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/households/{id}",
      tags: householdTags,
      summary: "One household",
      request: { params: IdParam },
      responses: { 200: json(HouseholdSchema, "Household"), ...errorResponses },
    }),
    async (c) => c.json(await householdDto({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/households/{id}",
      tags: householdTags,
      summary: "Change a household's name, block or channel (app / paper), or mark it as left",
      request: { params: IdParam, body: jsonBody(HouseholdUpdate) },
      responses: { 200: json(HouseholdSchema, "Updated"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await updateHousehold({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("json"), ...c.req.valid("param") },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/households/{id}/end-sessions",
      tags: householdTags,
      summary: "Sign out every device of a household (lost tablet) and cancel its unused invites",
      request: { params: IdParam },
      responses: { 200: json(SessionsEnded, "Sessions ended"), ...errorResponses },
    }),
    async (c) =>
      c.json(await endHouseholdSessions({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/members",
      tags: memberTags,
      summary: "Members of the association",
      request: { query: MemberQuery },
      responses: { 200: json(MemberList, "Members"), ...errorResponses },
    }),
    async (c) =>
      c.json({ members: await listMembers({ ctx: associationCtx(c, LEADERS), input: c.req.valid("query") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/members/{id}",
      tags: memberTags,
      summary: "Rename a member, change their role or block, or disable them (signs them out)",
      request: { params: IdParam, body: jsonBody(MemberUpdate) },
      responses: {
        200: json(MemberSchema, "Updated"),
        ...errorResponses,
        409: json(ErrorSchema, "Needs an email sign-in to lead, or is yourself"),
      },
    }),
    async (c) =>
      c.json(
        await updateMember({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("json"), ...c.req.valid("param") },
        }),
        200,
      ),
  );
