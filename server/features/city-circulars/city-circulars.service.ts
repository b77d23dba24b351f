// City circulars (docs/adr/0005): city staff write one circular and send it to the whole city, chosen wards,
// districts or associations. Publishing is one batch that writes one `circulars` row (origin "city") per targeted
// association with member households, so feeds, receipts, reminders, pushes and late households work unchanged.
// The city sees counts and rates only (stats_circular), never who read what; every request is audited.
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { inList, type Db } from "../../db/client";
import {
  associations,
  auditLog,
  cityAttachments,
  cityCirculars,
  districts,
  members,
  wards,
  type CircularStatus,
  type CityTargetScope,
  type Priority,
} from "../../db/schema";
import type { BlobStore } from "../../lib/blob-store";
import { errors } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { cleanBody, linkify } from "../../lib/text";
import { checkUpload, cleanFileName, tooManyAttachments } from "../attachments/attachments.service";
import { auditInsert } from "../audit/audit";
import { enqueuePushes } from "../push/outbox";
import { statsForPublished, statsForWithdrawn } from "../stats/rollup";

/** Groups (and rates) with fewer member households than this are suppressed: null figures (docs/adr/0005). */
export const SUPPRESS_BELOW = 5;

export type CityTarget = { scope: "city" } | { scope: Exclude<CityTargetScope, "city">; ids: string[] };

export interface CityDraftInput {
  title: string;
  body: string;
  priority: Priority;
  dueAt: Date | null;
  target: CityTarget;
}

type Row = typeof cityCirculars.$inferSelect;

// ---------- audit ----------

/** An audit row for a city action (no association). */
function cityAudit(ctx: ServiceCtx, action: string, targetId: string | null, detail?: Record<string, unknown>) {
  return auditInsert(ctx.db, {
    associationId: null,
    actorId: ctx.actor.memberId,
    action,
    targetType: "city_circular",
    targetId,
    detail,
    at: ctx.now,
  });
}

/** An audit row written only if the statement just before it in the same batch changed a row (lost races leave none). */
function cityAuditIfChanged(ctx: ServiceCtx, id: string, action: string, targetId: string, detail: Record<string, unknown>) {
  return ctx.db.run(sql`
    INSERT INTO ${auditLog} (id, association_id, actor_id, action, target_type, target_id, detail, at)
    SELECT ${id}, NULL, ${ctx.actor.memberId}, ${action}, 'city_circular', ${targetId}, ${JSON.stringify(detail)},
      ${ctx.now.getTime()}
    WHERE changes() > 0`);
}

/** Reads write their audit row after they succeed (ADR 0005: every city access is recorded). */
async function auditRead(ctx: ServiceCtx, action: string, targetId: string | null, detail?: Record<string, unknown>) {
  await cityAudit(ctx, action, targetId, detail);
}

/** The batch's guard: this request's audit row exists, i.e. its guarded status change won. */
const won = (auditId: string) => sql`EXISTS (SELECT 1 FROM ${auditLog} al WHERE al.id = ${auditId})`;

// ---------- targets ----------

const TARGET_WORDS: Record<Exclude<CityTargetScope, "city">, { ja: string; en: string }> = {
  wards: { ja: "区", en: "ward" },
  districts: { ja: "地区", en: "district" },
  associations: { ja: "町内会", en: "association" },
};

const TARGET_TABLES = { wards, districts, associations } as const;

/** Deduplicated ids that all exist, or 400 naming the field. */
async function checkedTarget(db: Db, target: CityTarget): Promise<CityTarget> {
  if (target.scope === "city") return { scope: "city" };
  const ids = [...new Set(target.ids)];
  const word = TARGET_WORDS[target.scope];
  if (ids.length === 0)
    throw errors.validation(
      `入力内容を確認してください。配布する${word.ja}を1つ以上選んでください。`,
      `Please check your input. Choose at least one ${word.en}.`,
      [{ path: "target.ids", message: `配布する${word.ja}を1つ以上選んでください。`, messageEn: `Choose at least one ${word.en}.` }],
    );
  const table = TARGET_TABLES[target.scope];
  const [found] = await db.select({ n: count() }).from(table).where(inList(table.id, ids));
  if ((found?.n ?? 0) !== ids.length)
    throw errors.validation(
      `入力内容を確認してください。選んだ${word.ja}の中に見つからないものがあります。選び直してください。`,
      `Please check your input. Some chosen ${word.en}s do not exist.`,
      [
        {
          path: "target.ids",
          message: `選んだ${word.ja}の中に見つからないものがあります。選び直してください。`,
          messageEn: `Some chosen ${word.en}s do not exist.`,
        },
      ],
    );
  return { scope: target.scope, ids };
}

