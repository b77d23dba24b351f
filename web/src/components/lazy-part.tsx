import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * A part of a screen kept in its own chunk, loaded when a screen first shows it, so the first screen does not carry
 * it. The service worker precaches every chunk, so it opens offline too. Nothing is shown until it has loaded (a
 * moment; once loaded, at once): the rest of the screen works without it, even offline before the chunk was ever
 * stored.
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyPart(props: P) {
    const [Part, setPart] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (Part) return;
      let live = true;
      load()
        .then((c) => {
          loaded = c;
          if (live) setPart(() => c);
        })
        .catch(() => undefined);
      return () => {
        live = false;
      };
    }, []);
    return Part ? <Part {...props} /> : null;
  };
}
