import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Layout } from "../../components/Layout";
import { LazyPushOptIn } from "../../components/LazyPushOptIn";
import { t } from "../../i18n";
import { pushState } from "../../push";
import { updateSettings } from "../../settings";
import { SizeChoice } from "./SizeChoice";

const TOTAL = 3;

/** Three short steps after joining: text size, how to acknowledge, then notifications and done. */
export function WelcomePage() {
  const { route } = useLocation();
  const [step, setStep] = useState(1);
  const next = () => setStep((s) => s + 1);
  const finish = () => {
    updateSettings({ welcomed: true });
    route("/");
  };
  // While 「お知らせを受け取る」 is on offer it is the step's main button; afterwards 「お知らせを見る」 is.
  const ps = pushState.value;
  const offeringPush = ps.kind === "ready" && (!ps.subscribed || ps.mode === "off");
  return (
    <Layout title={t("app.name")}>
      <div class="stack">
        <p class="steps">{t("welcome.step", { n: step, total: TOTAL })}</p>
        {step === 1 && (
          <>
            <h1>{t("welcome.size.title")}</h1>
            <SizeChoice legend={t("settings.size")} />
            <p class="muted">{t("welcome.size.help")}</p>
            <button type="button" class="btn primary big" onClick={next}>
              {t("welcome.next")}
            </button>
          </>
        )}
        {step === 2 && (
          <>
            <h1>{t("welcome.ack.title")}</h1>
            <p>{t("welcome.ack.body")}</p>
            <p class="ack-done" aria-hidden="true">
              ✓ {t("welcome.ack.sample")}
            </p>
            <button type="button" class="btn primary big" onClick={next}>
              {t("welcome.next")}
            </button>
          </>
        )}
        {step === 3 && (
          <>
            <h1>{t("welcome.done.title")}</h1>
            <p>{t("welcome.done.body")}</p>
            <LazyPushOptIn variant="welcome" />
            <button type="button" class={offeringPush ? "btn big" : "btn primary big"} onClick={finish}>
              {t("welcome.finish")}
            </button>
          </>
        )}
      </div>
    </Layout>
  );
}
