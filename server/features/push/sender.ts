// Sending one web push (RFC 8030) with an aes128gcm-encrypted body (RFC 8291, by the `web-push` package) and a
// cached VAPID authorization (RFC 8292). Only the HTTP exchange: what to do with the answer is the outbox's job.
// Runs on Node and in workerd (nodejs_compat gives web-push the node:crypto it needs); the request goes out with
// the platform fetch.
import webpush from "web-push";
import { vapidAuthorization, type VapidKeys } from "./vapid";

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushOptions {
  urgent: boolean;
  /** Seconds the push service keeps an undelivered push. */
  ttlSeconds: number;
  /** A repeat with the same topic replaces an undelivered one (a reminder replaces the first notice). */
  topic?: string | undefined;
}

/**
 * What a push needs of fetch: POST bytes, read the status and a header. The platform fetch fits; the Node server
 * passes a leaner client (server/node/push-http.ts).
 */
export type PushFetch = (
  url: string,
  init: {
    method: "POST";
    headers: Record<string, string>;
    body: Uint8Array<ArrayBuffer>;
    signal: AbortSignal;
    redirect?: "manual";
  },
) => Promise<{ status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<unknown> }>;

/** The push service's answer: its HTTP status (0 when none came) and how long it asks us to wait (429/503). */
export interface PushAnswer {
  status: number;
  retryAfterMs?: number | undefined;
}

export const TTL_URGENT_S = 24 * 60 * 60;
export const TTL_NORMAL_S = 72 * 60 * 60;
const TIMEOUT_MS = 15_000;

/** A Topic header value: at most 32 characters of the URL-safe base64 alphabet (RFC 8030 §5.4). */
export function topicOf(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32);
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Why an endpoint is not one we push to, or null when it is. Push services are public https servers; an endpoint on
 * a private or loopback address would make the server send requests into its own network (SSRF), so those are
 * refused unless `allowLocal` (tests, with a push service on loopback). Names are checked as written: a public
 * name that resolves to a private address cannot be seen from here (no DNS API on Workers).
 */
export function endpointProblem(endpoint: string, allowLocal: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "not a URL";
  }
  if (url.username || url.password) return "credentials in the URL";
  if (allowLocal) return url.protocol === "https:" || url.protocol === "http:" ? null : "not http(s)";
  if (url.protocol !== "https:") return "not https";
  if (isLocalHost(url.hostname)) return "private or loopback host";
  return null;
}

function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (host === "localhost" || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host)) return true;
  if (!host.includes(".") && !host.includes(":")) return true; // single-label names resolve inside the network
  const v4 = host.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  if (host.includes(":")) {
    if (host === "::" || host === "::1") return true;
    if (/^f[cd]/.test(host) || /^fe[89ab]/.test(host)) return true; // unique local, link-local
    const mapped = host.match(/^::ffff:(.+)$/);
    if (mapped) return mapped[1]!.includes(".") ? isLocalHost(mapped[1]!) : true;
  }
  return false;
}

/** Encrypts `payload` for the target and POSTs it to its push service. Never throws for a network failure. */
export async function sendPush(
  target: PushTarget,
  payload: string,
  options: PushOptions,
  deps: { vapid: VapidKeys; now: Date; fetch: PushFetch },
): Promise<PushAnswer> {
  const { cipherText } = webpush.encrypt(target.p256dh, target.auth, payload, "aes128gcm");
  const headers: Record<string, string> = {
    Authorization: await vapidAuthorization(deps.vapid, target.endpoint, deps.now),
    "Content-Encoding": "aes128gcm",
    "Content-Type": "application/octet-stream",
    TTL: String(options.ttlSeconds),
    Urgency: options.urgent ? "high" : "normal",
  };
  if (options.topic) headers.Topic = options.topic;
  // Called unbound: workerd's fetch throws "Illegal invocation" when called as a method of another object.
  const post = deps.fetch;
  try {
    const res = await post(target.endpoint, {
      method: "POST",
      headers,
      body: new Uint8Array(cipherText),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: "manual",
    });
    // The body is of no use; reading it lets the connection be reused.
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status, retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), deps.now) };
  } catch {
    return { status: 0 };
  }
}
