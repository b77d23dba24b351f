// Coalescing: calls made while the event loop is busy with other requests are gathered and answered by one
// database statement. Under load this turns hundreds of small statements into a few large ones; when idle, a call
// waits only for the current turn of the event loop to end.

/**
 * Runs `fn` after the I/O callbacks of the current event-loop turn: setImmediate where the runtime has it (Node:
 * no 1 ms clamp), otherwise a zero-delay timer (Workers). A microtask would be too early: the requests read from
 * other sockets in the same turn would not have joined yet.
 */
export function afterThisTurn(fn: () => void): void {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === "function") g.setImmediate(fn);
  else setTimeout(fn, 0);
}

/**
 * workerd (Cloudflare Workers) ties I/O and promises to the request that started them: a batch flushed from one
 * request's timer must not answer another request (the other may hang or be warned about, and the flushing request
 * may already have ended). There each call is its own batch, loaded at once; isolates are many and small, so the
 * gain of coalescing is mostly a Node (one process, one database file) matter anyway.
 */
export const coalesceAcrossRequests = !(
  typeof navigator !== "undefined" && (navigator as { userAgent?: string }).userAgent === "Cloudflare-Workers"
);

/** Gathers keys and loads them in one call; each caller gets its own value (DataLoader's batching, no caching). */
export class Coalescer<K, V> {
  #pending: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  #scheduled = false;

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<V[]>,
    private readonly maxBatch = 512,
    /** Event-loop turns to gather for (see AckWriter): 1 = the end of the current turn. */
    private readonly turns = 1,
  ) {}

  load(key: K): Promise<V> {
    if (!coalesceAcrossRequests) return this.loadMany([key]).then((values) => values[0]!);
    return new Promise((resolve, reject) => {
      this.#pending.push({ key, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        const flushAfter = (n: number): void => afterThisTurn(() => (n > 1 ? flushAfter(n - 1) : void this.#flush()));
        flushAfter(this.turns);
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.maxBatch);
      try {
        const values = await this.loadMany(batch.map((p) => p.key));
        batch.forEach((p, i) => p.resolve(values[i]!));
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }
}
