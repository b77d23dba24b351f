// The health check's one query: routes never reach the database themselves (lint: .oxlintrc.json).
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

/** Throws when the database does not answer a trivial query. No actor: /api/health is public. */
export async function checkDatabase({ ctx }: { ctx: { db: Db } }): Promise<void> {
  await ctx.db.run(sql`SELECT 1`);
}
