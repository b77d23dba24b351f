import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { isCityStaff, isStaff, me } from "../session";
import { Frame } from "./Frame";

/** The frame of every screen: skip link, a top bar with the few places to go, and the main region. */
export function Layout({ children, wide, title }: { children: ComponentChildren; wide?: boolean; title: string }) {
  const m = me.value;
  return (
    <Frame
      title={title}
      wide={wide}
      offlineMessage={t("app.offline")}
      nav={
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
          {isCityStaff(m) && (
            <a class="btn" href="/city">
              {t("nav.city")}
            </a>
          )}
          <a class="btn" href="/settings">
            {t("nav.settings")}
          </a>
        </nav>
      }
    >
      {children}
    </Frame>
  );
}
