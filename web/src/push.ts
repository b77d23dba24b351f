// Web push on this device: whether it can work here, the subscription and the server's copy of it, kept current
// at every start. What the opt-in section does (subscribe from a tap, the preference, the test notification) is in
// push-actions.ts, loaded with that section.
//
// - Subscribing must start from a tap: Notification.requestPermission() is the first thing the click does (Safari
//   drops the user gesture at the first await of anything else), then pushManager.subscribe() with the server's key,
//   then POST /api/push/subscriptions (an upsert by endpoint) with a short device label, never the User-Agent.
// - The key the subscription was made with is kept in localStorage. On every start of the app (signed in), a
//   subscription made with another key than the server's current one is replaced silently (the permission is
//   already granted), and a current one is sent to the server again at most once a day so the server keeps it.
// - Turning notifications off is the preference `off` (PUT /api/push/preferences), not unsubscribing: a resident
//   who says 「受け取らない」 expects to be able to say 「受け取る」 again with one tap, without the browser asking for
//   permission again (after an unsubscribe, iOS needs a fresh gesture and sometimes a fresh permission); the leader
//   then sees 「通知を止めている」 rather than 「端末の登録なし」, which tells them the resident chose it; and each
//   household device joins as its own member, so the preference is in effect this device's. The subscription
//   itself is removed only when the device's registration ends (sign-out, forgetPushOnSignOut).
import { signal } from "@preact/signals";
import { api } from "./api";
import { decodeBase64url, encodeBase64url } from "./base64url";
import { deviceLabel } from "./device-label";

export type PushMode = "all" | "urgent" | "off";
export type Platform = "ios" | "android" | "desktop";
/** Why push cannot be used here: no support, an iPhone/iPad outside a home-screen app, or notifications refused. */
export type Unavailable = "unsupported" | "ios-home" | "denied";

export type PushState =
  | { kind: "loading" }
  | { kind: "unavailable"; reason: Unavailable }
  /** `mode` is null when the server could not be asked (offline). */
  | { kind: "ready"; subscribed: boolean; mode: PushMode | null };

const STORE = "kairan.push";
const DAY_MS = 24 * 60 * 60 * 1000;
const READY_TIMEOUT_MS = 15_000;

interface Stored {
  /** The server key the subscription was made with. */
  publicKey: string;
  endpoint: string;
  /** The server's id of this device's subscription (for DELETE at sign-out). */
  id: string;
  /** When the subscription was last sent to the server (ms). */
  postedAt: number;
}

export const pushState = signal<PushState>({ kind: "loading" });

// ---------- what this device can do ----------

export function platform(): Platform {
  const ua = navigator.userAgent;
  if (/iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1)) return "ios";
  if (/Android/.test(ua)) return "android";
  return "desktop";
}

/** Opened from the home screen (or installed), rather than in the browser. */
export function isStandalone(): boolean {
  const nav = navigator as Navigator & { standalone?: boolean };
  return (
    nav.standalone === true || (typeof matchMedia === "function" && matchMedia("(display-mode: standalone)").matches)
  );
}

/** Why push cannot work on this device right now, or null when it can. */
export function unavailable(): Unavailable | null {
  // Safari on iPhone and iPad offers push only to home-screen apps (iOS 16.4 and later).
  if (platform() === "ios" && !isStandalone()) return "ios-home";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window))
    return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return null;
}

// ---------- the subscription on this device ----------

export function readStored(): Stored | null {
  try {
    const s = JSON.parse(localStorage.getItem(STORE) ?? "null") as Stored | null;
    return s && typeof s.publicKey === "string" && typeof s.endpoint === "string" ? s : null;
  } catch {
    return null;
  }
}

export function writeStored(s: Stored | null): void {
  try {
    if (s) localStorage.setItem(STORE, JSON.stringify(s));
    else localStorage.removeItem(STORE);
  } catch {
    // private mode or full storage: the daily re-send simply happens more often
  }
}

/** The key a subscription was made with: as stored here, else as the browser reports it. */
function keyOf(sub: PushSubscription, stored: Stored | null): string | null {
  if (stored && stored.endpoint === sub.endpoint) return stored.publicKey;
  const k = sub.options?.applicationServerKey;
  return k ? encodeBase64url(k) : null;
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  return navigator.serviceWorker.getRegistration("/");
}

