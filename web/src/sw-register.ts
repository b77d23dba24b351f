// Registers the service worker (web/sw/sw.ts) and takes the page through updates safely. A new version activates
// by itself and takes over open pages; this page then reloads at a moment that loses nothing: at once when it is
// hidden, or on the next move between screens (a link or the back button), never while someone is reading or
// typing. A tablet that stays open for weeks also asks for updates now and then.
const UPDATE_EVERY_MS = 60 * 60 * 1000;

export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  const sw = navigator.serviceWorker;
  let hadController = !!sw.controller;
  let reloadPending = false;
  let registration: ServiceWorkerRegistration | undefined;

  const reload = () => {
    reloadPending = false;
    location.reload();
  };

  sw.addEventListener("controllerchange", () => {
    // The first install takes over this page: it runs the current version already.
    if (!hadController) {
      hadController = true;
      return;
    }
    reloadPending = true;
    if (document.visibilityState === "hidden") reload();
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      if (reloadPending) reload();
    } else {
      void registration?.update().catch(() => undefined);
    }
  });

  // The next move between screens loads the new version as a whole page instead of switching on the client.
  document.addEventListener(
    "click",
    (e) => {
      if (!reloadPending || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
        return;
      const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
      const to = new URL(a.href, location.href);
      if (to.origin !== location.origin) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      location.assign(to.href);
    },
    true,
  );
  window.addEventListener("popstate", () => {
    if (reloadPending) reload();
  });

  const start = () => {
    sw.register("/sw.js", { scope: "/", updateViaCache: "none" })
      .then((reg) => {
        registration = reg;
        setInterval(() => {
          if (document.visibilityState === "visible" && navigator.onLine) void reg.update().catch(() => undefined);
        }, UPDATE_EVERY_MS);
      })
      .catch(() => {
        // no offline support in this browser; everything else still works
      });
  };
  // After the page has loaded, so installing the worker never competes with the first screen.
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
}
