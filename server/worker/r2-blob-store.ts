// BlobStore on Cloudflare R2 (binding FILES): attachments by their random key.
import type { BlobStore } from "../lib/blob-store";

/** The part of R2's binding we use (structural, so this file needs no Workers type package). */
export interface R2Like {
  put(key: string, value: Uint8Array): Promise<unknown>;
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  delete(key: string): Promise<void>;
}

export function createR2BlobStore(bucket: R2Like): BlobStore {
  return {
    async put(key, bytes) {
      await bucket.put(key, bytes);
    },
    async get(key) {
      const obj = await bucket.get(key);
      return obj ? { body: obj.body, size: obj.size } : null;
    },
    async delete(key) {
      await bucket.delete(key);
    },
  };
}
