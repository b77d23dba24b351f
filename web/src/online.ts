import { signal } from "@preact/signals";

/** Whether the browser thinks it has a connection; the screens say so when it does not. */
export const online = signal(typeof navigator === "undefined" ? true : navigator.onLine);
if (typeof window !== "undefined") {
  window.addEventListener("online", () => (online.value = true));
  window.addEventListener("offline", () => (online.value = false));
}
