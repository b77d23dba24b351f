// Where attachment bytes live. Node: a folder under the data directory (server/node/file-blob-store.ts);
// Workers: R2. Services only see this interface.
export interface StoredBlob {
  body: ReadableStream<Uint8Array> | Uint8Array;
  size: number;
}

export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<StoredBlob | null>;
  delete(key: string): Promise<void>;
}
