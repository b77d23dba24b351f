import { t } from "../../i18n";
import { settings, updateSettings, type TextSize } from "../../settings";

const SIZES: TextSize[] = ["standard", "large", "xlarge"];

/** 標準 / 大 / 特大, applied at once so the resident sees the difference while choosing. */
export function SizeChoice({
  legend,
  onChange = updateSettings,
}: {
  legend: string;
  /** How the choice is saved (settings also says 「この端末に保存しました。」). */
  onChange?: (patch: { size: TextSize }) => void;
}) {
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
              onChange={() => onChange({ size: s })}
            />
            {t(`settings.size.${s}`)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
