// Who is using the app: loaded once at start (/api/auth/me), null when this device is not signed in.
import { signal } from "@preact/signals";
import { api, ApiError, type Me } from "./api";

export const me = signal<Me | null | undefined>(undefined);

export async function loadMe(): Promise<void> {
  try {
    me.value = await api<Me>("/api/auth/me");
  } catch (e) {
    // Signed out only when the server says so; offline or a server hiccup keeps the last known member, so a
    // resident can still read cached notices instead of landing on the start screen.
    if (e instanceof ApiError && e.status === 401) me.value = null;
    else me.value = readCachedMe();
  }
  if (me.value) localStorage.setItem("kairan.me", JSON.stringify(me.value));
  else localStorage.removeItem("kairan.me");
}

function readCachedMe(): Me | null {
  try {
    return JSON.parse(localStorage.getItem("kairan.me") ?? "null") as Me | null;
  } catch {
    return null;
  }
}

export const isStaff = (m: Me | null | undefined) => m?.role === "leader" || m?.role === "block_leader";
export const isCityStaff = (m: Me | null | undefined) => m?.role === "city" || m?.role === "admin";

/** Where the app's name in the top bar leads: a leader's list, the city's dashboard, or a household's notices. */
export const homePath = (m: Me | null | undefined) => (isCityStaff(m) ? "/city" : isStaff(m) ? "/leader" : "/");
