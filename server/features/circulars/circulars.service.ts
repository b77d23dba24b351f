// Circulars: drafts a leader writes, publishes to the whole association or chosen blocks, and may withdraw.
// Publishing fixes the audience: one receipt per targeted household, created in the same batch.
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import { inList } from "../../db/client";
import type { AssociationCtx } from "../../context";
import {
  attachments,
  blocks,
  circularBlocks,
  circulars,
  members,
  receipts,
  type Audience,
  type CircularKind,
  type Priority,
} from "../../db/schema";
import { errors } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { cleanBody } from "../../lib/text";
import { audit, auditIfChanged, happened } from "../audit/audit";
import { askColumns, askedOf, type AskedQuestions } from "../answers/questions";
import { cleanEasyBody } from "../easy-japanese/easy-body";
import { circularTextFields, publishedFurigana } from "../furigana/furigana";
import { blockIdsOf } from "../households/households.service";
import { enqueuePushes } from "../push/outbox";
import { audienceSize, insertReceipts } from "../receipts/audience";
import { statsForPublished, statsForWithdrawn } from "../stats/rollup";

export interface DraftInput {
  title: string;
  body: string;
  /** The やさしい日本語 version; left out: none (a new draft), unchanged (an edit); null or "": none. */
  easyBody?: string | null | undefined;
  priority: Priority;
  audience: Audience;
  blockIds: string[];
  dueAt: Date | null;
  /** Left out: none (a new draft), unchanged (an edit). */
  questions?: AskedQuestions | undefined;
  anonymous?: boolean | undefined;
}

/**
 * A circular of the association, visible to the actor, of `kind`: a 安否確認 (kind "safety") is reached only
 * through features/safety, so no verb of circulars (withdraw, reminders, the receipt board) applies to it by mistake.
 */
export async function getCircularRow(ctx: AssociationCtx, id: string, kind: CircularKind = "notice") {
  const [row] = await ctx.db
    .select()
    .from(circulars)
    .where(and(eq(circulars.id, id), eq(circulars.associationId, ctx.associationId), eq(circulars.kind, kind)));
  if (!row) throw errors.notFound("回覧", "circular");
  // A block leader sees only what reaches their block.
  if (ctx.actor.role === "block_leader") {
    if (row.status === "draft") throw errors.notFound("回覧", "circular");
    if (row.audience === "blocks") {
      const chosen = await chosenBlocks(ctx, [row.id]);
      if (!chosen.get(row.id)?.some((b) => b.id === ctx.actor.blockId)) throw errors.notFound("回覧", "circular");
    }
  }
  return row;
}

async function chosenBlocks(ctx: AssociationCtx, ids: string[]) {
  const map = new Map<string, { id: string; name: string }[]>();
  if (ids.length === 0) return map;
  const rows = await ctx.db
    .select({ circularId: circularBlocks.circularId, id: blocks.id, name: blocks.name })
    .from(circularBlocks)
    .innerJoin(blocks, eq(blocks.id, circularBlocks.blockId))
    .where(and(inList(circularBlocks.circularId, ids), eq(blocks.associationId, ctx.associationId)))
    .orderBy(asc(blocks.sortOrder), asc(blocks.name));
  for (const r of rows) {
    const list = map.get(r.circularId) ?? [];
    list.push({ id: r.id, name: r.name });
    map.set(r.circularId, list);
  }
  return map;
}

export interface ReceiptCounts {
  targeted: number;
  read: number;
  unread: number;
  readByApp: number;
  readByPaper: number;
  rate: number;
}

/** Read counts per circular; a block leader's are for their own block. */
export async function countReceipts(ctx: AssociationCtx, ids: string[]): Promise<Map<string, ReceiptCounts>> {
  const map = new Map<string, ReceiptCounts>();
  if (ids.length === 0) return map;
  const conditions = [inList(receipts.circularId, ids), eq(receipts.associationId, ctx.associationId)];
  if (ctx.actor.role === "block_leader") conditions.push(eq(receipts.blockId, ctx.actor.blockId ?? "-"));
  const rows = await ctx.db
    .select({
      circularId: receipts.circularId,
      targeted: count(),
      read: count(receipts.readAt),
      readByPaper: sql<number>`sum(${receipts.channel} = 'paper')`,
    })
    .from(receipts)
    .where(and(...conditions))
    .groupBy(receipts.circularId);
  for (const r of rows) {
    const paper = Number(r.readByPaper ?? 0);
    map.set(r.circularId, {
      targeted: r.targeted,
      read: r.read,
      unread: r.targeted - r.read,
      readByApp: r.read - paper,
      readByPaper: paper,
      rate: r.targeted === 0 ? 0 : Math.round((r.read / r.targeted) * 1000) / 1000,
    });
  }
  return map;
}

