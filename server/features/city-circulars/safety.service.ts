// A city 安否確認: city staff start one for the whole city, wards, districts or chosen associations; it is published
// like a city circular (one copy per targeted association: publish.service.ts), so every association's board, the
// residents' banner and the answers' path work unchanged; closing it closes every copy. The city watches live counts
// per ward, district and association — never a household. While the check is open the counts are shown as they are,
// however small, because a disaster response needs them; once it is closed the usual under-5 suppression applies
// (docs/adr/0008).
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { answerTallies, circulars, cityCirculars, receipts } from "../../db/schema";
import { newId } from "../../lib/ids";
import { auditIfChanged, happened } from "../audit/audit";
import type { ExportFormat } from "../city/city.service";
import { SUPPRESS_BELOW } from "../city/suppress";
import { DEFAULT_SAFETY_MESSAGE, SAFETY_QUESTIONS } from "../safety/safety-questions";
import { closedAlready, isOpen, safetyTitle } from "../safety/safety.service";
import { areaColumns, areaFigures, areaJoins, recordFiguresAccess, rollUpAreas, type AreaRow } from "./areas";
import { publishCityRow } from "./publish.service";
import { getRow } from "./reading.service";
import { checkedTarget, targetColumns, type CityTarget } from "./targets";

/** How often the city's screen refreshes the live counts. */
export const LIVE_REFRESH_SECONDS = 30;

type Row = typeof cityCirculars.$inferSelect;

