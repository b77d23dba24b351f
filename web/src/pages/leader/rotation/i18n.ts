// The rotation's strings (web/src/i18n/rotation.*.ts), registered with the leader chunk; rotationT() is t() with their keys
// checked by TypeScript.
import { extendMessages, t } from "../../../i18n";
import { rotationEn } from "../../../i18n/rotation.en";
import { rotationJa, type RotationKey } from "../../../i18n/rotation.ja";

extendMessages({ ja: rotationJa, en: rotationEn }, "staff");

export function rotationT(key: RotationKey, params?: Record<string, string | number>): string {
  return t(key, params);
}