function targetOf(row: Row): CityTarget {
  if (row.targetScope === "city") return { scope: "city" };
  return { scope: row.targetScope, ids: JSON.parse(row.targetIds) as string[] };
}

/** Names of the targeted wards, districts or associations of several circulars, one query per scope. */
async function targetNames(db: Db, rows: Row[]): Promise<Map<string, { id: string; name: string }[]>> {
  const byScope = new Map<Exclude<CityTargetScope, "city">, Set<string>>();
  for (const row of rows) {
    const t = targetOf(row);
    if (t.scope === "city") continue;
    const set = byScope.get(t.scope) ?? new Set<string>();
    for (const id of t.ids) set.add(id);
    byScope.set(t.scope, set);
  }
  const names = new Map<string, string>();
  for (const [scope, ids] of byScope) {
    const table = TARGET_TABLES[scope];
    const found = await db.select({ id: table.id, name: table.name }).from(table).where(inList(table.id, [...ids]));
    for (const f of found) names.set(`${scope}:${f.id}`, f.name);
  }
  const out = new Map<string, { id: string; name: string }[]>();
  for (const row of rows) {
    const t = targetOf(row);
    out.set(row.id, t.scope === "city" ? [] : t.ids.map((id) => ({ id, name: names.get(`${t.scope}:${id}`) ?? "" })));
  }
  return out;
}

/**
 * The associations a city circular's target reaches, as a condition on `x` (associations) joined to `d` (districts)
 * and `cc` (the city circular): read from the row inside the statement, so the batch uses the target as it is then.
 * Associations without member households are skipped.
 */
const TARGETED = sql`
  (cc.target_scope = 'city'
    OR (cc.target_scope = 'wards' AND d.ward_id IN (SELECT value FROM json_each(cc.target_ids)))
    OR (cc.target_scope = 'districts' AND x.district_id IN (SELECT value FROM json_each(cc.target_ids)))
    OR (cc.target_scope = 'associations' AND x.id IN (SELECT value FROM json_each(cc.target_ids))))
  AND EXISTS (SELECT 1 FROM households h WHERE h.association_id = x.id AND h.left_at IS NULL)`;

// ---------- reading ----------

const notFound = () => errors.notFound("市の回覧", "city circular");

async function getRow(ctx: ServiceCtx, id: string): Promise<Row> {
  const [row] = await ctx.db.select().from(cityCirculars).where(eq(cityCirculars.id, id));
  if (!row) throw notFound();
  return row;
}

/** Rates 0–1, rounded to 4 decimals like the dashboard's (features/city). */
const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

/** How far a published city circular went: copies, households reached and read (suppressed under 5). */
async function reachOf(db: Db, ids: string[]) {
  const map = new Map<string, { associations: number; households: number; read: number }>();
  if (ids.length === 0) return map;
  const rows = await db.all<{ id: string; associations: number; households: number; read: number }>(sql`
    SELECT city_circular_id AS id, count(*) AS associations, sum(targeted) AS households, sum(read) AS read
    FROM stats_circular WHERE city_circular_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    GROUP BY city_circular_id`);
  for (const r of rows) map.set(r.id, { associations: r.associations, households: Number(r.households), read: Number(r.read) });
  return map;
}

function reachDto(status: CircularStatus, reach: { associations: number; households: number; read: number } | undefined) {
  if (status !== "published") return null;
  const r = reach ?? { associations: 0, households: 0, read: 0 };
  const suppressed = r.households < SUPPRESS_BELOW;
  return {
    associations: r.associations,
    suppressed,
    households: suppressed ? null : r.households,
    read: suppressed ? null : r.read,
    readRate: suppressed ? null : rate(r.read, r.households),
  };
}

