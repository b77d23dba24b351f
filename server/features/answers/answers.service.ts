// Answers to a circular's questions: a household answers (or changes its answer) until the due date, which also
// acknowledges the circular; a block leader enters a paper household's answer; leaders read the tallies on the
// circular's board. 無記名 circulars never show which household answered what (docs/adr/0006).
import { and, eq, sql } from "drizzle-orm";
import type { AssociationCtx, HouseholdCtx } from "../../context";
import type { Db } from "../../db/client";
import { answers, blocks, circulars, households, receipts, type AnswerChannel, type Channel } from "../../db/schema";
import { errors } from "../../lib/errors";
import { auditIfChanged } from "../audit/audit";
import { getCircularRow } from "../circulars/circulars.service";
import { SUPPRESS_BELOW } from "../city/suppress";
import { toCsv } from "../city/csv";
import { formatDateTimeJa } from "../../lib/time";
import { answerCells, answerColumns, tallyCells, tallyColumns } from "./answers-csv";
import { answerStatements, storedAnswers, writtenAnswers, type StoredAnswer } from "./answer-batch";
import { answerWriterFor } from "./answer-writer";
import { checkAnswer, parseQuestions, type AnswerValues, type Question } from "./questions";
import { blockTallies, sumRows, tallyOf, type TallyRow } from "./tallies";

const DAY = 24 * 60 * 60 * 1000;
/** How far back a queued offline answer's own time is believed. */
const OFFLINE_WINDOW = 7 * DAY;

const notFound = () => errors.notFound("回覧", "circular");
const closed = () =>
  errors.conflict(
    "回答は締め切りました。期限を過ぎた回覧には回答できません。",
    "Answers are closed: the due date has passed.",
  );
const withdrawn = () =>
  errors.conflict(
    "この回覧は取り下げられたため、回答できません。",
    "This circular was withdrawn: it takes no answers.",
  );
const noQuestions = () =>
  errors.conflict("この回覧には質問がありません。", "This circular has no questions to answer.");

/** Whether answers are taken now: published and not past the due date. */
export const answersOpen = (c: { status: string; dueAt: Date | null }, now: Date) =>
  c.status === "published" && (c.dueAt === null || c.dueAt.getTime() >= now.getTime());

/**
 * Published circulars' questions, kept in memory: they are frozen once published, and the answer path should not
 * read the circular for every answer. Whether it is still published and open is checked in the answer's batch.
 */
const questionCache = new Map<string, { associationId: string; questions: Question[] }>();
const QUESTION_CACHE_MAX = 1024;

async function publishedQuestions(db: Db, circularId: string, associationId: string): Promise<Question[]> {
  let hit = questionCache.get(circularId);
  if (!hit) {
    const [row] = await db
      .select({ associationId: circulars.associationId, questions: circulars.questions, status: circulars.status })
      .from(circulars)
      .where(eq(circulars.id, circularId));
    if (!row || row.status === "draft") throw notFound();
    hit = { associationId: row.associationId, questions: parseQuestions(row.questions) };
    if (questionCache.size >= QUESTION_CACHE_MAX) questionCache.delete(questionCache.keys().next().value!);
    questionCache.set(circularId, hit);
  }
  if (hit.associationId !== associationId) throw notFound();
  return hit.questions;
}

const present = (a: StoredAnswer) => ({
  value: a.value,
  channel: a.channel,
  answeredAt: new Date(a.answeredAt).toISOString(),
  answeredByName: a.answeredByName,
});

/** After a batch wrote nothing for this household: why (404 not its circular, 409 withdrawn or closed). */
async function whyNotWritten(db: Db, circularId: string, associationId: string, householdId: string, now: Date) {
  const [row] = await db
    .select({ status: circulars.status, dueAt: circulars.dueAt, receipt: receipts.householdId })
    .from(circulars)
    .leftJoin(receipts, and(eq(receipts.circularId, circulars.id), eq(receipts.householdId, householdId)))
    .where(and(eq(circulars.id, circularId), eq(circulars.associationId, associationId)));
  if (!row || !row.receipt || row.status === "draft") throw notFound();
  if (row.status === "withdrawn") throw withdrawn();
  if (!answersOpen(row, now)) throw closed();
}

