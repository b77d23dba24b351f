import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { api, ApiError, OfflineError, type Me } from "../../api";
import { ErrorNotice, Loading } from "../../components/Loading";
import { Layout } from "../../components/Layout";
import { t } from "../../i18n";
import { me } from "../../session";
import { settings } from "../../settings";

interface Preview {
  kind: "household" | "leader" | "block_leader";
  associationName: string;
  householdLabel: string | null;
  blockName: string | null;
}

/** What to say when joining failed: the server's reason, or that there is no connection. */
function joinError(e: unknown, fallback: string): string {
  if (e instanceof ApiError) return e.display;
  return e instanceof OfflineError ? t("join.offline") : fallback;
}

async function joined(route: (url: string) => void) {
  me.value = await api<Me>("/api/auth/me");
  localStorage.setItem("kairan.me", JSON.stringify(me.value));
  route(settings.value.welcomed ? "/" : "/welcome");
}

/** /join/<token>, opened from the printed QR code: one tap on 「はじめる」 signs this tablet in for the household. */
export function JoinPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const token = params.token ?? "";
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A link that matches no invite (cut short, or typed from the paper): the code on the same paper still works.
  const [unknownLink, setUnknownLink] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Preview>(`/api/join/${encodeURIComponent(token)}`)
      .then(setPreview)
      .catch((e) => {
        setError(joinError(e, t("join.invalid")));
        setUnknownLink(e instanceof ApiError && e.code === "not_found");
      });
  }, [token]);

  async function start() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api("/api/join", { method: "POST", json: { token } });
      await joined(route);
    } catch (e) {
      setError(joinError(e, t("app.error")));
      setBusy(false);
    }
  }

  if (preview && preview.kind !== "household") {
    // A leader or block-leader invite: the leader screens handle registration.
    route(`/leader/join/${encodeURIComponent(token)}`, true);
    return <Loading />;
  }
  return (
    <Layout title={t("join.title")}>
      <div class="stack">
        <h1>{t("join.title")}</h1>
        {error && <ErrorNotice message={error} />}
        {unknownLink && (
          <a class="btn primary big" href="/join">
            {t("start.code")}
          </a>
        )}
        {!preview && !error && <Loading />}
        {preview && (
          <>
            <p class="notice ok">
              {t("join.for", { association: preview.associationName, household: preview.householdLabel ?? "" })}
            </p>
            <button type="button" class="btn primary big" onClick={start} aria-disabled={busy}>
              {busy ? t("join.starting") : t("join.start")}
            </button>
          </>
        )}
      </div>
    </Layout>
  );
}

/** 「招待コード「ABCD-EFGH」は見つかりません…」 with the code kept on one line (never split at its hyphen). */
function unknownCode(code: string): ComponentChildren {
  const [before, after] = t("join.code.unknown").split("{code}");
  return (
    <>
      {before}
      <span class="nowrap">{code}</span>
      {after}
    </>
  );
}

/**
 * /join: the 8-character code, typed however it comes (lower case, hyphens, spaces, full-width). A code that matches
 * no invite is shown back as read, grouped as printed, to be checked against the paper; an expired or used one gets
 * the server's answer (ask the leader).
 */
export function JoinCodePage() {
  const { route } = useLocation();
  const [code, setCode] = useState("");
  const [error, setError] = useState<ComponentChildren>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const compact = code.normalize("NFKC").replace(/[\s\-‐‑‒–—―−ー_]/g, "");
    if (compact.length !== 8) {
      setError(t("join.code.wrongLength"));
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api("/api/join", { method: "POST", json: { code } });
      await joined(route);
    } catch (err) {
      const typed = compact.toUpperCase();
      setError(
        err instanceof ApiError && err.code === "not_found"
          ? unknownCode(`${typed.slice(0, 4)}-${typed.slice(4)}`)
          : joinError(err, t("app.error")),
      );
      setBusy(false);
      input.current?.focus();
    }
  }

  return (
    <Layout title={t("join.code.title")}>
      <form class="stack" onSubmit={submit} noValidate>
        <h1>{t("join.code.title")}</h1>
        <div class="field">
          <label for="code">{t("join.code.label")}</label>
          <input
            id="code"
            ref={input}
            value={code}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)}
            autocomplete="one-time-code"
            autocapitalize="characters"
            spellcheck={false}
            inputMode="text"
            aria-describedby="code-help code-error"
            aria-invalid={error ? "true" : undefined}
            style={{ fontSize: "1.5rem", letterSpacing: "0.15em" }}
          />
          <p class="help" id="code-help">
            {t("join.code.help")}
          </p>
          {error && (
            <p class="error" id="code-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" class="btn primary big" aria-disabled={busy}>
          {busy ? t("join.starting") : t("join.code.submit")}
        </button>
      </form>
    </Layout>
  );
}
