// Tallies as people read them, from the rows answer_tallies keeps (answer-batch.ts): per question, households per
// option (and the people of 「出席」), the sum of a number question, the households that answered. Shared by the
// leaders' board and the city's figures, so both count the same way.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { answers, answerTallies, circulars as circularsTable } from "../../db/schema";
import { itemChoice, itemQuestion } from "./answer-batch";
import type { Question } from "./questions";

export interface TallyRow {
  questionId: string;
  choice: string;
  households: number;
  amount: number;
}

export interface Tally {
  answered: number;
  questions: {
    questionId: string;
    answered: number;
    options: { id: string; label: string; households: number; amount: number }[];
    sum: number | null;
  }[];
}

/** Adds rows of the same (question, choice) together: several blocks, or several associations' copies. */
export function sumRows(rows: Iterable<TallyRow>): TallyRow[] {
  const map = new Map<string, TallyRow>();
  for (const r of rows) {
    const key = `${r.questionId}|${r.choice}`;
    const s = map.get(key) ?? { questionId: r.questionId, choice: r.choice, households: 0, amount: 0 };
    s.households += r.households;
    s.amount += r.amount;
    map.set(key, s);
  }
  return [...map.values()];
}

export function tallyOf(questions: Question[], rows: TallyRow[]): Tally {
  const get = (q: string, c: string) => rows.find((r) => r.questionId === q && r.choice === c);
  return {
    answered: get("*", "*")?.households ?? 0,
    questions: questions.map((q) => ({
      questionId: q.id,
      answered: get(q.id, "*")?.households ?? 0,
      options: q.options.map((o) => ({
        id: o.id,
        label: o.label,
        households: get(q.id, o.id)?.households ?? 0,
        amount: get(q.id, o.id)?.amount ?? 0,
      })),
      sum: q.kind === "number" ? (get(q.id, "")?.amount ?? 0) : null,
    })),
  };
}

/** The tally rows of circulars (`where`, a condition on the answer_tallies row `t`), e.g. one circular per block. */
export function tallyRows(db: Db, where: ReturnType<typeof sql>) {
  return db.all<TallyRow & { circularId: string; blockId: string }>(sql`
    SELECT t.circular_id AS circularId, t.block_id AS blockId, t.question_id AS questionId, t.choice,
           t.households, t.amount
    FROM ${answerTallies} t WHERE ${where} AND t.households <> 0`);
}

/**
 * The tallies recounted from the stored answers that `where` (a condition on the answer `a`) selects, per circular,
 * block and for the whole circular (block_id ''): what the kept tallies must equal (tests), and what
 * rebuildTallies writes.
 */
function recount(where: SQL) {
  return sql`
    SELECT a.circular_id AS circularId, CASE lv.k WHEN 0 THEN '' ELSE a.block_id END AS blockId,
           ${sql.raw(itemQuestion("j.key"))} AS questionId, ${sql.raw(itemChoice("j.key"))} AS choice,
           count(*) AS households, sum(j.value) AS amount
    FROM ${answers} a, json_each(a.items) j, (SELECT 0 AS k UNION ALL SELECT 1) lv
    WHERE ${where}
    GROUP BY 1, 2, 3, 4`;
}

/** One circular's tallies recounted from its answers. */
export function recountRows(db: Db, circularId: string) {
  return db.all<TallyRow & { circularId: string; blockId: string }>(recount(sql`a.circular_id = ${circularId}`));
}

/**
 * Writes the tallies of the circulars `circulars` (a condition on `c`) anew from their answers, in one batch: for
 * answers written outside the answer batches (the bench's synthetic city) or a repair.
 */
export function rebuildTallies(db: Db, circulars: SQL) {
  const chosen = sql`(SELECT c.id FROM ${circularsTable} c WHERE ${circulars})`;
  return db.batch([
    db.run(sql`DELETE FROM ${answerTallies} WHERE circular_id IN ${chosen}`),
    db.run(sql`INSERT INTO ${answerTallies} (circular_id, block_id, question_id, choice, households, amount)
      SELECT * FROM (${recount(sql`a.circular_id IN ${chosen}`)})`),
  ]);
}
