// The shapes the city screens use (docs/adr/0005, /api/openapi.json) and the addresses they read. The city sees
// counts and rates only: no household or member appears in any of these.
import type {
  CityCircularAnswers,
  CityCircularFigures,
  CityCircularSummary,
  CitySafetyLiveOut,
  CityTarget,
} from "../../../../server/features/city-circulars/city-circulars.schemas";
import type {
  Areas,
  Level,
  NeedsSupportQueryInput,
  NeedsSupportRow,
} from "../../../../server/features/city/city.schemas";
import type { Attachment } from "../../api";
import { uploadFile } from "../staff/upload";

// The server's response schemas, as types only (erased at build time: nothing of the server reaches the chunk).
export type {
  Areas,
  CityFigures as Figures,
  Level,
  NeedsSupportRow,
  Overview,
  ScopeRef,
  Trends,
  TrendWeek,
} from "../../../../server/features/city/city.schemas";
export type {
  CityCircular,
  CityCircularAnswers as CircularAnswers,
  CityCircularFigures as CircularFigures,
  CityCircularSummary,
  CityPublished as Published,
  CityReach as Reach,
  CitySafetyLiveOut as SafetyLive,
  CityTarget as Target,
} from "../../../../server/features/city-circulars/city-circulars.schemas";

export type Reason = NeedsSupportRow["reasons"][number];
export type NeedsSort = NonNullable<NeedsSupportQueryInput["sort"]>;
export type Order = NonNullable<NeedsSupportQueryInput["order"]>;

export type AreaWard = Areas["wards"][number];
export type AreaDistrict = AreaWard["districts"][number];
export type AreaAssociation = AreaDistrict["associations"][number];

export type TargetScope = CityTarget["scope"];
export type Priority = CityCircularSummary["priority"];

/** One group's read figures for a city circular: a ward, a district (with its ward) or an association (with both). */
export type FigureRow = CityCircularFigures["wards"][number] & { wardName?: string; districtName?: string };
/** One group's survey tallies for a city circular with questions, the same way. */
export type AnswerRow = CityCircularAnswers["wards"][number] & { wardName?: string; districtName?: string };

/** A city 安否確認 as listed: its message, whether a drill, open or closed, when. */
export type SafetyHead = CitySafetyLiveOut["check"];
/** One group's live safety counts: a ward, a district (with its ward) or an association (with both). */
export type SafetyRow = CitySafetyLiveOut["wards"][number] & { wardName?: string; districtName?: string };

// ---------- addresses ----------

const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") s.set(k, v);
  const text = s.toString();
  return text ? `?${text}` : "";
};

export const overviewUrl = (level: Level, id?: string) =>
  `/api/city/overview${q({ level, id: level === "city" ? undefined : id })}`;
export const trendsUrl = (level: Level, id?: string) =>
  `/api/city/trends${q({ level, id: level === "city" ? undefined : id })}`;
export const needsSupportUrl = (sort?: NeedsSort, order?: Order) => `/api/city/needs-support${q({ sort, order })}`;
export const figuresUrl = (id: string) => `/api/city/circulars/${encodeURIComponent(id)}/figures`;
export const answersUrl = (id: string) => `/api/city/circulars/${encodeURIComponent(id)}/answers`;
export const SAFETY_URL = "/api/city/safety-checks";
export const safetyUrl = (id: string) => `${SAFETY_URL}/${encodeURIComponent(id)}`;

/** The same address asking for another format (?format=csv or json): the export links. */
export function withFormat(url: string, format: "csv" | "json"): string {
  return url + (url.includes("?") ? "&" : "?") + `format=${format}`;
}

/** The page of a group on the dashboard. */
export function scopePath(level: Level, id: string): string {
  const short = { city: "", ward: "w", district: "d", association: "a" }[level];
  return short ? `/city/${short}/${encodeURIComponent(id)}` : "/city";
}

export const CHILD_LEVEL: Record<Level, Level | null> = {
  city: "ward",
  ward: "district",
  district: "association",
  association: null,
};

// ---------- uploads ----------

/** Uploads one file to a city draft, with progress (staff/upload.ts). */
export function uploadCityAttachment(
  circularId: string,
  file: File,
  onProgress: (share: number) => void,
): Promise<Attachment> {
  return uploadFile(`/api/city/circulars/${encodeURIComponent(circularId)}/attachments`, file, onProgress);
}
