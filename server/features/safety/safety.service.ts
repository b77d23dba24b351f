// 安否確認 in an association: a leader starts a check (an urgent push to every subscribed device, through quiet
// hours), households answer 無事です / 助けが必要です, 班長 record visits and calls, leaders close it; the board,
// the unanswered list and the report stay. A check is a circular of kind "safety" with fixed questions
// (safety-questions.ts), so its audience, pushes and answers go through the one path every circular uses
// (docs/adr/0008).
import { and, desc, eq, sql } from "drizzle-orm";
import type { AssociationCtx, HouseholdCtx } from "../../context";
import {
  circulars,
  households,
  members,
  receipts,
  safetyEvents,
  type AnswerChannel,
  type Origin,
} from "../../db/schema";
import { errors } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { formatDateTimeJa } from "../../lib/time";
import { auditIfChanged, happened } from "../audit/audit";
import { answerStatements, writtenAnswers } from "../answers/answer-batch";
import type { AnswerValues } from "../answers/questions";
import { checkAnswer } from "../answers/questions";
import { toCsv, type CsvColumn } from "../city/csv";
import { getCircularRow } from "../circulars/circulars.service";
import { enqueuePushes } from "../push/outbox";
import { insertReceipts } from "../receipts/audience";
import {
  DEFAULT_SAFETY_MESSAGE,
  SAFETY_NEED_LABELS,
  SAFETY_QUESTIONS,
  safetyAnswerOf,
  safetyAnswerValues,
  type SafetyAnswer,
  type SafetyNeed,
} from "./safety-questions";
import { supportOf, type SupportEntry } from "./support.service";

const HOUR = 60 * 60 * 1000;

/** The title every check carries (residents' banner, notifications, lists); a drill says so first. */
export const safetyTitle = (drill: boolean) => (drill ? "【訓練】安否確認" : "安否確認");

const notFound = () => errors.notFound("安否確認", "safety check");
const alreadyOpen = () =>
  errors.conflict(
    "安否確認はすでに始まっています。終了してから、新しく始めてください。",
    "A safety check is already open. Close it before starting another.",
  );
export const closedAlready = () =>
  errors.conflict("この安否確認は終了しています。", "This safety check has been closed.");

/** An open check of the association `a` (a condition usable inside a batch). */
export const openCheckOf = (associationId: string) => sql`EXISTS (SELECT 1 FROM ${circulars} oc
  WHERE oc.association_id = ${associationId} AND oc.kind = 'safety' AND oc.status = 'published'
    AND oc.closed_at IS NULL)`;

type CircularRow = typeof circulars.$inferSelect;

/** A safety check of the association, visible to the actor (a block leader: every check reaches every block). */
async function getCheck(ctx: AssociationCtx, id: string): Promise<CircularRow> {
  return getCircularRow(ctx, id, "safety").catch(() => {
    throw notFound();
  });
}

/** A check (an association's, or the city's row: the same two columns) takes answers: published and not closed. */
export const isOpen = (row: { status: string; closedAt: Date | null }) =>
  row.status === "published" && row.closedAt === null;

/**
 * 「安否確認を始める」: one batch writes the check (guarded: no other check open), one receipt per household of the
 * association, and an urgent push to every subscribed device of them (quiet hours do not hold it; members who
 * turned notifications off are respected). 409 while another check is open.
 */
export async function startSafetyCheck({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { message?: string | undefined; drill: boolean };
}) {
  const message = (input.message ?? "").trim() || DEFAULT_SAFETY_MESSAGE;
  const id = newId();
  const t = ctx.now.getTime();
  const thisCheck = sql`c.id = ${id} AND c.association_id = ${ctx.associationId}`;
  const started = auditIfChanged(ctx, "safety.start", "circular", id, { drill: input.drill });
  const [inserted] = await ctx.db.batch([
    ctx.db.run(sql`
      INSERT INTO ${circulars} (id, association_id, title, body, priority, audience, status, author_id, created_at,
        updated_at, published_at, questions, anonymous, kind, drill)
      SELECT ${id}, ${ctx.associationId}, ${safetyTitle(input.drill)}, ${message}, 'urgent', 'all', 'published',
        ${ctx.actor.memberId}, ${t}, ${t}, ${t}, ${JSON.stringify(SAFETY_QUESTIONS)}, 0, 'safety', ${input.drill ? 1 : 0}
      WHERE NOT ${openCheckOf(ctx.associationId)}`),
    started.insert,
    insertReceipts(ctx.db, { circulars: thisCheck, guard: started.won, now: ctx.now }),
    enqueuePushes(ctx.db, {
      circularId: id,
      associationId: ctx.associationId,
      kind: "safety",
      urgent: true,
      now: ctx.now,
      onlyUnread: false,
      guard: started.won,
    }),
  ]);
  if (!happened(inserted)) throw alreadyOpen();
  const check = await checkSummary(ctx, await getCheck(ctx, id));
  // The receipts just written are the audience (a leader's counts are the whole association's).
  return { check, households: check.counts.targeted };
}

