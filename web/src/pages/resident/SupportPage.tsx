// /support: 「支援する世帯」 for a resident a 要支援 household named as its supporter (its own chunk, linked from
// settings); leaders and block leaders go on to 「要支援の名簿」 (/leader/support).
import { Layout } from "../../components/Layout";
import { Loading } from "../../components/Loading";
import { sut } from "../../components/support/i18n";
import { SupportListView } from "../../components/support/SupportListView";
import { isCityStaff, isStaff, me } from "../../session";
import { StartPage } from "./Start";

export default function SupportPage() {
  const m = me.value;
  if (m === undefined) return <Loading />;
  if (!m) return <StartPage />;
  if (isStaff(m) || isCityStaff(m)) {
    if (typeof location !== "undefined") location.replace(isStaff(m) ? "/leader/support" : "/city");
    return <Loading />;
  }
  return (
    <Layout title={sut("support.resident.title")}>
      <div class="stack">
        <h1>{sut("support.resident.title")}</h1>
        <p>{sut("support.resident.lead")}</p>
        <SupportListView />
      </div>
    </Layout>
  );
}
