// The frame of every leader screen: skip link, a top bar with the few places to go and 「ログアウト」, the main
// region. Print views hide the bar (the .no-print rule in styles.css).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../api";
import { t } from "../../i18n";
import { isStaff, me } from "../../session";
import { lt } from "./i18n";
import { st } from "../staff/i18n";
import { Frame } from "../../components/Frame";

export const isLeader = () => me.value?.role === "leader";

async function signOut() {
  await api("/api/auth/logout", { method: "POST" }).catch(() => undefined);
  localStorage.removeItem("kairan.me");
  me.value = null;
}

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { path } = useLocation();
  const current = href === "/leader" ? path === "/leader" : path.startsWith(href);
  return (
    <a class="btn" href={href} aria-current={current ? "page" : undefined}>
      {children}
    </a>
  );
}

export function LeaderLayout({ title, children, wide }: { title: string; children: ComponentChildren; wide?: boolean }) {
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const m = me.value;
  async function onSignOut() {
    setBusy(true);
    await signOut();
    route("/login");
  }
  return (
    <Frame
      title={title}
      wide={wide}
      offlineMessage={st("staff.error.offline")}
      nav={
        isStaff(m) && (
          <nav aria-label={lt("leader.nav.label")} class="leader-nav">
            <NavLink href="/leader">{lt("leader.nav.circulars")}</NavLink>
            {isLeader() && <NavLink href="/leader/households">{lt("leader.nav.households")}</NavLink>}
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
      {m && isStaff(m) && <p class="signed-in muted no-print">{lt("leader.signedInAs", { name: m.displayName })}</p>}
      {children}
    </Frame>
  );
}

/** What a block leader sees on a leader-only screen they reached by a link or an old bookmark. */
export function LeadersOnly() {
  return (
    <LeaderLayout title={lt("leader.leadersOnly.title")}>
      <div class="stack">
        <h1>{lt("leader.leadersOnly.title")}</h1>
        <p>{lt("leader.leadersOnly.body")}</p>
        <a class="btn primary" href="/leader">
          {lt("leader.nav.backToList")}
        </a>
      </div>
    </LeaderLayout>
  );
}
