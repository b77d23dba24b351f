// Random identifiers and secrets from the platform CSPRNG (Web Crypto: the same on Node and Workers).
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

function randomBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return bytes;
}

/** A 128-bit id, 26 lower-case base32 characters. Unguessable, so it can appear in URLs. */
export function newId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(16));
}

/** A 160-bit secret, 32 lower-case base32 characters. */
export function newSecret(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

/** Letters and digits a person cannot confuse when copying from paper: no 0/O, 1/I/L. */
export const SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** An 8-character code from SHORT_CODE_ALPHABET, drawn without modulo bias. */
export function newShortCode(length = 8): string {
  const n = SHORT_CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < limit && out.length < length) out += SHORT_CODE_ALPHABET[b % n];
    }
  }
  return out;
}

/**
 * What a person typed, made comparable: full-width to half-width (NFKC), upper case, and spaces, hyphens and
 * dashes of any width removed. 「abcd-efgh」「ＡＢＣＤ　ＥＦＧＨ」 and "ABCDEFGH" all become "ABCDEFGH".
 */
export function normalizeShortCode(input: string): string {
  return input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―−ー_]/g, "");
}
