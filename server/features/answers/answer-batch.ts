// Every answer goes through one batch shape, like the reads (receipts/read-batch.ts): a coalesced batch of app answers
// and a block leader's paper answer alike. The answers are staged in answer_batch; the tallies lose the old answers'
// items and gain the new ones, one statement each for the whole batch; the answers are written; the circulars the
// households had not yet acknowledged are acknowledged by the same batch (read-batch.ts, with the city's rollups);
// answer_batch is emptied. One transaction: an answer, its tallies and its acknowledgement commit together.
import { sql, type SQL } from "drizzle-orm";
import type { BatchItem, Db } from "../../db/client";
import { frozen, frozenRows, perVariant } from "../../db/frozen";
import {
  answerBatch,
  answers,
  answerTallies,
  circulars,
  members,
  receipts,
  safetyEvents,
  type AnswerChannel,
} from "../../db/schema";
import { readStatements, stageReads } from "../receipts/read-batch";
import { itemsJson, type AnswerValues, type TallyItem } from "./questions";

export interface AnswerRow {
  circularId: string;
  householdId: string;
  associationId: string;
  memberId: string;
  /** When it was made (epoch ms); a stored answer made later is kept. */
  answeredAt: number;
  value: AnswerValues;
  items: TallyItem[];
}

/** How the maps of stored and written answers (below, answer-writer.ts) key a household's answer to a circular. */
export const answerKey = (a: { circularId: string; householdId: string }) => `${a.circularId}|${a.householdId}`;

/** The question and the choice of an item key "question|choice" (questions.ts, itemsJson). */
export const itemQuestion = (key: string) => `substr(${key}, 1, instr(${key}, '|') - 1)`;
export const itemChoice = (key: string) => `substr(${key}, instr(${key}, '|') + 1)`;

/**
 * Adds (sign 1) or takes away (sign -1) the items of the answers `source` selects (an `x` with circular_id and
 * items) to the whole circular's tallies (block_id ''), in one statement. Only the whole circular's are kept: they
 * are what the city's survey figures read across hundreds of copies; a block's, which only the leader's board of
 * that one circular shows, are counted from its answers there (tallies.ts, blockTallies). Keeping both had been
 * the costliest statement of an answer's batch, a random page per block in every commit (ADR 0007).
 */
function tallyItems(source: SQL, sign: 1 | -1) {
  const s = sql.raw(String(sign));
  return sql`
    INSERT INTO ${answerTallies} (circular_id, block_id, question_id, choice, households, amount)
    SELECT x.circular_id, '', ${sql.raw(itemQuestion("j.key"))}, ${sql.raw(itemChoice("j.key"))},
           ${s} * count(*), ${s} * sum(j.value)
    FROM ${source}, json_each(x.items) j
    WHERE true
    GROUP BY x.circular_id, j.key
    ON CONFLICT (circular_id, block_id, question_id, choice)
    DO UPDATE SET households = households + excluded.households, amount = amount + excluded.amount`;
}

// The batch's statements, rendered once (db/frozen.ts): only the staging takes values (the rows, and the time); the
// rest read answer_batch.

/**
 * Stages the rows ([circular, household, association, member, answered_at, value, items]) that may be
 * written: the circular is a published one of the row's association, not past its due date at `now`, the household
 * has a receipt of it, and no answer made later is stored.
 */
const stageAnswersAs = perVariant((channel: AnswerChannel) =>
  frozenRows<[number]>(
    7,
    (values, now) => sql`
      INSERT INTO ${answerBatch} (circular_id, household_id, association_id, block_id, value, items, channel, answered_by, answered_at)
      SELECT v.column1, v.column2, v.column3, r.block_id, v.column6, v.column7, ${sql.raw(`'${channel}'`)}, v.column4, v.column5
      FROM ${values} AS v
      JOIN ${circulars} c ON c.id = v.column1 AND c.association_id = v.column3 AND c.status = 'published'
        AND (c.due_at IS NULL OR c.due_at >= ${now})
      JOIN ${receipts} r ON r.circular_id = v.column1 AND r.household_id = v.column2
      LEFT JOIN ${answers} a ON a.circular_id = v.column1 AND a.household_id = v.column2
      WHERE a.answered_at IS NULL OR a.answered_at <= v.column5`,
  ),
);

