import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { online } from "../online";
import { homePath, me } from "../session";
import { useFocusMainOnArrival } from "./focus";

/**
 * The frame every screen shares, resident or leader: the page title, a skip link, the top bar with the app's name
 * and the screen's own navigation, the offline notice, and the main region that receives focus on arrival.
 */
export function Frame(p: {
  title: string;
  nav: ComponentChildren;
  offlineMessage: string;
  wide?: boolean;
  children: ComponentChildren;
}) {
  useFocusMainOnArrival();
  if (typeof document !== "undefined") document.title = `${p.title} | ${t("app.name")}`;
  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="topbar no-print">
        <a class="brand" href={homePath(me.value)}>
          {t("app.name")}
        </a>
        {p.nav}
      </header>
      <main id="main" class={p.wide ? "wide" : undefined} tabIndex={-1}>
        {!online.value && (
          <p class="notice" role="status">
            {p.offlineMessage}
          </p>
        )}
        {p.children}
      </main>
    </>
  );
}
