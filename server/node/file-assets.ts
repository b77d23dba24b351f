// The built PWA on disk (dist/web), for the Node server.
import { readFile, stat } from "node:fs/promises";
import { join, normalize, resolve, sep } from "node:path";
import type { AssetStore } from "../lib/assets";

export function createFileAssets(dir: string): AssetStore {
  const root = resolve(dir);
  return {
    async get(path) {
      const full = normalize(join(root, path));
      if (!full.startsWith(root + sep)) return null;
      try {
        const info = await stat(full);
        if (!info.isFile()) return null;
        return { body: new Uint8Array(await readFile(full)), size: info.size };
      } catch {
        return null;
      }
    },
  };
}