/** The replaced answers leave the tallies. CROSS JOIN keeps the few staged rows outside: SQLite would otherwise walk every stored answer. */
const untallyReplaced = frozen(() =>
  tallyItems(
    sql`${answerBatch} s CROSS JOIN ${answers} x ON x.circular_id = s.circular_id AND x.household_id = s.household_id`,
    -1,
  ),
);
const tallyStaged = frozen(() => tallyItems(sql`${answerBatch} x`, 1));

const writeAnswers = frozen<[number]>(
  (now) => sql`
    INSERT INTO ${answers} (circular_id, household_id, association_id, block_id, value, items, channel, answered_by, answered_at, created_at)
    SELECT circular_id, household_id, association_id, block_id, value, items, channel, answered_by, answered_at, ${now}
    FROM ${answerBatch} WHERE true
    ON CONFLICT (circular_id, household_id) DO UPDATE SET value = excluded.value, items = excluded.items,
      channel = excluded.channel, answered_by = excluded.answered_by, answered_at = excluded.answered_at`,
);

/** The circulars the staged households had not yet acknowledged, as reads (receipts/read-batch.ts). */
const stageAnswerReads = frozen(() =>
  stageReads({
    from: sql`FROM ${answerBatch} s JOIN ${circulars} c ON c.id = s.circular_id
      JOIN ${receipts} ON ${receipts.circularId} = s.circular_id AND ${receipts.householdId} = s.household_id
        AND ${receipts.readAt} IS NULL`,
    // An answer queued offline may have been made before the receipt existed only by a wrong clock.
    readAt: sql`max(s.answered_at, ${receipts.createdAt})`,
    readBy: sql`s.answered_by`,
  }),
);

/** The answers the batch wrote, with who wrote them and the receipt's read time after it (the batch's last read). */
const reportWritten = frozen(
  () => sql`
    SELECT s.circular_id AS circularId, s.household_id AS householdId, s.answered_by AS answeredBy,
           s.answered_at AS answeredAt, m.display_name AS answeredByName, r.read_at AS readAt
    FROM ${answerBatch} s
    JOIN ${receipts} r ON r.circular_id = s.circular_id AND r.household_id = s.household_id
    LEFT JOIN ${members} m ON m.id = s.answered_by`,
);

/**
 * A safety check's answers (circulars of kind "safety", features/safety) also go to its history, every one of them:
 * the answers table keeps the latest, the report and a race between a household and its 班長 need them all. For
 * other circulars this finds no row (the staged few joined to their circular by its key).
 */
const recordSafetyEvents = frozen(
  () => sql`
    INSERT INTO ${safetyEvents} (circular_id, association_id, household_id, block_id, state, value, channel, recorded_by, at)
    SELECT s.circular_id, s.association_id, s.household_id, s.block_id,
      CASE json_extract(s.value, '$.state.choice') WHEN 'help' THEN 'help' ELSE 'safe' END, s.value, s.channel,
      s.answered_by, s.answered_at
    FROM ${answerBatch} s JOIN ${circulars} c ON c.id = s.circular_id
    WHERE c.kind = 'safety'`,
);

const emptyAnswerBatch = frozen(() => sql`DELETE FROM ${answerBatch}`);

/**
 * The batch that writes `rows` (one per household and circular: the caller keeps only the latest of a household's),
 * as `channel`. A row is written only where the circular is a published one of the row's association, not past its
 * due date at `now`, the household has a receipt of it, and no answer made later is stored. `afterWrite` goes right
 * after the answers' write (an audit row guarded by changes()). `written` is the index of the result that lists the
 * answers written (writtenAnswers reads it), so the caller need not read them back after the commit.
 */
