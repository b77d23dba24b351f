// /leader/passkeys: a leader's or block leader's own passkeys (../staff/passkeys).
import { PasskeysSection } from "../staff/passkeys/PasskeysSection";
import { st } from "../staff/i18n";
import { LeaderLayout } from "./LeaderLayout";

export function PasskeysPage() {
  return (
    <LeaderLayout title={st("staff.passkeys.title")}>
      <PasskeysSection />
    </LeaderLayout>
  );
}