export async function listAttachments(ctx: AssociationCtx, circularIds: string[]) {
  if (circularIds.length === 0) return [];
  const rows = await ctx.db
    .select({
      id: attachments.id,
      circularId: attachments.circularId,
      fileName: attachments.fileName,
      contentType: attachments.contentType,
      size: attachments.size,
    })
    .from(attachments)
    .where(and(inList(attachments.circularId, circularIds), eq(attachments.associationId, ctx.associationId)))
    .orderBy(asc(attachments.createdAt));
  return rows.map((r) => ({ ...r, url: `/api/attachments/${r.id}` }));
}

type CircularRow = typeof circulars.$inferSelect;

/** A circular's times as the API answers them, for an association's circulars and the city's alike. */
export function circularTimes(
  row: Pick<CircularRow, "createdAt" | "updatedAt" | "publishedAt" | "dueAt" | "withdrawnAt">,
) {
  return {
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    dueAt: row.dueAt?.toISOString() ?? null,
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
  };
}

function summary(row: CircularRow, authorName: string | null) {
  return {
    id: row.id,
    title: row.title,
    priority: row.priority,
    audience: row.audience,
    status: row.status,
    authorName,
    ...circularTimes(row),
    origin: row.origin,
    leaderNote: row.leaderNote,
  };
}

export async function listCirculars({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { status?: "draft" | "published" | "withdrawn"; limit: number };
}) {
  // 安否確認 have their own list (features/safety) at the top of the page.
  const conditions = [eq(circulars.associationId, ctx.associationId), eq(circulars.kind, "notice")];
  if (input.status) conditions.push(eq(circulars.status, input.status));
  if (ctx.actor.role === "block_leader") {
    conditions.push(sql`${circulars.status} <> 'draft'`);
    conditions.push(
      sql`(${circulars.audience} = 'all' OR EXISTS (SELECT 1 FROM ${circularBlocks} cb WHERE cb.circular_id = ${circulars.id} AND cb.block_id = ${ctx.actor.blockId ?? "-"}))`,
    );
  }
  const rows = await ctx.db
    .select({ c: circulars, authorName: members.displayName })
    .from(circulars)
    .leftJoin(members, eq(members.id, circulars.authorId))
    .where(and(...conditions))
    // drafts first (work in progress), then newest publication
    .orderBy(
      sql`${circulars.status} = 'draft' DESC`,
      desc(sql`coalesce(${circulars.publishedAt}, ${circulars.updatedAt})`),
    )
    .limit(input.limit);
  const ids = rows.map((r) => r.c.id);
  const [counts, chosen] = await Promise.all([countReceipts(ctx, ids), chosenBlocks(ctx, ids)]);
  return rows.map((r) => ({
    ...summary(r.c, r.authorName),
    blocks: chosen.get(r.c.id) ?? [],
    counts: r.c.status === "draft" ? null : (counts.get(r.c.id) ?? emptyCounts()),
  }));
}

const emptyCounts = (): ReceiptCounts => ({ targeted: 0, read: 0, unread: 0, readByApp: 0, readByPaper: 0, rate: 0 });

export async function circularDetail({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  /** ruby: on a draft, the ふりがな it would be published with, computed now (the leader's preview). */
  input: { id: string; ruby?: boolean };
}) {
  const stored = await getCircularRow(ctx, input.id);
  const row =
    input.ruby && stored.status === "draft"
      ? { ...stored, furigana: await publishedFurigana(ctx.readings, stored, stored.furiganaFixes) }
      : stored;
  const [author] = await ctx.db.select({ name: members.displayName }).from(members).where(eq(members.id, row.authorId));
  const [counts, chosen, files] = await Promise.all([
    countReceipts(ctx, [row.id]),
    chosenBlocks(ctx, [row.id]),
    listAttachments(ctx, [row.id]),
  ]);
  return {
    ...summary(row, author?.name ?? null),
    ...circularTextFields(row),
    blocks: chosen.get(row.id) ?? [],
    attachments: files,
    ...askedOf(row),
    counts: row.status === "draft" ? null : (counts.get(row.id) ?? emptyCounts()),
  };
}