/** 「安否確認を終了する」: answers are refused from now on (closed_at now, the due date just before); board and report stay. */
export async function closeSafetyCheck({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const row = await getCheck(ctx, input.id);
  if (row.origin === "city")
    throw errors.conflict(
      "この安否確認は仙台市が始めたものなので、市が終了します。",
      "The city started this safety check: the city closes it.",
    );
  if (!isOpen(row)) throw closedAlready();
  const t = ctx.now.getTime();
  const [flipped] = await ctx.db.batch([
    ctx.db
      .update(circulars)
      // The answers' path takes answers up to and including the due date: closed at this instant means none from now.
      .set({ closedAt: ctx.now, dueAt: new Date(t - 1), updatedAt: ctx.now })
      .where(
        and(
          eq(circulars.id, row.id),
          eq(circulars.associationId, ctx.associationId),
          eq(circulars.kind, "safety"),
          sql`${circulars.closedAt} IS NULL`,
        ),
      )
      .returning({ id: circulars.id }),
    auditIfChanged(ctx, "safety.close", "circular", row.id, { at: t }).insert,
  ]);
  if (!happened(flipped)) throw closedAlready();
  return checkSummary(ctx, await getCheck(ctx, row.id));
}

interface Counts {
  targeted: number;
  answered: number;
  safe: number;
  help: number;
  unanswered: number;
}

/** Counts of checks (a block leader's: their block), from receipts and answers. */
async function countsOf(ctx: AssociationCtx, ids: string[]) {
  const map = new Map<string, Counts>();
  if (ids.length === 0) return map;
  const rows = await ctx.db.all<{ id: string; targeted: number; answered: number; help: number }>(sql`
    SELECT r.circular_id AS id, count(*) AS targeted, count(a.household_id) AS answered,
      coalesce(sum(json_extract(a.value, '$.state.choice') = 'help'), 0) AS help
    FROM ${receipts} r
    LEFT JOIN answers a ON a.circular_id = r.circular_id AND a.household_id = r.household_id
    WHERE r.circular_id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) AND r.association_id = ${ctx.associationId}
      ${ctx.actor.role === "block_leader" ? sql`AND r.block_id = ${ctx.actor.blockId ?? "-"}` : sql``}
    GROUP BY r.circular_id`);
  for (const r of rows)
    map.set(r.id, {
      targeted: r.targeted,
      answered: r.answered,
      help: r.help,
      safe: r.answered - r.help,
      unanswered: r.targeted - r.answered,
    });
  return map;
}

const zero = (): Counts => ({ targeted: 0, answered: 0, safe: 0, help: 0, unanswered: 0 });

function summaryOf(row: CircularRow, counts: Counts | undefined) {
  return {
    id: row.id,
    message: row.body,
    drill: row.drill,
    origin: row.origin,
    open: isOpen(row),
    startedAt: (row.publishedAt ?? row.createdAt).toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    counts: counts ?? zero(),
  };
}

async function checkSummary(ctx: AssociationCtx, row: CircularRow) {
  return summaryOf(row, (await countsOf(ctx, [row.id])).get(row.id));
}

/** The association's checks, newest first (open ones first), with counts in the actor's scope. */
export async function listSafetyChecks({ ctx }: { ctx: AssociationCtx }) {
  const rows = await ctx.db
    .select()
    .from(circulars)
    .where(
      and(
        eq(circulars.associationId, ctx.associationId),
        eq(circulars.kind, "safety"),
        eq(circulars.status, "published"),
      ),
    )
    .orderBy(sql`${circulars.closedAt} IS NOT NULL`, desc(circulars.publishedAt))
    .limit(50);
  const counts = await countsOf(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => summaryOf(r, counts.get(r.id)));
}

export interface BoardHousehold {
  id: string;
  label: string;
  /** 紙: the household reads on paper. */
  paper: boolean;
  /** No member has a device that can receive a push. */
  noDevice: boolean;
  answer: (SafetyAnswer & { channel: AnswerChannel; answeredAt: string; answeredByName: string | null }) | null;
  /** The last 「訪問して確認」 that found nobody (不在), if after the last answer. */
  absentAt: string | null;
  /** 要支援 (pinned at the top of its block): only the roles allowed to see it get it. */
  support: SupportEntry | null;
}

/**
 * The live board: a summary of every household needing help across the blocks shown, then per block its households
 * in three groups (助けが必要, 未回答, 無事), 要支援 households first in each. A block leader sees their block.
 */
export async function safetyBoard({
  ctx,
  input,
  support: withSupport = true,
}: {
  ctx: AssociationCtx;
  input: { id: string };
  /** false: without the 要支援 entries (the CSV does not carry them, so it records no view of them). */
  support?: boolean;
}) {
  const row = await getCheck(ctx, input.id);
  const blockOnly = ctx.actor.role === "block_leader" ? (ctx.actor.blockId ?? "-") : null;
  const list = await ctx.db.all<{
    householdId: string;
    label: string;
    channel: string;
    pushDevices: number;
    blockId: string;
    blockName: string;
    value: string | null;
    answerChannel: AnswerChannel | null;
    answeredAt: number | null;
    answeredByName: string | null;
    absentAt: number | null;
  }>(sql`
    SELECT r.household_id AS householdId, h.label, h.channel, h.push_devices AS pushDevices, r.block_id AS blockId,
      b.name AS blockName, a.value, a.channel AS answerChannel, a.answered_at AS answeredAt,
      m.display_name AS answeredByName,
      (SELECT max(e.at) FROM ${safetyEvents} e WHERE e.circular_id = r.circular_id AND e.household_id = r.household_id
         AND e.state = 'absent') AS absentAt
    FROM ${receipts} r
    JOIN ${households} h ON h.id = r.household_id
    JOIN blocks b ON b.id = r.block_id
    LEFT JOIN answers a ON a.circular_id = r.circular_id AND a.household_id = r.household_id
    LEFT JOIN ${members} m ON m.id = a.answered_by
    WHERE r.circular_id = ${row.id} AND r.association_id = ${ctx.associationId}
      ${blockOnly ? sql`AND r.block_id = ${blockOnly}` : sql``}
    ORDER BY b.sort_order, b.name, h.label`);
  const support = withSupport
    ? await supportOf(
        ctx,
        list.map((h) => h.householdId),
        "safety board",
      )
    : new Map<string, SupportEntry>();
  const blocks = new Map<string, { id: string; name: string; households: BoardHousehold[] }>();
  for (const h of list) {
    const answer =
      h.value === null
        ? null
        : {
            ...safetyAnswerOf(JSON.parse(h.value) as AnswerValues),
            channel: h.answerChannel!,
            answeredAt: new Date(h.answeredAt!).toISOString(),
            answeredByName: h.answeredByName,
          };
    const entry: BoardHousehold = {
      id: h.householdId,
      label: h.label,
      paper: h.channel === "paper",
      noDevice: h.pushDevices === 0,
      answer,
      absentAt:
        h.absentAt !== null && (h.answeredAt === null || h.absentAt > h.answeredAt)
          ? new Date(h.absentAt).toISOString()
          : null,
      support: support.get(h.householdId) ?? null,
    };
    const b = blocks.get(h.blockId) ?? { id: h.blockId, name: h.blockName, households: [] };
    b.households.push(entry);
    blocks.set(h.blockId, b);
  }
  const pinned = <H extends BoardHousehold>(hs: H[]) =>
    [...hs].sort((x, y) => Number(y.support !== null) - Number(x.support !== null));
  const all = [...blocks.values()].flatMap((b) => b.households.map((h) => ({ ...h, blockName: b.name })));
  const counts: Counts = {
    targeted: all.length,
    answered: all.filter((h) => h.answer).length,
    safe: all.filter((h) => h.answer?.state === "safe").length,
    help: all.filter((h) => h.answer?.state === "help").length,
    unanswered: all.filter((h) => !h.answer).length,
  };
  return {
    check: summaryOf(row, counts),
    needHelp: pinned(all.filter((h) => h.answer?.state === "help")),
    blocks: [...blocks.values()].map((b) => ({
      id: b.id,
      name: b.name,
      help: pinned(b.households.filter((h) => h.answer?.state === "help")),
      unanswered: pinned(b.households.filter((h) => !h.answer)),
      safe: pinned(b.households.filter((h) => h.answer?.state === "safe")),
    })),
  };
}

/**
 * 「訪問して確認」: after a visit or a call, the 班長 (their block) or leader records the household's state. 無事 and
 * 助けが必要 are the household's answer, written by the answers' batch with channel visit or phone (the later of this
 * and the household's own answer wins; both stay in the history); 不在 is kept in the history only.
 */
export async function recordVisit({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: {
    id: string;
    householdId: string;
    state: "safe" | "help" | "absent";
    channel: "visit" | "phone";
    needs?: SafetyNeed[] | undefined;
    note?: string | undefined;
    people?: number | null | undefined;
  };
}) {
  const row = await getCheck(ctx, input.id);
  const [r] = await ctx.db
    .select({ blockId: receipts.blockId })
    .from(receipts)
    .where(
      and(
        eq(receipts.circularId, row.id),
        eq(receipts.householdId, input.householdId),
        eq(receipts.associationId, ctx.associationId),
        ctx.actor.role === "block_leader" ? eq(receipts.blockId, ctx.actor.blockId ?? "-") : undefined,
      ),
    );
  if (!r) throw errors.notFound("この安否確認の世帯", "household of this safety check");
  if (!isOpen(row)) throw closedAlready();
  const t = ctx.now.getTime();
  if (input.state === "absent") {
    await ctx.db.batch([
      ctx.db.run(sql`
        INSERT INTO ${safetyEvents} (circular_id, association_id, household_id, block_id, state, value, channel,
          recorded_by, at)
        SELECT ${row.id}, ${ctx.associationId}, ${input.householdId}, ${r.blockId}, 'absent', '{}', ${input.channel},
          ${ctx.actor.memberId}, ${t}
        WHERE EXISTS (SELECT 1 FROM ${circulars} WHERE id = ${row.id} AND closed_at IS NULL)`),
      auditIfChanged(ctx, "safety.visit", "circular", row.id, {
        householdId: input.householdId,
        state: "absent",
        channel: input.channel,
      }).insert,
    ]);
    return safetyBoard({ ctx, input: { id: row.id } });
  }
  const { value, items } = checkAnswer(SAFETY_QUESTIONS, safetyAnswerValues(input as { state: "safe" | "help" }));
  const entry = {
    circularId: row.id,
    householdId: input.householdId,
    associationId: ctx.associationId,
    memberId: ctx.actor.memberId,
    answeredAt: t,
    value,
    items,
  };
  const { items: statements, written } = answerStatements(ctx.db, {
    rows: [entry],
    channel: input.channel,
    now: t,
    afterWrite: [
      auditIfChanged(ctx, "safety.visit", "circular", row.id, {
        householdId: input.householdId,
        state: input.state,
        channel: input.channel,
      }).insert,
    ],
  });
  const results = await ctx.db.batch(statements);
  if (writtenAnswers([entry], input.channel, results[written]).size === 0) throw closedAlready();
  return safetyBoard({ ctx, input: { id: row.id } });
}

/**
 * The report of a check (open or closed): how many answered within 1, 3 and 24 hours of the start, answers by
 * channel, and households answered hour by hour. A block leader's is of their block.
 */
export async function safetyReport({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const row = await getCheck(ctx, input.id);
  const start = (row.publishedAt ?? row.createdAt).getTime();
  const scope = ctx.actor.role === "block_leader" ? sql`AND r.block_id = ${ctx.actor.blockId ?? "-"}` : sql``;
  // The first answer of each household (its own, or a visit's), and the channel of its latest.
  const firsts = await ctx.db.all<{ first: number | null; channel: string | null; state: string | null }>(sql`
    SELECT (SELECT min(e.at) FROM ${safetyEvents} e WHERE e.circular_id = r.circular_id
              AND e.household_id = r.household_id AND e.state <> 'absent') AS first,
      a.channel, json_extract(a.value, '$.state.choice') AS state
    FROM ${receipts} r
    LEFT JOIN answers a ON a.circular_id = r.circular_id AND a.household_id = r.household_id
    WHERE r.circular_id = ${row.id} AND r.association_id = ${ctx.associationId} ${scope}`);
  const within = (hours: number) => firsts.filter((f) => f.first !== null && f.first - start <= hours * HOUR).length;
  const byChannel = { app: 0, visit: 0, phone: 0, paper: 0 };
  for (const f of firsts) if (f.channel) byChannel[f.channel as keyof typeof byChannel] += 1;
  const end = row.closedAt?.getTime() ?? ctx.now.getTime();
  const hours = Math.max(1, Math.min(72, Math.ceil((end - start) / HOUR)));
  const overTime = Array.from({ length: hours }, (_, k) => ({
    hour: k + 1,
    answered: firsts.filter((f) => f.first !== null && f.first - start <= (k + 1) * HOUR).length,
  }));
  const answered = firsts.filter((f) => f.state !== null).length;
  return {
    check: summaryOf(row, {
      targeted: firsts.length,
      answered,
      help: firsts.filter((f) => f.state === "help").length,
      safe: firsts.filter((f) => f.state === "safe").length,
      unanswered: firsts.length - answered,
    }),
    within: { h1: within(1), h3: within(3), h24: within(24) },
    byChannel,
    overTime,
  };
}

const STATE_JA = { safe: "無事", help: "助けが必要" } as const;
const CHANNEL_JA: Record<string, string> = { app: "アプリ", visit: "訪問", phone: "電話", paper: "紙" };

/** The board as CSV (UTF-8 with BOM, Japanese headers and a row of codes): one row per household in scope. */
export async function safetyCsv({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const board = await safetyBoard({ ctx, input, support: false });
  const rows = board.blocks.flatMap((b) =>
    [...b.help, ...b.unanswered, ...b.safe].map((h) => ({
      block: b.name,
      household: h.label,
      state: h.answer ? STATE_JA[h.answer.state] : h.absentAt ? "未回答（不在）" : "未回答",
      needs: h.answer ? h.answer.needs.map((n) => SAFETY_NEED_LABELS[n].ja).join("、") : "",
      note: h.answer?.note ?? "",
      people: h.answer?.people ?? null,
      channel: h.answer ? (CHANNEL_JA[h.answer.channel] ?? h.answer.channel) : "",
      answeredAt: h.answer ? formatDateTimeJa(new Date(h.answer.answeredAt)) : "",
    })),
  );
  const columns: CsvColumn<(typeof rows)[number]>[] = [
    { code: "block", ja: "班" },
    { code: "household", ja: "世帯" },
    { code: "state", ja: "安否" },
    { code: "needs", ja: "必要なこと" },
    { code: "note", ja: "ひとこと" },
    { code: "people", ja: "一緒にいる人数" },
    { code: "channel", ja: "回答方法" },
    { code: "answeredAt", ja: "回答日時" },
  ];
  const day = formatDateTimeJa(new Date(board.check.startedAt)).split(" ")[0] ?? "";
  return { name: `${board.check.drill ? "訓練_" : ""}安否確認_${day}`, body: toCsv(columns, rows) };
}

/**
 * What a household sees: its open checks (newest first; a city check and the association's own may both be open),
 * each with the household's answer. Closed ones are not shown: the banner is for what still needs an answer.
 */
export async function householdSafety({ ctx }: { ctx: HouseholdCtx }) {
  const rows = await ctx.db.all<{
    id: string;
    body: string;
    drill: number;
    origin: Origin;
    publishedAt: number;
    value: string | null;
    channel: AnswerChannel | null;
    answeredAt: number | null;
  }>(sql`
    SELECT c.id, c.body, c.drill, c.origin, c.published_at AS publishedAt, a.value, a.channel,
      a.answered_at AS answeredAt
    FROM ${receipts} r JOIN ${circulars} c ON c.id = r.circular_id
    LEFT JOIN answers a ON a.circular_id = r.circular_id AND a.household_id = r.household_id
    WHERE r.household_id = ${ctx.householdId} AND r.association_id = ${ctx.associationId}
      AND c.kind = 'safety' AND c.status = 'published' AND c.closed_at IS NULL
    ORDER BY c.published_at DESC`);
  return {
    checks: rows.map((r) => ({
      id: r.id,
      message: r.body,
      drill: r.drill === 1,
      origin: r.origin,
      startedAt: new Date(r.publishedAt).toISOString(),
      answer:
        r.value === null
          ? null
          : {
              ...safetyAnswerOf(JSON.parse(r.value) as AnswerValues),
              channel: r.channel!,
              answeredAt: new Date(r.answeredAt!).toISOString(),
            },
    })),
  };
}

/** The audience size a new check would have (the confirmation dialog says how many households it reaches). */
export async function safetyAudience({ ctx }: { ctx: AssociationCtx }) {
  const [n] = await ctx.db.all<{ n: number; open: number }>(sql`
    SELECT (SELECT count(*) FROM ${households} h WHERE h.association_id = ${ctx.associationId} AND h.left_at IS NULL) AS n,
      ${openCheckOf(ctx.associationId)} AS open`);
  return { households: n?.n ?? 0, open: n?.open === 1 };
}
