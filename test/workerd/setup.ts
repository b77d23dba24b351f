// Runs inside workerd before each test file: the drizzle/ migrations onto the test D1 database (idempotent).
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
