// /leader/watch: 「見守り」 for leaders (every watched household) and block leaders (their block's, and any that named
// them): those gone quiet first, with 「様子を確認しました」.
import { wt } from "../../../components/watch/i18n";
import { WatchListView } from "../../../components/watch/WatchList";
import { LeaderLayout } from "../LeaderLayout";

export function LeaderWatchPage() {
  return (
    <LeaderLayout title={wt("watch.page.title")}>
      <div class="stack">
        <h1>{wt("watch.page.title")}</h1>
        <WatchListView />
      </div>
    </LeaderLayout>
  );
}
