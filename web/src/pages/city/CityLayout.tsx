// The frame of every city screen: skip link, the top bar with the city's places and 「ログアウト」, the main region
// (wide: the tables and charts need the room).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../api";
import { Frame } from "../../components/Frame";
import { t } from "../../i18n";
import { isCityStaff, me } from "../../session";
import { st } from "../staff/i18n";
import { ct } from "./i18n";

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { path } = useLocation();
  const current =
    href === "/city" ? path === "/city" || /^\/city\/[wda]\//.test(path) : path === href || path.startsWith(`${href}/`);
  return (
    <a class="btn" href={href} aria-current={current ? "page" : undefined}>
      {children}
    </a>
  );
}

export function CityLayout({ title, children }: { title: string; children: ComponentChildren }) {
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const m = me.value;
  async function signOut() {
    setBusy(true);
    await api("/api/auth/logout", { method: "POST" }).catch(() => undefined);
    localStorage.removeItem("kairan.me");
    me.value = null;
    route("/login");
  }
  return (
    <Frame
      title={title}
      wide
      offlineMessage={st("staff.error.offline")}
      nav={
        isCityStaff(m) && (
          <nav aria-label={ct("city.nav.label")} class="leader-nav">
            <NavLink href="/city">{ct("city.nav.dashboard")}</NavLink>
            <NavLink href="/city/needs-support">{ct("city.nav.needs")}</NavLink>
            <NavLink href="/city/circulars">{ct("city.nav.circulars")}</NavLink>
            <a class="btn" href="/settings">
              {t("nav.settings")}
            </a>
            <button type="button" class="btn" onClick={signOut} aria-disabled={busy ? "true" : undefined}>
              {st("staff.nav.signOut")}
            </button>
          </nav>
        )
      }
    >
      {m && isCityStaff(m) && <p class="signed-in muted no-print">{ct("city.signedInAs", { name: m.displayName })}</p>}
      {children}
    </Frame>
  );
}

/** Someone signed in who is not city staff (a leader, a household) opened a city address. */
export function NotCity() {
  return (
    <CityLayout title={ct("city.notCity.title")}>
      <div class="stack">
        <h1>{ct("city.notCity.title")}</h1>
        <p>{ct("city.notCity.body")}</p>
        <a class="btn primary" href="/">
          {t("nav.back")}
        </a>
      </div>
    </CityLayout>
  );
}
