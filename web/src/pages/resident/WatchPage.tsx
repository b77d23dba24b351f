// /watch, where a 見守り notification opens: for a resident named as a watcher, the 「見守り」 list in the resident's
// frame (its own chunk); leaders and block leaders go on to the same list in their screens (/leader/watch).
import { Layout } from "../../components/Layout";
import { Loading } from "../../components/Loading";
import { wt } from "../../components/watch/i18n";
import { WatchListView } from "../../components/watch/WatchList";
import { isCityStaff, isStaff, me } from "../../session";
import { StartPage } from "./Start";

export default function WatchPage() {
  const m = me.value;
  if (m === undefined) return <Loading />;
  if (!m) return <StartPage />;
  if (isStaff(m) || isCityStaff(m)) {
    if (typeof location !== "undefined") location.replace(isStaff(m) ? "/leader/watch" : "/city");
    return <Loading />;
  }
  return (
    <Layout title={wt("watch.page.title")}>
      <div class="stack">
        <h1>{wt("watch.page.title")}</h1>
        <WatchListView />
      </div>
    </Layout>
  );
}