async function checkedBlockIds(ctx: AssociationCtx, input: { audience: Audience; blockIds: string[] }) {
  if (input.audience === "all") return [];
  const unique = [...new Set(input.blockIds)];
  // POST checks this in its schema; an edit can reach it too (audience "blocks" with blockIds [] or none chosen yet).
  if (unique.length === 0)
    throw errors.validation(
      "入力内容を確認してください。配布する班を1つ以上選んでください。",
      "Please check your input. Choose at least one block for blockIds.",
      [{ path: "blockIds", message: "配布する班を1つ以上選んでください。", messageEn: "Choose at least one block." }],
    );
  const found = await blockIdsOf(ctx, unique);
  if (found.length !== unique.length) throw errors.notFound("配布先の班", "block");
  return unique;
}

export async function createDraft({ ctx, input }: { ctx: AssociationCtx; input: DraftInput }) {
  const blockIds = await checkedBlockIds(ctx, input);
  const id = newId();
  const body = cleanBody(input.body);
  if (!body) throw errors.validation("本文を入力してください。", "The body must not be empty.");
  await ctx.db.batch([
    ctx.db.insert(circulars).values({
      id,
      associationId: ctx.associationId,
      title: input.title,
      body,
      easyBody: cleanEasyBody(input.easyBody ?? null),
      priority: input.priority,
      audience: input.audience,
      status: "draft",
      authorId: ctx.actor.memberId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      dueAt: input.dueAt,
      ...askColumns(input),
    }),
    ...blockIds.map((blockId) => ctx.db.insert(circularBlocks).values({ circularId: id, blockId })),
    audit(ctx, "circular.create", "circular", id, { title: input.title }),
  ]);
  return circularDetail({ ctx, input: { id } });
}

/** The circular is still a draft at this point of the batch. */
const stillDraft = (ctx: AssociationCtx, id: string) =>
  sql`EXISTS (SELECT 1 FROM ${circulars} c WHERE c.id = ${id} AND c.association_id = ${ctx.associationId} AND c.status = 'draft')`;

/** After a guarded write changed nothing: the circular is gone (404) or no longer a draft (409). */
async function lostRace(ctx: AssociationCtx, id: string, conflict: () => Error): Promise<never> {
  await getCircularRow(ctx, id);
  throw conflict();
}

/**
 * A circular the city sent (origin "city") belongs to the city: the association's leaders cannot edit, publish,
 * withdraw or delete it (only add a note, setLeaderNote). 409 with a message that says so.
 */
export function refuseCityCircular(row: { origin: CircularRow["origin"] }) {
  if (row.origin === "city")
    throw errors.conflict(
      "この回覧は仙台市から届いたものなので、変更・取り下げ・削除はできません。ひとことを添えることはできます。",
      "This circular was sent by the city: it cannot be edited, published, withdrawn or deleted. You can add a note.",
    );
}

const notDraft = () =>
  errors.conflict(
    "配布済みの回覧は書き換えられません。取り下げてから、新しく作り直してください。",
    "Only drafts can be changed. Withdraw the circular and create a new one.",
  );

