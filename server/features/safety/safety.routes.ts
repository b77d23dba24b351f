// 安否確認 (leaders start and close, 班長 record visits, everyone on staff reads the board and report; a household
// reads its open checks and answers them through POST /api/feed/{id}/answer) and 要支援 (the household's own entry,
// the leader's record of a paper form, the list for those allowed to see it).
import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, householdCtx, LEADERS, MEMBERS, sendQueuedPushes, STAFF } from "../../context";
import { createRouter, ErrorSchema, errorResponses, HouseholdParam, IdParam, json, jsonBody } from "../../lib/openapi";
// A check and one household of its audience: the same path parameters as the receipts' paper entry.
import { Params as VisitParams } from "../receipts/receipts.schemas";
import { Format } from "../city/city.schemas";
import { csvResponse, sendCsv } from "../city/csv";
import {
  HouseholdSafetySchema,
  HouseholdSupportSchema,
  OwnSupportSchema,
  SafetyAudienceSchema,
  SafetyBoardSchema,
  SafetyCheckSchema,
  SafetyListSchema,
  SafetyReportSchema,
  StartedSchema,
  StartSafetyBody,
  SupportBody,
  SupportCandidatesSchema,
  SupportEntrySchema,
  SupportListSchema,
  VisitBody,
} from "./safety.schemas";
import {
  closeSafetyCheck,
  householdSafety,
  listSafetyChecks,
  recordVisit,
  safetyAudience,
  safetyBoard,
  safetyCsv,
  safetyReport,
  startSafetyCheck,
} from "./safety.service";
import {
  householdSupport,
  listSupport,
  ownSupport,
  recordPaperSupport,
  registerOwnSupport,
  removeSupport,
  supportCandidates,
  withdrawOwnSupport,
} from "./support.service";

const tags = ["安否確認 / Safety checks"];
const supportTags = ["要支援 / Support register"];
const conflict = { 409: json(ErrorSchema, "Another check is open, or this one is closed") };

