// What a push message becomes on screen: the payload checked (anything unexpected gives the generic
// notification), the notification's title, body, tag and target. Pure, so it is tested without a browser
// (test/e2e/push-notification.test.ts); push.ts shows it, in the device's language (notification-text.ts).
import type { Lang } from "../src/i18n/languages";
import { NOTIFICATION_TEXT } from "./notification-text";

/** What the server sends (server/features/push/payload.ts), as far as this worker relies on it. */
export interface PushPayload {
  kind: "circular" | "reminder" | "answer_reminder" | "safety" | "test" | "watch" | "rotation";
  circularId: string | null;
  title: string;
  association: string;
  urgent: boolean;
}

export interface NotificationSpec {
  title: string;
  /** NotificationOptions plus `renotify`, which Chromium honours but TypeScript's lib no longer lists. */
  options: NotificationOptions & { renotify?: boolean };
}

export const ICON = "/icons/icon-192.png";
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Long enough for any title the server sends (it cuts titles to 300 octets); guards the notification's size. */
const MAX_TEXT = 200;

const text = (v: unknown): string => (typeof v === "string" ? v.trim().slice(0, MAX_TEXT) : "");

/** The payload when it has the expected shape; null otherwise (then the generic notification is shown). */
export function parsePayload(raw: unknown): PushPayload | null {
  if (!raw || typeof raw !== "object") return null;
  const p = raw as Record<string, unknown>;
  const kind = p.kind;
  if (
    kind !== "circular" &&
    kind !== "reminder" &&
    kind !== "answer_reminder" &&
    kind !== "safety" &&
    kind !== "test" &&
    kind !== "watch" &&
    kind !== "rotation"
  )
    return null;
  const circularId = typeof p.circularId === "string" && ID.test(p.circularId) ? p.circularId : null;
  // A test, a 見守り notice and 「班長になりました」 name no circular.
  if (kind !== "test" && kind !== "watch" && kind !== "rotation" && !circularId) return null;
  return { kind, circularId, title: text(p.title), association: text(p.association), urgent: p.urgent === true };
}

/**
 * The notification for a payload (null: something arrived that is not ours to read, still worth a notification), in
 * the device's language. In Japanese the server's titles are shown as sent; in another language the worker's own
 * words replace the titles the server names itself (test, 安否確認 and its 【訓練】, 見守り, 班長).
 */
export function notificationFor(payload: PushPayload | null, lang: Lang = "ja"): NotificationSpec {
  const w = NOTIFICATION_TEXT[lang];
  const own = (serverTitle: string, ours: string) => (lang === "ja" ? serverTitle || ours : ours);
  const base = { icon: ICON, lang, dir: "ltr" as const };
  if (!payload)
    return { title: w.genericTitle, options: { ...base, body: w.genericBody, tag: "kairan", data: { url: "/" } } };
  if (payload.kind === "test")
    return {
      title: own(payload.title, w.testTitle),
      options: { ...base, body: w.testBody, tag: "kairan-test", renotify: true, data: { url: "/" } },
    };
  // 安否確認: the server's title as it is (「安否確認」 or 「【訓練】安否確認」: urgent, but no 【至急】 on top), kept on
  // screen until answered or dismissed, opening the answer screen with its two buttons.
  if (payload.kind === "safety")
    return {
      title: own(payload.title, payload.title.includes("訓練") ? w.safetyDrillTitle : w.safetyTitle),
      options: {
        ...base,
        body: payload.association ? `${w.safetyBody}\n${payload.association}` : w.safetyBody,
        tag: `safety-${payload.circularId}`,
        renotify: true,
        requireInteraction: true,
        data: { url: `/safety/${payload.circularId}` },
      },
    };
  if (payload.kind === "watch")
    // The payload names nobody: the watcher sees who on the 「見守り」 screen.
    return {
      title: own(payload.title, w.watchTitle),
      options: { ...base, body: w.watchBody, tag: "kairan-watch", renotify: true, data: { url: "/watch" } },
    };
  if (payload.kind === "rotation")
    // The new 班長's guide (features/rotation): what a 班長 does, in large type.
    return {
      title: own(payload.title, w.rotationTitle),
      options: {
        ...base,
        body: payload.association ? `${w.rotationBody}\n${payload.association}` : w.rotationBody,
        tag: "kairan-rotation",
        renotify: true,
        data: { url: "/leader/hancho" },
      },
    };
  const title = payload.title || w.genericBody;
  const from = payload.association;
  const fill = (template: string) => template.replace("{from}", from).trim();
  const body =
    payload.kind === "reminder"
      ? fill(w.reminder)
      : payload.kind === "answer_reminder"
        ? fill(w.answerReminder)
        : from
          ? fill(w.fromAssociation)
          : w.fromNobody;
  return {
    title: payload.urgent ? `${w.urgent}${title}` : title,
    options: {
      ...base,
      body,
      // One notification per circular: a reminder replaces the first one instead of piling up, and says so again.
      tag: `circular-${payload.circularId}`,
      renotify: payload.kind !== "circular" || payload.urgent,
      requireInteraction: payload.urgent,
      data: { url: `/c/${payload.circularId}` },
    },
  };
}

/** The path a notification opens: one of ours (/, /watch, /leader/hancho, /c/<id> or /safety/<id>), nothing else. */
export function targetPath(data: unknown): string {
  const url = data && typeof data === "object" ? (data as { url?: unknown }).url : undefined;
  if (
    typeof url === "string" &&
    (url === "/" || url === "/watch" || url === "/leader/hancho" || /^\/(?:c|safety)\/[A-Za-z0-9_-]{1,64}$/.test(url))
  )
    return url;
  return "/";
}