export async function updateDraft({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string } & Partial<DraftInput>;
}) {
  const row = await getCircularRow(ctx, input.id);
  refuseCityCircular(row);
  if (row.status !== "draft") throw notDraft();
  const audience = input.audience ?? row.audience;
  const current = (await chosenBlocks(ctx, [row.id])).get(row.id)?.map((b) => b.id) ?? [];
  const blockIds = await checkedBlockIds(ctx, { audience, blockIds: input.blockIds ?? current });
  const body = input.body === undefined ? row.body : cleanBody(input.body);
  if (!body) throw errors.validation("本文を入力してください。", "The body must not be empty.");
  const patch = {
    title: input.title ?? row.title,
    body,
    easyBody: input.easyBody === undefined ? row.easyBody : cleanEasyBody(input.easyBody),
    priority: input.priority ?? row.priority,
    audience,
    dueAt: input.dueAt === undefined ? row.dueAt : input.dueAt,
    ...askColumns(input),
    updatedAt: ctx.now,
  };
  const scoped = and(
    eq(circulars.id, row.id),
    eq(circulars.associationId, ctx.associationId),
    eq(circulars.status, "draft"),
  );
  // Every write is guarded by "still a draft": a publication that won a race keeps the audience it was sent to.
  const [updated] = await ctx.db.batch([
    ctx.db.update(circulars).set(patch).where(scoped).returning({ id: circulars.id }),
    auditIfChanged(ctx, "circular.update", "circular", row.id, { fields: Object.keys(input).filter((k) => k !== "id") })
      .insert,
    ctx.db.delete(circularBlocks).where(and(eq(circularBlocks.circularId, row.id), stillDraft(ctx, row.id))),
    ...blockIds.map((blockId) =>
      ctx.db.run(sql`
        INSERT INTO ${circularBlocks} (circular_id, block_id) SELECT ${row.id}, ${blockId} WHERE ${stillDraft(ctx, row.id)}`),
    ),
  ]);
  if (!happened(updated)) await lostRace(ctx, row.id, notDraft);
  return circularDetail({ ctx, input: { id: row.id } });
}

