import { t } from "../../i18n";
import { settings, updateSettings, type TextSize } from "../../settings";

const SIZES: TextSize[] = ["standard", "large", "xlarge"];

/** 標準 / 大 / 特大, applied at once so the resident sees the difference while choosing. */
export function SizeChoice({ legend }: { legend: string }) {
  return (
    <fieldset class="field">
      <legend>{legend}</legend>
      <div class="segmented">
        {SIZES.map((s) => (
          <label key={s}>
            <input
              type="radio"
              name="size"
              value={s}
              checked={settings.value.size === s}
              onChange={() => updateSettings({ size: s })}
            />
            {t(`settings.size.${s}`)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
