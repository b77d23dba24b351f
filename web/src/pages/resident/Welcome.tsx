import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { Layout } from "../../components/Layout";
import { focusMainIfLost } from "../../components/focus";
import { LazyPushOptIn } from "../../components/LazyPushOptIn";
import { t } from "../../i18n";
import { pushState } from "../../push";
import { updateSettings } from "../../settings";
import { LanguageChoice } from "./LanguageChoice";
import { SizeChoice } from "./SizeChoice";

const TOTAL = 3;

/**
 * What 「確認しました」 looks like and what it turns into, as a picture: the real button's blue and the real result's
 * green, framed as 「見本」. Nothing in it can be pressed or focused; a screen reader hears one sentence.
 */
function AckSample() {
  return (
    <figure class="sample" role="img" aria-label={t("welcome.ack.sampleAlt")}>
      <figcaption class="sample-label">{t("welcome.ack.sampleLabel")}</figcaption>
      <span class="btn primary big">{t("welcome.ack.sample")}</span>
      <span class="sample-arrow">↓</span>
      <span class="ack-done">✓ {t("welcome.ack.sampleDone")}</span>
    </figure>
  );
}

/** Three short steps after joining: text size, how to acknowledge, then notifications and done. */
export function WelcomePage() {
  const { route } = useLocation();
  const [step, setStep] = useState(1);
  const [enabled, setEnabled] = useState(false);
  const finishButton = useRef<HTMLButtonElement>(null);
  const next = () => setStep((s) => s + 1);
  // Each step opens like a screen of its own: at the top, with focus on main (the pressed 「次へ」 is gone).
  useEffect(() => {
    scrollTo(0, 0);
    focusMainIfLost();
  }, [step]);
  const finish = () => {
    updateSettings({ welcomed: true });
    route("/");
  };
  // 「通知を受け取る」 went away once it worked: what is left to do is 「お知らせを見る」.
  useEffect(() => {
    if (enabled) finishButton.current?.focus();
  }, [enabled]);
  // While 「通知を受け取る」 is on offer it is the step's main button; afterwards 「お知らせを見る」 is.
  const ps = pushState.value;
  const offeringPush = ps.kind === "ready" && (!ps.subscribed || ps.mode === "off");
  return (
    <Layout title={t("app.name")}>
      <div class="stack">
        <p class="steps">{t("welcome.step", { n: step, total: TOTAL })}</p>
        {step === 1 && (
          <>
            <h1>{t("welcome.size.title")}</h1>
            <LanguageChoice />
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
            <p>{t("welcome.ack.top")}</p>
            <p>{t("welcome.ack.body")}</p>
            <AckSample />
            <button type="button" class="btn primary big" onClick={next}>
              {t("welcome.next")}
            </button>
          </>
        )}
        {step === 3 && (
          <>
            <h1>{t("welcome.done.title")}</h1>
            <LazyPushOptIn variant="welcome" onEnabled={() => setEnabled(true)} />
            <button
              type="button"
              ref={finishButton}
              class={offeringPush ? "btn big" : "btn primary big"}
              onClick={finish}
            >
              {t("welcome.finish")}
            </button>
          </>
        )}
      </div>
    </Layout>
  );
}
