// Who a circular reaches, in SQL: the member households of its association (still there), all of them or those of
// its chosen blocks. One receipt per such household is the circular's audience, written by one INSERT … SELECT in
// the batch that publishes (an association's circular, or every copy of a city circular) or adds a household.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { circularBlocks, circulars, households, receipts } from "../../db/schema";

/** The households `h` the circular `c` reaches, read from the rows inside the statement (as they are then). */
const reaches = sql`h.association_id = c.association_id AND h.left_at IS NULL
  AND (c.audience = 'all' OR h.block_id IN (SELECT cb.block_id FROM ${circularBlocks} cb WHERE cb.circular_id = c.id))`;

/** The circulars `c` matching `where`, each with every household `h` it reaches. */
const audienceOf = (where: SQL) => sql`FROM ${circulars} c JOIN ${households} h ON ${reaches} WHERE ${where}`;

/**
 * Receipts for the circulars matching `circulars` (an SQL condition on `c`), one per household they reach, or only
 * of the households matching `households` (a condition on `h`: a household that joined later). `guard`: written
 * only if it holds in the batch (this publication won its race, see audit.ts).
 */
export function insertReceipts(
  db: Db,
  input: { circulars: SQL; households?: SQL | undefined; guard?: SQL | undefined; now: Date },
) {
  return db.run(sql`
    INSERT INTO ${receipts} (circular_id, household_id, association_id, block_id, created_at)
    SELECT c.id, h.id, h.association_id, h.block_id, ${input.now.getTime()}
    ${audienceOf(sql`${input.circulars} AND ${input.households ?? sql`1`} AND ${input.guard ?? sql`1`}`)}`);
}

/** How many households the circulars matching `where` (a condition on `c`) reach, as an SQL expression (also usable in a batch). */
export const audienceSize = (where: SQL) => sql`(SELECT count(*) ${audienceOf(where)})`;
