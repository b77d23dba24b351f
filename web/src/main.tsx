import { render } from "preact";
import { startAckQueue } from "./ack-queue";
import { App } from "./app";
import { loadMe } from "./session";
import "./settings";
import "./styles.css";
import { registerServiceWorker } from "./sw-register";

render(<App />, document.getElementById("app")!);
void loadMe();
startAckQueue();

// The service worker keeps the app and the notices a household opened readable offline.
registerServiceWorker();
