/// <reference lib="webworker" />
// What a household opened stays readable offline: the feed, each circular it opened and the photos attached to
// them are stored when they arrive from the server (200 only) and answered from the cache only when the network
// fails. Nothing else under /api/ is ever answered by the service worker. Nothing here logs or inspects contents.
import { API_CACHE, API_CACHE_PREFIX, FILE_CACHE } from "./routes";

/** How many answers each cache keeps (oldest dropped first). */
const LIMITS: Record<string, number> = { [API_CACHE]: 300, [FILE_CACHE]: 60 };
/** Larger photos are shown but not kept on the device. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Marks an answer that came from the device rather than the server. */
export const FROM_CACHE_HEADER = "X-Kairan-From-Cache";

export async function clearApiCaches(): Promise<void> {
  for (const name of await caches.keys()) if (name.startsWith(API_CACHE_PREFIX)) await caches.delete(name);
}

function worthKeeping(cacheName: string, res: Response): boolean {
  if (res.status !== 200 || res.type !== "basic" || res.redirected) return false;
  const type = res.headers.get("content-type") ?? "";
  if (cacheName === FILE_CACHE) {
    const size = Number(res.headers.get("content-length") ?? "0");
    return type.startsWith("image/") && size <= MAX_FILE_BYTES;
  }
  return type.startsWith("application/json");
}

async function store(cacheName: string, request: Request, res: Response): Promise<void> {
  const cache = await caches.open(cacheName);
  await cache.put(request, res);
  const keys = await cache.keys();
  const limit = LIMITS[cacheName] ?? 100;
  // keys() lists in insertion order, and put() of an existing key moves it to the end.
  for (const old of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(old);
}

async function fromCache(cacheName: string, request: Request): Promise<Response | undefined> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request, { ignoreVary: true });
  if (!hit) return undefined;
  const headers = new Headers(hit.headers);
  headers.set(FROM_CACHE_HEADER, "1");
  return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
}

/** Network first; the stored answer only when there is no network answer at all. */
export async function networkFirst(event: FetchEvent, cacheName: string): Promise<Response> {
  const request = event.request;
  let res: Response;
  try {
    res = await fetch(request);
  } catch {
    return (await fromCache(cacheName, request).catch(() => undefined)) ?? Response.error();
  }
  if (worthKeeping(cacheName, res)) {
    event.waitUntil(store(cacheName, request, res.clone()).catch(() => undefined));
  } else if (res.status === 401 || res.status === 403) {
    // Signed out or the device's registration was ended: the household's notices leave the device.
    event.waitUntil(clearApiCaches().catch(() => undefined));
  } else if (res.status === 404 || res.status === 410) {
    // Withdrawn: no longer readable offline either.
    event.waitUntil(
      caches
        .open(cacheName)
        .then((c) => c.delete(request))
        .catch(() => undefined),
    );
  }
  return res;
}

/** Joining, signing in or out: whoever uses the device next must not read the previous household's notices. */
export async function sessionChange(event: FetchEvent): Promise<Response> {
  const res = await fetch(event.request);
  if (res.ok) event.waitUntil(clearApiCaches().catch(() => undefined));
  return res;
}