export async function deleteDraft({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const row = await getCircularRow(ctx, input.id);
  refuseCityCircular(row);
  if (row.status !== "draft") throw notDraft();
  const files = await ctx.db
    .select({ blobKey: attachments.blobKey })
    .from(attachments)
    .where(and(eq(attachments.circularId, row.id), eq(attachments.associationId, ctx.associationId)));
  // Guarded by "still a draft": a circular published meanwhile keeps its attachments and blocks.
  const [, , deleted] = await ctx.db.batch([
    ctx.db.delete(attachments).where(and(eq(attachments.circularId, row.id), stillDraft(ctx, row.id))),
    ctx.db.delete(circularBlocks).where(and(eq(circularBlocks.circularId, row.id), stillDraft(ctx, row.id))),
    ctx.db
      .delete(circulars)
      .where(
        and(eq(circulars.id, row.id), eq(circulars.associationId, ctx.associationId), eq(circulars.status, "draft")),
      )
      .returning({ id: circulars.id }),
    auditIfChanged(ctx, "circular.delete", "circular", row.id, { title: row.title }).insert,
  ]);
  if (!happened(deleted)) await lostRace(ctx, row.id, notDraft);
  return files.map((f) => f.blobKey);
}

/**
 * Publishes a draft: the status change and one receipt per targeted household (active households of the whole
 * association, or of the chosen blocks) in one batch. The receipts are one INSERT ... SELECT, guarded so that they
 * are written only by the publication that flipped the status.
 */
export async function publishCircular({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const row = await getCircularRow(ctx, input.id);
  refuseCityCircular(row);
  if (row.status !== "draft")
    throw errors.conflict("この回覧はすでに配布されています。", "This circular has already been published.");
  if (row.dueAt && row.dueAt.getTime() <= ctx.now.getTime())
    throw errors.validation(
      "確認期限が過ぎています。期限を直してから配布してください。",
      "The due date has passed. Change it before publishing.",
    );
  const thisCircular = sql`c.id = ${row.id} AND c.association_id = ${ctx.associationId}`;
  const [size] = await ctx.db.all<{ n: number }>(sql`SELECT ${audienceSize(thisCircular)} AS n`);
  if (!size || size.n === 0)
    throw errors.validation(
      "配布先に世帯がありません。配布する班を選び直してください。",
      "No households are in the chosen audience. Choose other blocks.",
    );
  // ふりがな: computed now, on the texts as published, with the leader's corrections (features/furigana).
  const furigana = await publishedFurigana(ctx.readings, row, row.furiganaFixes);
  // Only the publication that flips the status writes the audit row (changes() of the UPDATE), and only the one
  // whose audit row exists writes the receipts: two publications racing in the same millisecond cannot both insert.
  const published = auditIfChanged(
    ctx,
    "circular.publish",
    "circular",
    row.id,
    sql`json_object('households', ${audienceSize(thisCircular)})`,
  );
  const [flipped] = await ctx.db.batch([
    ctx.db
      .update(circulars)
      .set({ status: "published", publishedAt: ctx.now, updatedAt: ctx.now, furigana })
      .where(
        and(eq(circulars.id, row.id), eq(circulars.associationId, ctx.associationId), eq(circulars.status, "draft")),
      )
      .returning({ id: circulars.id }),
    published.insert,
    insertReceipts(ctx.db, { circulars: thisCircular, guard: published.won, now: ctx.now }),
    // The city's rollups: this circular and its targeted receipts (stats/rollup.ts). Same guard as the receipts.
    ...statsForPublished(ctx.db, sql`c.id = ${row.id}`, published.won),
    // The push outbox: one row per subscribed device of the households just given a receipt (push/outbox.ts).
    // Same guard as the receipts.
    enqueuePushes(ctx.db, {
      circularId: row.id,
      associationId: ctx.associationId,
      kind: "circular",
      urgent: row.priority === "urgent",
      now: ctx.now,
      onlyUnread: false,
      guard: published.won,
    }),
  ]);
  if (!happened(flipped))
    await lostRace(ctx, row.id, () =>
      errors.conflict("この回覧はすでに配布されています。", "This circular has already been published."),
    );
  const circular = await circularDetail({ ctx, input: { id: row.id } });
  // The receipts just written are the audience (a household may have joined or left since the count above).
  return { circular, audienceSize: circular.counts?.targeted ?? 0 };
}

export async function withdrawCircular({ ctx, input }: { ctx: AssociationCtx; input: { id: string } }) {
  const row = await getCircularRow(ctx, input.id);
  refuseCityCircular(row);
  const notPublished = () =>
    errors.conflict("配布中の回覧だけ取り下げられます。", "Only a published circular can be withdrawn.");
  if (row.status !== "published") throw notPublished();
  const withdrawn = auditIfChanged(ctx, "circular.withdraw", "circular", row.id, { title: row.title });
  const [flipped] = await ctx.db.batch([
    ctx.db
      .update(circulars)
      .set({ status: "withdrawn", withdrawnAt: ctx.now, updatedAt: ctx.now })
      .where(
        and(
          eq(circulars.id, row.id),
          eq(circulars.associationId, ctx.associationId),
          eq(circulars.status, "published"),
          eq(circulars.origin, "association"),
        ),
      )
      .returning({ id: circulars.id }),
    withdrawn.insert,
    // A withdrawn circular leaves the city's figures.
    ...statsForWithdrawn(ctx.db, sql`c.id = ${row.id}`, withdrawn.won),
  ]);
  if (!happened(flipped)) await lostRace(ctx, row.id, notPublished);
  return circularDetail({ ctx, input: { id: row.id } });
}

/**
 * A leader's short note on top of a city circular (「町内会から一言」), shown to residents with it. City circulars
 * only, while they are out (published); `note` null or empty removes it.
 */
export async function setLeaderNote({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { id: string; note: string | null };
}) {
  const row = await getCircularRow(ctx, input.id);
  if (row.origin !== "city")
    throw errors.conflict(
      "ひとことを添えられるのは、仙台市から届いた回覧だけです。",
      "A note can only be added to a circular the city sent.",
    );
  const notOut = () =>
    errors.conflict(
      "取り下げられた回覧には、ひとことを添えられません。",
      "The circular was withdrawn: no note can be added.",
    );
  if (row.status !== "published") throw notOut();
  const note = input.note === null ? null : cleanBody(input.note) || null;
  const [changed] = await ctx.db.batch([
    ctx.db
      .update(circulars)
      .set({ leaderNote: note, updatedAt: ctx.now })
      .where(
        and(
          eq(circulars.id, row.id),
          eq(circulars.associationId, ctx.associationId),
          eq(circulars.origin, "city"),
          eq(circulars.status, "published"),
        ),
      )
      .returning({ id: circulars.id }),
    auditIfChanged(ctx, "circular.note", "circular", row.id, { note }).insert,
  ]);
  if (!happened(changed)) await lostRace(ctx, row.id, notOut);
  return circularDetail({ ctx, input: { id: row.id } });
}
