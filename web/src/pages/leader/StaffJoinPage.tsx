import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../api";
import { ErrorNotice, Loading } from "../../components/Loading";
import { formatDate } from "../../format";
import { loadMe } from "../../session";
import { messageFor, useFormErrors } from "../staff/errors";
import { FormSummary, TextField } from "../staff/fields";
import { lt } from "./i18n";
import { st } from "../staff/i18n";
import type { InvitePreview } from "./leader-api";
import { LeaderLayout } from "./LeaderLayout";

/** /leader/join/<token>: a leader or block leader accepts their invite, choosing the email and password to sign in with. */
export function StaffJoinPage({ token }: { token: string }) {
  const { route } = useLocation();
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const form = useFormErrors("join", ["displayName", "email", "password"]);

  useEffect(() => {
    api<InvitePreview>(`/api/join/${encodeURIComponent(token)}`)
      .then((p) => {
        // A household invite belongs to the resident join page.
        if (p.kind === "household") route(`/join/${encodeURIComponent(token)}`, true);
        else setPreview(p);
      })
      .catch((e) => setLoadError(messageFor(e)));
  }, [token]);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const fields: Record<string, string> = {};
    if (!name.trim()) fields.displayName = lt("leader.join.nameMissing");
    if (!email.trim()) fields.email = lt("leader.login.emailMissing");
    if (password.length < 8) fields.password = lt("leader.join.passwordShort");
    if (Object.keys(fields).length) return form.show({ summary: st("staff.form.checkFields"), fields });
    setBusy(true);
    form.clear();
    try {
      await api("/api/join/staff", {
        method: "POST",
        json: { token, displayName: name.trim(), email: email.trim(), password },
      });
      await loadMe();
      // A new leader starts with 「はじめに確認すること」: the association's state as they find it.
      route(preview?.kind === "leader" ? "/leader/start" : "/leader");
    } catch (err) {
      form.showError(err);
      setBusy(false);
    }
  }

  const role =
    preview?.kind === "block_leader"
      ? lt("leader.join.asBlockLeader", { block: preview.blockName ?? "" })
      : lt("leader.join.asLeader");
  return (
    <LeaderLayout title={lt("leader.join.title")}>
      <div class="stack narrow">
        <h1>{lt("leader.join.title")}</h1>
        {loadError && <ErrorNotice message={loadError} />}
        {!preview && !loadError && <Loading />}
        {preview && (
          <form class="stack" onSubmit={submit} noValidate>
            <p class="notice ok">
              {lt("leader.join.for", { association: preview.associationName, role })}
              <br />
              {lt("leader.join.expires", { date: formatDate(preview.expiresAt) })}
            </p>
            <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
            <TextField
              id={form.fieldId("displayName")}
              label={lt("leader.join.name")}
              value={name}
              onInput={setName}
              required
              maxLength={40}
              autoComplete="name"
              help={lt("leader.join.nameHelp")}
              error={form.errors.fields.displayName}
            />
            <TextField
              id={form.fieldId("email")}
              label={lt("leader.join.email")}
              type="email"
              value={email}
              onInput={setEmail}
              required
              autoComplete="username"
              help={lt("leader.join.emailHelp")}
              error={form.errors.fields.email}
            />
            <TextField
              id={form.fieldId("password")}
              label={lt("leader.join.password")}
              type="password"
              value={password}
              onInput={setPassword}
              required
              autoComplete="new-password"
              help={lt("leader.join.passwordHelp")}
              error={form.errors.fields.password}
            />
            <button type="submit" class="btn primary big" aria-disabled={busy ? "true" : undefined}>
              {busy ? lt("leader.join.submitting") : lt("leader.join.submit")}
            </button>
          </form>
        )}
      </div>
    </LeaderLayout>
  );
}
