// The opt-in section, in its own chunk with its strings (loaded by LazyPushOptIn.tsx when a screen shows it), so
// the first screen of a resident's tablet does not carry it.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { extendMessages, t } from "../i18n";
import { pushEn } from "../i18n/push.en";
import { pushJa, type PushKey } from "../i18n/push.ja";
import { platform, pushState, type PushMode, type PushState } from "../push";
import {
  enablePush,
  refreshPushState,
  sendTestPush,
  setPushMode,
  type EnableResult,
  type TestResult,
} from "../push-actions";

extendMessages({ ja: pushJa, en: pushEn }, "resident");
/** t() with the push keys checked by TypeScript. */
const pt = (key: PushKey) => t(key);

const MODES: PushMode[] = ["all", "urgent", "off"];

type Message = { text: string; ok: boolean } | null;

const ENABLE_MESSAGES: Record<Exclude<EnableResult, "ok">, PushKey> = {
  denied: "push.result.denied",
  dismissed: "push.result.dismissed",
  unsupported: "push.unsupported",
  offline: "push.result.offline",
  failed: "push.result.failed",
};

const TEST_MESSAGES: Record<TestResult, PushKey> = {
  sent: "push.test.sent",
  gone: "push.test.gone",
  failed: "push.test.failed",
  offline: "push.result.offline",
};

/**
 * 受け取る / 受け取る（至急のみ） / 受け取らない (chosen in settings) / まだ設定していません (a device never asked: a
 * neutral state, not a refusal) / この端末では使えません
 */
function stateLabel(s: PushState): string {
  if (s.kind === "loading") return t("app.loading");
  if (s.kind === "unavailable") return pt("push.state.unavailable");
  if (!s.subscribed) return pt("push.state.notYet");
  if (s.mode === "off") return pt("push.state.off");
  return s.mode === "urgent" ? pt("push.state.onUrgent") : pt("push.state.on");
}

/** How to add the app to the home screen on an iPhone or iPad (push works there only for home-screen apps). */
function IosHomeScreen() {
  return (
    <div class="stack">
      <p>{pt("push.ios.lead")}</p>
      <ol class="push-steps">
        <li>{pt("push.ios.step1")}</li>
        <li>{pt("push.ios.step2")}</li>
        <li>{pt("push.ios.step3")}</li>
      </ol>
      <p class="muted">{pt("push.ios.again")}</p>
    </div>
  );
}

/** Notifications were refused for this site: where to allow them, in the words of this kind of device. */
function HowToAllow({ onCheck }: { onCheck: () => void }) {
  return (
    <div class="stack">
      <p>{pt("push.denied")}</p>
      <p>{pt(`push.denied.${platform()}`)}</p>
      <button type="button" class="btn" onClick={onCheck}>
        {pt("push.denied.check")}
      </button>
    </div>
  );
}

export interface PushOptInProps {
  variant: "welcome" | "settings";
  /** After 「通知を受け取る」 succeeded (the welcome step then moves focus to its next step). */
  onEnabled?: () => void;
}

/**
 * 「通知を受け取る」 with what will arrive and this device's state. In the welcome step it is short enough that the
 * step's own 「お知らせを見る」 stays on the first screen at 特大 on a phone: one line on what arrives, marked
 * 「おすすめ」, and the button; in settings it adds when notifications come, the choice of what to receive and a test
 * notification.
 */
export function PushOptIn({ variant, onEnabled }: PushOptInProps) {
  const state = pushState.value;
  const [busy, setBusy] = useState<"enable" | "test" | "mode" | null>(null);
  const [message, setMessage] = useState<Message>(null);

  useEffect(() => {
    void refreshPushState();
  }, []);

  async function enable() {
    if (busy) return;
    setBusy("enable");
    setMessage(null);
    // enablePush asks for permission before anything else is awaited: the tap must still count.
    const result = await enablePush();
    setBusy(null);
    setMessage(
      result === "ok" ? { text: pt("push.result.ok"), ok: true } : { text: pt(ENABLE_MESSAGES[result]), ok: false },
    );
    if (result === "ok") onEnabled?.();
  }

  async function test() {
    if (busy) return;
    setBusy("test");
    setMessage(null);
    const result = await sendTestPush();
    setBusy(null);
    setMessage({ text: pt(TEST_MESSAGES[result]), ok: result === "sent" });
  }

  async function chooseMode(mode: PushMode) {
    if (busy) return;
    setBusy("mode");
    setMessage(null);
    try {
      await setPushMode(mode);
      setMessage({ text: pt("push.mode.saved"), ok: true });
    } catch (e) {
      setMessage({ text: e instanceof ApiError ? e.display : pt("push.result.offline"), ok: false });
    } finally {
      setBusy(null);
    }
  }

  const ready = state.kind === "ready" ? state : null;
  const subscribed = !!ready?.subscribed;
  // In settings a subscribed device switches with the choice below; the button is for a device not yet subscribed
  // (or, in the welcome steps, one whose preference is off).
  const showButton = !!ready && (!subscribed || (variant === "welcome" && ready.mode === "off"));
  const showChoices = variant === "settings" && subscribed;
  const enabling = busy === "enable";
  const welcome = variant === "welcome";

  return (
    <section class={welcome ? "stack" : "stack push-optin"} aria-labelledby="push-h">
      {welcome ? (
        <p id="push-h">
          {showButton && <span class="badge recommended">{pt("push.recommended")}</span>}
          {pt("push.lead")}
        </p>
      ) : (
        <>
          <h2 id="push-h">{pt("push.title")}</h2>
          <p>{pt("push.lead")}</p>
          <ul class="push-points">
            <li>{pt("push.urgent")}</li>
            <li>{pt("push.night")}</li>
          </ul>
        </>
      )}
      {/* In the welcome step the button says it while it is on offer. */}
      {(!welcome || (state.kind !== "loading" && !showButton)) && (
        <p class="push-state">
          {pt("push.state")}
          <strong>{stateLabel(state)}</strong>
        </p>
      )}
      {state.kind === "unavailable" && state.reason === "ios-home" && <IosHomeScreen />}
      {state.kind === "unavailable" && state.reason === "unsupported" && <p>{pt("push.unsupported")}</p>}
      {state.kind === "unavailable" && state.reason === "denied" && (
        <HowToAllow onCheck={() => void refreshPushState()} />
      )}
      {showButton && (
        <button type="button" class="btn primary big" aria-disabled={enabling ? "true" : undefined} onClick={enable}>
          {enabling ? pt("push.enabling") : pt("push.enable")}
        </button>
      )}
      {showChoices && (
        <>
          <fieldset class="field">
            <legend>{pt("push.mode.legend")}</legend>
            <div class="segmented">
              {MODES.map((m) => (
                <label key={m}>
                  <input
                    type="radio"
                    name="push-mode"
                    value={m}
                    checked={ready.mode === m}
                    onChange={() => void chooseMode(m)}
                  />
                  {pt(`push.mode.${m}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {ready.mode !== "off" && (
            <div class="field">
              <button
                type="button"
                class="btn"
                aria-describedby="push-test-help"
                aria-disabled={busy === "test" ? "true" : undefined}
                onClick={test}
              >
                {busy === "test" ? pt("push.testing") : pt("push.test")}
              </button>
              <p class="help" id="push-test-help">
                {pt("push.test.help")}
              </p>
            </div>
          )}
        </>
      )}
      <div role="status">{message && <p class={message.ok ? "notice ok" : "notice error"}>{message.text}</p>}</div>
    </section>
  );
}
