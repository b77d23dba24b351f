// The device's interface language as the service worker reads it when a push arrives with no page open: the page
// writes it into a cache of its own (not a kairan-api* one, which signing out and updates clear) whenever the setting
// changes or the app starts; web/sw/push.ts reads it. No DOM or worker types: both sides import this file.
export const DEVICE_CACHE = "kairan-device";
/** A same-origin URL that is never a real route (the worker answers nothing from this cache). */
export const LANG_URL = "/__kairan/lang";

/** Keeps the language for the service worker; best effort (no Cache API: notifications stay Japanese). */
export async function rememberLang(lang: string): Promise<void> {
  if (typeof caches === "undefined") return;
  try {
    const cache = await caches.open(DEVICE_CACHE);
    await cache.put(LANG_URL, new Response(lang, { headers: { "content-type": "text/plain" } }));
  } catch {
    // private mode or full storage
  }
}

/** The language the page last wrote, or null. */
export async function rememberedLang(): Promise<string | null> {
  if (typeof caches === "undefined") return null;
  try {
    const res = await (await caches.open(DEVICE_CACHE)).match(LANG_URL);
    return res ? (await res.text()).trim() : null;
  } catch {
    return null;
  }
}
