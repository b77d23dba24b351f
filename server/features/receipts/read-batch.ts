// Every change of a receipt's read state goes through one batch shape: a household's 「確認しました」 in the app (the
// ack writer's coalesced batch, any number at once), a block leader's paper record, and its undo. The receipts that
// change are staged in read_batch; the city's rollups read them there, one statement per rollup table for the whole
// batch (server/features/stats/rollup.ts, docs/adr/0005); the receipts are written from there; each household's
// latest acknowledgement and active day follow; read_batch is emptied. All in one batch: one transaction, one commit,
// the figures moving with the reads.
import { sql, type SQL } from "drizzle-orm";
import type { BatchItem, Db } from "../../db/client";
import { frozen, perVariant } from "../../db/frozen";
import { readBatch, receipts, type Channel } from "../../db/schema";
import { statsForLastRead, statsForReads } from "../stats/rollup";
import { bucketOf, weekOf } from "../stats/sql";

/**
 * The receipts a batch changes. `from` is the FROM … WHERE that selects them, with the receipts table under its own
 * name and their circular as `c`; `readAt` (epoch ms) and `readBy` are SQL expressions over them: the new read for a
 * read, the receipt's own for an undo.
 */
export interface StagedReads {
  from: SQL;
  readAt: SQL;
  readBy: SQL;
}

/**
 * The statement that stages the reads `staged` selects into read_batch. Hot callers (the acknowledgement and answer
 * writers) freeze it (db/frozen.ts).
 */
export function stageReads({ from, readAt, readBy }: StagedReads): SQL {
  // A JS number may be bound as a REAL: the bucket's hour and day divisions need an integer.
  return sql`
    INSERT INTO ${readBatch} (circular_id, household_id, association_id, read_at, read_by, delay, bucket, week, by_due, counted)
    SELECT circular_id, household_id, association_id, read_at, read_by, read_at - created_at,
           ${sql.raw(bucketOf("(read_at - created_at)"))}, ${sql.raw(weekOf("published_at"))},
           (due_at IS NOT NULL AND read_at <= due_at), status = 'published' AND kind = 'notice'
    FROM (SELECT ${receipts.circularId} AS circular_id, ${receipts.householdId} AS household_id,
            ${receipts.associationId} AS association_id, CAST(${readAt} AS INTEGER) AS read_at, ${readBy} AS read_by,
            ${receipts.createdAt} AS created_at, c.published_at, c.due_at, c.status, c.kind
          ${from})`;
}

/**
 * Writes the staged reads into the receipts (a read with `channel`; null: unread), and, when `tell`, which changed
 * (RETURNING: a row each, which a caller that does not read them would pay for).
 */
function writeReads(channel: Channel | null, tell: boolean) {
  const write = channel
    ? sql`read_at = a.read_at, read_by = a.read_by, channel = ${sql.raw(`'${channel}'`)}`
    : sql`read_at = NULL, read_by = NULL, channel = NULL`;
  const returning = tell
    ? sql`RETURNING ${receipts.circularId} AS circularId, ${receipts.householdId} AS householdId`
    : sql``;
  return sql`
    UPDATE ${receipts} SET ${write}
    FROM ${readBatch} a
    WHERE ${receipts.circularId} = a.circular_id AND ${receipts.householdId} = a.household_id
    ${returning}`;
}
const writeReadsTelling = perVariant((channel: Channel | null) => frozen(() => writeReads(channel, true)));
const writeReadsQuietly = perVariant((channel: Channel | null) => frozen(() => writeReads(channel, false)));

const emptyReadBatch = frozen(() => sql`DELETE FROM ${readBatch}`);

/**
 * The batch that reads (`channel` app or paper) or unreads (null: a paper record undone) the staged receipts.
 * `afterWrite` goes right after the receipts UPDATE, so that `changes()` in it is the number of receipts written (an
 * audit row's guard). `written` is the index of the UPDATE's result in the batch: the receipts it changed
 * (circularId, householdId), RETURNING from the UPDATE when the caller asks for it with `tell` (it costs a row per
 * receipt).
 */
export function readStatements(
  db: Db,
  {
    stage,
    channel,
    afterWrite = [],
    tell = false,
  }: { stage: SQL; channel: Channel | null; afterWrite?: BatchItem[]; tell?: boolean },
) {
  const before: BatchItem[] = statsForReads(db, channel ? 1 : -1);
  const items: [BatchItem, ...BatchItem[]] = [
    db.run(stage),
    ...before,
    db.all<{ circularId: string; householdId: string }>((tell ? writeReadsTelling : writeReadsQuietly)(channel)()),
    ...afterWrite,
    ...statsForLastRead(db, channel ? 1 : -1),
    db.run(emptyReadBatch()),
  ];
  return { items, written: 1 + before.length };
}
