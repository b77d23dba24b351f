// What a household sees: the circulars it received (unread first, then newest), one circular in full, and the
// acknowledgement. Everything is keyed by the household and association of the session.
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { HouseholdCtx } from "../../context";
import type { Db } from "../../db/client";
import { associations, attachments, circulars, receipts } from "../../db/schema";
import { hasAnswered } from "../answers/answered";
import { householdQuestions } from "../answers/answers.service";
import { errors } from "../../lib/errors";
import { phraseBreaks } from "../../lib/phrases";
import { circularTextFields, titleRuby } from "../furigana/furigana";
import { ackWriterFor } from "./ack-writer";

const notFound = () => errors.notFound("回覧", "circular");

async function associationName(db: Db, id: string) {
  const [a] = await db.select({ name: associations.name }).from(associations).where(eq(associations.id, id));
  return a?.name ?? "";
}

export async function listFeed({ ctx, input }: { ctx: HouseholdCtx; input: { limit: number } }) {
  // A 安否確認 is not a circular to read: it has its own banner (features/safety, GET /api/safety/mine).
  const received = and(
    eq(receipts.householdId, ctx.householdId),
    eq(receipts.associationId, ctx.associationId),
    eq(circulars.status, "published"),
    eq(circulars.kind, "notice"),
  );
  // The badge counts every unread circular, not only those on this page.
  const [unread] = await ctx.db
    .select({ n: count() })
    .from(receipts)
    .innerJoin(circulars, eq(circulars.id, receipts.circularId))
    .where(and(received, isNull(receipts.readAt)));
  const rows = await ctx.db
    .select({
      id: circulars.id,
      title: circulars.title,
      // Only the title's ruby (JSON text), not the body's, which may be long: the list shows titles.
      titleRubyJson: sql<string | null>`json_extract(${circulars.furigana}, '$.title')`,
      priority: circulars.priority,
      publishedAt: circulars.publishedAt,
      dueAt: circulars.dueAt,
      origin: circulars.origin,
      leaderNote: circulars.leaderNote,
      readAt: receipts.readAt,
      channel: receipts.channel,
      attachmentCount: sql<number>`(SELECT count(*) FROM ${attachments} WHERE ${attachments.circularId} = ${circulars.id})`,
      needsAnswer: sql<number>`${circulars.questions} <> '[]'
        AND (${circulars.dueAt} IS NULL OR ${circulars.dueAt} >= ${ctx.now.getTime()})
        AND NOT ${hasAnswered(sql`${circulars.id}`, sql`${ctx.householdId}`)}`,
    })
    .from(receipts)
    .innerJoin(circulars, eq(circulars.id, receipts.circularId))
    .where(received)
    .orderBy(sql`${receipts.readAt} IS NOT NULL`, desc(circulars.publishedAt))
    .limit(input.limit);
  const from = await associationName(ctx.db, ctx.associationId);
  return {
    unread: unread?.n ?? 0,
    circulars: rows.map((r) => ({
      id: r.id,
      title: r.title,
      titleBreaks: phraseBreaks(r.title),
      titleRuby: titleRuby(r.title, r.titleRubyJson),
      priority: r.priority,
      from,
      origin: r.origin,
      leaderNote: r.leaderNote,
      publishedAt: r.publishedAt?.toISOString() ?? null,
      dueAt: r.dueAt?.toISOString() ?? null,
      readAt: r.readAt?.toISOString() ?? null,
      channel: r.channel,
      attachmentCount: r.attachmentCount,
      needsAnswer: r.needsAnswer === 1,
    })),
  };
}

export async function feedItem({ ctx, input }: { ctx: HouseholdCtx; input: { id: string } }) {
  const [row] = await ctx.db
    .select({ c: circulars, readAt: receipts.readAt, channel: receipts.channel })
    .from(receipts)
    .innerJoin(circulars, eq(circulars.id, receipts.circularId))
    .where(
      and(
        eq(receipts.circularId, input.id),
        eq(receipts.householdId, ctx.householdId),
        eq(receipts.associationId, ctx.associationId),
        eq(circulars.status, "published"),
      ),
    );
  if (!row) throw notFound();
  const files = await ctx.db
    .select({
      id: attachments.id,
      fileName: attachments.fileName,
      contentType: attachments.contentType,
      size: attachments.size,
    })
    .from(attachments)
    .where(and(eq(attachments.circularId, row.c.id), eq(attachments.associationId, ctx.associationId)))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
  return {
    id: row.c.id,
    title: row.c.title,
    ...circularTextFields(row.c),
    priority: row.c.priority,
    from: await associationName(ctx.db, ctx.associationId),
    origin: row.c.origin,
    leaderNote: row.c.leaderNote,
    publishedAt: row.c.publishedAt?.toISOString() ?? null,
    dueAt: row.c.dueAt?.toISOString() ?? null,
    readAt: row.readAt?.toISOString() ?? null,
    channel: row.channel,
    attachments: files.map((f) => ({ ...f, circularId: row.c.id, url: `/api/attachments/${f.id}` })),
    ...(await householdQuestions(ctx.db, row.c, ctx.householdId, ctx.now)),
  };
}

/** 「確認しました」: idempotent; the first read wins and every repeat answers the same receipt. */
export async function acknowledge({ ctx, input }: { ctx: HouseholdCtx; input: { id: string } }) {
  const receipt = await ackWriterFor(ctx.db).acknowledge({
    associationId: ctx.associationId,
    circularId: input.id,
    householdId: ctx.householdId,
    memberId: ctx.memberId,
    at: ctx.now,
  });
  if (!receipt) throw notFound();
  return {
    circularId: receipt.circularId,
    readAt: receipt.readAt.toISOString(),
    channel: receipt.channel,
    changed: receipt.changed,
  };
}