function summary(row: Row, authorName: string | null) {
  return {
    id: row.id,
    title: row.title,
    priority: row.priority,
    status: row.status,
    target: targetOf(row),
    authorName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    dueAt: row.dueAt?.toISOString() ?? null,
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
  };
}

const attachmentUrl = (circularId: string, id: string) => `/api/city/circulars/${circularId}/attachments/${id}`;

async function cityCircularDetail(ctx: ServiceCtx, id: string) {
  const row = await getRow(ctx, id);
  const [author] = await ctx.db.select({ name: members.displayName }).from(members).where(eq(members.id, row.authorId));
  const files = await ctx.db
    .select({
      id: cityAttachments.id,
      fileName: cityAttachments.fileName,
      contentType: cityAttachments.contentType,
      size: cityAttachments.size,
    })
    .from(cityAttachments)
    .where(eq(cityAttachments.cityCircularId, row.id))
    .orderBy(asc(cityAttachments.createdAt), asc(cityAttachments.id));
  const [names, reach] = await Promise.all([targetNames(ctx.db, [row]), reachOf(ctx.db, [row.id])]);
  return {
    ...summary(row, author?.name ?? null),
    targetNames: names.get(row.id) ?? [],
    reach: reachDto(row.status, reach.get(row.id)),
    body: row.body,
    bodyParts: linkify(row.body),
    attachments: files.map((f) => ({ ...f, circularId: row.id, url: attachmentUrl(row.id, f.id) })),
  };
}

export async function getCityCircular(ctx: ServiceCtx, id: string) {
  const out = await cityCircularDetail(ctx, id);
  await auditRead(ctx, "city.circular.view", id);
  return out;
}

export async function listCityCirculars({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { status?: CircularStatus | undefined; limit: number };
}) {
  const rows = await ctx.db
    .select({ c: cityCirculars, authorName: members.displayName })
    .from(cityCirculars)
    .leftJoin(members, eq(members.id, cityCirculars.authorId))
    .where(input.status ? eq(cityCirculars.status, input.status) : undefined)
    .orderBy(
      sql`${cityCirculars.status} = 'draft' DESC`,
      desc(sql`coalesce(${cityCirculars.publishedAt}, ${cityCirculars.updatedAt})`),
    )
    .limit(input.limit);
  const [names, reach] = await Promise.all([targetNames(ctx.db, rows.map((r) => r.c)), reachOf(ctx.db, rows.map((r) => r.c.id))]);
  await auditRead(ctx, "city.circular.list", null, { status: input.status ?? null });
  return rows.map((r) => ({
    ...summary(r.c, r.authorName),
    targetNames: names.get(r.c.id) ?? [],
    reach: reachDto(r.c.status, reach.get(r.c.id)),
  }));
}

// ---------- drafts ----------

const notDraft = () =>
  errors.conflict(
    "配布済みの市の回覧は書き換えられません。取り下げてから、新しく作り直してください。",
    "Only drafts can be changed. Withdraw the city circular and create a new one.",
  );

/** After a guarded write changed nothing: gone (404) or no longer in the state it needed (409). */
async function lostRace(ctx: ServiceCtx, id: string, conflict: () => Error): Promise<never> {
  await getRow(ctx, id);
  throw conflict();
}

function cleanedBody(body: string): string {
  const cleaned = cleanBody(body);
  if (!cleaned)
    throw errors.validation("入力内容を確認してください。本文を入力してください。", "Please check your input. body must not be empty.", [
      { path: "body", message: "本文を入力してください。", messageEn: "The body must not be empty." },
    ]);
  return cleaned;
}

export async function createCityDraft({ ctx, input }: { ctx: ServiceCtx; input: CityDraftInput }) {
  const body = cleanedBody(input.body);
  const target = await checkedTarget(ctx.db, input.target);
  const id = newId();
  await ctx.db.batch([
    ctx.db.insert(cityCirculars).values({
      id,
      title: input.title,
      body,
      priority: input.priority,
      targetScope: target.scope,
      targetIds: JSON.stringify(target.scope === "city" ? [] : target.ids),
      status: "draft",
      authorId: ctx.actor.memberId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      dueAt: input.dueAt,
    }),
    cityAudit(ctx, "city.circular.create", id, { title: input.title, target: target.scope }),
  ]);
  return cityCircularDetail(ctx, id);
}

