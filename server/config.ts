// Config is a function of the environment, parsed once at the runtime entry (node.ts, worker.ts) and
// passed in. Nothing else reads the process environment or Worker bindings.
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const EnvSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** The address people open, e.g. https://kairan.example.jp. Used in invite QR codes and the Origin check. */
  PUBLIC_ORIGIN: z.url().optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For and the scheme from X-Forwarded-Proto. */
  TRUST_PROXY: bool.default(false),
  PASSWORD_ITERATIONS: z.coerce.number().int().min(100_000).default(600_000),
  SEED_DEMO: bool.default(true),
  /** Node: ふりがな by kuromoji in a second process (~400 MiB while used). false on a small host: published without. */
  FURIGANA: bool.default(true),
  /** Web push (RFC 8292). Both keys or neither; without them a pair is generated and kept in the database. */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, "must be the base64url uncompressed P-256 public key (65 octets, 87 characters)")
    .refine((v) => v.startsWith("B"), "must be an uncompressed point (first octet 0x04)")
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, "must be the base64url P-256 private key (32 octets, 43 characters)")
    .optional(),
  /** Tests only: accept http: push endpoints (a push service on loopback). Production endpoints are https:. */
  PUSH_ALLOW_HTTP_ENDPOINTS: bool.default(false),
  /** Who push services contact: mailto: or https:, no spaces or angle brackets (Apple rejects those). */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:[^\s<>]+@[^\s<>]+|https:\/\/[^\s<>]+)$/, "must be a mailto: or https: URI without spaces or < >")
    .optional(),
});

export interface Config {
  databaseUrl: string;
  dataDir: string;
  port: number;
  host: string;
  publicOrigin: string | undefined;
  trustProxy: boolean;
  /** PBKDF2-SHA256 iterations for new password hashes (OWASP 2023: 600,000). Stored with each hash. */
  passwordIterations: number;
  seedDemo: boolean;
  /** Whether the Node server computes ふりがな (docs/adr/0016); the Worker never does. */
  furigana: boolean;
  sessionTtlMs: { resident: number; staff: number };
  inviteTtlMs: number;
  attachments: { maxBytes: number; maxPerCircular: number };
  /** Largest JSON body any route accepts. */
  maxJsonBytes: number;
  throttle: { windowMs: number; maxFailures: number };
  push: {
    /** Configured keys (base64url), or undefined: generated once and kept in the database. */
    vapidKeys: { publicKey: string; privateKey: string } | undefined;
    /** The VAPID `sub` claim. */
    subject: string;
    /** Accept http: endpoints (tests against a loopback push service). */
    allowHttpEndpoints: boolean;
  };
}

const DAY = 24 * 60 * 60 * 1000;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`設定が正しくありません (invalid configuration): ${detail}`);
  }
  const e = parsed.data;
  if (!!e.VAPID_PUBLIC_KEY !== !!e.VAPID_PRIVATE_KEY) {
    throw new Error(
      "設定が正しくありません (invalid configuration): VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be given together",
    );
  }
  const publicOrigin = e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).origin : undefined;
  const dataDir = e.DATA_DIR.replace(/\/+$/, "");
  return {
    databaseUrl: e.DATABASE_URL ?? `file:${dataDir}/kairan.db`,
    dataDir,
    port: e.PORT,
    host: e.HOST,
    publicOrigin,
    trustProxy: e.TRUST_PROXY,
    passwordIterations: e.PASSWORD_ITERATIONS,
    seedDemo: e.SEED_DEMO,
    furigana: e.FURIGANA,
    sessionTtlMs: { resident: 180 * DAY, staff: 30 * DAY },
    inviteTtlMs: 14 * DAY,
    attachments: { maxBytes: 10 * 1024 * 1024, maxPerCircular: 5 },
    maxJsonBytes: 256 * 1024,
    throttle: { windowMs: 10 * 60 * 1000, maxFailures: 10 },
    push: {
      vapidKeys:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
          : undefined,
      // Without a configured subject, the site's own https origin; a placeholder mailto: otherwise (development).
      subject:
        e.VAPID_SUBJECT ?? (publicOrigin?.startsWith("https://") ? publicOrigin : "mailto:kairan@example.invalid"),
      allowHttpEndpoints: e.PUSH_ALLOW_HTTP_ENDPOINTS,
    },
  };
}
