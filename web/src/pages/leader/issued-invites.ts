// Invites just created, waiting to be printed. The server shows an invite's token and code only once (it keeps
// hashes), so they live here in memory: a reload cannot bring them back, and the print view says so.
import { signal } from "@preact/signals";
import type { IssuedInvite } from "./leader-api";

export type SheetLayout = "single" | "grid";

/** `back`: where the print view's 「戻る」 leads (the households page unless said). */
export const issuedInvites = signal<{ layout: SheetLayout; invites: IssuedInvite[]; back?: string } | null>(null);
