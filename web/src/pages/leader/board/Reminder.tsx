// A reminder push from the board, asked first: 「未確認の世帯に再通知」 (the push panel) and 「未回答の世帯に再通知」 (the
// answers). Offered only while a household still to do can receive it (`reachable`), else the board says why not:
// a reminder that reaches nobody would still use up the hour (the server allows one reminder an hour, either kind).
// What it did, or the server's refusal in its own words, is said below it.
import { useState } from "preact/hooks";
import { api } from "../../../api";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { lt } from "../i18n";
import type { RemindResult } from "../leader-api";

/** The words that differ, by the end of their key ("leader.push.<name>", "leader.answers.<name>"). */
export type RemindText = (
  name: "remind" | "remindBody" | "remindedNone" | "noneReachable",
  params?: Record<string, string | number>,
) => string;

export function Reminder(p: {
  circularId: string;
  to: "unread" | "unanswered";
  /** Households still to do (unread, unanswered) and those of them a push reaches. */
  pending: number;
  reachable: number;
  text: RemindText;
  onDone?: () => Promise<void> | void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: string; ok: boolean } | null>(null);

  async function remind() {
    if (busy) return;
    setBusy(true);
    try {
      const query = p.to === "unanswered" ? "?to=unanswered" : "";
      const r = await api<RemindResult>(`/api/circulars/${encodeURIComponent(p.circularId)}/remind${query}`, {
        method: "POST",
      });
      const rest = r.unread - r.households;
      const text =
        r.households === 0
          ? p.text("remindedNone")
          : lt("leader.push.reminded", { households: r.households, devices: r.pushes });
      setResult({ text: rest > 0 ? `${text}${lt("leader.push.remindedRest", { n: rest })}` : text, ok: true });
      await p.onDone?.();
    } catch (e) {
      // 「再通知は1時間に1回までです。…」 and the like: the server's own words.
      setResult({ text: messageFor(e), ok: false });
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }

  return (
    <>
      {p.pending > 0 &&
        (p.reachable > 0 ? (
          <p>
            <button type="button" class="btn primary" onClick={() => setAsking(true)}>
              {p.text("remind")}
            </button>
          </p>
        ) : (
          <p class="notice">{p.text("noneReachable")}</p>
        ))}
      <div role="status">{result && <p class={result.ok ? "notice ok" : "notice error"}>{result.text}</p>}</div>
      <ConfirmDialog
        open={asking}
        title={p.text("remind")}
        confirmLabel={lt("leader.push.remindConfirm")}
        busyLabel={lt("leader.push.reminding")}
        busy={busy}
        onConfirm={remind}
        onClose={() => setAsking(false)}
      >
        <p class="confirm-question">{p.text("remindBody", { n: p.reachable })}</p>
        <p>{lt("leader.push.remindNote")}</p>
      </ConfirmDialog>
    </>
  );
}
