import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { isStaff, me } from "../session";
import { online } from "../online";
import { useFocusMainOnArrival } from "./focus";

/** The frame of every screen: skip link, a top bar with the few places to go, and the main region. */
export function Layout({ children, wide, title }: { children: ComponentChildren; wide?: boolean; title: string }) {
  useFocusMainOnArrival();
  if (typeof document !== "undefined") document.title = `${title} | ${t("app.name")}`;
  const m = me.value;
  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="topbar no-print">
        <a class="brand" href={isStaff(m) ? "/leader" : "/"}>
          {t("app.name")}
        </a>
        <nav aria-label={t("app.name")}>
          {m && m.householdId && (
            <a class="btn" href="/">
              {t("nav.home")}
            </a>
          )}
          {isStaff(m) && (
            <a class="btn" href="/leader">
              {t("nav.leader")}
            </a>
          )}
          <a class="btn" href="/settings">
            {t("nav.settings")}
          </a>
        </nav>
      </header>
      <main id="main" class={wide ? "wide" : undefined} tabIndex={-1}>
        {!online.value && (
          <p class="notice" role="status">
            {t("app.offline")}
          </p>
        )}
        {children}
      </main>
    </>
  );
}
