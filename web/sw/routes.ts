// Which requests the service worker answers, and how. Pure functions of the URL and method, so they are tested
// without a browser (test/e2e/sw-routes.test.ts) and read as the policy of the offline side:
//
//   navigation to an app route  -> network first, the precached shell when offline (never for /api/ or a file)
//   a file of the build         -> the precache (network when it is not precached)
//   GET /api/feed, /api/feed/ID -> network first into the kairan-api cache; the cache only when the network fails
//   GET /api/safety/mine        -> likewise (an open 安否確認 still shows when the app reopens without a connection)
//   GET /api/attachments/ID     -> likewise, for images only (the photos of circulars the household opened)
//   POST sign-in/join/sign-out  -> the network; on success the kairan-api caches are emptied (another household)
//   anything else               -> not touched at all: the browser's own network request, no fallback
//   another origin              -> not touched, never cached

/** Every cache of API answers starts with this; the Settings page deletes them at sign-out. */
export const API_CACHE_PREFIX = "kairan-api";
/** Feed and circular JSON. Bump the version when the shape of what is stored changes. */
export const API_CACHE = `${API_CACHE_PREFIX}-v1`;
/** Images attached to circulars the household opened. */
export const FILE_CACHE = `${API_CACHE_PREFIX}-files-v1`;

export type RouteKind = "navigation" | "asset" | "api-json" | "api-image" | "session-change" | null;

const ID = "[A-Za-z0-9_-]{1,64}";
const FEED = new RegExp(`^/api/feed(?:/${ID})?$`);
const SAFETY_MINE = /^\/api\/safety\/mine$/;
const ATTACHMENT = new RegExp(`^/api/attachments/${ID}$`);
const SESSION_CHANGE = /^\/api\/(?:join|join\/staff|auth\/login|auth\/logout)$/;

export const isApiPath = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/");
/** A path that names a file (/assets/x.js, /manifest.webmanifest) rather than a screen of the app. */
export const isFilePath = (pathname: string) => /\/[^/]*\.[A-Za-z0-9]+$/.test(pathname);

export interface RouteInput {
  url: URL;
  method: string;
  mode: RequestMode;
  /** The service worker's own origin. */
  origin: string;
}

export function classify({ url, method, mode, origin }: RouteInput): RouteKind {
  if (url.origin !== origin) return null;
  const path = url.pathname;
  if (method === "GET" && mode === "navigate") return isApiPath(path) || isFilePath(path) ? null : "navigation";
  if (method === "POST" && SESSION_CHANGE.test(path)) return "session-change";
  if (method !== "GET") return null;
  if (FEED.test(path) || SAFETY_MINE.test(path)) return "api-json";
  if (ATTACHMENT.test(path)) return "api-image";
  if (isApiPath(path)) return null;
  return "asset";
}
