// A long-lived process's outbox sender (the Node server; tests): kick() after a publish or reminder and on a
// timer. One drain runs at a time; a kick during a drain makes it go round once more, so nothing queued is left
// waiting for the timer. (A Worker has no long-lived process: it drains in ctx.waitUntil and scheduled().)
import { drainOutbox, type DrainDeps, type DrainOptions, type DrainResult } from "./drain";

export interface OutboxPump {
  /** Starts a drain, or asks the running one to go round again. Never throws (failures go to onError). */
  kick(): void;
  /** Resolves when no drain is running or asked for: tests await it before looking at the push service. */
  idle(): Promise<void>;
  /** Totals since the pump was made. */
  readonly totals: DrainResult;
}

export function createOutboxPump(
  deps: DrainDeps,
  options: DrainOptions & { onError?: (e: unknown) => void } = {},
): OutboxPump {
  const totals: DrainResult = { sent: 0, failed: 0, gone: 0, retried: 0, skipped: 0 };
  let running: Promise<void> | null = null;
  let again = false;
  const onError = options.onError ?? ((e: unknown) => console.error("push outbox drain failed", e));

  async function loop() {
    do {
      again = false;
      try {
        const r = await drainOutbox(deps, options);
        for (const k of Object.keys(totals) as (keyof DrainResult)[]) totals[k] += r[k];
      } catch (e) {
        onError(e);
      }
    } while (again);
  }

  return {
    totals,
    kick() {
      if (running) {
        again = true;
        return;
      }
      running = loop().finally(() => {
        running = null;
      });
    },
    async idle() {
      // A kick from inside a finishing drain starts a new one: wait until none is left.
      for (let r = running; r; r = running) await r;
    },
  };
}