/** The active registration; the worker may still be installing on a first visit. */
export async function readyRegistration(): Promise<ServiceWorkerRegistration> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      navigator.serviceWorker.ready,
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error("no service worker")), READY_TIMEOUT_MS)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await registration();
  return reg ? reg.pushManager.getSubscription() : null;
}

export const fetchPublicKey = async () =>
  (await api<{ publicKey: string }>("/api/push/public-key", { cache: "no-store" })).publicKey;

export async function subscribeWith(reg: ServiceWorkerRegistration, publicKey: string): Promise<PushSubscription> {
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: decodeBase64url(publicKey) });
}

/** Sends the subscription to the server (an upsert by endpoint) and remembers what was sent. */
export async function postSubscription(sub: PushSubscription, publicKey: string): Promise<void> {
  const json = sub.toJSON();
  const saved = await api<{ id: string }>("/api/push/subscriptions", {
    method: "POST",
    json: {
      endpoint: sub.endpoint,
      keys: json.keys,
      userAgentLabel: deviceLabel(navigator.userAgent, navigator.maxTouchPoints),
    },
  });
  writeStored({ publicKey, endpoint: sub.endpoint, id: saved.id, postedAt: Date.now() });
}

/** This device's subscription made with `publicKey`: the existing one if it matches, else a new one. */
export async function ensureSubscription(reg: ServiceWorkerRegistration, publicKey: string): Promise<PushSubscription> {
  const existing = await reg.pushManager.getSubscription();
  if (existing && keyOf(existing, readStored()) === publicKey) return existing;
  // Made with another key (the server's key changed): a push service refuses the new key's messages for it.
  if (existing) await existing.unsubscribe().catch(() => false);
  return subscribeWith(reg, publicKey);
}

/**
 * At every start of the app, signed in: replace a subscription made with an old server key (or one the browser
 * dropped after the resident opted in here), or send a current one to the server again (at most once a day) so
 * it keeps it. Silent: only with the permission already granted, never asking for anything.
 */
export async function syncPushOnStart(): Promise<void> {
  if (unavailable() || Notification.permission !== "granted") return;
  try {
    const reg = await registration();
    if (!reg) return;
    let sub = await reg.pushManager.getSubscription();
    const stored = readStored();
    if (!sub && !stored) return; // never opted in on this device
    const publicKey = await fetchPublicKey();
    if (sub && keyOf(sub, stored) !== publicKey) {
      // A push service refuses messages signed with another key than the subscription was made with.
      await sub.unsubscribe().catch(() => false);
      sub = null;
    }
    if (!sub) await postSubscription(await subscribeWith(reg, publicKey), publicKey);
    else if (!stored || stored.endpoint !== sub.endpoint || Date.now() - stored.postedAt > DAY_MS)
      await postSubscription(sub, publicKey);
  } catch {
    // offline, the server busy, or the browser refused to subscribe without a tap: the next start tries again
  }
}

/**
 * Before this device's registration ends (「この端末の登録を解除する」): the next household on a shared tablet must
 * not receive this one's notices, so the browser's subscription and the server's copy both go.
 */
export async function forgetPushOnSignOut(): Promise<void> {
  const stored = readStored();
  writeStored(null);
  try {
    const sub = await currentSubscription();
    await sub?.unsubscribe();
  } catch {
    // nothing subscribed, or no support
  }
  if (stored?.id)
    await api(`/api/push/subscriptions/${encodeURIComponent(stored.id)}`, { method: "DELETE" }).catch(() => undefined);
}

/** A page the service worker could not navigate (not yet controlled) is told where a notification click leads. */
export function listenForNotificationClicks(): void {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (e: MessageEvent) => {
    const data = e.data as { type?: unknown; url?: unknown } | null;
    if (data?.type !== "kairan:open" || typeof data.url !== "string") return;
    const to = new URL(data.url, location.href);
    if (to.origin === location.origin && to.href !== location.href) location.assign(to.href);
  });
}
