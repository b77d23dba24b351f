// 「要支援」 on a household of the leader's households screen: the entry recorded from the household's signed paper
// form (read when the panel opens: the view is audited), changed, or deleted when the household withdraws consent.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { Loading } from "../../../components/Loading";
import { supportError, sut } from "../../../components/support/i18n";
import { SupportForm, type SupportInput } from "../../../components/support/SupportForm";
import type { Household, SupportEntryOut } from "../leader-api";

export function HouseholdSupport({
  h,
  onChanged,
  onClose,
}: {
  h: Household;
  onChanged: (message: string) => void;
  onClose: () => void;
}) {
  const [entry, setEntry] = useState<SupportEntryOut | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/households/${encodeURIComponent(h.id)}/support`;

  useEffect(() => {
    api<{ entry: SupportEntryOut | null }>(path)
      .then((r) => setEntry(r.entry))
      .catch((e) => setError(supportError(e)));
  }, [h.id]);

  async function save(input: SupportInput) {
    await api(path, { method: "PUT", json: input });
    onChanged(sut("support.hh.saved", { label: h.label }));
  }

  async function withdraw() {
    if (busy || !confirm(sut("support.hh.withdrawConfirm", { label: h.label }))) return;
    setBusy(true);
    setError(null);
    try {
      await api(path, { method: "DELETE" });
      onChanged(sut("support.hh.withdrawn", { label: h.label }));
    } catch (e) {
      setError(supportError(e));
      setBusy(false);
    }
  }

  return (
    <div class="stack edit-panel">
      <h3>{sut("support.hh.title", { label: h.label })}</h3>
      <p class="muted">{sut("support.hh.help")}</p>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {entry === undefined && !error && <Loading />}
      {entry !== undefined && (
        <SupportForm
          formId={`hh-support-${h.id}`}
          initial={entry}
          paper
          submitLabel={sut("support.settings.save")}
          onSubmit={save}
          onCancel={onClose}
        />
      )}
      {entry && (
        <p>
          <button type="button" class="btn danger" onClick={withdraw} aria-disabled={busy ? "true" : undefined}>
            {sut("support.hh.withdraw")}
          </button>
        </p>
      )}
    </div>
  );
}