/**
 * A household's answer from the app. Checked against the questions (400 naming each wrong question, nothing
 * written), then written by the coalesced writer with its tallies and the acknowledgement. An answer queued offline
 * carries when it was made: if another member answered later meanwhile, theirs is kept and `accepted` is false.
 */
export async function answerAsHousehold({
  ctx,
  input,
}: {
  ctx: HouseholdCtx;
  input: { id: string; answers: AnswerValues; answeredAt?: string | undefined };
}) {
  const questions = await publishedQuestions(ctx.db, input.id, ctx.associationId);
  if (questions.length === 0) throw noQuestions();
  const { value, items } = checkAnswer(questions, input.answers);
  const now = ctx.now.getTime();
  const told = input.answeredAt ? Date.parse(input.answeredAt) : now;
  const answeredAt = Math.min(now, Math.max(now - OFFLINE_WINDOW, told));
  const outcome = await answerWriterFor(ctx.db).answer({
    circularId: input.id,
    householdId: ctx.householdId,
    associationId: ctx.associationId,
    memberId: ctx.memberId,
    answeredAt,
    value,
    items,
    now,
  });
  const stored = outcome.stored;
  // Not written and no later answer to tell about: the circular is closed, withdrawn or not the household's.
  if (!outcome.mine && (!stored || stored.answeredAt < answeredAt)) {
    await whyNotWritten(ctx.db, input.id, ctx.associationId, ctx.householdId, ctx.now);
    throw closed();
  }
  return {
    circularId: input.id,
    accepted: outcome.mine,
    answer: present(stored!),
    readAt: stored!.readAt === null ? null : new Date(stored!.readAt).toISOString(),
  };
}

/** What a household sees of a circular's questions: the questions, its answer, whether it may still answer. */
export async function householdQuestions(
  db: Db,
  row: { id: string; questions: string; anonymous: boolean; status: string; dueAt: Date | null },
  householdId: string,
  now: Date,
) {
  const questions = parseQuestions(row.questions);
  const stored =
    questions.length === 0
      ? undefined
      : (await storedAnswers(db, [{ circularId: row.id, householdId }])).values().next().value;
  return {
    questions,
    anonymous: row.anonymous,
    answer: stored ? present(stored) : null,
    answersOpen: questions.length > 0 && answersOpen(row, now),
  };
}

/** 「紙の回答を入力」: a block leader (their block) or leader enters a paper household's answer. Audited. */
export async function enterPaperAnswer({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { circularId: string; householdId: string; answers: AnswerValues };
}) {
  const row = await getCircularRow(ctx, input.circularId);
  await boardHousehold(ctx, row.id, input.householdId); // 404 outside the audience or the block
  if (row.status === "withdrawn") throw withdrawn();
  if (!answersOpen(row, ctx.now)) throw closed();
  const questions = parseQuestions(row.questions);
  if (questions.length === 0) throw noQuestions();
  const { value, items } = checkAnswer(questions, input.answers);
  const now = ctx.now.getTime();
  const entry = {
    circularId: row.id,
    householdId: input.householdId,
    associationId: ctx.associationId,
    memberId: ctx.actor.memberId,
    answeredAt: now,
    value,
    items,
  };
  const { items: statements, written } = answerStatements(ctx.db, {
    rows: [entry],
    channel: "paper",
    now,
    afterWrite: [auditIfChanged(ctx, "answer.paper", "circular", row.id, { householdId: input.householdId }).insert],
  });
  const results = await ctx.db.batch(statements);
  const stored = writtenAnswers([entry], "paper", results[written]).values().next().value;
  if (!stored) {
    await whyNotWritten(ctx.db, row.id, ctx.associationId, input.householdId, ctx.now);
    throw closed();
  }
  // 無記名: not even the block leader who typed it gets a household's answer back from the server.
  return {
    circularId: row.id,
    accepted: true,
    answer: row.anonymous ? { ...present(stored), value: {} } : present(stored),
    readAt: stored.readAt === null ? null : new Date(stored.readAt).toISOString(),
  };
}

