// The city screens' strings live in their own dictionaries (web/src/i18n/city.*.ts) so that a resident's tablet
// never downloads them. Importing this module registers them; ct() is t() with the city keys checked by TypeScript.
import { extendMessages, t } from "../../i18n";
import { cityEn } from "../../i18n/city.en";
import { cityJa, type CityKey } from "../../i18n/city.ja";

extendMessages({ ja: cityJa, en: cityEn }, "staff");

export function ct(key: CityKey, params?: Record<string, string | number>): string {
  return t(key, params);
}
