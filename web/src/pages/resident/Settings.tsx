import { useState } from "preact/hooks";
import { api } from "../../api";
import { Layout } from "../../components/Layout";
import { LazyPushOptIn } from "../../components/LazyPushOptIn";
import { LazySupportSettings } from "../../components/LazySupportSettings";
import { LazyWatchSettings } from "../../components/LazyWatchSettings";
import { t } from "../../i18n";
import { forgetPushOnSignOut } from "../../push";
import { me } from "../../session";
import { settings, speechSupported, updateSettings, type Settings } from "../../settings";
import { LanguageChoice } from "./LanguageChoice";
import { SizeChoice } from "./SizeChoice";

/**
 * Text size, contrast, read-aloud, やさしい日本語, ふりがな and language: saved on this device and applied at once. Notifications (push):
 * whether this device receives them, which ones, and a test.
 */
/** A device setting turned on or off, with a line saying what it does (「settings.<name>」 and its help). */
function ToggleWithHelp(p: {
  name: "speech" | "easy" | "furigana";
  checked: boolean;
  onSave: (patch: Partial<Settings>) => void;
}) {
  return (
    <div class="field">
      <label class="choice">
        <input
          type="checkbox"
          checked={p.checked}
          aria-describedby={`${p.name}-help`}
          onChange={(e) => p.onSave({ [p.name]: (e.target as HTMLInputElement).checked })}
        />
        {t(`settings.${p.name}`)}
      </label>
      <p class="help" id={`${p.name}-help`}>
        {t(`settings.${p.name}.help`)}
      </p>
    </div>
  );
}

export function SettingsPage() {
  const s = settings.value;
  // 「この端末に保存しました。」 answers a change made here, so it appears only after one.
  const [saved, setSaved] = useState(false);
  const save = (patch: Partial<Settings>) => {
    updateSettings(patch);
    setSaved(true);
  };
  async function logout() {
    if (!confirm(t("settings.logoutConfirm"))) return;
    // While still signed in: the next household on this tablet must not receive this one's notifications.
    await forgetPushOnSignOut();
    await api("/api/auth/logout", { method: "POST" }).catch(() => undefined);
    localStorage.removeItem("kairan.me");
    // Cached notices belong to this household: remove them from the device too.
    if ("caches" in window) for (const k of await caches.keys()) if (k.startsWith("kairan-api")) await caches.delete(k);
    location.href = "/";
  }
  return (
    <Layout title={t("settings.title")}>
      <div class="stack">
        <h1>{t("settings.title")}</h1>
        <SizeChoice legend={t("settings.size")} onChange={save} />
        <label class="choice">
          <input
            type="checkbox"
            checked={s.contrast}
            onChange={(e) => save({ contrast: (e.target as HTMLInputElement).checked })}
          />
          {t("settings.contrast")}
        </label>
        {speechSupported && <ToggleWithHelp name="speech" checked={s.speech} onSave={save} />}
        <ToggleWithHelp name="easy" checked={s.easy} onSave={save} />
        <ToggleWithHelp name="furigana" checked={s.furigana} onSave={save} />
        <LanguageChoice onChange={() => setSaved(true)} />
        <p class="muted" role="status">
          {saved && t("settings.saved")}
        </p>
        {/* Pushes go to households: a leader's account without one has nothing to receive. */}
        {me.value?.householdId && <LazyPushOptIn variant="settings" />}
        {/* 見守り is a household's own request (and the way to 「見守り」 for a member named as watcher). */}
        {me.value?.householdId && <LazyWatchSettings />}
        {me.value?.householdId && <LazySupportSettings />}
        {me.value && (
          <section class="stack" aria-labelledby="device-h">
            <h2 id="device-h">{t("settings.sessions")}</h2>
            <button type="button" class="btn danger" onClick={logout}>
              {t("settings.logout")}
            </button>
          </section>
        )}
      </div>
    </Layout>
  );
}
