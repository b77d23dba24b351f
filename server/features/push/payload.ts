// What a push carries to the service worker. Small on purpose: an encrypted web push body must stay under
// 4096 octets (3,993 octets of plaintext after the aes128gcm header, tag and padding delimiter), and the
// notification needs no more than what to show and where to go. Never household or member names.
import type { PushKind } from "../../db/schema";

export interface PushPayload {
  /** "test": the 「テスト通知を送る」 button in settings; it names no circular. */
  kind: PushKind | "test";
  circularId: string | null;
  title: string;
  association: string;
  urgent: boolean;
}

/** Budgets in UTF-8 octets; the whole payload stays under 1 KiB, far below the 3,993-octet limit. */
export const TITLE_MAX_BYTES = 300;
export const ASSOCIATION_MAX_BYTES = 150;
export const PAYLOAD_MAX_BYTES = 1024;

const utf8 = new TextEncoder();

/** Cuts `text` to at most `maxBytes` UTF-8 octets on a code point boundary, ending with "…" when cut. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (utf8.encode(text).length <= maxBytes) return text;
  const budget = maxBytes - utf8.encode("…").length;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const n = utf8.encode(ch).length;
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}

export function pushPayload(input: {
  kind: PushPayload["kind"];
  circularId: string | null;
  title: string;
  associationName: string;
  urgent: boolean;
}): string {
  const payload: PushPayload = {
    kind: input.kind,
    circularId: input.circularId,
    title: cutToBytes(input.title, TITLE_MAX_BYTES),
    association: cutToBytes(input.associationName, ASSOCIATION_MAX_BYTES),
    urgent: input.urgent,
  };
  const json = JSON.stringify(payload);
  // JSON escaping can only grow control characters (titles are single-line text); this guards the budget anyway.
  if (utf8.encode(json).length > PAYLOAD_MAX_BYTES) throw new Error("push payload over budget");
  return json;
}