export async function updateCityDraft({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string } & Partial<CityDraftInput>;
}) {
  const row = await getRow(ctx, input.id);
  if (row.status !== "draft") throw notDraft();
  const patch: Partial<typeof cityCirculars.$inferInsert> = { updatedAt: ctx.now };
  if (input.title !== undefined) patch.title = input.title;
  if (input.body !== undefined) patch.body = cleanedBody(input.body);
  if (input.priority !== undefined) patch.priority = input.priority;
  if (input.dueAt !== undefined) patch.dueAt = input.dueAt;
  if (input.target !== undefined) {
    const target = await checkedTarget(ctx.db, input.target);
    patch.targetScope = target.scope;
    patch.targetIds = JSON.stringify(target.scope === "city" ? [] : target.ids);
  }
  // Guarded by "still a draft": a publication that won a race keeps what it was sent with.
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(cityCirculars)
      .set(patch)
      .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "draft")))
      .returning({ id: cityCirculars.id }),
    cityAuditIfChanged(ctx, newId(), "city.circular.update", row.id, {
      fields: Object.keys(input).filter((k) => k !== "id"),
    }),
  ]);
  if (updated.length === 0) await lostRace(ctx, row.id, notDraft);
  return cityCircularDetail(ctx, row.id);
}

/** Deletes a draft and its attachment rows; answers the blob keys to remove once the rows are gone. */
export async function deleteCityDraft({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await getRow(ctx, input.id);
  if (row.status !== "draft") throw notDraft();
  const files = await ctx.db
    .select({ blobKey: cityAttachments.blobKey })
    .from(cityAttachments)
    .where(eq(cityAttachments.cityCircularId, row.id));
  const stillDraft = sql`EXISTS (SELECT 1 FROM ${cityCirculars} cc WHERE cc.id = ${row.id} AND cc.status = 'draft')`;
  const [, deleted] = await ctx.db.batch([
    ctx.db.delete(cityAttachments).where(and(eq(cityAttachments.cityCircularId, row.id), stillDraft)),
    ctx.db
      .delete(cityCirculars)
      .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "draft")))
      .returning({ id: cityCirculars.id }),
    cityAuditIfChanged(ctx, newId(), "city.circular.delete", row.id, { title: row.title }),
  ]);
  if (deleted.length === 0) await lostRace(ctx, row.id, notDraft);
  return files.map((f) => f.blobKey);
}

// ---------- publish and withdraw ----------

const alreadyPublished = () =>
  errors.conflict("この市の回覧はすでに配布されています。", "This city circular has already been published.");

/**
 * Publishes a draft in one batch: the guarded status flip and its audit row; one circulars row per targeted
 * association with member households (origin "city", audience all); receipts for all their member households;
 * the attachments copied to each (same blob); the city's rollups; the push outbox; the audit row's counts.
 * Everything after the flip is guarded by the audit row, so of two publications racing only one writes anything.
 */
