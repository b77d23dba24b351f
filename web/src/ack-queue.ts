// 「確認しました」 pressed without a connection is kept on the device and sent when the connection returns. The
// server answers the same receipt however often it is sent; on top of that this queue sends each waiting entry once:
// one send at a time per notice, serialised across the tabs of this device (Web Locks), and an entry that another tab
// has already sent (recorded in IndexedDB) is not sent again. The page shows 「送信待ち」 while an entry waits.
//
// What keeps an entry: no connection, a request that timed out, a server that is down or busy (5xx, 408, 429).
// What ends it: the server's receipt, or an answer that sending again cannot change (the notice was withdrawn, the
// device was signed out).
import { signal } from "@preact/signals";
import { api, ApiError, OfflineError, type Ack } from "./api";

const KEY = "kairan.pendingAcks";
const LOCK = "kairan.pendingAcks";
/** A request that takes longer than this is given up and retried later (the server may have counted it: harmless). */
const SEND_TIMEOUT_MS = 15_000;
const RETRY_EVERY_MS = 30_000;

/** What waits, as stored (shared by the tabs of this device); null when storage cannot be read at all. */
function load(): Record<string, string> | null {
  let text: string | null;
  try {
    text = localStorage.getItem(KEY);
  } catch {
    return null;
  }
  try {
    const raw: unknown = JSON.parse(text ?? "{}");
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
    return Object.fromEntries(
      Object.entries(raw).filter((e): e is [string, string] => !!e[0] && typeof e[1] === "string"),
    );
  } catch {
    return {};
  }
}

/** circular id -> when it was pressed (ISO), for everything not yet confirmed by the server. */
export const pendingAcks = signal<Record<string, string>>(load() ?? {});

/** The stored list, or this tab's own when storage is unavailable (private mode). */
const current = () => load() ?? pendingAcks.value;

function save(next: Record<string, string>) {
  pendingAcks.value = next;
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full: the entry still lives in memory for this visit
  }
}

function add(id: string) {
  const next = { ...current() };
  next[id] ??= new Date().toISOString();
  save(next);
}

function remove(id: string) {
  const next = { ...current() };
  delete next[id];
  save(next);
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

// Which acknowledgements this device has had confirmed, in IndexedDB: unlike localStorage, which reaches other tabs
// a moment later, what one tab has committed there is what the next tab to take the lock reads. Kept a week.
const DB_NAME = "kairan";
const SENT = "sentAcks";
const KEEP_SENT_MS = 7 * 24 * 60 * 60 * 1000;
let dbPromise: Promise<IDBDatabase | null> | undefined;

function db(): Promise<IDBDatabase | null> {
  dbPromise ??= new Promise((resolve) => {
    try {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(SENT);
      req.onsuccess = () => resolve(req.result);
      req.onerror = req.onblocked = () => resolve(null);
    } catch {
      resolve(null); // no IndexedDB (some private modes): the lock alone keeps tabs apart
    }
  });
  return dbPromise;
}

async function wasSent(id: string): Promise<boolean> {
  const d = await db();
  if (!d) return false;
  return new Promise((resolve) => {
    try {
      const req = d.transaction(SENT, "readonly").objectStore(SENT).get(id);
      req.onsuccess = () => resolve(req.result !== undefined);
      req.onerror = () => resolve(false);
    } catch {
      resolve(false);
    }
  });
}

async function markSent(id: string): Promise<void> {
  const d = await db();
  if (!d) return;
  await new Promise<void>((resolve) => {
    try {
      const tx = d.transaction(SENT, "readwrite");
      const store = tx.objectStore(SENT);
      const now = Date.now();
      store.put(now, id);
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

/** Runs `fn` while no other tab of this device sends acknowledgements (where the browser can tell). */
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? locks.request(LOCK, fn) : fn();
}

const inFlight = new Map<string, Promise<Ack | "pending" | "gone">>();

function send(id: string, onlyIfWaiting: boolean): Promise<Ack | "pending" | "gone"> {
  const running = inFlight.get(id);
  if (running) return running;
  const p = exclusive(async (): Promise<Ack | "pending" | "gone"> => {
    // Another tab may have sent it while this one waited for the lock (then it is no longer waiting).
    if (onlyIfWaiting && (!current()[id] || (await wasSent(id)))) {
      remove(id);
      return "pending";
    }
    try {
      const ack = await api<Ack>(`/api/feed/${encodeURIComponent(id)}/ack`, {
        method: "POST",
        signal: timeoutSignal(),
      });
      await markSent(id); // before the lock is released
      remove(id);
      return ack;
    } catch (e) {
      // Withdrawn, or this device is no longer signed in: sending again cannot help.
      if (e instanceof ApiError && !retryable(e)) {
        remove(id);
        if (e.status === 404) return "gone";
        throw e;
      }
      // No connection, a server that is down, or anything unexpected: keep it for the next try.
      return "pending";
    }
  }).finally(() => inFlight.delete(id));
  inFlight.set(id, p);
  return p;
}

/** Acknowledges now, or keeps it on the device to send when the connection returns. */
export async function acknowledge(id: string): Promise<Ack | "pending" | "gone"> {
  add(id);
  return send(id, false);
}

let flushing: Promise<void> | null = null;

/** Sends whatever waits, one after another. Called at start, when the connection returns, and now and then. */
export function flushAcks(): Promise<void> {
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
      // an answer that ended the entry (shown when the notice is opened): go on with the others
    }
  }
}

export function startAckQueue(): void {
  window.addEventListener("online", () => void flushAcks());
  // Another tab queued or sent one.
  window.addEventListener("storage", (e) => {
    if (e.key === KEY) pendingAcks.value = current();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && Object.keys(current()).length > 0) void flushAcks();
  });
  setInterval(() => {
    if (Object.keys(current()).length > 0 && navigator.onLine) void flushAcks();
  }, RETRY_EVERY_MS);
  void flushAcks();
}
