// 「確認しました」 pressed without a connection is kept on the device and sent when the connection returns. The
// server answers the same receipt however often it is sent, and this queue sends each one at most once at a time,
// so the household is counted exactly once. The page shows 「送信待ち」 while an entry waits.
import { signal } from "@preact/signals";
import { api, OfflineError, type Ack } from "./api";

const KEY = "kairan.pendingAcks";

function load(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

/** circular id -> when it was pressed (ISO), for everything not yet confirmed by the server. */
export const pendingAcks = signal<Record<string, string>>(load());

function save(next: Record<string, string>) {
  pendingAcks.value = next;
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full: the entry still lives in memory for this visit
  }
}

function remove(id: string) {
  const next = { ...pendingAcks.value };
  delete next[id];
  save(next);
}

const inFlight = new Set<string>();

async function send(id: string): Promise<Ack | "pending" | "gone"> {
  if (inFlight.has(id)) return "pending";
  inFlight.add(id);
  try {
    const ack = await api<Ack>(`/api/feed/${encodeURIComponent(id)}/ack`, { method: "POST" });
    remove(id);
    return ack;
  } catch (e) {
    if (e instanceof OfflineError) return "pending";
    // The circular was withdrawn or the device signed out: nothing left to send.
    remove(id);
    if ((e as { status?: number }).status === 404) return "gone";
    throw e;
  } finally {
    inFlight.delete(id);
  }
}

/** Acknowledges now, or queues it when offline. */
export async function acknowledge(id: string): Promise<Ack | "pending" | "gone"> {
  save({ ...pendingAcks.value, [id]: pendingAcks.value[id] ?? new Date().toISOString() });
  return send(id);
}

/** Sends whatever waits. Called at start, when the browser comes back online, and now and then. */
export async function flushAcks(): Promise<void> {
  for (const id of Object.keys(pendingAcks.value)) {
    try {
      await send(id);
    } catch {
      // a server error: keep it for the next try
    }
  }
}

export function startAckQueue(): void {
  window.addEventListener("online", () => void flushAcks());
  setInterval(() => {
    if (Object.keys(pendingAcks.value).length > 0 && navigator.onLine) void flushAcks();
  }, 30_000);
  void flushAcks();
}