export async function publishCityCircular({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await getRow(ctx, input.id);
  if (row.status !== "draft") throw alreadyPublished();
  if (row.dueAt && row.dueAt.getTime() <= ctx.now.getTime())
    throw errors.validation("確認期限が過ぎています。期限を直してから配布してください。", "The due date has passed. Change it before publishing.");
  const [reached] = await ctx.db.all<{ n: number }>(sql`
    SELECT count(*) AS n FROM ${cityCirculars} cc, ${associations} x JOIN ${districts} d ON d.id = x.district_id
    WHERE cc.id = ${row.id} AND ${TARGETED}`);
  if (!reached || reached.n === 0)
    throw errors.validation(
      "配布先の町内会に、まだ世帯がありません。配布先を選び直してください。",
      "No association in the target has member households yet. Choose another target.",
    );
  const now = ctx.now.getTime();
  const auditId = newId();
  const guard = won(auditId);
  const copies = sql`c.city_circular_id = ${row.id}`;
  const [flipped] = await ctx.db.batch([
    ctx.db
      .update(cityCirculars)
      .set({ status: "published", publishedAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "draft")))
      .returning({ id: cityCirculars.id }),
    cityAuditIfChanged(ctx, auditId, "city.circular.publish", row.id, {}),
    // One copy per targeted association: ids as random as newId()'s (128 bits), made in SQL.
    ctx.db.run(sql`
      INSERT INTO circulars (id, association_id, title, body, priority, audience, status, author_id, created_at,
        updated_at, published_at, due_at, origin, city_circular_id)
      SELECT lower(hex(randomblob(16))), x.id, cc.title, cc.body, cc.priority, 'all', 'published', cc.author_id,
        ${now}, ${now}, ${now}, cc.due_at, 'city', cc.id
      FROM ${cityCirculars} cc, ${associations} x JOIN ${districts} d ON d.id = x.district_id
      WHERE cc.id = ${row.id} AND ${TARGETED} AND ${guard}`),
    // The same columns as an association's publication (circulars.service.ts publishCircular).
    ctx.db.run(sql`
      INSERT INTO receipts (circular_id, household_id, association_id, block_id, created_at)
      SELECT c.id, h.id, h.association_id, h.block_id, ${now}
      FROM circulars c JOIN households h ON h.association_id = c.association_id AND h.left_at IS NULL
      WHERE ${copies} AND ${guard}`),
    ctx.db.run(sql`
      INSERT INTO attachments (id, association_id, circular_id, file_name, content_type, size, blob_key, created_at)
      SELECT lower(hex(randomblob(16))), c.association_id, c.id, f.file_name, f.content_type, f.size, f.blob_key, ${now}
      FROM circulars c JOIN ${cityAttachments} f ON f.city_circular_id = c.city_circular_id
      WHERE ${copies} AND ${guard}`),
    ...statsForPublished(ctx.db, copies, guard),
    enqueuePushes(ctx.db, {
      receipts: sql`r.circular_id IN (SELECT c.id FROM circulars c WHERE ${copies})`,
      kind: "circular",
      urgent: row.priority === "urgent",
      now: ctx.now,
      onlyUnread: false,
      guard,
    }),
    ctx.db.run(sql`
      UPDATE ${auditLog} SET detail = json_object(
        'associations', (SELECT count(*) FROM circulars c WHERE ${copies}),
        'households', (SELECT coalesce(sum(targeted), 0) FROM stats_circular WHERE city_circular_id = ${row.id}))
      WHERE id = ${auditId}`),
  ]);
  if (flipped.length === 0) await lostRace(ctx, row.id, alreadyPublished);
  const circular = await cityCircularDetail(ctx, row.id);
  const reach = (await reachOf(ctx.db, [row.id])).get(row.id) ?? { associations: 0, households: 0, read: 0 };
  return {
    circular,
    associations: reach.associations,
    households: reach.households < SUPPRESS_BELOW ? null : reach.households,
  };
}

/**
 * Withdraws a published city circular in one batch: its status, every association's copy (residents no longer see
 * it; receipts are kept), and the copies' figures subtracted from the rollups.
 */
