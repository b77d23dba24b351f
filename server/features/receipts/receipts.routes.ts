import { createRoute } from "@hono/zod-openapi";
import { associationCtx, STAFF } from "../../context";
import { createRouter, ErrorSchema, errorResponses, json } from "../../lib/openapi";
import { BoardParams, BoardSchema, Params, ReceiptSchema } from "./receipts.schemas";
import { receiptBoard, recordPaperReceipt, undoPaperReceipt } from "./receipts.service";

const tags = ["確認状況 / Receipts"];

export const receiptRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/circulars/{id}/receipts",
      tags,
      summary: "Receipt board: each targeted household by block, read or not (block leaders: own block)",
      request: { params: BoardParams },
      responses: { 200: json(BoardSchema, "Board"), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await receiptBoard({ ctx: associationCtx(c, STAFF), input: { circularId: c.req.valid("param").id } }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/circulars/{id}/receipts/{householdId}/paper",
      tags,
      summary: "Record that a household read the paper copy (first read wins; repeating changes nothing)",
      request: { params: Params },
      responses: {
        200: json(ReceiptSchema, "The receipt"),
        ...errorResponses,
        409: json(ErrorSchema, "Not published"),
      },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(
        await recordPaperReceipt({
          ctx: associationCtx(c, STAFF),
          input: { circularId: p.id, householdId: p.householdId },
        }),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/circulars/{id}/receipts/{householdId}/paper",
      tags,
      summary: "Undo a paper acknowledgement entered by mistake",
      request: { params: Params },
      responses: {
        200: json(ReceiptSchema, "The receipt"),
        ...errorResponses,
        409: json(ErrorSchema, "Not a paper receipt"),
      },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(
        await undoPaperReceipt({
          ctx: associationCtx(c, STAFF),
          input: { circularId: p.id, householdId: p.householdId },
        }),
        200,
      );
    },
  );
