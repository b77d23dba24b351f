// 「確認しました」 pressed without a connection is kept on the device and sent when the connection returns (the queue
// itself, shared with answers, is send-queue.ts). What waits: circular id -> when it was pressed (ISO).
import { api, type Ack } from "./api";
import { createSendQueue, type Sent } from "./send-queue";

const acks = createSendQueue<string, Ack>({
  key: "kairan.pendingAcks",
  parse: (raw) => (typeof raw === "string" ? raw : undefined),
  madeAt: (pressedAt) => pressedAt,
  post: (id, _pressedAt, _late, signal) =>
    api<Ack>(`/api/feed/${encodeURIComponent(id)}/ack`, { method: "POST", signal }),
});

/** circular id -> when it was pressed (ISO), for everything not yet confirmed by the server. */
export const pendingAcks = acks.pending;

/** Acknowledges now, or keeps it on the device to send when the connection returns. */
export function acknowledge(id: string): Promise<Sent<Ack>> {
  return acks.submit(id, new Date().toISOString(), { keepEarlier: true });
}

export const startAckQueue = acks.start;