export async function withdrawCityCircular({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const row = await getRow(ctx, input.id);
  const notPublished = () =>
    errors.conflict("配布中の市の回覧だけ取り下げられます。", "Only a published city circular can be withdrawn.");
  if (row.status !== "published") throw notPublished();
  const auditId = newId();
  const guard = won(auditId);
  const copies = sql`c.city_circular_id = ${row.id}`;
  const [flipped] = await ctx.db.batch([
    ctx.db
      .update(cityCirculars)
      .set({ status: "withdrawn", withdrawnAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(cityCirculars.id, row.id), eq(cityCirculars.status, "published")))
      .returning({ id: cityCirculars.id }),
    cityAuditIfChanged(ctx, auditId, "city.circular.withdraw", row.id, { title: row.title }),
    ...statsForWithdrawn(ctx.db, copies, guard),
    ctx.db.run(sql`
      UPDATE circulars SET status = 'withdrawn', withdrawn_at = ${ctx.now.getTime()}, updated_at = ${ctx.now.getTime()}
      WHERE city_circular_id = ${row.id} AND status = 'published' AND ${guard}`),
  ]);
  if (flipped.length === 0) await lostRace(ctx, row.id, notPublished);
  return cityCircularDetail(ctx, row.id);
}

// ---------- attachments ----------

const attachmentsOnlyOnDrafts = () =>
  errors.conflict("添付ファイルは下書きの市の回覧にだけ追加・削除できます。", "Attachments can only be changed on a draft.");

export async function uploadCityAttachment({
  ctx,
  blobs,
  input,
}: {
  ctx: ServiceCtx;
  blobs: BlobStore;
  input: { circularId: string; fileName: string; bytes: Uint8Array };
}) {
  const row = await getRow(ctx, input.circularId);
  if (row.status !== "draft") throw attachmentsOnlyOnDrafts();
  const type = checkUpload(ctx.config, input.bytes);
  const { maxPerCircular } = ctx.config.attachments;
  const countNow = async () =>
    (await ctx.db.select({ n: count() }).from(cityAttachments).where(eq(cityAttachments.cityCircularId, row.id)))[0]?.n ?? 0;
  if ((await countNow()) >= maxPerCircular) throw tooManyAttachments(maxPerCircular);

  const id = newId();
  const blobKey = `city/${id}`;
  const fileName = cleanFileName(input.fileName, type);
  const size = input.bytes.byteLength;
  await blobs.put(blobKey, input.bytes);
  try {
    // The checks above, repeated inside the INSERT: two uploads at once cannot pass the limit together, and an
    // upload racing the publication cannot add to a published circular (its copies would miss the file).
    const at = ctx.now.getTime();
    await ctx.db.batch([
      ctx.db.run(sql`
        INSERT INTO ${cityAttachments} (id, city_circular_id, file_name, content_type, size, blob_key, created_at)
        SELECT ${id}, ${row.id}, ${fileName}, ${type}, ${size}, ${blobKey}, ${at}
        WHERE EXISTS (SELECT 1 FROM ${cityCirculars} cc WHERE cc.id = ${row.id} AND cc.status = 'draft')
          AND (SELECT count(*) FROM ${cityAttachments} f WHERE f.city_circular_id = ${row.id}) < ${maxPerCircular}`),
      cityAuditIfChanged(ctx, newId(), "city.circular.attachment.create", row.id, { attachmentId: id, fileName, size }),
    ]);
  } catch (e) {
    await blobs.delete(blobKey);
    throw e;
  }
  const [stored] = await ctx.db.select({ id: cityAttachments.id }).from(cityAttachments).where(eq(cityAttachments.id, id));
  if (!stored) {
    await blobs.delete(blobKey);
    const current = await getRow(ctx, row.id);
    throw current.status === "draft" ? tooManyAttachments(maxPerCircular) : attachmentsOnlyOnDrafts();
  }
  return { id, circularId: row.id, fileName, contentType: type, size, url: attachmentUrl(row.id, id) };
}

async function getAttachment(ctx: ServiceCtx, circularId: string, id: string) {
  const [file] = await ctx.db
    .select()
    .from(cityAttachments)
    .where(and(eq(cityAttachments.id, id), eq(cityAttachments.cityCircularId, circularId)));
  if (!file) throw errors.notFound("添付ファイル", "attachment");
  return file;
}

/** City staff's own view of a file of their circular (residents download their association's copy). */
export async function readCityAttachment(ctx: ServiceCtx, input: { circularId: string; id: string }) {
  const file = await getAttachment(ctx, input.circularId, input.id);
  await auditRead(ctx, "city.circular.attachment.view", input.circularId, { attachmentId: file.id });
  return file;
}

export async function deleteCityAttachment({
  ctx,
  blobs,
  input,
}: {
  ctx: ServiceCtx;
  blobs: BlobStore;
  input: { circularId: string; id: string };
}) {
  const row = await getRow(ctx, input.circularId);
  const file = await getAttachment(ctx, row.id, input.id);
  if (row.status !== "draft") throw attachmentsOnlyOnDrafts();
  const [removed] = await ctx.db.batch([
    ctx.db
      .delete(cityAttachments)
      .where(
        and(
          eq(cityAttachments.id, file.id),
          sql`EXISTS (SELECT 1 FROM ${cityCirculars} cc WHERE cc.id = ${row.id} AND cc.status = 'draft')`,
        ),
      )
      .returning({ id: cityAttachments.id }),
    cityAuditIfChanged(ctx, newId(), "city.circular.attachment.delete", row.id, {
      attachmentId: file.id,
      fileName: file.fileName,
    }),
  ]);
  if (removed.length === 0) {
    await getAttachment(ctx, row.id, file.id);
    throw attachmentsOnlyOnDrafts();
  }
  // Drafts have no copies yet, so no association's attachment shares this blob.
  await blobs.delete(file.blobKey);
}

// ---------- figures ----------

interface Sums {
  targeted: number;
  read: number;
  read24h: number;
  read72h: number;
  dueTargeted: number;
  readByDue: number;
}

const zero = (): Sums => ({ targeted: 0, read: 0, read24h: 0, read72h: 0, dueTargeted: 0, readByDue: 0 });

function add(into: Sums, s: Sums) {
  into.targeted += s.targeted;
  into.read += s.read;
  into.read24h += s.read24h;
  into.read72h += s.read72h;
  into.dueTargeted += s.dueTargeted;
  into.readByDue += s.readByDue;
}

/** Counts and rates of a group; all null when it has fewer than 5 targeted households (suppressed). */
function figuresOf(s: Sums) {
  const suppressed = s.targeted < SUPPRESS_BELOW;
  return {
    suppressed,
    targeted: suppressed ? null : s.targeted,
    read: suppressed ? null : s.read,
    read24hRate: suppressed ? null : rate(s.read24h, s.targeted),
    read72hRate: suppressed ? null : rate(s.read72h, s.targeted),
    readByDueRate: suppressed || s.dueTargeted < SUPPRESS_BELOW ? null : rate(s.readByDue, s.dueTargeted),
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, "ja");

/**
 * A city circular's read figures per ward, district and association, from stats_circular (the copies' rollups):
 * counts and rates only, names of areas only. A withdrawn circular has left the figures.
 */
export async function cityCircularFigures(ctx: ServiceCtx, id: string) {
  const row = await getRow(ctx, id);
  const rows = await ctx.db.all<
    Sums & { associationId: string; associationName: string; districtId: string; districtName: string; wardId: string; wardName: string }
  >(sql`
    SELECT x.id AS associationId, x.name AS associationName, d.id AS districtId, d.name AS districtName,
      w.id AS wardId, w.name AS wardName, s.targeted, s.read, s.read_24h AS read24h, s.read_72h AS read72h,
      s.due_targeted AS dueTargeted, s.read_by_due AS readByDue
    FROM stats_circular s JOIN ${associations} x ON x.id = s.association_id
      JOIN ${districts} d ON d.id = x.district_id JOIN ${wards} w ON w.id = d.ward_id
    WHERE s.city_circular_id = ${row.id}`);
  const total = zero();
  const wardSums = new Map<string, { id: string; name: string; sums: Sums }>();
  const districtSums = new Map<string, { id: string; name: string; wardId: string; wardName: string; sums: Sums }>();
  for (const r of rows) {
    add(total, r);
    const w = wardSums.get(r.wardId) ?? { id: r.wardId, name: r.wardName, sums: zero() };
    add(w.sums, r);
    wardSums.set(r.wardId, w);
    const d = districtSums.get(r.districtId) ?? {
      id: r.districtId,
      name: r.districtName,
      wardId: r.wardId,
      wardName: r.wardName,
      sums: zero(),
    };
    add(d.sums, r);
    districtSums.set(r.districtId, d);
  }
  await auditRead(ctx, "city.circular.figures", row.id);
  return {
    circular: {
      id: row.id,
      title: row.title,
      status: row.status,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      dueAt: row.dueAt?.toISOString() ?? null,
    },
    total: { associations: rows.length, ...figuresOf(total) },
    wards: [...wardSums.values()].sort(byName).map((w) => ({ id: w.id, name: w.name, ...figuresOf(w.sums) })),
    districts: [...districtSums.values()]
      .sort(byName)
      .map((d) => ({ id: d.id, name: d.name, wardId: d.wardId, wardName: d.wardName, ...figuresOf(d.sums) })),
    associations: rows
      .map((r) => ({ ...r, name: r.associationName }))
      .sort(byName)
      .map((r) => ({
        id: r.associationId,
        name: r.associationName,
        districtId: r.districtId,
        districtName: r.districtName,
        wardId: r.wardId,
        wardName: r.wardName,
        ...figuresOf(r),
      })),
  };
}
