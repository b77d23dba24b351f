// The 要支援 form: what help is needed, a note, supporters chosen by name (GET /api/support/candidates), and the
// consent without which nothing is sent. The resident's settings and a leader's record of a paper form share it.
import { useState } from "preact/hooks";
import { useCandidates } from "../candidates";
import type { SupportEntryOut } from "../../../../server/features/safety/safety.schemas";
import { NEEDS, needLabel, supportError, sut, type Need } from "./i18n";

export interface SupportInput {
  needs: Need[];
  note: string;
  supporterIds: string[];
  consent: true;
}

export function SupportForm({
  formId,
  initial,
  paper,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  formId: string;
  initial: SupportEntryOut | null;
  /** A leader recording a signed paper form (the consent box says so). */
  paper?: boolean;
  submitLabel: string;
  onSubmit: (input: SupportInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const [needs, setNeeds] = useState<Need[]>((initial?.needs as Need[]) ?? []);
  const [note, setNote] = useState(initial?.note ?? "");
  const [supporterIds, setSupporterIds] = useState<string[]>(initial?.supporters.map((s) => s.id) ?? []);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = useCandidates(true, (e) => setError(supportError(e)));

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!consent) {
      setError(sut("support.form.consentNeeded"));
      document.getElementById(`${formId}-consent`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ needs, note, supporterIds, consent: true });
    } catch (err) {
      setError(supportError(err));
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
        <legend>{sut("support.form.needs")}</legend>
        {NEEDS.map((n) => (
          <label class="choice" key={n}>
            <input
              type="checkbox"
              checked={needs.includes(n)}
              onChange={(e) => setNeeds(toggle(needs, n, (e.target as HTMLInputElement).checked))}
            />
            {needLabel(n)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`${formId}-note`}>{sut("support.form.note")}</label>
        <textarea
          id={`${formId}-note`}
          rows={3}
          maxLength={200}
          value={note}
          aria-describedby={`${formId}-note-help`}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
        />
        <p class="help" id={`${formId}-note-help`}>
          {sut("support.form.noteHelp")}
        </p>
      </div>
      <fieldset class="field">
        <legend>{sut("support.form.supporters")}</legend>
        <p class="help">{sut("support.form.supportersHelp")}</p>
        {candidates && candidates.length === 0 && <p class="muted">{sut("support.form.noCandidates")}</p>}
        {(candidates ?? []).map((c) => (
          <label class="choice" key={c.id}>
            <input
              type="checkbox"
              checked={supporterIds.includes(c.id)}
              onChange={(e) => setSupporterIds(toggle(supporterIds, c.id, (e.target as HTMLInputElement).checked))}
            />
            {c.name}
          </label>
        ))}
      </fieldset>
      <label class="choice">
        <input
          type="checkbox"
          id={`${formId}-consent`}
          checked={consent}
          onChange={(e) => setConsent((e.target as HTMLInputElement).checked)}
        />
        {sut(paper ? "support.form.consentPaper" : "support.form.consent")}
      </label>
      <div class="row">
        <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
          {busy ? sut("support.saving") : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="btn" onClick={onCancel}>
            {sut("support.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