export function answerStatements(
  db: Db,
  {
    rows,
    channel,
    now,
    afterWrite = [],
  }: { rows: AnswerRow[]; channel: AnswerChannel; now: number; afterWrite?: BatchItem[] },
): { items: [BatchItem, ...BatchItem[]]; written: number } {
  const values = rows.map((r) => [
    r.circularId,
    r.householdId,
    r.associationId,
    r.memberId,
    r.answeredAt,
    JSON.stringify(r.value),
    itemsJson(r.items),
  ]);
  // The batch's own report (below) tells what it wrote, so the reads are not told. A 班長's visit or call reads
  // the receipt on the household's behalf, as a paper answer does.
  const { items: acknowledge } = readStatements(db, {
    channel: channel === "app" ? "app" : "paper",
    stage: stageAnswerReads(),
  });
  const items: [BatchItem, ...BatchItem[]] = [
    db.run(stageAnswersAs(channel)(values, now)),
    db.run(untallyReplaced()),
    db.run(writeAnswers(now)),
    ...afterWrite,
    db.run(tallyStaged()),
    db.run(recordSafetyEvents()),
    ...acknowledge,
    db.all(reportWritten()),
    db.run(emptyAnswerBatch()),
  ];
  return { items, written: items.length - 2 };
}

/**
 * The answers among `rows` that the batch wrote (its `written` result), as stored: the row's own value, with the
 * batch's report of who and when. A row it did not write (not open, not the household's, or an answer made later is
 * stored) is missing: storedAnswers tells what is stored instead.
 */
export function writtenAnswers(rows: AnswerRow[], channel: AnswerChannel, report: unknown) {
  const reported = new Map((report as Omit<StoredAnswer, "value" | "channel">[]).map((r) => [answerKey(r), r]));
  const map = new Map<string, StoredAnswer>();
  for (const row of rows) {
    const key = answerKey(row);
    const r = reported.get(key);
    if (r && r.answeredAt === row.answeredAt && r.answeredBy === row.memberId)
      map.set(key, { ...r, value: row.value, channel });
  }
  return map;
}

/**
 * The stored answers of these households' circulars, with who answered and when the receipt was read: what each
 * request is told after its batch committed (one query for the whole batch).
 */
export async function storedAnswers(db: Db, keys: { circularId: string; householdId: string }[]) {
  const map = new Map<string, StoredAnswer>();
  if (keys.length === 0) return map;
  const list = sql.join(
    keys.map((k) => sql`(${k.circularId}, ${k.householdId})`),
    sql`, `,
  );
  const rows = await db.all<{
    circularId: string;
    householdId: string;
    value: string;
    channel: AnswerChannel;
    answeredBy: string;
    answeredAt: number;
    answeredByName: string | null;
    readAt: number | null;
  }>(sql`
    SELECT a.circular_id AS circularId, a.household_id AS householdId, a.value, a.channel,
           a.answered_by AS answeredBy, a.answered_at AS answeredAt, m.display_name AS answeredByName,
           r.read_at AS readAt
    FROM ${answers} a
    LEFT JOIN ${members} m ON m.id = a.answered_by
    LEFT JOIN ${receipts} r ON r.circular_id = a.circular_id AND r.household_id = a.household_id
    WHERE (a.circular_id, a.household_id) IN (VALUES ${list})`);
  for (const r of rows) map.set(answerKey(r), { ...r, value: JSON.parse(r.value) as AnswerValues });
  return map;
}

export interface StoredAnswer {
  circularId: string;
  householdId: string;
  value: AnswerValues;
  channel: AnswerChannel;
  answeredBy: string;
  answeredAt: number;
  answeredByName: string | null;
  readAt: number | null;
}
