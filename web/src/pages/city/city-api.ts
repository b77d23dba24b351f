// The shapes the city screens use (docs/adr/0005, /api/openapi.json) and the addresses they read. The city sees
// counts and rates only: no household or member appears in any of these.
import type { Attachment, BodyPart } from "../../api";
import { uploadFile } from "../leader/leader-api";

export type Level = "city" | "ward" | "district" | "association";

/** A group's figures. Rates are 0..1; every figure is null when the group is suppressed (under 5 households). */
export interface Figures {
  suppressed: boolean;
  householdsInArea: number | null;
  memberHouseholds: number | null;
  coverage: number | null;
  appHouseholds: number | null;
  paperHouseholds: number | null;
  paperShare: number | null;
  pushHouseholds: number | null;
  pushShare: number | null;
  activeHouseholds: number | null;
  activeShare: number | null;
  circulars: number | null;
  targeted: number | null;
  read24hRate: number | null;
  read72hRate: number | null;
  readByDueRate: number | null;
  medianReadBucket: number | null;
  medianReadLabel: string | null;
}

export interface ScopeRef {
  level: Level;
  id: string;
  name: string;
}

export interface Overview {
  scope: ScopeRef & { parents: ScopeRef[] };
  period: { weeks: number; from: string; to: string };
  figures: Figures;
  children: (Figures & { level: Level; id: string; name: string })[];
}

export interface TrendWeek {
  week: number;
  /** YYYY-MM-DD, a Monday (JST). */
  start: string;
  circulars: number | null;
  targeted: number | null;
  read24hRate: number | null;
  read72hRate: number | null;
  readByDueRate: number | null;
  medianReadBucket: number | null;
  medianReadLabel: string | null;
}

export interface Trends {
  weeks: TrendWeek[];
  /** Plain-language sentences by figure (read24h, read72h): 「先週より3ポイント上昇しました。」 in both languages. */
  captions: Record<string, { ja: string; en: string } | string>;
  suppressed?: boolean;
}

export type Reason = "low_coverage" | "falling_read_rate" | "low_read_rate";

export interface NeedsSupportRow {
  id: string;
  name: string;
  wardName: string;
  districtName: string;
  coverage: number | null;
  read72hRecent: number | null;
  read72hPrevious: number | null;
  change: number | null;
  reasons: Reason[];
  reasonText: string;
  reasonTextEn?: string;
}

export type NeedsSort = "reason" | "coverage" | "read72h" | "change";
export type Order = "asc" | "desc";

export interface AreaAssociation {
  id: string;
  name: string;
}
export interface AreaDistrict {
  id: string;
  name: string;
  associations: AreaAssociation[];
}
export interface AreaWard {
  id: string;
  name: string;
  districts: AreaDistrict[];
}
export interface Areas {
  wards: AreaWard[];
}

export type TargetScope = "city" | "wards" | "districts" | "associations";
export type Target = { scope: "city" } | { scope: Exclude<TargetScope, "city">; ids: string[] };
export type Priority = "normal" | "urgent";

/** How far a published city circular went (aggregates; households and read are null under 5 households). */
export interface Reach {
  associations: number;
  suppressed: boolean;
  households: number | null;
  read: number | null;
  readRate: number | null;
}

export interface CityCircularSummary {
  id: string;
  title: string;
  priority: Priority;
  status: "draft" | "published" | "withdrawn";
  target: Target;
  /** The chosen wards, districts or associations, by name. */
  targetNames: { id: string; name: string }[];
  authorName: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  dueAt: string | null;
  withdrawnAt: string | null;
  reach: Reach | null;
}

export interface CityCircular extends CityCircularSummary {
  body: string;
  bodyParts: BodyPart[];
  attachments: Attachment[];
}

export interface Published {
  circular: CityCircular;
  associations: number;
  households: number | null;
}

interface FigureFields {
  /** Fewer than 5 targeted households: every figure is null. */
  suppressed: boolean;
  targeted: number | null;
  read: number | null;
  read24hRate: number | null;
  read72hRate: number | null;
  /** null without a due date. */
  readByDueRate: number | null;
}

/** One group's read figures for a city circular. */
export interface FigureRow extends FigureFields {
  id: string;
  name: string;
  wardName?: string;
  districtName?: string;
}

export interface CircularFigures {
  circular: { id: string; title: string; status: CityCircular["status"]; publishedAt: string | null; dueAt: string | null };
  total: FigureFields & { associations: number };
  wards: FigureRow[];
  districts: FigureRow[];
  associations: FigureRow[];
}

// ---------- addresses ----------

const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") s.set(k, v);
  const text = s.toString();
  return text ? `?${text}` : "";
};

export const overviewUrl = (level: Level, id?: string) => `/api/city/overview${q({ level, id: level === "city" ? undefined : id })}`;
export const trendsUrl = (level: Level, id?: string) => `/api/city/trends${q({ level, id: level === "city" ? undefined : id })}`;
export const needsSupportUrl = (sort?: NeedsSort, order?: Order) => `/api/city/needs-support${q({ sort, order })}`;
export const figuresUrl = (id: string) => `/api/city/circulars/${encodeURIComponent(id)}/figures`;

/** The same address asking for another format (?format=csv or json): the export links. */
export function withFormat(url: string, format: "csv" | "json"): string {
  return url + (url.includes("?") ? "&" : "?") + `format=${format}`;
}

/** The page of a group on the dashboard. */
export function scopePath(level: Level, id: string): string {
  const short = { city: "", ward: "w", district: "d", association: "a" }[level];
  return short ? `/city/${short}/${encodeURIComponent(id)}` : "/city";
}

export const CHILD_LEVEL: Record<Level, Level | null> = { city: "ward", ward: "district", district: "association", association: null };

// ---------- uploads ----------

/** Uploads one file to a city draft, with progress (the leaders' uploadFile). */
export function uploadCityAttachment(circularId: string, file: File, onProgress: (share: number) => void): Promise<Attachment> {
  return uploadFile(`/api/city/circulars/${encodeURIComponent(circularId)}/attachments`, file, onProgress);
}
