// RFC 8291 Appendix A: the test vectors decrypt with the helper the test push service uses.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { b64u, decryptPushBody, generateUaKeys, importUaKeys } from "../helpers/ece";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// RFC 8291 Appendix A, copied from ../shared/fixtures so a clone on its own runs the test.
const V = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "rfc8291-vectors.json"), "utf8")) as Record<
  string,
  string
>;

const ua = () => importUaKeys(V.ua_private!, V.ua_public!, V.auth_secret!);

describe("RFC 8291 decryption helper", () => {
  it("decrypts the Appendix A message and derives every intermediate value", async () => {
    const out = await decryptPushBody(b64u.decode(V.body!), await ua());
    expect(new TextDecoder().decode(out.plaintext)).toBe(V.plaintext);
    expect(b64u.encode(out.salt)).toBe(V.salt);
    expect(out.recordSize).toBe(Number(V.record_size));
    expect(b64u.encode(out.senderPublicKey)).toBe(V.as_public);
    expect(b64u.encode(out.ecdhSecret)).toBe(V.ecdh_secret);
    expect(b64u.encode(out.ikm)).toBe(V.ikm);
    expect(b64u.encode(out.cek)).toBe(V.cek);
    expect(b64u.encode(out.nonce)).toBe(V.nonce);
    expect(b64u.decode(V.body!).length).toBe(Number(V.body_length));
  });

  it("rejects a tampered body, the wrong keys and a truncated header", async () => {
    const body = b64u.decode(V.body!);
    const flipped = body.slice();
    flipped[flipped.length - 1]! ^= 1;
    await expect(decryptPushBody(flipped, await ua())).rejects.toThrow();
    const other = await generateUaKeys();
    await expect(decryptPushBody(body, other)).rejects.toThrow();
    await expect(decryptPushBody(body.slice(0, 20), await ua())).rejects.toThrow(/header/);
    const wrongAuth = await importUaKeys(V.ua_private!, V.ua_public!, b64u.encode(new Uint8Array(16)));
    await expect(decryptPushBody(body, wrongAuth)).rejects.toThrow();
  });
});
