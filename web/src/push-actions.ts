// What the notifications section does (it loads with it, in its own chunk): read this device's state, subscribe
// from the resident's tap, choose what to receive, send a test notification. The shared pieces and the rules are in
// push.ts.
import { api, ApiError, OfflineError } from "./api";
import {
  currentSubscription,
  ensureSubscription,
  fetchPublicKey,
  postSubscription,
  pushState,
  readStored,
  readyRegistration,
  subscribeWith,
  unavailable,
  writeStored,
  type PushMode,
} from "./push";

export type EnableResult = "ok" | "denied" | "dismissed" | "unsupported" | "offline" | "failed";
export type TestResult = "sent" | "gone" | "failed" | "offline";

/** Reads this device's state (support, subscription, the member's preference) into `pushState`. */
export async function refreshPushState(): Promise<void> {
  const reason = unavailable();
  if (reason) {
    pushState.value = { kind: "unavailable", reason };
    return;
  }
  const [sub, mode] = await Promise.all([
    currentSubscription().catch(() => null),
    api<{ mode: PushMode }>("/api/push/preferences")
      .then((p) => p.mode)
      .catch(() => null),
  ]);
  pushState.value = { kind: "ready", subscribed: !!sub && Notification.permission === "granted", mode };
}

/**
 * 「お知らせを受け取る」: asks for permission (first, while the tap still counts), subscribes, tells the server, and
 * turns the preference back on if it was off. Call it straight from the click handler.
 */
export async function enablePush(): Promise<EnableResult> {
  if (unavailable() === "unsupported" || unavailable() === "ios-home") return "unsupported";
  let permission: NotificationPermission;
  try {
    permission = await Notification.requestPermission();
  } catch {
    return "unsupported";
  }
  if (permission !== "granted") {
    await refreshPushState();
    return permission === "denied" ? "denied" : "dismissed";
  }
  try {
    const reg = await readyRegistration();
    const publicKey = await fetchPublicKey();
    const sub = await ensureSubscription(reg, publicKey);
    await postSubscription(sub, publicKey);
    // Pressing 「お知らせを受け取る」 means receiving them: a preference left at 「受け取らない」 goes back to all.
    const state = pushState.value;
    const mode =
      (state.kind === "ready" ? state.mode : null) ?? (await api<{ mode: PushMode }>("/api/push/preferences")).mode;
    if (mode === "off") await api("/api/push/preferences", { method: "PUT", json: { mode: "all" } });
    return "ok";
  } catch (e) {
    return e instanceof OfflineError ? "offline" : "failed";
  } finally {
    await refreshPushState();
  }
}

/** すべて / 至急のみ / 受け取らない, shown at once and put back if saving fails. Throws ApiError or OfflineError. */
export async function setPushMode(mode: PushMode): Promise<void> {
  const before = pushState.value;
  if (before.kind === "ready") pushState.value = { ...before, mode };
  try {
    const saved = await api<{ mode: PushMode }>("/api/push/preferences", { method: "PUT", json: { mode } });
    const state = pushState.value;
    if (state.kind === "ready") pushState.value = { ...state, mode: saved.mode };
  } catch (e) {
    pushState.value = before;
    throw e;
  }
}

/**
 * 「テスト通知を送る」: the server pushes to this device at once. When the push service says the subscription is
 * gone (or the server does not know it), this device subscribes again and the test is sent once more.
 */
export async function sendTestPush(): Promise<TestResult> {
  const send = async (endpoint: string) => {
    try {
      return (
        await api<{ result: "sent" | "gone" | "failed" }>("/api/push/test", { method: "POST", json: { endpoint } })
      ).result;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return "gone";
      throw e;
    }
  };
  try {
    const reg = await readyRegistration();
    const publicKey = await fetchPublicKey();
    let sub = await ensureSubscription(reg, publicKey);
    if (readStored()?.endpoint !== sub.endpoint) await postSubscription(sub, publicKey);
    let result = await send(sub.endpoint);
    if (result === "gone") {
      await sub.unsubscribe().catch(() => false);
      writeStored(null);
      sub = await subscribeWith(reg, publicKey);
      await postSubscription(sub, publicKey);
      result = await send(sub.endpoint);
    }
    return result;
  } catch (e) {
    return e instanceof OfflineError ? "offline" : "failed";
  } finally {
    await refreshPushState();
  }
}
