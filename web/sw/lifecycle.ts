/// <reference lib="webworker" />
// Updates that never strand a tablet: a new version activates as soon as it has downloaded the new shell (an old
// page cannot be relied on to ask for it: the tablet may stay on one screen for weeks), takes over the open pages,
// and the page reloads itself at a safe moment (web/src/sw-register.ts: when it is hidden or on the next move
// between screens). API caches of older versions are dropped on activation.
import { API_CACHE, API_CACHE_PREFIX, FILE_CACHE } from "./routes";

export function installLifecycle(self: ServiceWorkerGlobalScope): void {
  self.addEventListener("install", () => {
    void self.skipWaiting();
  });
  self.addEventListener("activate", (event) => {
    event.waitUntil(
      (async () => {
        const current = new Set([API_CACHE, FILE_CACHE]);
        for (const name of await caches.keys())
          if (name.startsWith(API_CACHE_PREFIX) && !current.has(name)) await caches.delete(name);
        // Navigations start their network request while the worker starts up.
        await self.registration.navigationPreload?.enable().catch(() => undefined);
        await self.clients.claim();
      })(),
    );
  });
}
