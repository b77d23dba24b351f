// City circulars (docs/adr/0005): drafts, attachments, publication to the targeted associations, withdrawal and the
// read figures. City staff only (cityCtx: roles city and admin); every request is audited.
import { createRoute } from "@hono/zod-openapi";
import { cityCtx, sendQueuedPushes } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
import { uploadedFile, uploadRequest, uploadResponses } from "../attachments/attachments.schemas";
import { fileResponse } from "../attachments/file-response";
import { csvResponse, sendCsv, toCsv, type CsvColumn } from "../city/csv";
import { deleteBlobs } from "../attachments/attachments.service";
import { tallyCells, tallyColumns } from "../answers/answers-csv";
import { cityCircularAnswers } from "./answers.service";
import { citySafetyLive, closeCitySafetyCheck, listCitySafetyChecks, startCitySafetyCheck } from "./safety.service";
import {
  AttachmentParams,
  CityAnswers,
  CityCircularList,
  CityCircularListQuery,
  CityCircularSchema,
  CityPublishedSchema,
  CitySafetyHead,
  CitySafetyList,
  CitySafetyLive,
  CitySafetyStart,
  DraftCreate,
  DraftUpdate,
  Figures,
  FiguresQuery,
} from "./city-circulars.schemas";
import {
  cityCircularFigures,
  createCityDraft,
  deleteCityAttachment,
  deleteCityDraft,
  getCityCircular,
  listCityCirculars,
  publishCityCircular,
  readCityAttachment,
  updateCityDraft,
  uploadCityAttachment,
  withdrawCityCircular,
} from "./city-circulars.service";

type FigureCsvRow = {
  level: string;
  name: string;
  wardName: string;
  districtName: string;
  targeted: number | null;
  read: number | null;
  read24hRate: number | null;
  read72hRate: number | null;
  readByDueRate: number | null;
};
const FIGURE_CSV_COLUMNS: CsvColumn<FigureCsvRow>[] = [
  { code: "level", ja: "区分" },
  { code: "name", ja: "名前" },
  { code: "wardName", ja: "区" },
  { code: "districtName", ja: "地区" },
  { code: "targeted", ja: "配布数" },
  { code: "read", ja: "確認数" },
  { code: "read24hRate", ja: "24時間以内の確認率(0〜1)" },
  { code: "read72hRate", ja: "72時間以内の確認率(0〜1)" },
  { code: "readByDueRate", ja: "期限内の確認率(0〜1)" },
];

/**
 * One CSV table of a city circular's figures by area: the total, then each ward, district and association, each row
 * with its level and place (docs/city-export.md) and the group's `cells`.
 */
function areaRows<
  T,
  W extends { name: string },
  D extends { name: string; wardName: string },
  A extends { name: string; wardName: string; districtName: string },
  C extends object,
>(
  f: { circular: { title: string }; total: T; wards: W[]; districts: D[]; associations: A[] },
  cells: (g: T | W | D | A) => C,
) {
  return [
    { level: "合計", name: f.circular.title, wardName: "", districtName: "", ...cells(f.total) },
    ...f.wards.map((w) => ({ level: "区", name: w.name, wardName: w.name, districtName: "", ...cells(w) })),
    ...f.districts.map((d) => ({
      level: "地区",
      name: d.name,
      wardName: d.wardName,
      districtName: d.name,
      ...cells(d),
    })),
    ...f.associations.map((a) => ({
      level: "町内会",
      name: a.name,
      wardName: a.wardName,
      districtName: a.districtName,
      ...cells(a),
    })),
  ];
}

const tags = ["市の回覧 / City circulars"];
const safetyTags = ["市の安否確認 / City safety checks"];

type SafetyCsvRow = {
  level: string;
  name: string;
  wardName: string;
  districtName: string;
  targeted: number | null;
  answered: number | null;
  safe: number | null;
  help: number | null;
  unanswered: number | null;
};
const SAFETY_CSV_COLUMNS: CsvColumn<SafetyCsvRow>[] = [
  { code: "level", ja: "区分" },
  { code: "name", ja: "名前" },
  { code: "wardName", ja: "区" },
  { code: "districtName", ja: "地区" },
  { code: "targeted", ja: "対象世帯数" },
  { code: "answered", ja: "回答世帯数" },
  { code: "safe", ja: "無事" },
  { code: "help", ja: "助けが必要" },
  { code: "unanswered", ja: "未回答" },
];

