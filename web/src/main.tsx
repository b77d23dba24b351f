import { render } from "preact";
import { startAckQueue } from "./ack-queue";
import { startAnswerQueue } from "./answer-queue";
import { App } from "./app";
import { listenForNotificationClicks, syncPushOnStart } from "./push";
import { startSafety } from "./safety";
import { loadMe, me } from "./session";
import { loadLanguage } from "./i18n";
import { settings } from "./settings";
import "./styles.css";
import { registerServiceWorker } from "./sw-register";

// A device set to a language with a file of its own (한국어, …) loads it before the first render, so it never shows
// Japanese first; if it cannot be loaded (offline before it was ever cached), t() falls back to Japanese this time.
// (A promise, not a top-level await: with one, the bundler splits the entry into many small chunks, ~4 KB more.)
void loadLanguage(settings.value.lang)
  .catch(() => undefined)
  .then(() => render(<App />, document.getElementById("app")!));
// Signed in: keep this device's push subscription current (a changed server key, the daily re-send).
void loadMe().then(() => {
  if (me.value?.householdId) {
    void syncPushOnStart();
    // An open 安否確認 shows on home at once, and is read again whenever the app comes back to the front.
    startSafety();
  }
});
startAckQueue();
startAnswerQueue();
listenForNotificationClicks();

// The service worker keeps the app and the notices a household opened readable offline.
registerServiceWorker();
