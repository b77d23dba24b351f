// 「パスキー」: a signed-in staff member adds passkeys (「パスキーを追加」), sees them (name, added, last used) and
// removes them (「削除」, after a question). Shown by the leader and city chunks on their 「パスキー」 page.
import { useState } from "preact/hooks";
import { api } from "../../../api";
import { formatDateTime } from "../../../format";
import { ConfirmDialog } from "../ConfirmDialog";
import { messageFor } from "../errors";
import { TextField } from "../fields";
import { st } from "../i18n";
import { useLoad } from "../use-load";
import { addPasskey, PasskeyCancelled, passkeysSupported, type Passkey } from "./webauthn";

export function PasskeysSection() {
  const list = useLoad<{ passkeys: Passkey[] }>("/api/passkeys");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<Passkey | null>(null);
  const supported = passkeysSupported();

  async function add(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setStatus("");
    try {
      await addPasskey(name);
      setName("");
      setStatus(st("staff.passkeys.added"));
      await list.reload();
    } catch (err) {
      setError(err instanceof PasskeyCancelled ? err.message : messageFor(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!asking) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/api/passkeys/${encodeURIComponent(asking.id)}`, { method: "DELETE" });
      setAsking(null);
      setStatus(st("staff.passkeys.removed"));
      await list.reload();
    } catch (err) {
      setAsking(null);
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  }

  const passkeys = list.data?.passkeys;
  return (
    <section class="stack" aria-labelledby="passkeys-h">
      <h1 id="passkeys-h">{st("staff.passkeys.title")}</h1>
      <p>{st("staff.passkeys.lead")}</p>
      <p role="status" class={status ? "notice ok" : undefined}>
        {status}
      </p>
      {(error ?? list.error) && (
        <p class="notice error" role="alert">
          {error ?? list.error}
        </p>
      )}
      {passkeys && passkeys.length === 0 && <p>{st("staff.passkeys.none")}</p>}
      {passkeys && passkeys.length > 0 && (
        <ul class="plain-list stack">
          {passkeys.map((p) => (
            <li key={p.id} class="row">
              <span>
                <strong>{p.name}</strong>{" "}
                <span class="muted">
                  {st("staff.passkeys.created", { date: formatDateTime(p.createdAt) })}
                  {" ・ "}
                  {p.lastUsedAt
                    ? st("staff.passkeys.lastUsed", { date: formatDateTime(p.lastUsedAt) })
                    : st("staff.passkeys.neverUsed")}
                </span>
              </span>
              <button
                type="button"
                class="btn danger"
                aria-label={st("staff.passkeys.removeLabel", { name: p.name })}
                onClick={() => setAsking(p)}
              >
                {st("staff.passkeys.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {supported ? (
        <form class="stack" onSubmit={add} noValidate>
          <TextField
            id="passkey-name"
            label={st("staff.passkeys.name")}
            value={name}
            onInput={setName}
            maxLength={60}
            help={st("staff.passkeys.nameHelp")}
          />
          <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
            {busy && !asking ? st("staff.passkeys.adding") : st("staff.passkeys.add")}
          </button>
        </form>
      ) : (
        <p class="notice">{st("staff.passkeys.unsupported")}</p>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={st("staff.passkeys.confirmTitle")}
        confirmLabel={st("staff.passkeys.remove")}
        busyLabel={st("staff.passkeys.removing")}
        busy={busy}
        danger
        onConfirm={remove}
        onClose={() => setAsking(null)}
      >
        <p>{asking ? st("staff.passkeys.confirmBody", { name: asking.name }) : ""}</p>
      </ConfirmDialog>
    </section>
  );
}
