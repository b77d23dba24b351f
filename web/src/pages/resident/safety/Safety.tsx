// The resident's side of 安否確認, a chunk of its own (with its strings and styles), loaded only while a check is
// open (the home banner) or when a notification opens /safety/<id>.
import { useEffect, useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { ErrorNotice, Loading } from "../../../components/Loading";
import { Layout } from "../../../components/Layout";
import { extendMessages, t } from "../../../i18n";
import { safetyEn } from "../../../i18n/safety.en";
import { safetyJa } from "../../../i18n/safety.ja";
import { endedChecks, loadSafety, safetyChecks, type SafetyCheck } from "../../../safety";
import { SafetyPanel } from "./SafetyPanel";
import "./safety.css";

extendMessages({ ja: safetyJa, en: safetyEn }, "resident");

/** The banners at the top of home: one per open check (the city's and the association's may both be open). */
export function SafetyBanners({ checks }: { checks: SafetyCheck[] }) {
  return (
    <>
      {checks.map((c) => (
        <SafetyPanel key={c.id} check={c} level={2} />
      ))}
    </>
  );
}

/** /safety/<id>: the check a notification was about, with the same buttons and form as the banner. */
export function SafetyPage() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const [read, setRead] = useState(false);
  const load = () => loadSafety().then(() => setRead(true));
  useEffect(() => {
    void load();
  }, [id]);
  const list = safetyChecks.value;
  const check = list?.find((c) => c.id === id) ?? endedChecks.value.find((c) => c.id === id);
  return (
    <Layout title={t("safety.title")}>
      <div class="stack">
        <p>
          <a class="link-target" href="/">
            <span aria-hidden="true">←</span>
            <span>{t("nav.back")}</span>
          </a>
        </p>
        {check ? (
          <SafetyPanel check={check} level={1} />
        ) : list ? (
          <>
            <h1>{t("safety.title")}</h1>
            <p class="notice">{t("safety.notOpen")}</p>
            <a class="btn primary big" href="/">
              {t("circular.backToList")}
            </a>
          </>
        ) : read ? (
          <ErrorNotice message={t("app.offline")} onRetry={() => void load()} />
        ) : (
          <Loading />
        )}
      </div>
    </Layout>
  );
}
