import { lazyPart } from "./lazy-part";
import type { PushOptInProps } from "./PushOptIn";

/** The notifications section (PushOptIn.tsx): only the welcome step and settings show it. */
export const LazyPushOptIn = lazyPart<PushOptInProps>(() => import("./PushOptIn").then((m) => m.PushOptIn));
