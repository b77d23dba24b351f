// The city's dashboard: query and response schemas (docs/city-export.md), for the routes and (as inferred types,
// `import type` only) for the PWA's city screens. Counts and rates only: no household or member appears here.
import { z } from "@hono/zod-openapi";
import { STAT_LEVELS } from "../../db/schema";

const Rate = z.number().min(0).max(1).nullable();
const Count = z.number().int().nullable();
/** More member households than households in area (docs/adr/0005): coverage counts at most 100%. */
const OverCount = z.boolean().nullable();

export const FiguresSchema = z.object({
  suppressed: z.boolean().openapi({ description: "Fewer than 5 member households: every figure is null (「—」)" }),
  householdsInArea: Count,
  memberHouseholds: Count,
  coverage: Rate.openapi({
    description:
      "Member households / households in area; an association with more member households than households in area " +
      "counts at most its households in area, so this is never over 1",
  }),
  coverageOverCount: OverCount.openapi({
    description:
      "Some association here (of 5 or more member households) has more member households than the households in " +
      "area entered for it: that figure needs review (「世帯数の見直しが必要」). null when suppressed",
  }),
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

export const ScopeRef = z.object({ level: z.enum(STAT_LEVELS), id: z.string(), name: z.string() });

export const OverviewSchema = z
  .object({
    scope: ScopeRef.extend({ parents: z.array(ScopeRef) }),
    period: z.object({ weeks: z.number().int(), from: z.string(), to: z.string() }),
    figures: FiguresSchema,
    children: z.array(ScopeRef.merge(FiguresSchema)),
  })
  .openapi("CityOverview");

export const WeekSchema = z.object({
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
export const Caption = z.object({ ja: z.string(), en: z.string() });
export const TrendsSchema = z
  .object({
    scope: ScopeRef,
    suppressed: z.boolean(),
    weeks: z.array(WeekSchema),
    captions: z.object({ read24h: Caption, read72h: Caption }),
  })
  .openapi("CityTrends");

export const NeedsSupportSchema = z
  .object({
    thresholds: z.object({ coverage: z.number(), read72h: z.number(), fallPoints: z.number() }),
    associations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        wardName: z.string(),
        districtName: z.string(),
        coverage: Rate,
        coverageOverCount: z.boolean().openapi({
          description: "More member households than households in area: coverage counts at most 100% (never low)",
        }),
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

export const AreasSchema = z
  .object({
    wards: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        districts: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            associations: z.array(z.object({ id: z.string(), name: z.string() })),
          }),
        ),
      }),
    ),
  })
  .openapi("CityAreas");

/**
 * A download (「CSVで保存」「JSONで保存」), recorded in the audit log as an export with its format; without it, the
 * page's own view of the figures (recorded as a view).
 */
export const Format = z.enum(["json", "csv"]).optional().openapi({
  description:
    "A download, recorded as an export: csv (UTF-8 with BOM, for Excel) or json. Without it: JSON, recorded as a view",
});
export const ScopeQuery = z.object({
  level: z.enum(STAT_LEVELS).default("city"),
  id: z.string().max(64).optional(),
  format: Format,
});

export const NeedsSupportQuery = z.object({
  sort: z.enum(["reason", "coverage", "read72h", "change"]).default("reason"),
  order: z.enum(["asc", "desc"]).default("asc"),
  format: Format,
});

// What the JSON carries, and the query a client asks with.
export type CityFigures = z.output<typeof FiguresSchema>;
export type ScopeRef = z.output<typeof ScopeRef>;
export type Level = ScopeRef["level"];
export type Overview = z.output<typeof OverviewSchema>;
export type TrendWeek = z.output<typeof WeekSchema>;
export type Trends = z.output<typeof TrendsSchema>;
export type NeedsSupport = z.output<typeof NeedsSupportSchema>;
export type NeedsSupportRow = NeedsSupport["associations"][number];
export type NeedsSupportQueryInput = z.input<typeof NeedsSupportQuery>;
export type Areas = z.output<typeof AreasSchema>;
