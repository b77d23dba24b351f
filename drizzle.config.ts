import { defineConfig } from "drizzle-kit";

// Migrations are generated from server/db/schema.ts and committed; the same SQL applies to a libSQL file,
// Turso and D1.
export default defineConfig({
  dialect: "sqlite",
  schema: "./server/db/schema.ts",
  out: "./drizzle",
});
