import { createRoute, z } from "@hono/zod-openapi";
import { associationCtx, STAFF } from "../../context";
import { CHANNELS, CIRCULAR_STATUSES } from "../../db/schema";
import { createRouter, ErrorSchema, errorResponses, json, Timestamp } from "../../lib/openapi";
import { CountsSchema as Counts } from "../circulars/circulars.routes";
import { receiptBoard, recordPaperReceipt, undoPaperReceipt } from "./receipts.service";


const BoardHousehold = z.object({
  id: z.string(),
  label: z.string(),
  householdChannel: z.enum(CHANNELS),
  readAt: Timestamp.nullable(),
  channel: z.enum(CHANNELS).nullable(),
  readByName: z.string().nullable(),
});

const BoardSchema = z
  .object({
    circular: z.object({
      id: z.string(),
      title: z.string(),
      status: z.enum(CIRCULAR_STATUSES),
      publishedAt: Timestamp.nullable(),
      dueAt: Timestamp.nullable(),
    }),
    counts: Counts,
    blocks: z.array(z.object({ id: z.string(), name: z.string(), counts: Counts, households: z.array(BoardHousehold) })),
  })
  .openapi("ReceiptBoard");

const ReceiptSchema = z
  .object({
    householdId: z.string(),
    readAt: Timestamp.nullable(),
    channel: z.enum(CHANNELS).nullable(),
    readByName: z.string().nullable(),
  })
  .openapi("Receipt");

const Params = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }),
  householdId: z.string().min(1).max(64).openapi({ param: { name: "householdId", in: "path" } }),
});

const tags = ["確認状況 / Receipts"];

export const receiptRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/circulars/{id}/receipts",
      tags,
      summary: "Receipt board: each targeted household by block, read or not (block leaders: own block)",
      request: { params: z.object({ id: Params.shape.id }) },
      responses: { 200: json(BoardSchema, "Board"), ...errorResponses },
    }),
    async (c) =>
      c.json(await receiptBoard({ ctx: associationCtx(c, STAFF), input: { circularId: c.req.valid("param").id } }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/circulars/{id}/receipts/{householdId}/paper",
      tags,
      summary: "Record that a household read the paper copy (first read wins; repeating changes nothing)",
      request: { params: Params },
      responses: { 200: json(ReceiptSchema, "The receipt"), ...errorResponses, 409: json(ErrorSchema, "Not published") },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(
        await recordPaperReceipt({ ctx: associationCtx(c, STAFF), input: { circularId: p.id, householdId: p.householdId } }),
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
      responses: { 200: json(ReceiptSchema, "The receipt"), ...errorResponses, 409: json(ErrorSchema, "Not a paper receipt") },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(
        await undoPaperReceipt({ ctx: associationCtx(c, STAFF), input: { circularId: p.id, householdId: p.householdId } }),
        200,
      );
    },
  );