async function boardHousehold(ctx: AssociationCtx, circularId: string, householdId: string) {
  const [r] = await ctx.db
    .select({ id: receipts.householdId })
    .from(receipts)
    .where(
      and(
        eq(receipts.circularId, circularId),
        eq(receipts.householdId, householdId),
        eq(receipts.associationId, ctx.associationId),
        ctx.actor.role === "block_leader" ? eq(receipts.blockId, ctx.actor.blockId ?? "-") : undefined,
      ),
    );
  if (!r) throw errors.notFound("この回覧の配布先の世帯", "household in this circular's audience");
}

/**
 * The tallies on a circular's board: for the whole association (a block leader: their block) and per block, with the
 * households that have not answered and, unless 無記名, each household's answer and the text answers by household.
 * 無記名: tallies of fewer than 5 answering households are withheld (suppressed), and text answers come unlabelled and
 * sorted, so no answer can be tied to a household through the list of who answered.
 */
export async function answerBoard({ ctx, input }: { ctx: AssociationCtx; input: { circularId: string } }) {
  return boardOf(ctx, await getCircularRow(ctx, input.circularId));
}

/** The board of a circular already read (and checked visible to the actor) by getCircularRow. */
async function boardOf(ctx: AssociationCtx, row: Awaited<ReturnType<typeof getCircularRow>>) {
  const questions = parseQuestions(row.questions);
  const blockOnly = ctx.actor.role === "block_leader" ? (ctx.actor.blockId ?? "-") : null;
  const textQuestions = questions.filter((q) => q.kind === "text");
  // What the board needs of each targeted household, in one raw query (1,000 households: the drizzle builder's row
  // mapping was half of the board's time). An answer's value is read only where it is shown: not for 無記名
  // circulars, except when a text answer must be listed (unlabelled).
  const needValue = !row.anonymous || textQuestions.length > 0;
  // One row per block, its households as one JSON array: libSQL's row objects were most of the board's time for
  // 1,000 households (a row each); V8 parses the arrays far faster. The tally items (for the blocks' tallies,
  // tallies.ts) come as text and are parsed here: SQLite's json() on them made the query slower than JSON.parse.
  const perBlock = await ctx.db.all<{ blockId: string; blockName: string; list: string }>(sql`
    SELECT b.id AS blockId, b.name AS blockName,
      json_group_array(json_array(r.household_id, h.label, h.channel, a.household_id IS NOT NULL,
        ${needValue ? sql`json(a.value)` : sql`NULL`}, a.channel, a.answered_at, a.items)) AS list
    FROM ${receipts} r
    JOIN ${households} h ON h.id = r.household_id
    JOIN ${blocks} b ON b.id = r.block_id
    LEFT JOIN ${answers} a ON a.circular_id = r.circular_id AND a.household_id = r.household_id
    WHERE r.circular_id = ${row.id} AND r.association_id = ${ctx.associationId}
      ${blockOnly ? sql`AND r.block_id = ${blockOnly}` : sql``}
    GROUP BY b.id
    ORDER BY b.sort_order, b.name`);
  type Listed = [
    string,
    string,
    Channel,
    number,
    AnswerValues | null,
    AnswerChannel | null,
    number | null,
    string | null,
  ];
  const audience = perBlock.flatMap((b) =>
    (JSON.parse(b.list) as Listed[])
      .sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0))
      .map(([householdId, label, householdChannel, answered, value, channel, answeredAt, items]) => ({
        householdId,
        label,
        householdChannel,
        blockId: b.blockId,
        blockName: b.blockName,
        answered: answered === 1,
        value,
        channel,
        answeredAt,
        items: items === null ? null : (JSON.parse(items) as Record<string, number>),
      })),
  );
  const rows = blockTallies(audience);

  const scope = (tallies: TallyRow[], list: typeof audience) => {
    const answeredRows = list.filter((h) => h.answered);
    const suppressed = row.anonymous && answeredRows.length < SUPPRESS_BELOW;
    const t = tallyOf(questions, tallies);
    const texts = (qid: string) => {
      const found = answeredRows.flatMap((h) => {
        const v = h.value?.[qid];
        return v && "text" in v ? [{ text: v.text, label: row.anonymous ? null : h.label }] : [];
      });
      return row.anonymous ? found.sort((a, b) => a.text.localeCompare(b.text, "ja")) : found;
    };
    return {
      targeted: list.length,
      answered: answeredRows.length,
      suppressed,
      tallies: suppressed
        ? []
        : t.questions.map((q) => ({
            ...q,
            texts: textQuestions.some((tq) => tq.id === q.questionId) ? texts(q.questionId) : [],
          })),
    };
  };

  const byBlock = new Map<string, { id: string; name: string; list: typeof audience }>();
  for (const h of audience) {
    const b = byBlock.get(h.blockId) ?? { id: h.blockId, name: h.blockName, list: [] };
    b.list.push(h);
    byBlock.set(h.blockId, b);
  }
  return {
    circularId: row.id,
    anonymous: row.anonymous,
    answersOpen: answersOpen(row, ctx.now),
    questions,
    ...scope(sumRows(rows), audience),
    blocks: [...byBlock.values()].map((b) => ({
      id: b.id,
      name: b.name,
      ...scope(
        rows.filter((r) => r.blockId === b.id),
        b.list,
      ),
      unanswered: b.list
        .filter((h) => !h.answered)
        .map((h) => ({ id: h.householdId, label: h.label, householdChannel: h.householdChannel })),
      answers: row.anonymous
        ? []
        : b.list
            .filter((h) => h.answered)
            .map((h) => ({
              householdId: h.householdId,
              label: h.label,
              channel: h.channel!,
              answeredAt: new Date(h.answeredAt!).toISOString(),
              value: h.value!,
            })),
    })),
  };
}

