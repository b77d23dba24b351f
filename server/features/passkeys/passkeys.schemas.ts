// Passkeys' request and response schemas, for the routes and (as inferred types, `import type` only) for the PWA.
// The WebAuthn options and responses are the JSON forms of the W3C spec (what @simplewebauthn/browser sends and
// takes); only their outline is checked here, @simplewebauthn/server checks the rest.
import { z } from "@hono/zod-openapi";
import { Timestamp } from "../../lib/openapi";

const B64URL = z.string().regex(/^[A-Za-z0-9_-]*$/, "base64url");

export const PasskeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
  })
  .openapi("Passkey");

export const PasskeyList = z.object({ passkeys: z.array(PasskeySchema) });

/** PublicKeyCredentialCreationOptionsJSON / PublicKeyCredentialRequestOptionsJSON, passed to the browser as is. */
export const CreationOptions = z
  .looseObject({ challenge: z.string(), rp: z.object({ name: z.string(), id: z.string().optional() }) })
  .openapi("PasskeyCreationOptions");
export const RequestOptions = z
  .looseObject({ challenge: z.string(), rpId: z.string().optional() })
  .openapi("PasskeyRequestOptions");

const credential = {
  id: B64URL.min(1).max(1400),
  rawId: B64URL.min(1).max(1400),
  type: z.literal("public-key"),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

export const RegistrationBody = z
  .strictObject({
    name: z.string().trim().max(60).optional(),
    response: z.looseObject({
      ...credential,
      response: z.looseObject({
        clientDataJSON: B64URL.min(1).max(4096),
        attestationObject: B64URL.min(1).max(65536),
        transports: z.array(z.string().max(32)).max(10).optional(),
      }),
    }),
  })
  .openapi("PasskeyRegistrationRequest");

export const SignInBody = z
  .strictObject({
    response: z.looseObject({
      ...credential,
      response: z.looseObject({
        clientDataJSON: B64URL.min(1).max(4096),
        authenticatorData: B64URL.min(1).max(8192),
        signature: B64URL.min(1).max(2048),
        userHandle: B64URL.max(512).optional(),
      }),
    }),
  })
  .openapi("PasskeySignInRequest");

/** A passkey in the path: its credential id (base64url, up to 1,023 bytes). */
export const PasskeyParam = z.object({
  id: B64URL.min(1)
    .max(1400)
    .openapi({ param: { name: "id", in: "path" } }),
});

export type Passkey = z.output<typeof PasskeySchema>;
