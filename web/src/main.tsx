import { render } from "preact";
import { startAckQueue } from "./ack-queue";
import { App } from "./app";
import { loadMe } from "./session";
import "./settings";
import "./styles.css";

render(<App />, document.getElementById("app")!);
void loadMe();
startAckQueue();

// The service worker keeps the app and the notices a household opened readable offline.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // no offline support in this browser; everything else still works
    });
  });
}
