// Who watches (the block leader, or a member of the association chosen by name) and after how many days: the form
// of the resident's 「見守りを希望する」 and of a leader recording it for a household. The names come from
// GET /api/support/candidates (names only).
import { useState } from "preact/hooks";
import { useCandidates } from "../candidates";
import type { WatchInput, WatchOut } from "../../../../server/features/watch/watch.schemas";
import { watchError, wt } from "./i18n";

export type { WatchInput, WatchOut };
/** What the form starts from: a watch's watcher and days (null: a new one, the block leader and 7 days). */
export type WatchChoice = Pick<WatchOut, "watcher" | "days">;
const DAYS = [3, 7, 14] as const;

export function WatchForm({
  formId,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  formId: string;
  initial: WatchChoice | null;
  submitLabel: string;
  /** Sends the form; throws what the server answered. */
  onSubmit: (input: WatchInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const [named, setNamed] = useState(!!initial?.watcher);
  const [watcherId, setWatcherId] = useState(initial?.watcher?.id ?? "");
  const [days, setDays] = useState<WatchInput["days"]>((initial?.days as WatchInput["days"]) ?? 7);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = useCandidates(named, (e) => setError(watchError(e)));

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (named && !watcherId) {
      setError(wt("watch.form.pickFirst"));
      document.getElementById(`${formId}-watcher`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ watcherId: named ? watcherId : null, days });
    } catch (err) {
      setError(watchError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="stack" id={formId} onSubmit={submit} noValidate>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <fieldset class="field">
        <legend>{wt("watch.form.who")}</legend>
        <label class="choice">
          <input type="radio" name={`${formId}-who`} checked={!named} onChange={() => setNamed(false)} />
          {wt("watch.form.blockLeader")}
        </label>
        <label class="choice">
          <input type="radio" name={`${formId}-who`} checked={named} onChange={() => setNamed(true)} />
          {wt("watch.form.named")}
        </label>
        {named && (
          <div class="field">
            <label for={`${formId}-watcher`}>{wt("watch.form.pick")}</label>
            {candidates && candidates.length === 0 ? (
              <p class="muted">{wt("watch.form.noCandidates")}</p>
            ) : (
              <select
                id={`${formId}-watcher`}
                value={watcherId}
                onChange={(e) => setWatcherId((e.target as HTMLSelectElement).value)}
              >
                <option value="">―</option>
                {(candidates ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </div>
        )}
      </fieldset>
      <fieldset class="field">
        <legend>{wt("watch.form.days")}</legend>
        <div class="segmented">
          {DAYS.map((n) => (
            <label key={n}>
              <input type="radio" name={`${formId}-days`} checked={days === n} onChange={() => setDays(n)} />
              {wt("watch.form.daysN", { n })}
            </label>
          ))}
        </div>
        <p class="help">{wt("watch.form.daysHelp")}</p>
      </fieldset>
      <div class="row">
        <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
          {busy ? wt("watch.saving") : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="btn" onClick={onCancel}>
            {wt("watch.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
