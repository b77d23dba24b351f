// The parts of a published circular's page both staff chunks share (a leader's board /leader/c/<id>, the city's
// figures /city/circulars/<id>): the frame with the way back, the message left by the last screen, loading and its
// error; what an action did or why it failed; and 「配布を取り下げる」 with its question.
import type { ComponentChildren, ComponentType, VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import { ErrorNotice, Loading } from "../../components/Loading";
import { ConfirmDialog } from "./ConfirmDialog";
import { messageFor } from "./errors";
import { useFlash } from "./flash";

/**
 * The page around a circular: `children` once it has loaded. `dialogs` go after the content, outside its stack,
 * whose spacing would otherwise move a modal dialog.
 */
export function CircularPageFrame(p: {
  layout: ComponentType<{ title: string; children: ComponentChildren }>;
  title: string;
  back: { href: string; label: string };
  error: string | null;
  onRetry: () => void;
  ready: boolean;
  dialogs: ComponentChildren;
  children: ComponentChildren;
}) {
  const flash = useFlash();
  const Layout = p.layout;
  return (
    <Layout title={p.title}>
      <div class="stack">
        <p>
          <a href={p.back.href}>← {p.back.label}</a>
        </p>
        {flash && (
          <p class="notice ok" role="status">
            {flash}
          </p>
        )}
        {p.error && <ErrorNotice message={p.error} onRetry={p.onRetry} />}
        {!p.ready && !p.error && <Loading />}
        {p.ready && p.children}
      </div>
      {p.dialogs}
    </Layout>
  );
}

/**
 * Loading the page's circular with `fetch` (again when `id` changes; `load` retries), and the state of what its
 * actions did: why one failed (`actionError`) and what to announce.
 */
export function useCircularPage(id: string, fetch: () => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState("");
  async function load() {
    try {
      await fetch();
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    }
  }
  useEffect(() => {
    void load();
  }, [id]);
  return { error, load, actionError, setActionError, announce, setAnnounce };
}

/** Why an action on the page failed (an alert), and what it did, for screen readers (the page itself changes). */
export function ActionStatus({ error, announce }: { error: string | null; announce: string }) {
  return (
    <>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {announce}
      </p>
    </>
  );
}

/** The words of withdrawing, by the end of their key ("leader.board.<name>", "city.detail.<name>"). */
export type WithdrawText = (
  name: "withdrawTitle" | "withdrawHelp" | "withdraw" | "withdrawBody" | "withdrawn",
  params?: Record<string, string | number>,
) => string;

/**
 * 「配布を取り下げる」: POST `url`, then `reload()` and say it is done. Answers the section with the button (shown where
 * withdrawing is possible) and its question (a dialog, always rendered, for CircularPageFrame's `dialogs`).
 */
export function useWithdraw(p: {
  url: string;
  title: string;
  text: WithdrawText;
  busyLabel?: string;
  reload: () => Promise<void>;
  announce: (message: string) => void;
  onError: (message: string | null) => void;
}): { section: VNode; dialog: VNode } {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const { text } = p;

  async function withdraw() {
    if (busy) return;
    setBusy(true);
    p.onError(null);
    try {
      await api(p.url, { method: "POST" });
      await p.reload();
      p.announce(text("withdrawn"));
    } catch (e) {
      p.onError(messageFor(e));
    } finally {
      setBusy(false);
      setOpen(false);
    }
  }

  return {
    section: (
      <section class="stack" aria-labelledby="withdraw-h">
        <h2 id="withdraw-h">{text("withdrawTitle")}</h2>
        <p class="muted">{text("withdrawHelp")}</p>
        <p>
          <button type="button" class="btn danger" onClick={() => setOpen(true)}>
            {text("withdraw")}
          </button>
        </p>
      </section>
    ),
    dialog: (
      <ConfirmDialog
        open={open}
        title={text("withdrawTitle")}
        confirmLabel={text("withdraw")}
        busyLabel={p.busyLabel}
        busy={busy}
        danger
        onConfirm={withdraw}
        onClose={() => setOpen(false)}
      >
        <p>{text("withdrawBody", { title: p.title })}</p>
      </ConfirmDialog>
    ),
  };
}
