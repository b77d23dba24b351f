import { lazyPart } from "./lazy-part";

/** 「見守りを希望する」 (watch/WatchSettings.tsx): only the settings of a household's member show it. */
export const LazyWatchSettings = lazyPart<object>(() => import("./watch/WatchSettings").then((m) => m.WatchSettings));
