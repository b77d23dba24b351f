import { defineConfig } from "drizzle-kit";

// Migrations are generated from server/db/schema.ts and committed; the same SQL applies to a libSQL file,
// Turso and D1. `npx drizzle-kit migrate` applies them to Turso when TURSO_DATABASE_URL (and TURSO_AUTH_TOKEN) are
// set (docs/deploy.md); D1 takes them with `wrangler d1 migrations apply DB --remote`.
const turso = process.env.TURSO_DATABASE_URL;
export default turso
  ? defineConfig({
      dialect: "turso",
      schema: "./server/db/schema.ts",
      out: "./drizzle",
      dbCredentials: { url: turso, authToken: process.env.TURSO_AUTH_TOKEN },
    })
  : defineConfig({
      dialect: "sqlite",
      schema: "./server/db/schema.ts",
      out: "./drizzle",
    });
