// 「見守り」 on a household of the leader's households screen: a leader records a watch asked for on paper or in
// person (who watches, after how many days), changes or stops it.
import { useState } from "preact/hooks";
import { api } from "../../../api";
import { watchError, wt } from "../../../components/watch/i18n";
import { WatchForm, type WatchChoice, type WatchInput } from "../../../components/watch/WatchForm";
import type { Household } from "../leader-api";

export function HouseholdWatch({
  h,
  watch,
  onChanged,
  onClose,
}: {
  h: Household;
  /** The household's watch as listed by GET /api/watch; null when none. */
  watch: WatchChoice | null;
  onChanged: (message: string) => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/households/${encodeURIComponent(h.id)}/watch`;

  async function save(input: WatchInput) {
    await api(path, { method: "PUT", json: input });
    onChanged(wt("watch.hh.saved", { label: h.label }));
  }

  async function stop() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api(path, { method: "DELETE" });
      onChanged(wt("watch.hh.stopped", { label: h.label }));
    } catch (e) {
      setError(watchError(e));
      setBusy(false);
    }
  }

  return (
    <div class="stack edit-panel">
      <h3>{wt("watch.hh.title", { label: h.label })}</h3>
      <p class="muted">{wt("watch.hh.help")}</p>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <WatchForm
        formId={`hh-watch-${h.id}`}
        initial={watch}
        submitLabel={wt("watch.settings.save")}
        onSubmit={save}
        onCancel={onClose}
      />
      {watch && (
        <p>
          <button type="button" class="btn danger" onClick={stop} aria-disabled={busy ? "true" : undefined}>
            {wt("watch.settings.stop")}
          </button>
        </p>
      )}
    </div>
  );
}
