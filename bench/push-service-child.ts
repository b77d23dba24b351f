// The loopback push service of test/helpers/push-service.ts in a process of its own, for the fan-out benchmark:
// in the sender's process it would take CPU from the sender being measured. Driven over IPC by bench/push.ts.
// It checks every request's VAPID JWT and headers and the body's aes128gcm shape; it decrypts one request in
// every DECRYPT_EVERY (a separate check that what is sent at speed is still correct).
import { startPushService } from "../test/helpers/push-service";

const fast = await startPushService({ decrypt: false });
const checked = await startPushService({ decrypt: true });

process.on("message", async (msg: { op: string; n?: number; sample?: number }) => {
  if (msg.op === "subscribe") {
    // `sample` of the subscriptions belong to the decrypting instance.
    const subs = [];
    for (let i = 0; i < msg.n!; i++) {
      subs.push(await (i < (msg.sample ?? 0) ? checked : fast).subscription(`s${i}`));
    }
    process.send!({ op: "subscribed", subs });
  } else if (msg.op === "count") {
    const all = [...fast.received, ...checked.received];
    process.send!({
      op: "count",
      received: all.length,
      accepted: all.filter((m) => m.reason === null && m.status === 201).length,
      rejected: all
        .filter((m) => m.reason !== null)
        .map((m) => m.reason)
        .slice(0, 5),
      decrypted: checked.received.filter((m) => m.payload !== null).map((m) => m.payload),
    });
  } else if (msg.op === "close") {
    await fast.close();
    await checked.close();
    process.exit(0);
  }
});
process.send!({ op: "ready" });
