// The strings both staff chunks (leaders' and the city's) show through the shared staff code live in their own
// dictionaries (web/src/i18n/staff.*.ts), so that neither chunk carries the other's words and a resident's tablet
// never downloads them. Importing this module registers them; st() is t() with the staff keys checked by TypeScript.
import { extendMessages, t } from "../../i18n";
import { staffEn } from "../../i18n/staff.en";
import { staffJa, type StaffKey } from "../../i18n/staff.ja";

extendMessages({ ja: staffJa, en: staffEn }, "staff");

export function st(key: StaffKey, params?: Record<string, string | number>): string {
  return t(key, params);
}
