import { useState } from "preact/hooks";
import { api, type Me } from "../../api";
import { t } from "../../i18n";
import { me } from "../../session";
import { useFormErrors } from "../staff/errors";
import { FormSummary, TextField } from "../staff/fields";
import { lt } from "./i18n";
import { st } from "../staff/i18n";
import { PasskeyCancelled, passkeysSupported, signInWithPasskey } from "../staff/passkeys/webauthn";
import { LeaderLayout } from "./LeaderLayout";

/**
 * Email and password for leaders and block leaders. Shown at /login and wherever a leader screen is opened without
 * a session; once signed in, the screen that was asked for appears (LeaderApp re-renders on `me`).
 */
function signedInAs(signedIn: Me) {
  localStorage.setItem("kairan.me", JSON.stringify(signedIn));
  me.value = signedIn;
}

export function LoginPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState<false | "password" | "passkey">(false);
  const form = useFormErrors("login", ["email", "password"]);

  async function withPasskey() {
    if (busy) return;
    setBusy("passkey");
    form.clear();
    try {
      signedInAs(await signInWithPasskey());
    } catch (err) {
      if (err instanceof PasskeyCancelled) form.show({ summary: err.message, fields: {} });
      else form.showError(err);
      setBusy(false);
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = lt("leader.login.emailMissing");
    if (!password) fields.password = lt("leader.login.passwordMissing");
    if (Object.keys(fields).length) return form.show({ summary: st("staff.form.checkFields"), fields });
    setBusy("password");
    form.clear();
    try {
      const signedIn = await api<Me>("/api/auth/login", { method: "POST", json: { email: email.trim(), password } });
      signedInAs(signedIn);
    } catch (err) {
      form.showError(err);
      setBusy(false);
    }
  }

  return (
    <LeaderLayout title={t("login.title")}>
      <form class="stack narrow" onSubmit={submit} noValidate>
        <h1>{t("login.title")}</h1>
        <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
        <TextField
          id={form.fieldId("email")}
          label={t("login.email")}
          type="email"
          autoComplete="username"
          value={email}
          onInput={setEmail}
          error={form.errors.fields.email}
        />
        <TextField
          id={form.fieldId("password")}
          label={t("login.password")}
          type="password"
          autoComplete="current-password"
          value={password}
          onInput={setPassword}
          error={form.errors.fields.password}
          help={lt("leader.login.passwordHelp")}
        />
        <button type="submit" class="btn primary big" aria-disabled={busy ? "true" : undefined}>
          {busy === "password" ? lt("leader.login.signingIn") : t("login.submit")}
        </button>
        {passkeysSupported() && (
          <div class="stack">
            <button type="button" class="btn big" onClick={withPasskey} aria-disabled={busy ? "true" : undefined}>
              {busy === "passkey" ? st("staff.passkeys.signingIn") : st("staff.passkeys.signIn")}
            </button>
            <p class="muted">{st("staff.passkeys.signInHelp")}</p>
          </div>
        )}
        <p class="muted">{t("login.help")}</p>
        <p class="muted">{lt("leader.login.cityHelp")}</p>
      </form>
    </LeaderLayout>
  );
}
