// 「災害時に支援が必要です（要支援の登録）」 in the resident's settings (its own chunk, loaded by
// LazySupportSettings): who will see it, the household's entry, registering with consent, changing it, and
// 「登録をやめる」 (deleted at once).
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import type { OwnSupport } from "../../../../server/features/safety/safety.schemas";
import { needsText, supportError, sut, type Need } from "./i18n";
import { SupportForm, type SupportInput } from "./SupportForm";

type Own = OwnSupport;

export function SupportSettings() {
  const [own, setOwn] = useState<Own | null>(null);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Own>("/api/support/mine")
      .then(setOwn)
      .catch((e) => setError(supportError(e)));
  }, []);

  async function save(input: SupportInput) {
    setOwn(await api<Own>("/api/support/mine", { method: "PUT", json: input }));
    setEditing(false);
    setStatus(sut("support.settings.saved"));
  }

  async function withdraw() {
    if (busy || !confirm(sut("support.settings.withdrawConfirm"))) return;
    setBusy(true);
    setError(null);
    try {
      setOwn(await api<Own>("/api/support/mine", { method: "DELETE" }));
      setEditing(false);
      setStatus(sut("support.settings.withdrawn"));
    } catch (e) {
      setError(supportError(e));
    } finally {
      setBusy(false);
    }
  }

  const entry = own?.entry ?? null;
  return (
    <section class="stack" aria-labelledby="support-h">
      <h2 id="support-h">{sut("support.settings.title")}</h2>
      <p>{sut("support.settings.lead")}</p>
      <p class="notice">{sut("support.settings.who")}</p>
      <p class="muted">{sut("support.settings.withdrawHelp")}</p>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {entry && !editing && (
        <div class="stack">
          <p>
            <strong>{sut("support.settings.on")}</strong>
            {entry.consent === "paper" && <> {sut("support.settings.onPaper")}</>}
          </p>
          {entry.needs.length > 0 && (
            <p>{sut("support.settings.needs", { needs: needsText(entry.needs as Need[]) })}</p>
          )}
          {entry.note && <p>「{entry.note}」</p>}
          <p>
            {entry.supporters.length > 0
              ? sut("support.settings.supporters", { names: entry.supporters.map((s) => s.name).join("、") })
              : sut("support.settings.noSupporters")}
          </p>
          <div class="row">
            <button type="button" class="btn" onClick={() => setEditing(true)}>
              {sut("support.settings.change")}
            </button>
            <button type="button" class="btn danger" onClick={withdraw} aria-disabled={busy ? "true" : undefined}>
              {sut("support.settings.withdraw")}
            </button>
          </div>
        </div>
      )}
      {own && !entry && !editing && (
        <p>
          <button type="button" class="btn primary" onClick={() => setEditing(true)}>
            {sut("support.settings.start")}
          </button>
        </p>
      )}
      {editing && (
        <SupportForm
          formId="support-mine"
          initial={entry}
          submitLabel={sut("support.settings.save")}
          onSubmit={save}
          onCancel={() => setEditing(false)}
        />
      )}
      <p class="muted" role="status">
        {status}
      </p>
      {!!own?.supporting && (
        <div class="stack">
          <p>{sut("support.settings.supporting", { n: own.supporting })}</p>
          <p>
            <a class="btn" href="/support">
              {sut("support.settings.openList")}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}
