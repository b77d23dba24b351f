/// <reference lib="webworker" />
// The app shell: every file of the build (the list is injected by vite-plugin-pwa at build time), cached at install
// and replaced as a whole when a new version installs.
import { cleanupOutdatedCaches, PrecacheController, type PrecacheEntry } from "workbox-precaching";

export interface Precache {
  /** The precached copy of a file of the build, or undefined when it is not part of the precache. */
  match(url: URL): Promise<Response | undefined> | undefined;
  /** The precached /index.html (the shell every app route is answered with). */
  shell(): Promise<Response | undefined>;
}

export function installPrecache(entries: Array<PrecacheEntry | string>): Precache {
  const controller = new PrecacheController({ fallbackToNetwork: true });
  controller.precache(entries); // adds the install (download) and activate (drop stale entries) listeners
  cleanupOutdatedCaches();
  const cacheName = controller.strategy.cacheName;
  return {
    match(url) {
      const key = controller.getCacheKeyForURL(url.href);
      if (!key) return undefined;
      return caches.open(cacheName).then((cache) => cache.match(key));
    },
    shell: () => controller.matchPrecache("/index.html"),
  };
}
