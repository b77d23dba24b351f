// Publishing and withdrawing a city circular. Publishing is one batch that writes one `circulars` row (origin
// "city") per targeted association with member households, so feeds, receipts, reminders, pushes and late
// households work unchanged; withdrawing takes every copy back. Both are guarded by their audit row (audit.ts).
import { and, eq, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import {
  attachments,
  circulars,
  cityAttachments,
  cityCirculars,
  receipts,
  statsCircular,
  type CircularStatus,
} from "../../db/schema";
import { errors } from "../../lib/errors";
import { auditIfChanged, happened, setAuditDetail } from "../audit/audit";
import { SUPPRESS_BELOW } from "../city/suppress";
import { publishedFurigana } from "../furigana/furigana";
import { enqueuePushes } from "../push/outbox";
import { insertReceipts } from "../receipts/audience";
import { statsForPublished, statsForWithdrawn } from "../stats/rollup";
import { cityCircularDetail, getRow, lostRace, reachOf } from "./reading.service";
import { targetedAssociations } from "./targets";

/** The status change both verbs guard on: only from `from`; its result says whether this request made it. */
const flip = (ctx: ServiceCtx, id: string, from: CircularStatus, set: Partial<typeof cityCirculars.$inferInsert>) =>
  ctx.db
    .update(cityCirculars)
    .set({ ...set, updatedAt: ctx.now })
    .where(and(eq(cityCirculars.id, id), eq(cityCirculars.status, from)))
    .returning({ id: cityCirculars.id });

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
  await publishCityRow(ctx, row);
  const circular = await cityCircularDetail(ctx, row.id);
  const reach = (await reachOf(ctx.db, [row.id])).get(row.id) ?? { associations: 0, households: 0, read: 0 };
  return {
    circular,
    associations: reach.associations,
    households: reach.households < SUPPRESS_BELOW ? null : reach.households,
  };
}

/** The publication of a city circular's draft row: a notice, or a city 安否確認 (started at once, safety.service.ts). */
export async function publishCityRow(ctx: ServiceCtx, row: typeof cityCirculars.$inferSelect) {
  if (row.status !== "draft") throw alreadyPublished();
  if (row.dueAt && row.dueAt.getTime() <= ctx.now.getTime())
    throw errors.validation(
      "確認期限が過ぎています。期限を直してから配布してください。",
      "The due date has passed. Change it before publishing.",
    );
  const [reached] = await ctx.db.all<{ n: number }>(sql`SELECT count(*) AS n ${targetedAssociations(row.id)}`);
  if (!reached || reached.n === 0)
    throw errors.validation(
      "配布先の町内会に、まだ世帯がありません。配布先を選び直してください。",
      "No association in the target has member households yet. Choose another target.",
    );
  const now = ctx.now.getTime();
  const safety = row.kind === "safety";
  const published = auditIfChanged(
    ctx,
    safety ? "city.safety.start" : "city.circular.publish",
    "city_circular",
    row.id,
    {},
  );
  const guard = published.won;
  const copies = sql`c.city_circular_id = ${row.id}`;
  // ふりがな, by the association's publication's own rule (features/furigana); the copies take it with the row.
  const furigana = safety ? null : await publishedFurigana(ctx.readings, row, row.furiganaFixes);
  const [flipped] = await ctx.db.batch([
    flip(ctx, row.id, "draft", { status: "published", publishedAt: ctx.now, furigana }),
    published.insert,
    // One copy per targeted association: ids as random as newId()'s (128 bits), made in SQL.
    ctx.db.run(sql`
      INSERT INTO ${circulars} (id, association_id, title, body, easy_body, furigana, priority, audience, status,
        author_id, created_at, updated_at, published_at, due_at, origin, city_circular_id, questions, anonymous, kind,
        drill)
      SELECT lower(hex(randomblob(16))), x.id, cc.title, cc.body, cc.easy_body, cc.furigana, cc.priority, 'all',
        'published',
        cc.author_id,
        ${now}, ${now}, ${now}, cc.due_at, 'city', cc.id, cc.questions, cc.anonymous, cc.kind, cc.drill
      ${targetedAssociations(row.id)} AND ${guard}`),
    // The same receipts as an association's publication (receipts/audience.ts), for every copy at once.
    insertReceipts(ctx.db, { circulars: copies, guard, now: ctx.now }),
    ctx.db.run(sql`
      INSERT INTO ${attachments} (id, association_id, circular_id, file_name, content_type, size, blob_key, created_at)
      SELECT lower(hex(randomblob(16))), c.association_id, c.id, f.file_name, f.content_type, f.size, f.blob_key, ${now}
      FROM ${circulars} c JOIN ${cityAttachments} f ON f.city_circular_id = c.city_circular_id
      WHERE ${copies} AND ${guard}`),
    // A 安否確認 (features/safety) is not a circular in the city's figures; its push is urgent, through quiet hours.
    ...(safety ? [] : statsForPublished(ctx.db, copies, guard)),
    enqueuePushes(ctx.db, {
      receipts: sql`r.circular_id IN (SELECT c.id FROM ${circulars} c WHERE ${copies})`,
      kind: safety ? "safety" : "circular",
      urgent: safety || row.priority === "urgent",
      now: ctx.now,
      onlyUnread: false,
      guard,
    }),
    // The audit row's counts, once the copies and their rollups exist (nothing to update if this request lost).
    setAuditDetail(
      ctx.db,
      published,
      sql`json_object(
        'associations', (SELECT count(*) FROM ${circulars} c WHERE ${copies}),
        'households', ${
          safety
            ? sql`(SELECT count(*) FROM ${receipts} r WHERE r.circular_id IN (SELECT c.id FROM ${circulars} c WHERE ${copies}))`
            : sql`(SELECT coalesce(sum(targeted), 0) FROM ${statsCircular} WHERE city_circular_id = ${row.id})`
        })`,
    ),
  ]);
  if (!happened(flipped)) await lostRace(ctx, row.id, alreadyPublished, row.kind);
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
  const withdrawn = auditIfChanged(ctx, "city.circular.withdraw", "city_circular", row.id, { title: row.title });
  const [flipped] = await ctx.db.batch([
    flip(ctx, row.id, "published", { status: "withdrawn", withdrawnAt: ctx.now }),
    withdrawn.insert,
    ...statsForWithdrawn(ctx.db, sql`c.city_circular_id = ${row.id}`, withdrawn.won),
    ctx.db.run(sql`
      UPDATE ${circulars} SET status = 'withdrawn', withdrawn_at = ${ctx.now.getTime()}, updated_at = ${ctx.now.getTime()}
      WHERE city_circular_id = ${row.id} AND status = 'published' AND ${withdrawn.won}`),
  ]);
  if (!happened(flipped)) await lostRace(ctx, row.id, notPublished);
  return cityCircularDetail(ctx, row.id);
}
