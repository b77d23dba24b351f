// 安否確認 (a safety check after a disaster): the household's open checks (GET /api/safety/mine), kept here so the
// home banner and the answer screen (/safety/<id>) show the same thing. Read when the app opens, when it comes back
// into view or gets focus, every minute while in view, when home opens, and after a queued answer went through. Small on purpose: it is in the
// first screen's bundle; the banner, its buttons and the 「助けが必要です」 form are a chunk of their own
// (pages/resident/safety/), loaded only while a check is open.
import { signal } from "@preact/signals";
import { api, type HouseholdSafety } from "./api";
import { pendingAnswers } from "./answer-queue";

export type SafetyCheck = HouseholdSafety["checks"][number];

/** The household's open checks, newest first; null until first read (or when it could not be read yet). */
export const safetyChecks = signal<SafetyCheck[] | null>(null);

/**
 * Checks that ended while this device showed them (a tap on them answered 409): kept on screen, saying so, until
 * dismissed, rather than vanishing under the finger that just tapped.
 */
export const endedChecks = signal<SafetyCheck[]>([]);

export function markEnded(check: SafetyCheck): void {
  if (!endedChecks.value.some((c) => c.id === check.id)) endedChecks.value = [...endedChecks.value, check];
}

export function dismissEnded(id: string): void {
  endedChecks.value = endedChecks.value.filter((c) => c.id !== id);
}

/** The checks to show: the open ones, then those that ended here and are not dismissed yet. */
export function shownChecks(): SafetyCheck[] {
  const open = safetyChecks.value ?? [];
  return [...open, ...endedChecks.value.filter((e) => !open.some((c) => c.id === e.id))];
}

let running: Promise<void> | null = null;

/** Reads the open checks again (one read at a time); a failed read keeps what was shown. */
export function loadSafety(): Promise<void> {
  running ??= api<HouseholdSafety>("/api/safety/mine")
    .then((r) => {
      safetyChecks.value = r.checks;
    })
    .catch(() => undefined)
    .finally(() => {
      running = null;
    });
  return running;
}

/** Puts the household's answer on its check at once (the server's reply), before the next read. */
export function setSafetyAnswer(id: string, answer: SafetyCheck["answer"]): void {
  const list = safetyChecks.value;
  if (list) safetyChecks.value = list.map((c) => (c.id === id ? { ...c, answer } : c));
}

/** A tablet left open on home (no focus change, perhaps no push) still shows a check that starts. */
const POLL_EVERY_MS = 60_000;
let started = false;

/** At start, for a household: reads now, whenever the app comes back to the front, and every minute in view. */
export function startSafety(): void {
  if (started) return;
  started = true;
  void loadSafety();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void loadSafety();
  });
  window.addEventListener("focus", () => void loadSafety());
  window.addEventListener("online", () => void loadSafety());
  setInterval(() => {
    if (document.visibilityState === "visible" && navigator.onLine) void loadSafety();
  }, POLL_EVERY_MS);
  // An answer that waited on the device has been sent (a safety answer, or any other: reading again is cheap):
  // show it as the server keeps it.
  let waiting = Object.keys(pendingAnswers.value);
  pendingAnswers.subscribe((p) => {
    if (waiting.some((id) => !(id in p))) void loadSafety();
    waiting = Object.keys(p);
  });
}