const CHANNEL_JA: Record<AnswerChannel, string> = { app: "アプリ", paper: "紙", visit: "訪問", phone: "電話" };

/**
 * The answers as CSV (UTF-8 with BOM, Japanese headers, a row of codes): one row per targeted household in the
 * board's scope, answered or not; 無記名: the tallies only, for the whole and each block (withheld under 5).
 */
export async function answersCsv({ ctx, input }: { ctx: AssociationCtx; input: { circularId: string } }) {
  const row = await getCircularRow(ctx, input.circularId);
  const board = await boardOf(ctx, row);
  const name = `回答_${row.title}`;
  const qs = board.questions;
  if (board.anonymous) {
    const columns = [
      { code: "scope", ja: "範囲" },
      { code: "targeted", ja: "配布世帯数" },
      { code: "answered", ja: "回答世帯数" },
      ...tallyColumns(qs),
    ];
    type Scope = Pick<typeof board, "targeted" | "answered" | "suppressed" | "tallies">;
    const scopeRow = (scope: string, s: Scope) => ({
      scope,
      targeted: s.targeted,
      answered: s.suppressed ? null : s.answered,
      ...tallyCells(qs, s.suppressed ? null : s.tallies),
    });
    const rows = [scopeRow("全体", board), ...board.blocks.map((b) => scopeRow(b.name, b))];
    return { name, body: toCsv(columns, rows) };
  }
  const columns = [
    { code: "block", ja: "班" },
    { code: "household", ja: "世帯" },
    { code: "channel", ja: "回答方法" },
    { code: "answeredAt", ja: "回答日時" },
    ...answerColumns(qs),
  ];
  const rows = board.blocks.flatMap((b) => {
    const answered = new Map(b.answers.map((a) => [a.householdId, a]));
    const all = [
      ...b.answers.map((a) => ({ id: a.householdId, label: a.label })),
      ...b.unanswered.map((h) => ({ id: h.id, label: h.label })),
    ].sort((x, y) => x.label.localeCompare(y.label, "ja"));
    return all.map((h) => {
      const a = answered.get(h.id);
      return {
        block: b.name,
        household: h.label,
        channel: a ? CHANNEL_JA[a.channel] : "未回答",
        answeredAt: a ? formatDateTimeJa(new Date(a.answeredAt)) : "",
        ...answerCells(qs, a?.value ?? {}),
      };
    });
  });
  return { name, body: toCsv(columns, rows) };
}
