// The city's dashboard routes (role city or admin): JSON by default, CSV with ?format=csv (docs/city-export.md).
import { createRoute, z } from "@hono/zod-openapi";
import { cityCtx } from "../../context";
import { STAT_LEVELS } from "../../db/schema";
import { createRouter, errorResponses, json } from "../../lib/openapi";
import { cityAreas, cityOverview, cityTrends, needsSupport, type Figures } from "./city.service";
import { csvResponse, sendCsv, toCsv, type CsvColumn } from "./csv";

const tags = ["市 / City"];

const Rate = z.number().min(0).max(1).nullable();
const Count = z.number().int().nullable();

const FiguresSchema = z.object({
  suppressed: z.boolean().openapi({ description: "Fewer than 5 member households: every figure is null (「—」)" }),
  householdsInArea: Count,
  memberHouseholds: Count,
  coverage: Rate,
  appHouseholds: Count,
  paperHouseholds: Count,
  paperShare: Rate,
  pushHouseholds: Count,
  pushShare: Rate.openapi({ description: "Households with a subscribed device / app households" }),
  activeHouseholds: Count.openapi({ description: "Member households that acknowledged anything in the last 30 days" }),
  activeShare: Rate,
  circulars: Count.openapi({ description: "Circulars published in the last 26 weeks" }),
  targeted: Count,
  read24hRate: Rate,
  read72hRate: Rate,
  readByDueRate: Rate,
  medianReadBucket: Count,
  medianReadLabel: z.string().nullable().openapi({ example: "3時間以内" }),
});

const ScopeRef = z.object({ level: z.enum(STAT_LEVELS), id: z.string(), name: z.string() });

const OverviewSchema = z
  .object({
    scope: ScopeRef.extend({ parents: z.array(ScopeRef) }),
    period: z.object({ weeks: z.number().int(), from: z.string(), to: z.string() }),
    figures: FiguresSchema,
    children: z.array(ScopeRef.merge(FiguresSchema)),
  })
  .openapi("CityOverview");

const WeekSchema = z.object({
  week: z.number().int(),
  start: z.string().openapi({ example: "2026-11-23", description: "Monday of the week (JST)" }),
  circulars: Count,
  targeted: Count,
  read24hRate: Rate,
  read72hRate: Rate,
  readByDueRate: Rate,
  medianReadBucket: Count,
  medianReadLabel: z.string().nullable(),
});
const Caption = z.object({ ja: z.string(), en: z.string() });
const TrendsSchema = z
  .object({
    scope: ScopeRef,
    suppressed: z.boolean(),
    weeks: z.array(WeekSchema),
    captions: z.object({ read24h: Caption, read72h: Caption }),
  })
  .openapi("CityTrends");

const NeedsSupportSchema = z
  .object({
    thresholds: z.object({ coverage: z.number(), read72h: z.number(), fallPoints: z.number() }),
    associations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        wardName: z.string(),
        districtName: z.string(),
        coverage: Rate,
        read72hRecent: Rate,
        read72hPrevious: Rate,
        change: z.number().nullable(),
        reasons: z.array(z.enum(["low_coverage", "falling_read_rate", "low_read_rate"])),
        reasonText: z.string(),
        reasonTextEn: z.string(),
      }),
    ),
  })
  .openapi("CityNeedsSupport");

const AreasSchema = z
  .object({
    wards: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        districts: z.array(
          z.object({ id: z.string(), name: z.string(), associations: z.array(z.object({ id: z.string(), name: z.string() })) }),
        ),
      }),
    ),
  })
  .openapi("CityAreas");

const Format = z.enum(["json", "csv"]).default("json").openapi({ description: "csv: UTF-8 with BOM, for Excel" });
const ScopeQuery = z.object({
  level: z.enum(STAT_LEVELS).default("city"),
  id: z.string().max(64).optional(),
  format: Format,
});


type FigureRow = Figures & { level: string; name: string };
const FIGURE_COLUMNS: CsvColumn<FigureRow>[] = [
  { code: "level", ja: "区分" },
  { code: "name", ja: "名前" },
  { code: "householdsInArea", ja: "区域内の世帯数" },
  { code: "memberHouseholds", ja: "加入世帯数" },
  { code: "coverage", ja: "加入率(0〜1)" },
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

type WeekRow = z.infer<typeof WeekSchema>;
const WEEK_COLUMNS: CsvColumn<WeekRow>[] = [
  { code: "start", ja: "週のはじめ(月曜日)" },
  { code: "circulars", ja: "回覧数" },
  { code: "targeted", ja: "配布数" },
  { code: "read24hRate", ja: "24時間以内の確認率(0〜1)" },
  { code: "read72hRate", ja: "72時間以内の確認率(0〜1)" },
  { code: "readByDueRate", ja: "期限内の確認率(0〜1)" },
  { code: "medianReadLabel", ja: "確認までの時間(中央値)" },
];

type SupportRow = z.infer<typeof NeedsSupportSchema>["associations"][number];
const SUPPORT_COLUMNS: CsvColumn<SupportRow>[] = [
  { code: "name", ja: "町内会" },
  { code: "wardName", ja: "区" },
  { code: "districtName", ja: "地区" },
  { code: "coverage", ja: "加入率(0〜1)" },
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
      responses: { 200: { ...json(OverviewSchema, "Overview"), content: { ...json(OverviewSchema, "").content, ...csvResponse.content } }, ...errorResponses },
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
      responses: { 200: { ...json(TrendsSchema, "Trends"), content: { ...json(TrendsSchema, "").content, ...csvResponse.content } }, ...errorResponses },
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
      request: {
        query: z.object({
          sort: z.enum(["reason", "coverage", "read72h", "change"]).default("reason"),
          order: z.enum(["asc", "desc"]).default("asc"),
          format: Format,
        }),
      },
      responses: {
        200: { ...json(NeedsSupportSchema, "Associations"), content: { ...json(NeedsSupportSchema, "").content, ...csvResponse.content } },
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