function head(row: Row) {
  return {
    id: row.id,
    message: row.body,
    drill: row.drill,
    open: isOpen(row),
    startedAt: (row.publishedAt ?? row.createdAt).toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}

/** 「安否確認を始める」 for the city: every targeted association's households get an urgent push at once. */
export async function startCitySafetyCheck({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { message?: string | undefined; drill: boolean; target: CityTarget };
}) {
  const target = await checkedTarget(ctx.db, input.target);
  const id = newId();
  const message = (input.message ?? "").trim() || DEFAULT_SAFETY_MESSAGE;
  await ctx.db.insert(cityCirculars).values({
    id,
    title: safetyTitle(input.drill),
    body: message,
    priority: "urgent",
    ...targetColumns(target),
    status: "draft",
    authorId: ctx.actor.memberId,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    questions: JSON.stringify(SAFETY_QUESTIONS),
    kind: "safety",
    drill: input.drill,
  });
  try {
    await publishCityRow(ctx, await getRow(ctx, id, "safety"));
  } catch (e) {
    // Nothing was sent (no households in the target): the draft goes too.
    await ctx.db.delete(cityCirculars).where(and(eq(cityCirculars.id, id), eq(cityCirculars.status, "draft")));
    throw e;
  }
  return citySafetyLive({ ctx, input: { id } });
}

/** Closes a city check and every association's copy of it, in one batch. */
export async function closeCitySafetyCheck({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await getRow(ctx, input.id, "safety");
  if (!isOpen(row)) throw closedAlready();
  const t = ctx.now.getTime();
  const closed = auditIfChanged(ctx, "city.safety.close", "city_circular", row.id, {});
  const [flipped] = await ctx.db.batch([
    ctx.db
      .update(cityCirculars)
      .set({ closedAt: ctx.now, dueAt: new Date(t - 1), updatedAt: ctx.now })
      .where(and(eq(cityCirculars.id, row.id), isNull(cityCirculars.closedAt)))
      .returning({ id: cityCirculars.id }),
    closed.insert,
    ctx.db.run(sql`
      UPDATE ${circulars} SET closed_at = ${t}, due_at = ${t - 1}, updated_at = ${t}
      WHERE city_circular_id = ${row.id} AND closed_at IS NULL AND ${closed.won}`),
  ]);
  if (!happened(flipped)) throw closedAlready();
  return head(await getRow(ctx, row.id, "safety"));
}

/** The city's checks, open first, then newest. */
export async function listCitySafetyChecks({ ctx }: { ctx: ServiceCtx }) {
  const rows = await ctx.db
    .select()
    .from(cityCirculars)
    .where(and(eq(cityCirculars.kind, "safety"), eq(cityCirculars.status, "published")))
    .orderBy(sql`${cityCirculars.closedAt} IS NOT NULL`, desc(cityCirculars.publishedAt))
    .limit(50);
  return rows.map(head);
}

/**
 * Each copy's association with its district and ward, and the households it targets, kept for a refresh period: the
 * areas never change during a check and the audience only grows by a household joining meanwhile (the next period
 * counts it), while counting a whole-city check's receipts (543,000) and joining its areas on every refresh of every
 * officer's screen cost more than the tallies themselves.
 */
const audienceCache = new Map<string, { at: number; copies: (AreaRow & { copyId: string; targeted: number })[] }>();

async function audienceOf(ctx: ServiceCtx, id: string) {
  const hit = audienceCache.get(id);
  const t = ctx.now.getTime();
  if (hit && t - hit.at < LIVE_REFRESH_SECONDS * 1000 && t >= hit.at) return hit.copies;
  const copies = await ctx.db.all<AreaRow & { copyId: string; targeted: number }>(sql`
    SELECT ${areaColumns}, c.id AS copyId, (SELECT count(*) FROM ${receipts} r WHERE r.circular_id = c.id) AS targeted
    FROM ${circulars} c ${areaJoins(sql`c.association_id`)}
    WHERE c.city_circular_id = ${id} AND c.status = 'published'`);
  if (audienceCache.size >= 64) audienceCache.delete(audienceCache.keys().next().value!);
  audienceCache.set(id, { at: t, copies });
  return copies;
}

interface Sums {
  targeted: number;
  answered: number;
  safe: number;
  help: number;
}

const zero = (): Sums => ({ targeted: 0, answered: 0, safe: 0, help: 0 });
const add = (into: Sums, s: Sums) => {
  into.targeted += s.targeted;
  into.answered += s.answered;
  into.safe += s.safe;
  into.help += s.help;
};

/**
 * Live counts per ward, district and association: households targeted, answered, safe, needing help, unanswered,
 * from each copy's receipts and its kept tallies (answer_tallies, the whole copy's rows). While open: every count as
 * it is (counts only). Closed: a group of fewer than 5 targeted or answered households is suppressed (null).
 */
export async function citySafetyLive({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; format?: ExportFormat };
}) {
  const row = await getRow(ctx, input.id, "safety");
  const audience = await audienceOf(ctx, row.id);
  // The copies' kept tallies (whole-copy rows): households that answered, and those of each state.
  const tallies = await ctx.db.all<{ id: string; q: string; c: string; n: number }>(sql`
    SELECT t.circular_id AS id, t.question_id AS q, t.choice AS c, t.households AS n FROM ${answerTallies} t
    WHERE t.circular_id IN (SELECT c.id FROM ${circulars} c WHERE c.city_circular_id = ${row.id}) AND t.block_id = ''
      AND ((t.question_id = '*' AND t.choice = '*') OR (t.question_id = 'state' AND t.choice IN ('safe', 'help')))`);
  const counted = new Map<string, { answered: number; safe: number; help: number }>();
  for (const x of tallies) {
    const got = counted.get(x.id) ?? { answered: 0, safe: 0, help: 0 };
    if (x.q === "*") got.answered = x.n;
    else if (x.c === "safe") got.safe = x.n;
    else got.help = x.n;
    counted.set(x.id, got);
  }
  const copies = audience.map((c) => ({ ...c, ...(counted.get(c.copyId) ?? { answered: 0, safe: 0, help: 0 }) }));
  const open = isOpen(row);
  const figures = (s: Sums) => {
    const suppressed = !open && (s.targeted < SUPPRESS_BELOW || s.answered < SUPPRESS_BELOW);
    const shown = (n: number) => (suppressed ? null : n);
    return {
      suppressed,
      targeted: shown(s.targeted),
      answered: shown(s.answered),
      safe: shown(s.safe),
      help: shown(s.help),
      unanswered: shown(s.targeted - s.answered),
    };
  };
  await recordFiguresAccess(ctx, row.id, "safety-live", input.format);
  return {
    check: head(row),
    refreshSeconds: LIVE_REFRESH_SECONDS,
    ...areaFigures(rollUpAreas(copies, zero, add), figures),
  };
}
