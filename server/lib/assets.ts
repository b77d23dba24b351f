// The built PWA (dist/web), as the runtime can reach it: files on disk under Node (server/node/file-assets.ts),
// the static-assets binding on Workers. The app decides caching and fallbacks (features/web), the same on both.
export interface StaticAsset {
  body: ReadableStream<Uint8Array> | Uint8Array;
  size: number;
}

export interface AssetStore {
  /** A file of the build by its URL path ("/assets/index-abc.js"), or null. */
  get(path: string): Promise<StaticAsset | null>;
}
