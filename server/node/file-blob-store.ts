// BlobStore on the local disk: attachments under <data dir>/files, named by their random key.
import { mkdir, readFile, rm, stat, writeFile, rename } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { BlobStore } from "../lib/blob-store";

export function createFileBlobStore(dir: string): BlobStore {
  const root = resolve(dir);
  // Keys are made by the server (random ids), but never let one escape the folder.
  const pathOf = (key: string) => {
    if (!/^[a-z0-9/_-]{1,200}$/.test(key) || key.includes("..")) throw new Error(`invalid blob key: ${key}`);
    return join(root, key);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(resolve(path, ".."), { recursive: true });
      // Write then rename, so a crash never leaves a half-written file under the real name.
      const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const [info, bytes] = await Promise.all([stat(path), readFile(path)]);
        return { body: new Uint8Array(bytes), size: info.size };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
