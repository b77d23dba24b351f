/// <reference lib="webworker" />
// Kairan's service worker: the app shell precached; circulars the household has opened readable offline; /api/
// never answered from an offline fallback except the circular reads it cached. The policy is in routes.ts.
// Push messages become notifications, and a click opens the circular (push.ts).
import { networkFirst, sessionChange } from "./api-cache";
import { installLifecycle } from "./lifecycle";
import { handleNavigation } from "./navigation";
import { installPrecache } from "./precache";
import { installPush } from "./push";
import { API_CACHE, classify, FILE_CACHE } from "./routes";

declare const self: ServiceWorkerGlobalScope;

installLifecycle(self);
installPush(self);
// The list of the build's files, injected here by vite-plugin-pwa (the name is fixed by workbox).
// oxlint-disable-next-line no-underscore-dangle
const precache = installPrecache(self.__WB_MANIFEST);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  switch (classify({ url, method: request.method, mode: request.mode, origin: self.location.origin })) {
    case "navigation":
      return event.respondWith(handleNavigation(event, precache));
    case "asset": {
      const hit = precache.match(url);
      if (hit) event.respondWith(hit.then((res) => res ?? fetch(request)));
      return; // not part of the build: the browser's own request
    }
    case "api-json":
      return event.respondWith(networkFirst(event, API_CACHE));
    case "api-image":
      return event.respondWith(networkFirst(event, FILE_CACHE));
    case "session-change":
      return event.respondWith(sessionChange(event));
    default:
      return; // everything else, other origins included: untouched, never cached
  }
});
