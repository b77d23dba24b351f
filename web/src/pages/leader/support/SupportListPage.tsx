// /leader/support: 「要支援の名簿」 for the leader (every entry) and block leaders (their block's, and any that named
// them as supporter), by block; opening it writes one audit row per entry shown (server side). Printable.
import { sut } from "../../../components/support/i18n";
import { SupportListView } from "../../../components/support/SupportListView";
import { LeaderLayout } from "../LeaderLayout";

export function SupportListPage() {
  return (
    <LeaderLayout title={sut("support.list.title")}>
      <div class="stack">
        <h1>{sut("support.list.title")}</h1>
        <p>{sut("support.list.lead")}</p>
        <SupportListView printable />
      </div>
    </LeaderLayout>
  );
}
