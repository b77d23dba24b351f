// The frame of every leader screen: the staff frame (../staff/StaffLayout.tsx) with the leader's few places to go.
import type { ComponentChildren } from "preact";
import { formatDate } from "../../format";
import { sut } from "../../components/support/i18n";
import { wt } from "../../components/watch/i18n";
import { isStaff, me } from "../../session";
import { st } from "../staff/i18n";
import { NavLink, StaffLayout } from "../staff/StaffLayout";
import { lt } from "./i18n";
import { rotationT } from "./rotation/i18n";

export const isLeader = () => me.value?.role === "leader";

const under = (href: string) => (path: string) => (href === "/leader" ? path === "/leader" : path.startsWith(href));

export function LeaderLayout({
  title,
  children,
  wide,
}: {
  title: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const m = me.value;
  return (
    <StaffLayout
      title={title}
      wide={wide}
      navLabel={lt("leader.nav.label")}
      signedInAs={m && isStaff(m) ? lt("leader.signedInAs", { name: m.displayName }) : null}
      account={{ href: "/leader/passkeys", label: st("staff.passkeys.nav") }}
      links={
        <>
          <NavLink href="/leader" current={under("/leader")}>
            {lt("leader.nav.circulars")}
          </NavLink>
          <NavLink href="/leader/watch" current={under("/leader/watch")}>
            {wt("watch.title")}
          </NavLink>
          <NavLink href="/leader/support" current={under("/leader/support")}>
            {sut("support.list.title")}
          </NavLink>
          {m?.role === "block_leader" && (
            <NavLink href="/leader/hancho" current={under("/leader/hancho")}>
              {rotationT("hancho.nav")}
            </NavLink>
          )}
          {isLeader() && (
            <NavLink href="/leader/households" current={under("/leader/households")}>
              {lt("leader.nav.households")}
            </NavLink>
          )}
        </>
      }
    >
      {m?.readOnlyUntil && (
        <p class="notice" role="note">
          {lt("leader.readOnly.banner", { date: formatDate(new Date(Date.parse(m.readOnlyUntil) - 1)) })}
        </p>
      )}
      {children}
    </StaffLayout>
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
