// English alongside the Japanese staff strings (staff.ja.ts is the source; every key must be here too).
import type { StaffKey } from "./staff.ja";

export const staffEn: Record<StaffKey, string> = {
  "staff.nav.signOut": "Sign out",
  "staff.error.offline": "You are offline. Please try again once you are connected.",
  "staff.error.unknown": "Something went wrong. Please wait a moment and try again.",
  "staff.form.required": "Required",
  "staff.form.checkFields": "Please check your input and fix the fields marked in red.",
  "staff.file.choose": "Choose files",
  "staff.date.unset": "Not set",
};
