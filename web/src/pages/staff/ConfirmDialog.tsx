// A question before something that cannot simply be taken back (publishing, withdrawing, signing devices out),
// in a native <dialog>: modal, Escape closes it, focus stays inside and returns to the button that opened it.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../../i18n";

// Ids without preact's useId, which the resident chunk does not use and would otherwise have to carry.
let dialogs = 0;

export function ConfirmDialog(p: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busyLabel?: string;
  busy?: boolean;
  danger?: boolean;
  /** false: the body is a form, not words that describe the question (its fields are read one by one). */
  describe?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useRef<string>(`confirm-${++dialogs}`).current;
  const titleId = `${ids}-title`;
  const bodyId = `${ids}-body`;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (p.open && !d.open) d.showModal();
    if (!p.open && d.open) d.close();
  }, [p.open]);
  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby={titleId}
      aria-describedby={p.describe === false ? undefined : bodyId}
      onClose={p.onClose}
      onCancel={(e) => {
        // Escape while the request runs would leave it half-visible; let it finish.
        if (p.busy) e.preventDefault();
      }}
    >
      <h2 id={titleId}>{p.title}</h2>
      <div id={bodyId} class="stack">
        {p.children}
      </div>
      <div class="row dialog-actions">
        <button type="button" class="btn" onClick={() => !p.busy && p.onClose()}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          class={p.danger ? "btn primary danger" : "btn primary"}
          aria-disabled={p.busy ? "true" : undefined}
          onClick={() => !p.busy && p.onConfirm()}
        >
          {p.busy && p.busyLabel ? p.busyLabel : p.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
