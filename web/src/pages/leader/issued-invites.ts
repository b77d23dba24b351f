// Invites just created, waiting to be printed. The server shows an invite's token and code only once (it keeps
// hashes), so they live here in memory: a reload cannot bring them back, and the print view says so.
import { signal } from "@preact/signals";
import { api } from "../../api";
import type { IssuedInvite } from "./leader-api";

export type SheetLayout = "single" | "grid";

/** `back`: the handover's sheets go back there (「引き継ぎへ戻る」); the rest to 「世帯と招待」. */
export const issuedInvites = signal<{ layout: SheetLayout; invites: IssuedInvite[]; back?: "/leader/handover" } | null>(
  null,
);

/** Keeps the invites just made and opens their print view (`back`: 「引き継ぎへ戻る」 for the handover's sheets). */
export function printInvites(
  route: (path: string) => void,
  invites: IssuedInvite[],
  opts: { layout?: SheetLayout; back?: "/leader/handover" } = {},
) {
  issuedInvites.value = { layout: opts.layout ?? "single", invites, ...(opts.back ? { back: opts.back } : {}) };
  route("/leader/invites/print");
}

/** The server's limit per request (POST /api/invites/households). */
const PER_REQUEST = 200;

/** New invites for these households (any number: asked for 200 at a time), to print. */
export async function issueHouseholdInvites(householdIds: string[]): Promise<IssuedInvite[]> {
  const invites: IssuedInvite[] = [];
  for (let i = 0; i < householdIds.length; i += PER_REQUEST) {
    const json = { householdIds: householdIds.slice(i, i + PER_REQUEST) };
    invites.push(
      ...(await api<{ invites: IssuedInvite[] }>("/api/invites/households", { method: "POST", json })).invites,
    );
  }
  return invites;
}
