// The answer hot path, like the acknowledgements' (feed/ack-writer.ts): answers that arrive while the event loop is
// busy are written together, with their tallies and acknowledgements, in one batch (one transaction, one commit);
// nobody is answered before it committed. Within a batch, a household's answers meet: only the latest is written.
import type { Db } from "../../db/client";
import { Coalescer } from "../../lib/coalesce";
import {
  answerKey,
  answerStatements,
  storedAnswers,
  writtenAnswers,
  type AnswerRow,
  type StoredAnswer,
} from "./answer-batch";

/** Upper bound on one batch (each answer is one row of a VALUES list of 7 columns). */
const MAX_BATCH = 256;
/** As the acknowledgements (ack-writer.ts): a session lookup and the answer land in different turns. */
const GATHER_TURNS = 3;

export interface AnswerRequest extends AnswerRow {
  /** The server's clock when the request came (the due date is checked against it). */
  now: number;
}

/**
 * What a request is told: the household's stored answer after the batch (null when none could be written: not
 * this household's circular, withdrawn or past its due date; the service tells which), and whether it is this one.
 */
export interface AnswerOutcome {
  stored: StoredAnswer | null;
  mine: boolean;
}

export class AnswerWriter {
  readonly #coalescer: Coalescer<AnswerRequest, AnswerOutcome>;

  constructor(private readonly db: Db) {
    this.#coalescer = new Coalescer((reqs) => this.#write(reqs), MAX_BATCH, GATHER_TURNS);
  }

  answer(req: AnswerRequest): Promise<AnswerOutcome> {
    return this.#coalescer.load(req);
  }

  async #write(reqs: AnswerRequest[]): Promise<AnswerOutcome[]> {
    // Two members of one household in one batch: the later answer (the last one to arrive when made at the same ms).
    const latest = new Map<string, AnswerRequest>();
    for (const r of reqs) {
      const seen = latest.get(answerKey(r));
      if (!seen || seen.answeredAt <= r.answeredAt) latest.set(answerKey(r), r);
    }
    const now = Math.min(...reqs.map((r) => r.now));
    const rows = [...latest.values()];
    const { items, written } = answerStatements(this.db, { rows, channel: "app", now });
    const results = await this.db.batch(items);
    const stored = writtenAnswers(rows, "app", results[written]);
    // The few not written (closed, not theirs, or a later answer stored): what is stored, read after the commit.
    const rest = rows.filter((r) => !stored.has(answerKey(r)));
    if (rest.length > 0) for (const [key, s] of await storedAnswers(this.db, rest)) stored.set(key, s);
    return reqs.map((req) => {
      const s = stored.get(answerKey(req)) ?? null;
      return { stored: s, mine: s?.answeredAt === req.answeredAt && s.answeredBy === req.memberId };
    });
  }
}

const writers = new WeakMap<Db, AnswerWriter>();

/** One writer per database handle, so every request of this process joins the same batches. */
export function answerWriterFor(db: Db): AnswerWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new AnswerWriter(db)));
  return w;
}
