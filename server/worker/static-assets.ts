// The built PWA through the Workers static-assets binding (ASSETS), as an AssetStore: the app (features/web) still
// decides caching headers, ETags and the SPA fallback, so Node and Workers answer the same.
import type { AssetStore } from "../lib/assets";

/** The part of the ASSETS binding we use. */
export interface FetcherLike {
  fetch(input: Request | string): Promise<Response>;
}

export function createWorkerAssets(binding: FetcherLike): AssetStore {
  return {
    async get(path) {
      // The binding answers by URL; the host is ignored. It never falls back here: wrangler.toml sets no
      // not_found_handling, so a missing file is a 404 and the app decides what to do.
      const res = await binding.fetch(new Request(new URL(path, "https://assets.local"), { redirect: "manual" }));
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel();
        return null;
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { body: bytes, size: bytes.byteLength };
    },
  };
}
