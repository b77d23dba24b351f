import { t } from "../../i18n";
import { LeaderLayout } from "./LeaderLayout";
import { lt } from "./i18n";

/** A resident's device that opened a leader address: the leader screens need a leader's own sign-in. */
export function NotStaff() {
  return (
    <LeaderLayout title={lt("leader.notStaff.title")}>
      <div class="stack">
        <h1>{lt("leader.notStaff.title")}</h1>
        <p>{lt("leader.notStaff.body")}</p>
        <a class="btn primary" href="/">
          {t("nav.back")}
        </a>
      </div>
    </LeaderLayout>
  );
}
