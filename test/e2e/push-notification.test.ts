// What a push message becomes on screen (web/sw/notification.ts), without a browser: the wording for each kind, the
// tag that lets a reminder replace the first notification, and that nothing from the payload can send a click
// anywhere but this app's own screens. push-sw.test.ts shows the same in Chromium. Also the device label.
import { describe, expect, it } from "vitest";
import { deviceLabel } from "../../web/src/device-label";
import { notificationFor, parsePayload, targetPath } from "../../web/sw/notification";

const show = (raw: unknown) => notificationFor(parsePayload(raw));
const circular = {
  kind: "circular",
  circularId: "k7mp3qxr2w",
  title: "断水のお知らせ",
  association: "作並町内会",
  urgent: false,
};

const safety = {
  kind: "safety",
  circularId: "s4fe7y2026",
  title: "安否確認",
  association: "作並町内会",
  urgent: true,
};

describe("push notifications", () => {
  it("in the device's language: the worker's own titles for the kinds the server names, the circular's as written", () => {
    const zh = notificationFor(parsePayload(safety), "zh-Hans");
    expect([zh.title, zh.options.body, zh.options.lang]).toEqual([
      "安危确认（安否確認）",
      "您平安吗？请点击回答。\n作並町内会",
      "zh-Hans",
    ]);
    const ko = notificationFor(parsePayload({ ...circular, kind: "answer_reminder", urgent: true }), "ko");
    expect([ko.title, ko.options.body]).toEqual(["[긴급] 断水のお知らせ", "답해 주세요. 作並町内会"]);
    const watch = { kind: "watch", circularId: null, title: "見守りのお知らせ", association: "", urgent: false };
    expect(notificationFor(parsePayload(watch), "en").title).toBe("Watch notice");
    expect(notificationFor(parsePayload(watch), "ja").title).toBe("見守りのお知らせ");
    expect(notificationFor(null, "ko").title).toBe("회람판");
  });

  it("a normal circular: its title, the association, tagged by circular, opening the circular", () => {
    expect(show(circular)).toEqual({
      title: "断水のお知らせ",
      options: {
        icon: "/icons/icon-192.png",
        lang: "ja",
        dir: "ltr",
        body: "作並町内会からの回覧です。",
        tag: "circular-k7mp3qxr2w",
        renotify: false,
        requireInteraction: false,
        data: { url: "/c/k7mp3qxr2w" },
      },
    });
  });

  it("an urgent one says 【至急】, stays on screen and alerts again; a reminder replaces the first and says so", () => {
    const urgent = show({ ...circular, urgent: true });
    expect(urgent.title).toBe("【至急】断水のお知らせ");
    expect(urgent.options).toMatchObject({ requireInteraction: true, renotify: true, tag: "circular-k7mp3qxr2w" });
    const reminder = show({ ...circular, kind: "reminder" });
    expect(reminder.title).toBe("断水のお知らせ");
    expect(reminder.options).toMatchObject({
      body: "まだ確認していない回覧です。作並町内会",
      renotify: true,
      tag: "circular-k7mp3qxr2w",
    });
  });

  it("a 安否確認: the server's title without 【至急】, asks to tap and answer, stays on screen, opens /safety/<id>", () => {
    expect(show(safety)).toEqual({
      title: "安否確認",
      options: {
        icon: "/icons/icon-192.png",
        lang: "ja",
        dir: "ltr",
        body: "ご無事ですか？タップして答えてください。\n作並町内会",
        tag: "safety-s4fe7y2026",
        renotify: true,
        requireInteraction: true,
        data: { url: "/safety/s4fe7y2026" },
      },
    });
    // A drill keeps the server's 【訓練】; a missing title or association is filled in or left out.
    expect(show({ ...safety, title: "【訓練】安否確認" }).title).toBe("【訓練】安否確認");
    expect(show({ ...safety, title: "", association: "" })).toMatchObject({
      title: "安否確認",
      options: { body: "ご無事ですか？タップして答えてください。", requireInteraction: true },
    });
    // Without a usable id it cannot open the answer screen: the generic notification (home shows the banner).
    expect(show({ ...safety, circularId: "../x" })).toMatchObject({ title: "回覧板", options: { data: { url: "/" } } });
    expect(targetPath(show(safety).options.data)).toBe("/safety/s4fe7y2026");
  });

  it("the test notification points at the home screen", () => {
    expect(
      show({ kind: "test", circularId: null, title: "回覧板", association: "作並町内会", urgent: false }),
    ).toMatchObject({
      title: "回覧板",
      options: { body: "テスト通知です。このように届きます。", data: { url: "/" } },
    });
  });

  it("anything unexpected still gives a notification: the generic one, opening the home screen", () => {
    for (const raw of [
      null,
      "text",
      42,
      [],
      {},
      { ...circular, kind: "ad" },
      { ...circular, circularId: "../../x" },
      { ...circular, circularId: null },
    ])
      expect(show(raw), JSON.stringify(raw)).toMatchObject({
        title: "回覧板",
        options: { body: "新しいお知らせがあります。", data: { url: "/" } },
      });
    // Missing words are filled in; overlong ones cut.
    expect(show({ ...circular, title: "", association: 5 })).toMatchObject({
      title: "新しいお知らせがあります。",
      options: { body: "町内会からの回覧です。" },
    });
    expect(show({ ...circular, title: "あ".repeat(1000) }).title).toHaveLength(200);
  });

  it("a click opens only this app's screens", () => {
    expect(targetPath({ url: "/c/k7mp3qxr2w" })).toBe("/c/k7mp3qxr2w");
    expect(targetPath({ url: "/" })).toBe("/");
    expect(targetPath({ url: "/safety/s4fe7y2026" })).toBe("/safety/s4fe7y2026");
    for (const url of [
      "https://evil.example/",
      "//evil.example/c/x",
      "/c/x/../../settings",
      "javascript:alert(1)",
      "/leader",
      "/c/",
      "/safety/",
      "/safety/x/../../leader",
      "/safety/x?next=https://evil.example/",
      5,
    ])
      expect(targetPath({ url }), String(url)).toBe("/");
    expect(targetPath(null)).toBe("/");
  });

  it("labels a device by its kind, never with the User-Agent", () => {
    const ua = {
      ipad: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      ipadDesktop:
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      iphone:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      android:
        "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      windows:
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    };
    expect(deviceLabel(ua.ipad, 5)).toBe("iPad");
    expect(deviceLabel(ua.ipadDesktop, 5)).toBe("iPad"); // iPadOS Safari asks for the desktop site
    expect(deviceLabel(ua.ipadDesktop, 0)).toBe("パソコン"); // a Mac
    expect(deviceLabel(ua.iphone, 5)).toBe("iPhone");
    expect(deviceLabel(ua.android, 5)).toBe("Android");
    expect(deviceLabel(ua.windows, 0)).toBe("パソコン");
  });
});
