/// <reference lib="webworker" />
// Push messages and notification clicks.
//
// `push` ALWAYS shows a notification inside event.waitUntil, whatever arrives (no payload, not JSON, an unknown
// shape): Safari revokes the subscription of a worker that receives a push and shows nothing, and Chrome shows its
// own "updated in the background" message instead. Nothing here logs or keeps the payload.
//
// A click closes the notification and brings the app to the circular (a 安否確認: to its answer screen,
// /safety/<id>, with the two buttons): an open window of the app is focused and sent there, otherwise a new window
// opens. Only paths of this origin are ever opened (the URL is built here from the circular's id, never taken from
// the payload).
import { decodeBase64url } from "../src/base64url";
import { rememberedLang } from "../src/device-lang";
import { deviceLabel } from "../src/device-label";
import { isLang, type Lang } from "../src/i18n/languages";
import { notificationFor, parsePayload, targetPath, type NotificationSpec } from "./notification";

/** Reads the message's data, if any, as JSON; anything unreadable yields null. */
function readData(data: PushMessageData | null): unknown {
  if (!data) return null;
  try {
    return data.json() as unknown;
  } catch {
    return null;
  }
}

/** The language the page last set for this device (web/src/device-lang.ts); Japanese when unknown. */
async function deviceLang(): Promise<Lang> {
  const l = await rememberedLang();
  return isLang(l) ? l : "ja";
}

/** Focuses a window of the app and takes it to `url`, or opens one. */
async function openApp(self: ServiceWorkerGlobalScope, url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  // Chromium lists the most recently focused first; prefer a visible one.
  const client = windows.find((c) => c.visibilityState === "visible") ?? windows[0];
  if (!client) {
    await self.clients.openWindow(url);
    return;
  }
  // Focusing needs the click's user activation; a window that cannot be focused is still sent to the circular.
  await client.focus().catch(() => undefined);
  if (new URL(client.url).href === url) return;
  // navigate() works for the pages this worker controls (all of them, once it has activated); a page it does not
  // control yet routes itself when told (web/src/push.ts listens).
  const moved = await client.navigate(url).catch(() => null);
  // Client.postMessage (a service worker's client) has no targetOrigin; the rule is about window.postMessage.
  // oxlint-disable-next-line unicorn/require-post-message-target-origin
  if (!moved) client.postMessage({ type: "kairan:open", url });
}

/** Shows the notification, and makes sure it is there. */
async function show(self: ServiceWorkerGlobalScope, spec: NotificationSpec): Promise<void> {
  const reg = self.registration;
  try {
    await reg.showNotification(spec.title, spec.options);
  } catch {
    // A malformed option must never leave the push without a notification: the generic one, in the same language.
    const lang = spec.options.lang;
    const generic = notificationFor(null, isLang(lang) ? lang : "ja");
    await reg.showNotification(generic.title, { ...generic.options, tag: spec.options.tag });
    return;
  }
  // Seen in Chromium under load: the first notification that asks to stay on screen (an urgent circular) can be
  // dropped while showNotification still resolves. Once more when it is not there; the same tag cannot show twice.
  const tag = spec.options.tag;
  if (tag && (await reg.getNotifications({ tag }).catch(() => [null])).length === 0)
    await reg.showNotification(spec.title, spec.options);
}

/** Extends the event's lifetime. An event a script made (a test) cannot be extended; its work runs anyway. */
function keepAlive(event: ExtendableEvent, work: Promise<unknown>): void {
  try {
    event.waitUntil(work);
  } catch {
    void work.catch(() => undefined);
  }
}

export function installPush(self: ServiceWorkerGlobalScope): void {
  self.addEventListener("push", (event) => {
    const payload = parsePayload(readData(event.data));
    event.waitUntil(deviceLang().then((lang) => show(self, notificationFor(payload, lang))));
  });

  self.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const url = new URL(targetPath(event.notification.data), self.location.origin).href;
    keepAlive(event, openApp(self, url));
  });

  // The push service replaced this browser's subscription (Firefox does this; Chromium and Safari rarely): tell the
  // server about the new one. If it cannot be done here, the app re-subscribes on its next start (web/src/push.ts).
  self.addEventListener("pushsubscriptionchange", (event) => {
    keepAlive(event, resubscribe(self, event.newSubscription));
  });
}

async function resubscribe(self: ServiceWorkerGlobalScope, fresh: PushSubscription | null): Promise<void> {
  let sub = fresh;
  if (!sub) {
    const res = await fetch("/api/push/public-key", { credentials: "same-origin", cache: "no-store" });
    if (!res.ok) return;
    const { publicKey } = (await res.json()) as { publicKey: string };
    sub = await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: decodeBase64url(publicKey),
    });
  }
  await fetch("/api/push/subscriptions", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    // A worker cannot tell an iPad from a Mac (no maxTouchPoints here); this event hardly happens on either.
    body: JSON.stringify({
      endpoint: sub.endpoint,
      keys: sub.toJSON().keys,
      userAgentLabel: deviceLabel(self.navigator.userAgent, 0),
    }),
  });
}
