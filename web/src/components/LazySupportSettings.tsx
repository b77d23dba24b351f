import { lazyPart } from "./lazy-part";

/** 「要支援の登録」 (support/SupportSettings.tsx): only the settings of a household's member show it. */
export const LazySupportSettings = lazyPart<object>(() =>
  import("./support/SupportSettings").then((m) => m.SupportSettings),
);
