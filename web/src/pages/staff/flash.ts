// A message for the next screen (「24世帯に配布しました。」 after publishing), shown once where the leader lands.
import { signal } from "@preact/signals";
import { useState } from "preact/hooks";

const pending = signal<string | null>(null);

export function setFlash(message: string): void {
  pending.value = message;
}

/** The waiting message, taken when the screen first renders so that it shows only once. */
export function useFlash(): string | null {
  const [message] = useState(() => {
    const m = pending.value;
    pending.value = null;
    return m;
  });
  return message;
}
