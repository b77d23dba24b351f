// The acknowledgement hot path. When a whole city taps 「確認しました」 within minutes, one write transaction per tap
// would spend most of its time committing. Instead, acknowledgements that arrive while the event loop is busy
// are coalesced: each flush writes all pending ones in a single db.batch (one transaction, one fsync), then answers
// each request with its receipt. Nobody is answered before the batch has committed, so an answered
// acknowledgement is durable. The UPDATE only fills an empty receipt: the first read wins, repeats change nothing.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { Channel } from "../../db/schema";
import { Coalescer } from "../../lib/coalesce";

export interface AckRequest {
  associationId: string;
  circularId: string;
  householdId: string;
  memberId: string;
  at: Date;
}

export interface AckedReceipt {
  circularId: string;
  readAt: Date;
  channel: Channel;
  /** True when this request did the acknowledging, false when the household had already acknowledged. */
  changed: boolean;
}

/** Upper bound on one batch, so a burst cannot hold the database for long. */
const MAX_BATCH = 512;

export class AckWriter {
  readonly #coalescer: Coalescer<AckRequest, AckedReceipt | null>;

  constructor(private readonly db: Db) {
    this.#coalescer = new Coalescer((reqs) => this.#write(reqs), MAX_BATCH);
  }

  /** Resolves with the receipt, or null when the household has no receipt for a published circular of its association. */
  acknowledge(req: AckRequest): Promise<AckedReceipt | null> {
    return this.#coalescer.load(req);
  }

  /**
   * Two statements per batch, however many requests: one UPDATE ... FROM (VALUES ...) that fills every still-empty
   * receipt (RETURNING the ones it changed), and one SELECT of the resulting state. Repeats of the same receipt
   * within a batch are left out of the UPDATE: only the first of them can be the one that acknowledges.
   */
  async #write(reqs: AckRequest[]): Promise<(AckedReceipt | null)[]> {
    const keyOf = (r: AckRequest) => `${r.circularId}|${r.householdId}`;
    const first = new Map<string, AckRequest>();
    for (const r of reqs) if (!first.has(keyOf(r))) first.set(keyOf(r), r);
    const unique = [...first.values()];
    const values = sql.join(
      unique.map((r) => sql`(${r.circularId}, ${r.householdId}, ${r.at.getTime()}, ${r.memberId}, ${r.associationId})`),
      sql`, `,
    );
    const keys = sql.join(
      unique.map((r) => sql`(${r.circularId}, ${r.householdId})`),
      sql`, `,
    );
    const [changedRows, stateRows] = (await this.db.batch([
      this.db.all(sql`
        UPDATE receipts SET read_at = v.column3, read_by = v.column4, channel = 'app'
        FROM (VALUES ${values}) AS v
        WHERE receipts.circular_id = v.column1 AND receipts.household_id = v.column2 AND receipts.read_at IS NULL
          AND EXISTS (SELECT 1 FROM circulars c
                      WHERE c.id = v.column1 AND c.association_id = v.column5 AND c.status = 'published')
        RETURNING receipts.circular_id AS circularId, receipts.household_id AS householdId`),
      this.db.all(sql`
        SELECT r.circular_id AS circularId, r.household_id AS householdId, r.read_at AS readAt, r.channel AS channel,
               c.association_id AS associationId
        FROM receipts r JOIN circulars c ON c.id = r.circular_id
        WHERE (r.circular_id, r.household_id) IN (VALUES ${keys}) AND c.status = 'published'`),
    ])) as unknown as [
      { circularId: string; householdId: string }[],
      { circularId: string; householdId: string; readAt: number | null; channel: Channel | null; associationId: string }[],
    ];
    const changed = new Set(changedRows.map((r) => `${r.circularId}|${r.householdId}`));
    const state = new Map(stateRows.map((r) => [`${r.circularId}|${r.householdId}`, r]));
    return reqs.map((req) => {
      const key = keyOf(req);
      const row = state.get(key);
      if (!row || row.associationId !== req.associationId || row.readAt === null || !row.channel) return null;
      return {
        circularId: row.circularId,
        readAt: new Date(row.readAt),
        channel: row.channel,
        changed: changed.has(key) && first.get(key) === req,
      };
    });
  }
}

const writers = new WeakMap<Db, AckWriter>();

/** One writer per database handle, so every request of this process joins the same batches. */
export function ackWriterFor(db: Db): AckWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new AckWriter(db)));
  return w;
}
