// The frame of every city screen: the staff frame (../staff/StaffLayout.tsx) with the city's places, wide (the
// tables and charts need the room).
import type { ComponentChildren } from "preact";
import { t } from "../../i18n";
import { isCityStaff, me } from "../../session";
import { st } from "../staff/i18n";
import { NavLink, StaffLayout } from "../staff/StaffLayout";
import { ct } from "./i18n";

/** The dashboard is current on every level of it (/city/w/…, /city/d/…, /city/a/…); the others on their own pages. */
const under = (href: string) => (path: string) =>
  href === "/city" ? path === "/city" || /^\/city\/[wda]\//.test(path) : path === href || path.startsWith(`${href}/`);

export function CityLayout({ title, children }: { title: string; children: ComponentChildren }) {
  const m = me.value;
  return (
    <StaffLayout
      title={title}
      wide
      navLabel={ct("city.nav.label")}
      signedInAs={m && isCityStaff(m) ? ct("city.signedInAs", { name: m.displayName }) : null}
      account={{ href: "/city/passkeys", label: st("staff.passkeys.nav") }}
      links={
        <>
          <NavLink href="/city" current={under("/city")}>
            {ct("city.nav.dashboard")}
          </NavLink>
          <NavLink href="/city/needs-support" current={under("/city/needs-support")}>
            {ct("city.nav.needs")}
          </NavLink>
          <NavLink href="/city/circulars" current={under("/city/circulars")}>
            {ct("city.nav.circulars")}
          </NavLink>
          <NavLink href="/city/safety" current={under("/city/safety")}>
            {ct("city.nav.safety")}
          </NavLink>
        </>
      }
    >
      {children}
    </StaffLayout>
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
