// A software WebAuthn authenticator for API tests (Node and workerd): an ES256 key from Web Crypto, client data,
// authenticator data, a "none" attestation and assertion signatures built byte by byte as the spec lays them out
// (W3C WebAuthn Level 3, §6.1 authenticator data, §6.5.4 attested credential data, §8.7 none attestation).
// Nothing here is the server's code: it is what a browser and an authenticator would send.
import { b64u, concat } from "./ece";

const utf8 = (text: string) => new TextEncoder().encode(text);

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
}

// Minimal CBOR (RFC 8949) for the shapes needed: small ints, byte and text strings, maps.
function cborHead(major: number, n: number): Uint8Array {
  if (n < 24) return Uint8Array.of((major << 5) | n);
  if (n < 256) return Uint8Array.of((major << 5) | 24, n);
  return Uint8Array.of((major << 5) | 25, n >> 8, n & 0xff);
}
const cborInt = (n: number) => (n >= 0 ? cborHead(0, n) : cborHead(1, -1 - n));
const cborBytes = (b: Uint8Array) => concat(cborHead(2, b.length), b);
const cborText = (s: string) => concat(cborHead(3, utf8(s).length), utf8(s));
const cborMap = (entries: [Uint8Array, Uint8Array][]) => concat(cborHead(5, entries.length), ...entries.flat());

/** ECDSA's raw r||s (Web Crypto) as the ASN.1 DER sequence WebAuthn signatures use. */
function derSignature(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = new Uint8Array(b.slice(i));
    if (v[0]! & 0x80) v = concat(Uint8Array.of(0), v);
    return concat(Uint8Array.of(0x02, v.length), v);
  };
  const body = concat(int(raw.slice(0, 32)), int(raw.slice(32)));
  return concat(Uint8Array.of(0x30, body.length), body);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

export interface SoftPasskey {
  credentialId: string;
  /** The user handle the credential was created for (base64url), as a discoverable credential returns it. */
  userHandle: string;
  keys: CryptoKeyPair;
  /** The signature counter; each assertion adds one unless `keepCounter`. */
  counter: number;
}

/** An authenticator answering for `origin` (its rpId is the origin's host name). */
export function softAuthenticator(origin: string) {
  const rpId = new URL(origin).hostname;
  const clientData = (type: string, challenge: string) =>
    utf8(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    /** navigator.credentials.create(): a new ES256 credential, answered in RegistrationResponseJSON form. */
    async create(options: { challenge: string; user: { id: string } }, startCounter = 0) {
      const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
        "sign",
        "verify",
      ])) as CryptoKeyPair;
      const raw = new Uint8Array((await crypto.subtle.exportKey("raw", keys.publicKey)) as ArrayBuffer);
      const cose = cborMap([
        [cborInt(1), cborInt(2)], // kty: EC2
        [cborInt(3), cborInt(-7)], // alg: ES256
        [cborInt(-1), cborInt(1)], // crv: P-256
        [cborInt(-2), cborBytes(raw.slice(1, 33))],
        [cborInt(-3), cborBytes(raw.slice(33, 65))],
      ]);
      const id = crypto.getRandomValues(new Uint8Array(16));
      const authData = concat(
        await sha256(utf8(rpId)),
        Uint8Array.of(FLAG_UP | FLAG_UV | FLAG_AT),
        u32(startCounter),
        new Uint8Array(16), // AAGUID
        Uint8Array.of(id.length >> 8, id.length & 0xff),
        id,
        cose,
      );
      const attestationObject = cborMap([
        [cborText("fmt"), cborText("none")],
        [cborText("attStmt"), cborMap([])],
        [cborText("authData"), cborBytes(authData)],
      ]);
      const passkey: SoftPasskey = {
        credentialId: b64u.encode(id),
        userHandle: options.user.id,
        keys,
        counter: startCounter,
      };
      const response = {
        id: b64u.encode(id),
        rawId: b64u.encode(id),
        type: "public-key" as const,
        clientExtensionResults: {},
        authenticatorAttachment: "platform" as const,
        response: {
          clientDataJSON: b64u.encode(clientData("webauthn.create", options.challenge)),
          attestationObject: b64u.encode(attestationObject),
          transports: ["internal"],
        },
      };
      return { passkey, response };
    },

    /** navigator.credentials.get(): an assertion by `passkey` over `challenge`, in AuthenticationResponseJSON form. */
    async get(
      passkey: SoftPasskey,
      challenge: string,
      opts: { keepCounter?: boolean; credentialId?: string; userHandle?: string } = {},
    ) {
      if (!opts.keepCounter && passkey.counter > 0) passkey.counter += 1;
      const authData = concat(await sha256(utf8(rpId)), Uint8Array.of(FLAG_UP | FLAG_UV), u32(passkey.counter));
      const clientDataJSON = clientData("webauthn.get", challenge);
      const signed = concat(authData, await sha256(clientDataJSON));
      const raw = new Uint8Array(
        await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, passkey.keys.privateKey, signed),
      );
      const credentialId = opts.credentialId ?? passkey.credentialId;
      return {
        id: credentialId,
        rawId: credentialId,
        type: "public-key" as const,
        clientExtensionResults: {},
        authenticatorAttachment: "platform" as const,
        response: {
          clientDataJSON: b64u.encode(clientDataJSON),
          authenticatorData: b64u.encode(authData),
          signature: b64u.encode(derSignature(raw)),
          userHandle: opts.userHandle ?? passkey.userHandle,
        },
      };
    },
  };
}

/** The text a base64url user handle encodes (ours: the member id). */
export const userHandleText = (handle: string) => new TextDecoder().decode(b64u.decode(handle));
