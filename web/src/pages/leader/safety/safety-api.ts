// The 安否確認 API's shapes (see /api/openapi.json), as types only: nothing of the server reaches the chunk.
import type { SafetyBoard } from "../../../../../server/features/safety/safety.schemas";

export type { SafetyBoard, SafetyCheck, SafetyReport } from "../../../../../server/features/safety/safety.schemas";
export type { SafetyNeed } from "../../../../../server/features/safety/safety-questions";

export type SafetyHousehold = SafetyBoard["blocks"][number]["help"][number];
export type SupportNeed = NonNullable<SafetyHousehold["support"]>["needs"][number];
export type SafetyChannel = NonNullable<SafetyHousehold["answer"]>["channel"];

export const checkPath = (id: string) => `/api/safety/checks/${encodeURIComponent(id)}`;
export const boardHref = (id: string) => `/leader/safety/${encodeURIComponent(id)}`;
