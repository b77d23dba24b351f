import { useState } from "preact/hooks";
import { t, type Lang } from "../../i18n";
import { LANG_NAMES, LANGS } from "../../i18n/languages";
import { chooseLanguage, settings } from "../../settings";

/**
 * 日本語 / English / 中文（简体）/ 한국어 / Tiếng Việt / नेपाली: each name in its own script and `lang`, as big targets;
 * the welcome's first step and settings. The language's file loads before the screen changes.
 */
export function LanguageChoice({ onChange }: { onChange?: () => void }) {
  const [failed, setFailed] = useState(false);
  const choose = (l: Lang) =>
    chooseLanguage(l).then(
      () => {
        setFailed(false);
        onChange?.();
      },
      () => setFailed(true),
    );
  return (
    <fieldset class="field">
      <legend>{t("settings.language")}</legend>
      <div class="segmented languages">
        {LANGS.map((l) => (
          <label key={l} lang={l}>
            <input
              type="radio"
              name="lang"
              value={l}
              checked={settings.value.lang === l}
              onChange={() => void choose(l)}
            />
            {LANG_NAMES[l]}
          </label>
        ))}
      </div>
      {failed && (
        <p class="error" role="alert">
          {t("app.offline")}
        </p>
      )}
    </fieldset>
  );
}
