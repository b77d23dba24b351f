// The やさしい日本語 version of a circular's body, as stored and as served: cleaned like the body (empty means none),
// and rendered as the same text-and-link parts (lib/text.ts's linkifyPhrased: broken only between phrases).
import { cleanBody, linkifyPhrased } from "../../lib/text";

/** What to store: null for none (null, or only spaces). */
export function cleanEasyBody(easyBody: string | null): string | null {
  if (easyBody === null) return null;
  return cleanBody(easyBody) || null;
}

/** The response fields: the text and its parts, both null when there is none. */
export function easyFields(easyBody: string | null) {
  return { easyBody, easyBodyParts: easyBody === null ? null : linkifyPhrased(easyBody) };
}
