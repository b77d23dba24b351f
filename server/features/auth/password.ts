// Staff passwords: PBKDF2-SHA256 through Web Crypto, so the same code runs on Node and in Workers, at OWASP's
// listed cost (600,000 iterations). Cloudflare's Web Crypto refuses PBKDF2 above 100,000 iterations per call, so
// a cost above that is spent as a chain of PBKDF2 calls of at most 100,000 iterations each, every one keyed by
// the password and salted with the salt and the previous round's output (docs/adr/0003-password-hashing.md).
// Stored formats (the parameters travel with the hash, so raising the cost later keeps old hashes verifiable):
//   pbkdf2-sha256$<iterations>$<salt>$<hash>        one PBKDF2 call (iterations <= 100,000; and every older hash)
//   pbkdf2-sha256-chain$<iterations>$<salt>$<hash>  rounds of <= 100,000 iterations, <iterations> in total
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { constantTimeEqual } from "../../lib/crypto";

const PREFIX = "pbkdf2-sha256";
const CHAIN_PREFIX = "pbkdf2-sha256-chain";
/** The most iterations Cloudflare Workers' Web Crypto accepts in one PBKDF2 call. */
export const MAX_ITERATIONS_PER_CALL = 100_000;
const encoder = new TextEncoder();

async function pbkdf2(key: CryptoKey, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(salt), iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

function passwordKey(password: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
}

/** Plain PBKDF2-SHA256 (RFC 8018), one call. */
async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  return pbkdf2(await passwordKey(password), salt, iterations);
}

/**
 * `iterations` spent in rounds of at most MAX_ITERATIONS_PER_CALL: round 1 is PBKDF2(password, salt), round i is
 * PBKDF2(password, salt || output of round i-1). Every round needs the password and the previous output, so the
 * rounds can be neither skipped nor run in parallel: the cost is that of one PBKDF2 with `iterations`.
 */
async function deriveChain(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await passwordKey(password);
  let out: Uint8Array = new Uint8Array(0);
  for (let left = iterations; left > 0; left -= MAX_ITERATIONS_PER_CALL) {
    const roundSalt = new Uint8Array(salt.length + out.length);
    roundSalt.set(salt);
    roundSalt.set(out, salt.length);
    out = await pbkdf2(key, roundSalt, Math.min(left, MAX_ITERATIONS_PER_CALL));
  }
  return out;
}

export async function hashPassword(password: string, iterations: number): Promise<string> {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  if (iterations <= MAX_ITERATIONS_PER_CALL) {
    const hash = await derive(password, salt, iterations);
    return `${PREFIX}$${iterations}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
  }
  const hash = await deriveChain(password, salt, iterations);
  return `${CHAIN_PREFIX}$${iterations}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [prefix, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (!salt || !hash || !Number.isInteger(iterations) || iterations < 1) return false;
  // A one-call hash above 100,000 iterations (made before the chain existed) verifies where the runtime allows it
  // (Node); on Workers such an account must set a new password (docs/adr/0003-password-hashing.md).
  let actual: Uint8Array;
  if (prefix === PREFIX) actual = await derive(password, decodeBase64(salt), iterations);
  else if (prefix === CHAIN_PREFIX) actual = await deriveChain(password, decodeBase64(salt), iterations);
  else return false;
  return constantTimeEqual(actual, decodeBase64(hash));
}

/**
 * Whether a hash that just verified should be replaced: a one-call hash above 100,000 iterations (which
 * Cloudflare's Web Crypto cannot verify), or one below the configured cost.
 */
export function needsRehash(stored: string, iterations: number): boolean {
  const [prefix, iter] = stored.split("$");
  const n = Number(iter);
  return (prefix === PREFIX && n > MAX_ITERATIONS_PER_CALL) || n < iterations;
}

/**
 * Spends the same time as a real check when the account does not exist, so response times do not reveal which
 * email addresses have accounts.
 */
export async function burnPasswordCheck(password: string, iterations: number): Promise<void> {
  await deriveChain(password, new Uint8Array(16), iterations);
}
