// What a resident does without a connection (「確認しました」, 「回答する」) is kept on the device and sent when the
// connection returns: one queue per kind (ack-queue.ts, answer-queue.ts), made here. The server answers the same
// request however often it is sent; on top of that each waiting entry is sent once: one send at a time per queue,
// serialised across the tabs of this device (Web Locks), and an entry that another tab has already sent (recorded
// in IndexedDB) is not sent again. The pages show 「送信待ち」 while an entry waits.
//
// An entry is a circular's id and a value that says when it was made (the ack: when pressed; an answer: when
// 「回答する」 was tapped); a new value for the same circular replaces a waiting one (an answer changed offline).
//
// What keeps an entry: no connection, a request that timed out, a server that is down or busy (5xx, 408, 429).
// What ends it: the server's answer, or an answer that sending again cannot change (the notice was withdrawn or
// closed, the device was signed out).
import { signal, type Signal } from "@preact/signals";
import { ApiError, OfflineError } from "./api";

/** A request that takes longer than this is given up and retried later (the server may have counted it: harmless). */
const SEND_TIMEOUT_MS = 15_000;
const RETRY_EVERY_MS = 30_000;

/** The server's answer; "pending": it waits on the device; "gone": the notice is no longer there (withdrawn). */
export type Sent<R> = R | "pending" | "gone";

export interface QueueSpec<V, R> {
  /** The localStorage key of what waits (shared by the tabs), also the name of its Web Lock. */
  key: string;
  /** A stored value as this version understands it, or undefined (storage may hold anything). */
  parse(raw: unknown): V | undefined;
  /** When the entry was made (ISO): with the circular's id, what tells one entry from a later one. */
  madeAt(v: V): string;
  /** Sends one entry. `late`: from the queue, after the first try failed (an offline answer says when it was made). */
  post(id: string, v: V, late: boolean, signal: AbortSignal | undefined): Promise<R>;
}

export interface SendQueue<V, R> {
  /** circular id -> what waits for it, for everything the server has not yet answered. */
  pending: Signal<Record<string, V>>;
  /** What the last send of each circular's entry from this tab ended with: the server's answer, or the error. */
  outcomes: Signal<Record<string, R | ApiError>>;
  /** Sends now, or keeps it on the device for later. `keepEarlier`: a waiting entry stays as it is (the ack). */
  submit(id: string, v: V, opts?: { keepEarlier?: boolean }): Promise<Sent<R>>;
  /** Sends whatever waits, one after another. */
  flush(): Promise<void>;
  /** At start: sends what waits now, when the connection returns, when the app comes back into view, now and then. */
  start(): void;
}

/** Whether sending again later could succeed. */
const retryable = (e: unknown) =>
  e instanceof OfflineError || (e instanceof ApiError && (e.status >= 500 || e.status === 408 || e.status === 429));

/** Gives up on a request that hangs (AbortSignal.timeout is missing on older tablets: then no limit). */
function timeoutSignal(): AbortSignal | undefined {
  return typeof AbortSignal !== "undefined" && typeof AbortSignal.timeout === "function"
    ? AbortSignal.timeout(SEND_TIMEOUT_MS)
    : undefined;
}

// Which entries this device has had answered, in IndexedDB: unlike localStorage, which reaches other tabs a moment
// later, what one tab has committed there is what the next tab to take the lock reads. Kept a week. Version 1 kept
// acknowledgements alone ("sentAcks"); its marks are dropped (sending an acknowledgement again is harmless).
const DB_NAME = "kairan";
const SENT = "sent";
const KEEP_SENT_MS = 7 * 24 * 60 * 60 * 1000;
let dbPromise: Promise<IDBDatabase | null> | undefined;

