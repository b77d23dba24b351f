import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { PushOptInProps as Props } from "./PushOptIn";

/**
 * The notifications section (PushOptIn.tsx), loaded when a screen shows it: only the welcome step and settings do,
 * so the first screen does not carry it. The service worker precaches the chunk, so it opens offline too. Nothing
 * is shown until it has loaded (a moment; it sits below the screen's own content).
 */
export function LazyPushOptIn(props: Props) {
  const [Section, setSection] = useState<ComponentType<Props> | null>(null);
  useEffect(() => {
    let live = true;
    import("./PushOptIn").then((m) => live && setSection(() => m.PushOptIn)).catch(() => undefined); // offline before the chunk was ever stored: the rest of the screen still works
    return () => {
      live = false;
    };
  }, []);
  return Section ? <Section {...props} /> : null;
}
