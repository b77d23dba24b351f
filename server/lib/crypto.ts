// Hashing helpers shared by sessions, invites and passwords. Runtime-agnostic (oslo + Web Crypto).
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeHexLowerCase } from "@oslojs/encoding";

const encoder = new TextEncoder();

export function sha256Bytes(text: string): Uint8Array {
  return sha256(encoder.encode(text));
}

export function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256Bytes(text));
}

export { constantTimeEqual };
