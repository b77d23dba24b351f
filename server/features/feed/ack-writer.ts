// The acknowledgement hot path. When a whole city taps 「確認しました」 within minutes, one write transaction per tap
// would spend most of its time committing. Instead, acknowledgements that arrive while the event loop is busy
// are coalesced: each flush writes all pending ones in a single db.batch (one transaction, one fsync), then answers
// each request with its receipt. Nobody is answered before the batch has committed, so an answered
// acknowledgement is durable. The UPDATE only fills an empty receipt: the first read wins, repeats change nothing.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { Channel } from "../../db/schema";

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

interface Pending {
  req: AckRequest;
  resolve: (r: AckedReceipt | null) => void;
  reject: (e: unknown) => void;
}

/** Upper bound on one batch, so a burst cannot hold the database for long. */
const MAX_BATCH = 512;

export class AckWriter {
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(private readonly db: Db) {}

  /** Resolves with the receipt, or null when the household has no receipt for a published circular of its association. */
  acknowledge(req: AckRequest): Promise<AckedReceipt | null> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ req, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // A macrotask, not a microtask: let the other requests already read from the sockets join this batch.
        setTimeout(() => void this.#flush(), 0);
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        const results = await this.#write(batch.map((p) => p.req));
        batch.forEach((p, i) => p.resolve(results[i] ?? null));
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }

  async #write(reqs: AckRequest[]): Promise<(AckedReceipt | null)[]> {
    const updates = reqs.map(
      (r) => sql`
        UPDATE receipts SET read_at = ${r.at.getTime()}, read_by = ${r.memberId}, channel = 'app'
        WHERE circular_id = ${r.circularId} AND household_id = ${r.householdId} AND read_at IS NULL
          AND EXISTS (SELECT 1 FROM circulars c
                      WHERE c.id = ${r.circularId} AND c.association_id = ${r.associationId} AND c.status = 'published')
        RETURNING 1 AS changed`,
    );
    // One read of the final state of every requested receipt, in the same transaction.
    const keys = sql.join(
      reqs.map((r) => sql`(${r.circularId}, ${r.householdId})`),
      sql`, `,
    );
    const select: SQL = sql`
      SELECT r.circular_id AS circularId, r.household_id AS householdId, r.read_at AS readAt, r.channel AS channel,
             c.association_id AS associationId
      FROM receipts r JOIN circulars c ON c.id = r.circular_id
      WHERE (r.circular_id, r.household_id) IN (VALUES ${keys}) AND c.status = 'published'`;
    const statements = [...updates.map((u) => this.db.all(u)), this.db.all(select)] as const;
    const out = await this.db.batch(statements as unknown as Parameters<Db["batch"]>[0]);
    const rows = out[out.length - 1] as {
      circularId: string;
      householdId: string;
      readAt: number | null;
      channel: Channel | null;
      associationId: string;
    }[];
    const byKey = new Map(rows.map((r) => [`${r.circularId}|${r.householdId}`, r]));
    return reqs.map((req, i) => {
      const row = byKey.get(`${req.circularId}|${req.householdId}`);
      if (!row || row.associationId !== req.associationId || row.readAt === null || !row.channel) return null;
      const changed = (out[i] as unknown[]).length > 0;
      return { circularId: row.circularId, readAt: new Date(row.readAt), channel: row.channel, changed };
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
