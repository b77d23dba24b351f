import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, householdCtx, STAFF } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
import { Format } from "../city/city.schemas";
import { csvResponse, sendCsv } from "../city/csv";
// A circular and one household of its audience: the same path parameters as the receipts' paper entry.
import { Params as AnswerParams } from "../receipts/receipts.schemas";
import { AnswerBoardSchema, AnswerBody, AnswerResultSchema, PaperAnswerBody } from "./answers.schemas";
import { answerAsHousehold, answerBoard, answersCsv, enterPaperAnswer } from "./answers.service";

const tags = ["回答 / Answers"];
const closedOrWithdrawn = json(ErrorSchema, "Withdrawn, past the due date, or no questions");

export const answerRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/feed/{id}/answer",
      tags,
      summary: "「回答する」: the household's answer (replaces its earlier one; also acknowledges the circular)",
      request: { params: IdParam, body: jsonBody(AnswerBody) },
      responses: { 200: json(AnswerResultSchema, "The household's answer"), ...errorResponses, 409: closedOrWithdrawn },
    }),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(
        await answerAsHousehold({
          ctx: householdCtx(c),
          input: { id: c.req.valid("param").id, answers: body.answers, answeredAt: body.answeredAt },
        }),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/circulars/{id}/answers",
      tags,
      summary: "Tallies per question and block, who has not answered (無記名: no household's answer); or as CSV",
      request: { params: IdParam, query: z.object({ format: Format }) },
      responses: {
        200: {
          ...json(AnswerBoardSchema, "Tallies"),
          content: { ...json(AnswerBoardSchema, "").content, ...csvResponse.content },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const ctx = associationCtx(c, STAFF);
      const input = { circularId: c.req.valid("param").id };
      if (c.req.valid("query").format !== "csv") return c.json(await answerBoard({ ctx, input }), 200);
      const { name, body } = await answersCsv({ ctx, input });
      return sendCsv(c, name, body);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/circulars/{id}/answers/{householdId}/paper",
      tags,
      summary: "「紙の回答を入力」: a paper household's answer, entered by a block leader (own block) or leader",
      request: { params: AnswerParams, body: jsonBody(PaperAnswerBody) },
      responses: { 200: json(AnswerResultSchema, "The household's answer"), ...errorResponses, 409: closedOrWithdrawn },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(
        await enterPaperAnswer({
          ctx: associationCtx(c, STAFF),
          input: { circularId: p.id, householdId: p.householdId, answers: c.req.valid("json").answers },
        }),
        200,
      );
    },
  );