export const safetyRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/safety/checks",
      tags,
      summary: "The association's safety checks, open first (a block leader's counts are of their block)",
      responses: { 200: json(SafetyListSchema, "Checks"), ...errorResponses },
    }),
    async (c) => c.json({ checks: await listSafetyChecks({ ctx: associationCtx(c, STAFF) }) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/safety/audience",
      tags,
      summary: "How many households a new check would reach, and whether one is open",
      responses: { 200: json(SafetyAudienceSchema, "Audience"), ...errorResponses },
    }),
    async (c) => c.json(await safetyAudience({ ctx: associationCtx(c, LEADERS) }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/safety/checks",
      tags,
      summary: "「安否確認を始める」: an urgent push to every household at once (through quiet hours)",
      request: { body: jsonBody(StartSafetyBody) },
      responses: { 201: json(StartedSchema, "Started"), ...errorResponses, ...conflict },
    }),
    async (c) => {
      const started = await startSafetyCheck({ ctx: associationCtx(c, LEADERS), input: c.req.valid("json") });
      sendQueuedPushes(c);
      return c.json(started, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/safety/checks/{id}/close",
      tags,
      summary: "「安否確認を終了する」: answers are refused from now on; the board and report stay",
      request: { params: IdParam },
      responses: { 200: json(SafetyCheckSchema, "Closed"), ...errorResponses, ...conflict },
    }),
    async (c) => c.json(await closeSafetyCheck({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/safety/checks/{id}/board",
      tags,
      summary: "The live board: 助けが必要 first, then per block 助けが必要 / 未回答 / 無事 (or as CSV)",
      request: { params: IdParam, query: z.object({ format: Format }) },
      responses: {
        200: {
          ...json(SafetyBoardSchema, "Board"),
          content: { ...json(SafetyBoardSchema, "").content, ...csvResponse.content },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const ctx = associationCtx(c, STAFF);
      c.header("Cache-Control", "private, no-cache");
      if (c.req.valid("query").format !== "csv")
        return c.json(await safetyBoard({ ctx, input: c.req.valid("param") }), 200);
      const { name, body } = await safetyCsv({ ctx, input: c.req.valid("param") });
      return sendCsv(c, name, body);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/safety/checks/{id}/households/{householdId}/visit",
      tags,
      summary: "「訪問して確認」: a 班長 (own block) or leader records 無事 / 助けが必要 / 不在 after a visit or call",
      request: { params: VisitParams, body: jsonBody(VisitBody) },
      responses: { 200: json(SafetyBoardSchema, "The board after it"), ...errorResponses, ...conflict },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(
        await recordVisit({
          ctx: associationCtx(c, STAFF),
          input: { ...c.req.valid("json"), id: p.id, householdId: p.householdId },
        }),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/safety/checks/{id}/report",
      tags,
      summary: "The report: answered within 1 h / 3 h / 24 h, by channel, over time",
      request: { params: IdParam },
      responses: { 200: json(SafetyReportSchema, "Report"), ...errorResponses },
    }),
    async (c) => c.json(await safetyReport({ ctx: associationCtx(c, STAFF), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/safety/mine",
      tags,
      summary: "My household's open checks (the 「安否確認」 banner), each with the household's answer",
      responses: { 200: json(HouseholdSafetySchema, "Open checks"), ...errorResponses },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await householdSafety({ ctx: householdCtx(c) }), 200);
    },
  )
  // ---------- 要支援 ----------
  .openapi(
    createRoute({
      method: "get",
      path: "/support/mine",
      tags: supportTags,
      summary: "My household's 要支援 entry (null when not registered)",
      responses: { 200: json(OwnSupportSchema, "Entry"), ...errorResponses },
    }),
    async (c) => c.json(await ownSupport({ ctx: householdCtx(c) }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/support/mine",
      tags: supportTags,
      summary: "Register (or change) my household as needing support in a disaster, with consent",
      request: { body: jsonBody(SupportBody) },
      responses: { 200: json(OwnSupportSchema, "Entry"), ...errorResponses },
    }),
    async (c) => c.json(await registerOwnSupport({ ctx: householdCtx(c), input: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/support/mine",
      tags: supportTags,
      summary: "Withdraw consent: the entry is deleted at once",
      responses: { 200: json(OwnSupportSchema, "No entry"), ...errorResponses },
    }),
    async (c) => c.json(await withdrawOwnSupport({ ctx: householdCtx(c) }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/support/candidates",
      tags: supportTags,
      summary: "Members of the association who can be named as supporters (names only)",
      responses: { 200: json(SupportCandidatesSchema, "Members"), ...errorResponses },
    }),
    async (c) => {
      const actor = c.get("actor");
      const ctx = actor?.householdId ? householdCtx(c) : associationCtx(c, LEADERS);
      return c.json({ members: await supportCandidates({ ctx }) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/support",
      tags: supportTags,
      summary: "The 要支援 entries I may see (leader: all; 班長: their block; supporters: theirs); each view audited",
      responses: { 200: json(SupportListSchema, "Entries"), ...errorResponses },
    }),
    async (c) => c.json({ households: await listSupport({ ctx: associationCtx(c, MEMBERS) }) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/households/{householdId}/support",
      tags: supportTags,
      summary: "A household's 要支援 entry for the leader (null when none); the view is audited",
      request: { params: HouseholdParam },
      responses: { 200: json(HouseholdSupportSchema, "Entry"), ...errorResponses },
    }),
    async (c) => {
      c.header("Cache-Control", "private, no-cache");
      return c.json(await householdSupport({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/households/{householdId}/support",
      tags: supportTags,
      summary: "The leader records a household's 要支援 entry from its signed paper form",
      request: { params: HouseholdParam, body: jsonBody(SupportBody) },
      responses: { 200: json(SupportEntrySchema, "Entry"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await recordPaperSupport({
          ctx: associationCtx(c, LEADERS),
          input: { ...c.req.valid("json"), householdId: c.req.valid("param").householdId },
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/households/{householdId}/support",
      tags: supportTags,
      summary: "The leader records that a household withdrew its consent on paper: the entry is deleted",
      request: { params: HouseholdParam },
      responses: { 204: { description: "Deleted" }, ...errorResponses },
    }),
    async (c) => {
      await removeSupport({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") });
      return c.body(null, 204);
    },
  );
