// The browser half of passkeys. @simplewebauthn/browser is imported only here, dynamically, so it is a chunk of its
// own that only staff screens load (the sign-in page and 「パスキー」), never a resident's tablet.
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { api, type Me } from "../../../api";
import type { Passkey } from "../../../../../server/features/passkeys/passkeys.schemas";
import { st } from "../i18n";

export type { Passkey };

/** A passkey step the person cancelled or the browser refused, with the words to show. */
export class PasskeyCancelled extends Error {}

/** Whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";
}

async function browserSide<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    // NotAllowedError: cancelled, timed out, or no passkey chosen; the rest (InvalidStateError: already on this
    // authenticator...) are shown the same way: nothing was sent, try again.
    if (e instanceof Error && e.name !== "TypeError") throw new PasskeyCancelled(st("staff.passkeys.cancelled"));
    throw e;
  }
}

/** 「パスキーを追加」: a challenge from the server, the authenticator creates a credential, the server keeps it. */
export async function addPasskey(name: string): Promise<Passkey> {
  const { startRegistration } = await import("@simplewebauthn/browser");
  const optionsJSON = await api<PublicKeyCredentialCreationOptionsJSON>("/api/passkeys/registration/options", {
    method: "POST",
  });
  const response = await browserSide(() => startRegistration({ optionsJSON }));
  return api<Passkey>("/api/passkeys", { method: "POST", json: { response, ...(name.trim() ? { name } : {}) } });
}

/** 「パスキーでログイン」: any passkey of this site; the server answers who signed in, as a password sign-in does. */
export async function signInWithPasskey(): Promise<Me> {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const optionsJSON = await api<PublicKeyCredentialRequestOptionsJSON>("/api/auth/passkey/options", {
    method: "POST",
  });
  const response = await browserSide(() => startAuthentication({ optionsJSON }));
  return api<Me>("/api/auth/passkey", { method: "POST", json: { response } });
}