function db(): Promise<IDBDatabase | null> {
  dbPromise ??= new Promise((resolve) => {
    try {
      const req = indexedDB.open(DB_NAME, 2);
      req.onupgradeneeded = () => {
        const d = req.result;
        if (d.objectStoreNames.contains("sentAcks")) d.deleteObjectStore("sentAcks");
        if (!d.objectStoreNames.contains(SENT)) d.createObjectStore(SENT);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = req.onblocked = () => resolve(null);
    } catch {
      resolve(null); // no IndexedDB (some private modes): the lock alone keeps tabs apart
    }
  });
  return dbPromise;
}

async function wasSent(mark: string): Promise<boolean> {
  const d = await db();
  if (!d) return false;
  return new Promise((resolve) => {
    try {
      const req = d.transaction(SENT, "readonly").objectStore(SENT).get(mark);
      req.onsuccess = () => resolve(req.result !== undefined);
      req.onerror = () => resolve(false);
    } catch {
      resolve(false);
    }
  });
}

async function markSent(mark: string): Promise<void> {
  const d = await db();
  if (!d) return;
  await new Promise<void>((resolve) => {
    try {
      const tx = d.transaction(SENT, "readwrite");
      const store = tx.objectStore(SENT);
      const now = Date.now();
      store.put(now, mark);
      const old = store.openCursor();
      old.onsuccess = () => {
        const cursor = old.result;
        if (!cursor) return;
        if (typeof cursor.value !== "number" || cursor.value < now - KEEP_SENT_MS) cursor.delete();
        cursor.continue();
      };
      tx.oncomplete = tx.onerror = tx.onabort = () => resolve();
    } catch {
      resolve();
    }
  });
}

export function createSendQueue<V, R>(spec: QueueSpec<V, R>): SendQueue<V, R> {
  /** What waits, as stored; null when storage cannot be read at all. */
  function load(): Record<string, V> | null {
    let text: string | null;
    try {
      text = localStorage.getItem(spec.key);
    } catch {
      return null;
    }
    try {
      const raw: unknown = JSON.parse(text ?? "{}");
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
      const out: Record<string, V> = {};
      for (const [id, v] of Object.entries(raw)) {
        const value = id ? spec.parse(v) : undefined;
        if (value !== undefined) out[id] = value;
      }
      return out;
    } catch {
      return {};
    }
  }

  const pending = signal<Record<string, V>>(load() ?? {});
  const outcomes = signal<Record<string, R | ApiError>>({});
  /** The stored list, or this tab's own when storage is unavailable (private mode). */
  const current = () => load() ?? pending.value;
  const markOf = (id: string, v: V) => `${spec.key}|${id}|${spec.madeAt(v)}`;

  function save(next: Record<string, V>) {
    pending.value = next;
    try {
      localStorage.setItem(spec.key, JSON.stringify(next));
    } catch {
      // storage full: the entry still lives in memory for this visit
    }
  }

  /** Removes the entry that was made at `madeAt` (a later one for the same circular stays to be sent). */
  function remove(id: string, madeAt: string) {
    const next = { ...current() };
    const v = next[id];
    if (v === undefined || spec.madeAt(v) !== madeAt) return;
    delete next[id];
    save(next);
  }

  function told(id: string, outcome: R | ApiError) {
    outcomes.value = { ...outcomes.value, [id]: outcome };
  }

  // One send at a time: across tabs by the lock where the browser has Web Locks, within this tab by a chain.
  let chain: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    const run = () => (locks ? locks.request(spec.key, fn) : fn());
    const next = chain.then(run, run);
    chain = next.catch(() => undefined);
    return next;
  }

  const inFlight = new Map<string, Promise<Sent<R>>>();

  /** Sends the circular's waiting entry; `late`: from the queue (it may have been sent by another tab meanwhile). */
  function send(id: string, late: boolean): Promise<Sent<R>> {
    const waiting = current()[id];
    if (waiting === undefined) return Promise.resolve("pending");
    const key = markOf(id, waiting);
    const running = inFlight.get(key);
    if (running) return running;
    const p = exclusive(async (): Promise<Sent<R>> => {
      // Read again under the lock: another tab may have sent it, or a later entry replaced it.
      const v = current()[id];
      if (v === undefined) return "pending";
      const made = spec.madeAt(v);
      if (late && (await wasSent(markOf(id, v)))) {
        remove(id, made);
        return "pending";
      }
      try {
        const result = await spec.post(id, v, late, timeoutSignal());
        await markSent(markOf(id, v)); // before the lock is released
        remove(id, made);
        told(id, result);
        return result;
      } catch (e) {
        // Withdrawn, closed, or this device is no longer signed in: sending again cannot help.
        if (e instanceof ApiError && !retryable(e)) {
          remove(id, made);
          if (e.status === 404) return "gone";
          told(id, e);
          throw e;
        }
        // No connection, a server that is down, or anything unexpected: keep it for the next try.
        return "pending";
      }
    }).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }

  function submit(id: string, v: V, opts: { keepEarlier?: boolean } = {}): Promise<Sent<R>> {
    const next = { ...current() };
    if (!(opts.keepEarlier && next[id] !== undefined)) next[id] = v;
    save(next);
    const earlier = { ...outcomes.value };
    delete earlier[id];
    outcomes.value = earlier;
    return send(id, false);
  }

  let flushing: Promise<void> | null = null;
  function flush(): Promise<void> {
    // Cleared in a .finally() of its own, which always runs after this assignment (even when nothing waits).
    flushing ??= sendAll().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  async function sendAll(): Promise<void> {
    for (const id of Object.keys(current())) {
      try {
        if ((await send(id, true)) === "pending" && !navigator.onLine) break;
      } catch {
        // an answer that ended the entry (kept in outcomes, and shown when the notice is opened): go on
      }
    }
  }

  function start(): void {
    window.addEventListener("online", () => void flush());
    // Another tab queued or sent one.
    window.addEventListener("storage", (e) => {
      if (e.key === spec.key) pending.value = current();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && Object.keys(current()).length > 0) void flush();
    });
    setInterval(() => {
      if (Object.keys(current()).length > 0 && navigator.onLine) void flush();
    }, RETRY_EVERY_MS);
    void flush();
  }

  return { pending, outcomes, submit, flush, start };
}
