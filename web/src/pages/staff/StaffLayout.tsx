// The frame of every staff screen (leaders' and the city's): skip link, a top bar with the chunk's places, 「設定」 and
// 「ログアウト」, who is signed in, the main region. Print views hide the bar (the .no-print rule in styles.css).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../api";
import { Frame } from "../../components/Frame";
import { t } from "../../i18n";
import { me } from "../../session";
import { st } from "./i18n";

async function signOut() {
  await api("/api/auth/logout", { method: "POST" }).catch(() => undefined);
  localStorage.removeItem("kairan.me");
  me.value = null;
}

/** A place in the top bar; `current` says whether the page shown is (under) it. */
export function NavLink({
  href,
  current,
  children,
}: {
  href: string;
  current: (path: string) => boolean;
  children: ComponentChildren;
}) {
  const { path } = useLocation();
  return (
    <a class="btn" href={href} aria-current={current(path) ? "page" : undefined}>
      {children}
    </a>
  );
}

/** `signedInAs` is null for someone who is not this chunk's staff: then no bar and no name, only the content. */
export function StaffLayout(p: {
  title: string;
  wide?: boolean;
  navLabel: string;
  links: ComponentChildren;
  signedInAs: string | null;
  /** Where the signed-in member's own account is looked after (their passkeys), beside who is signed in. */
  account?: { href: string; label: string };
  children: ComponentChildren;
}) {
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  async function onSignOut() {
    setBusy(true);
    await signOut();
    route("/login");
  }
  return (
    <Frame
      title={p.title}
      wide={p.wide}
      offlineMessage={st("staff.error.offline")}
      nav={
        p.signedInAs !== null && (
          <nav aria-label={p.navLabel} class="leader-nav">
            {p.links}
            <a class="btn" href="/settings">
              {t("nav.settings")}
            </a>
            <button type="button" class="btn" onClick={onSignOut} aria-disabled={busy ? "true" : undefined}>
              {st("staff.nav.signOut")}
            </button>
          </nav>
        )
      }
    >
      {p.signedInAs !== null && (
        <p class="signed-in muted no-print">
          {p.signedInAs}
          {p.account && (
            <>
              {" "}
              <a href={p.account.href}>{p.account.label}</a>
            </>
          )}
        </p>
      )}
      {p.children}
    </Frame>
  );
}