export const cityCircularRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/city/circulars",
      tags,
      summary: "The city's circulars: drafts first, then newest, with how far each went",
      request: { query: CityCircularListQuery },
      responses: { 200: json(CityCircularList, "City circulars"), ...errorResponses },
    }),
    async (c) => c.json({ circulars: await listCityCirculars({ ctx: cityCtx(c), input: c.req.valid("query") }) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/city/circulars",
      tags,
      summary: "Create a draft city circular",
      request: { body: jsonBody(DraftCreate) },
      responses: { 201: json(CityCircularSchema, "Draft created"), ...errorResponses },
    }),
    async (c) => c.json(await createCityDraft({ ctx: cityCtx(c), input: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/circulars/{id}",
      tags,
      summary: "One city circular",
      request: { params: IdParam },
      responses: { 200: json(CityCircularSchema, "City circular"), ...errorResponses },
    }),
    async (c) => c.json(await getCityCircular({ ctx: cityCtx(c), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/city/circulars/{id}",
      tags,
      summary: "Edit a draft city circular",
      request: { params: IdParam, body: jsonBody(DraftUpdate) },
      responses: {
        200: json(CityCircularSchema, "Draft updated"),
        ...errorResponses,
        409: json(ErrorSchema, "Not a draft"),
      },
    }),
    async (c) =>
      c.json(
        await updateCityDraft({ ctx: cityCtx(c), input: { ...c.req.valid("json"), ...c.req.valid("param") } }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/city/circulars/{id}",
      tags,
      summary: "Delete a draft city circular and its attachments",
      request: { params: IdParam },
      responses: { 204: { description: "Deleted" }, ...errorResponses, 409: json(ErrorSchema, "Not a draft") },
    }),
    async (c) => {
      const removed = await deleteCityDraft({ ctx: cityCtx(c), input: c.req.valid("param") });
      await deleteBlobs(c.get("deps").blobs, removed);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/city/circulars/{id}/publish",
      tags,
      summary:
        "Publish: one copy per targeted association with member households, receipts, attachments, figures and pushes, in one batch",
      request: { params: IdParam },
      responses: {
        200: json(CityPublishedSchema, "Published"),
        ...errorResponses,
        409: json(ErrorSchema, "Already published"),
      },
    }),
    async (c) => {
      const published = await publishCityCircular({ ctx: cityCtx(c), input: c.req.valid("param") });
      sendQueuedPushes(c);
      return c.json(published, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/city/circulars/{id}/withdraw",
      tags,
      summary: "Withdraw a published city circular from every association (receipts are kept; figures drop it)",
      request: { params: IdParam },
      responses: {
        200: json(CityCircularSchema, "Withdrawn"),
        ...errorResponses,
        409: json(ErrorSchema, "Not published"),
      },
    }),
    async (c) => c.json(await withdrawCityCircular({ ctx: cityCtx(c), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/circulars/{id}/figures",
      tags,
      summary: "Read figures per ward, district and association (aggregates only; under 5 households suppressed)",
      request: { params: IdParam, query: FiguresQuery },
      responses: {
        200: { ...json(Figures, "Figures"), content: { ...json(Figures, "").content, ...csvResponse.content } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { format } = c.req.valid("query");
      const f = await cityCircularFigures({ ctx: cityCtx(c), input: { ...c.req.valid("param"), format } });
      if (format !== "csv") return c.json(f, 200);
      // One table: the total, then each ward, district and association (docs/city-export.md).
      const rows: FigureCsvRow[] = areaRows(f, (g) => g);
      return sendCsv(c, `市の回覧の確認状況_${f.circular.title}`, toCsv(FIGURE_CSV_COLUMNS, rows));
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/circulars/{id}/answers",
      tags,
      summary:
        "A city survey's tallies per ward, district and association (counts only; under 5 households suppressed; no texts)",
      request: { params: IdParam, query: FiguresQuery },
      responses: {
        200: { ...json(CityAnswers, "Tallies"), content: { ...json(CityAnswers, "").content, ...csvResponse.content } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { format } = c.req.valid("query");
      const f = await cityCircularAnswers({ ctx: cityCtx(c), input: { ...c.req.valid("param"), format } });
      if (format !== "csv") return c.json(f, 200);
      // The figures' table shape (docs/city-export.md), with a column per question and option.
      const columns = [
        ...FIGURE_CSV_COLUMNS.slice(0, 4),
        { code: "targeted", ja: "配布数" },
        { code: "answered", ja: "回答世帯数" },
        ...tallyColumns(f.questions),
      ];
      const cells = (g: {
        targeted: number | null;
        answered: number | null;
        tallies: Parameters<typeof tallyCells>[1];
        suppressed: boolean;
      }) => ({
        targeted: g.targeted,
        answered: g.answered,
        ...tallyCells(f.questions, g.suppressed ? null : g.tallies),
      });
      const rows = areaRows(f, cells);
      return sendCsv(
        c,
        `市の回覧の回答_${f.circular.title}`,
        toCsv(columns as CsvColumn<(typeof rows)[number]>[], rows),
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/city/circulars/{id}/attachments",
      tags,
      summary: "Attach a photo or PDF to a draft city circular (type checked by its bytes; at most 5)",
      request: uploadRequest,
      responses: uploadResponses,
    }),
    async (c) => {
      const input = { circularId: c.req.valid("param").id, ...(await uploadedFile(c.req.valid("form").file)) };
      return c.json(await uploadCityAttachment({ ctx: cityCtx(c), blobs: c.get("deps").blobs, input }), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/circulars/{id}/attachments/{attachmentId}",
      tags,
      summary: "Download an attachment of a city circular",
      request: { params: AttachmentParams },
      responses: { 200: { description: "The file" }, ...errorResponses },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid("param");
      const row = await readCityAttachment({ ctx: cityCtx(c), input: { circularId: id, id: attachmentId } });
      return fileResponse(c, row);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/city/circulars/{id}/attachments/{attachmentId}",
      tags,
      summary: "Remove an attachment from a draft city circular",
      request: { params: AttachmentParams },
      responses: { 204: { description: "Removed" }, ...errorResponses, 409: json(ErrorSchema, "Not a draft") },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid("param");
      await deleteCityAttachment({
        ctx: cityCtx(c),
        blobs: c.get("deps").blobs,
        input: { circularId: id, id: attachmentId },
      });
      return c.body(null, 204);
    },
  )
  // ---------- a city 安否確認 (safety.service.ts) ----------
  .openapi(
    createRoute({
      method: "get",
      path: "/city/safety-checks",
      tags: safetyTags,
      summary: "The city's safety checks, open first",
      responses: { 200: json(CitySafetyList, "Checks"), ...errorResponses },
    }),
    async (c) => c.json({ checks: await listCitySafetyChecks({ ctx: cityCtx(c) }) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/city/safety-checks",
      tags: safetyTags,
      summary: "「安否確認を始める」 for the whole city, wards, districts or chosen associations (urgent push at once)",
      request: { body: jsonBody(CitySafetyStart) },
      responses: { 201: json(CitySafetyLive, "Started: the live counts"), ...errorResponses },
    }),
    async (c) => {
      const live = await startCitySafetyCheck({ ctx: cityCtx(c), input: c.req.valid("json") });
      sendQueuedPushes(c);
      return c.json(live, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/city/safety-checks/{id}/close",
      tags: safetyTags,
      summary: "Close a city safety check and every association's copy",
      request: { params: IdParam },
      responses: { 200: json(CitySafetyHead, "Closed"), ...errorResponses, 409: json(ErrorSchema, "Closed already") },
    }),
    async (c) => c.json(await closeCitySafetyCheck({ ctx: cityCtx(c), input: c.req.valid("param") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/safety-checks/{id}",
      tags: safetyTags,
      summary: "Live counts per ward, district and association (counts only; or as CSV); every read audited",
      request: { params: IdParam, query: FiguresQuery },
      responses: {
        200: {
          ...json(CitySafetyLive, "Live counts"),
          content: { ...json(CitySafetyLive, "").content, ...csvResponse.content },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const format = c.req.valid("query").format;
      const live = await citySafetyLive({ ctx: cityCtx(c), input: { id: c.req.valid("param").id, format } });
      c.header("Cache-Control", "private, no-cache");
      if (format !== "csv") return c.json(live, 200);
      const cells = (g: {
        targeted: number | null;
        answered: number | null;
        safe: number | null;
        help: number | null;
        unanswered: number | null;
      }) => ({
        targeted: g.targeted,
        answered: g.answered,
        safe: g.safe,
        help: g.help,
        unanswered: g.unanswered,
      });
      const rows = areaRows(
        { ...live, circular: { title: live.check.drill ? "【訓練】安否確認" : "安否確認" } },
        cells,
      );
      return sendCsv(c, `${live.check.drill ? "訓練_" : ""}安否確認_市`, toCsv(SAFETY_CSV_COLUMNS, rows));
    },
  );
