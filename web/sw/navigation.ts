/// <reference lib="webworker" />
// Navigations (opening the app, /join/<token> from a QR code, /c/<id>, a reload): the network first, so a tablet
// always gets the current version when it can; the precached shell when the network fails or takes too long, so the
// app opens offline and shows what it cached.
import type { Precache } from "./precache";

/** Past this, a navigation is answered with the cached shell (the network answer, if it comes, is dropped). */
export const NAVIGATION_TIMEOUT_MS = 4000;

export async function handleNavigation(event: FetchEvent, precache: Precache): Promise<Response> {
  const network: Promise<Response> = Promise.resolve(event.preloadResponse)
    .catch(() => undefined)
    .then((preloaded) => (preloaded instanceof Response ? preloaded : fetch(event.request)));
  network.catch(() => undefined); // when the shell answers first, a later failure is nobody's concern
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), NAVIGATION_TIMEOUT_MS)));
  try {
    const first = await Promise.race([network, late]);
    if (first !== "late") return first;
  } catch {
    // offline: the shell below
  } finally {
    clearTimeout(timer);
  }
  const shell = await precache.shell().catch(() => undefined);
  // No shell (the precache is gone): whatever the network does, even if slow.
  return shell ?? network;
}
