// Staff passwords: PBKDF2-SHA256 through Web Crypto (OWASP's listed setting: 600,000 iterations), so the same
// code runs on Node and in Workers. The parameters are stored with the hash, so raising the iteration count later
// leaves existing hashes verifiable.
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { constantTimeEqual } from "../../lib/crypto";

const PREFIX = "pbkdf2-sha256";
const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFKC")), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(salt), iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations: number): Promise<string> {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  const hash = await derive(password, salt, iterations);
  return `${PREFIX}$${iterations}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [prefix, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (prefix !== PREFIX || !salt || !hash || !Number.isInteger(iterations) || iterations < 1) return false;
  const expected = decodeBase64(hash);
  const actual = await derive(password, decodeBase64(salt), iterations);
  return constantTimeEqual(actual, expected);
}

/**
 * Spends the same time as a real check when the account does not exist, so response times do not reveal which
 * email addresses have accounts.
 */
export async function burnPasswordCheck(password: string, iterations: number): Promise<void> {
  await derive(password, new Uint8Array(16), iterations);
}
