// Tallies as people read them, from the rows answer_tallies keeps for each circular (answer-batch.ts) or, for a
// block, counted from its answers: per question, households per option (and the people of 「出席」), the sum of a
// number question, the households that answered. Shared by the leaders' board and the city's figures, so both count
// the same way.
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

/** The row of an item key "question|choice" (questions.ts, itemsJson; in SQL: answer-batch.ts, itemQuestion). */
export function tallyRow(item: string, households = 0, amount = 0): TallyRow {
  const bar = item.indexOf("|");
  return { questionId: item.slice(0, bar), choice: item.slice(bar + 1), households, amount };
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

/**
 * The whole circulars' tallies (block_id '') counted from the stored answers that `where` (a condition on the answer
 * `a`) selects: what the kept tallies must equal (tests), and what rebuildTallies writes.
 */
function recount(where: SQL) {
  return sql`
    SELECT a.circular_id AS circularId, '' AS blockId,
           ${sql.raw(itemQuestion("j.key"))} AS questionId, ${sql.raw(itemChoice("j.key"))} AS choice,
           count(*) AS households, sum(j.value) AS amount
    FROM ${answers} a, json_each(a.items) j
    WHERE ${where}
    GROUP BY 1, 2, 3, 4`;
}

/** One circular's whole tallies recounted from its answers: what the kept tallies must equal (tests). */
export function recountRows(db: Db, circularId: string) {
  return db.all<TallyRow & { circularId: string; blockId: string }>(recount(sql`a.circular_id = ${circularId}`));
}

/**
 * The tallies of each block, counted from its households' answers' items (the board reads every answer of the
 * circular anyway): only the whole circular's are kept (answer-batch.ts). The same count as the kept rows and
 * recountRows: households per item, and the sum of its amounts.
 */
export function blockTallies(
  households: { blockId: string; items: Record<string, number> | null }[],
): (TallyRow & { blockId: string })[] {
  const blocks = new Map<string, Map<string, TallyRow & { blockId: string }>>();
  for (const h of households) {
    if (!h.items) continue;
    let rows = blocks.get(h.blockId);
    if (!rows) blocks.set(h.blockId, (rows = new Map()));
    for (const item in h.items) {
      let r = rows.get(item);
      if (!r) rows.set(item, (r = { ...tallyRow(item), blockId: h.blockId }));
      r.households += 1;
      r.amount += h.items[item]!;
    }
  }
  return [...blocks.values()].flatMap((rows) => [...rows.values()]);
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
