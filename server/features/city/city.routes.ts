// The city's dashboard routes (role city or admin): JSON by default, CSV with ?format=csv (docs/city-export.md).
import { createRoute } from "@hono/zod-openapi";
import { cityCtx } from "../../context";
import { createRouter, errorResponses, json } from "../../lib/openapi";
import {
  AreasSchema,
  NeedsSupportQuery,
  NeedsSupportSchema,
  OverviewSchema,
  ScopeQuery,
  TrendsSchema,
  type NeedsSupportRow,
  type TrendWeek,
} from "./city.schemas";
import { cityAreas, cityOverview, cityTrends, needsSupport, type Figures } from "./city.service";
import { csvResponse, sendCsv, toCsv, type CsvColumn } from "./csv";

const tags = ["市 / City"];

type FigureRow = Figures & { level: string; name: string };
const FIGURE_COLUMNS: CsvColumn<FigureRow>[] = [
  { code: "level", ja: "区分" },
  { code: "name", ja: "名前" },
  { code: "householdsInArea", ja: "区域内の世帯数" },
  { code: "memberHouseholds", ja: "加入世帯数" },
  { code: "coverage", ja: "加入率(0〜1)" },
  { code: "coverageOverCount", ja: "世帯数の見直しが必要" },
  { code: "appHouseholds", ja: "アプリの世帯数" },
  { code: "paperHouseholds", ja: "紙の世帯数" },
  { code: "paperShare", ja: "紙の割合(0〜1)" },
  { code: "pushHouseholds", ja: "通知を受け取る世帯数" },
  { code: "pushShare", ja: "通知の登録率(0〜1)" },
  { code: "activeHouseholds", ja: "30日以内に確認した世帯数" },
  { code: "activeShare", ja: "30日以内に確認した割合(0〜1)" },
  { code: "circulars", ja: "回覧数(26週)" },
  { code: "targeted", ja: "配布数(26週)" },
  { code: "read24hRate", ja: "24時間以内の確認率(0〜1)" },
  { code: "read72hRate", ja: "72時間以内の確認率(0〜1)" },
  { code: "readByDueRate", ja: "期限内の確認率(0〜1)" },
  { code: "medianReadLabel", ja: "確認までの時間(中央値)" },
];
const LEVEL_JA: Record<string, string> = { city: "市", ward: "区", district: "地区", association: "町内会" };

type WeekRow = TrendWeek;
const WEEK_COLUMNS: CsvColumn<WeekRow>[] = [
  { code: "start", ja: "週のはじめ(月曜日)" },
  { code: "circulars", ja: "回覧数" },
  { code: "targeted", ja: "配布数" },
  { code: "read24hRate", ja: "24時間以内の確認率(0〜1)" },
  { code: "read72hRate", ja: "72時間以内の確認率(0〜1)" },
  { code: "readByDueRate", ja: "期限内の確認率(0〜1)" },
  { code: "medianReadLabel", ja: "確認までの時間(中央値)" },
];

type SupportRow = NeedsSupportRow;
const SUPPORT_COLUMNS: CsvColumn<SupportRow>[] = [
  { code: "name", ja: "町内会" },
  { code: "wardName", ja: "区" },
  { code: "districtName", ja: "地区" },
  { code: "coverage", ja: "加入率(0〜1)" },
  { code: "coverageOverCount", ja: "世帯数の見直しが必要" },
  { code: "read72hRecent", ja: "72時間以内の確認率 直近4週(0〜1)" },
  { code: "read72hPrevious", ja: "72時間以内の確認率 その前の4週(0〜1)" },
  { code: "change", ja: "変化(0〜1)" },
  { code: "reasonText", ja: "理由" },
];

export const cityRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/city/areas",
      tags,
      summary: "Wards, districts and associations (names only)",
      responses: { 200: json(AreasSchema, "Areas"), ...errorResponses },
    }),
    async (c) => c.json(await cityAreas({ ctx: cityCtx(c) }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/overview",
      tags,
      summary: "Figures of a scope (city, ward, district, association) and of its children; counts and rates only",
      request: { query: ScopeQuery },
      responses: {
        200: {
          ...json(OverviewSchema, "Overview"),
          content: { ...json(OverviewSchema, "").content, ...csvResponse.content },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const ctx = cityCtx(c);
      const o = await cityOverview({ ctx, input: q });
      if (q.format === "csv") {
        const rows: FigureRow[] = [
          { ...o.figures, level: LEVEL_JA[o.scope.level]!, name: o.scope.name },
          ...o.children.map((ch) => ({ ...ch, level: LEVEL_JA[ch.level]! })),
        ];
        return sendCsv(c, `加入と確認_${o.scope.name}`, toCsv(FIGURE_COLUMNS, rows));
      }
      return c.json(o, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/trends",
      tags,
      summary: "Weekly read figures of a scope over the last 26 weeks, with plain-language captions",
      request: { query: ScopeQuery },
      responses: {
        200: {
          ...json(TrendsSchema, "Trends"),
          content: { ...json(TrendsSchema, "").content, ...csvResponse.content },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const t = await cityTrends({ ctx: cityCtx(c), input: q });
      if (q.format === "csv") return sendCsv(c, `週ごとの推移_${t.scope.name}`, toCsv(WEEK_COLUMNS, t.weeks));
      return c.json(t, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/city/needs-support",
      tags,
      summary: "Associations with low coverage or low or falling read rates, with the reason",
      request: { query: NeedsSupportQuery },
      responses: {
        200: {
          ...json(NeedsSupportSchema, "Associations"),
          content: { ...json(NeedsSupportSchema, "").content, ...csvResponse.content },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const r = await needsSupport({ ctx: cityCtx(c), input: q });
      if (q.format === "csv") return sendCsv(c, "支援が必要な町内会", toCsv(SUPPORT_COLUMNS, r.associations));
      return c.json(r, 200);
    },
  );
