// Config is a function of the environment, parsed once at the runtime entry (node.ts, later worker.ts) and
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
  sessionTtlMs: { resident: number; staff: number };
  inviteTtlMs: number;
  attachments: { maxBytes: number; maxPerCircular: number };
  /** Largest JSON body any route accepts. */
  maxJsonBytes: number;
  throttle: { windowMs: number; maxFailures: number };
}

const DAY = 24 * 60 * 60 * 1000;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`設定が正しくありません (invalid configuration): ${detail}`);
  }
  const e = parsed.data;
  const dataDir = e.DATA_DIR.replace(/\/+$/, "");
  return {
    databaseUrl: e.DATABASE_URL ?? `file:${dataDir}/kairan.db`,
    dataDir,
    port: e.PORT,
    host: e.HOST,
    publicOrigin: e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).origin : undefined,
    trustProxy: e.TRUST_PROXY,
    passwordIterations: e.PASSWORD_ITERATIONS,
    seedDemo: e.SEED_DEMO,
    sessionTtlMs: { resident: 180 * DAY, staff: 30 * DAY },
    inviteTtlMs: 14 * DAY,
    attachments: { maxBytes: 10 * 1024 * 1024, maxPerCircular: 5 },
    maxJsonBytes: 256 * 1024,
    throttle: { windowMs: 10 * 60 * 1000, maxFailures: 10 },
  };
}
