// Reading city circulars: one with its body, files and reach, or the list. The city sees how far a circular went
// (copies, households reached and read, suppressed under 5 households), never who read what; every read is audited.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context";
import { easyFields } from "../easy-japanese/easy-body";
import type { Db } from "../../db/client";
import {
  cityAttachments,
  cityCirculars,
  members,
  statsCircular,
  type CircularKind,
  type CircularStatus,
} from "../../db/schema";
import { errors } from "../../lib/errors";
import { linkify } from "../../lib/text";
import { askedOf } from "../answers/questions";
import { audit } from "../audit/audit";
import { circularTimes } from "../circulars/circulars.service";
import { rate, SUPPRESS_BELOW } from "../city/suppress";
import { targetNames, targetOf } from "./targets";

type Row = typeof cityCirculars.$inferSelect;

const notFound = () => errors.notFound("市の回覧", "city circular");

/** A city circular of `kind` (a city 安否確認 is reached only through its own routes, safety.service.ts). */
export async function getRow(ctx: ServiceCtx, id: string, kind: CircularKind = "notice"): Promise<Row> {
  const [row] = await ctx.db
    .select()
    .from(cityCirculars)
    .where(and(eq(cityCirculars.id, id), eq(cityCirculars.kind, kind)));
  if (!row) throw notFound();
  return row;
}

/** After a guarded write changed nothing: gone (404) or no longer in the state it needed (409). */
export async function lostRace(
  ctx: ServiceCtx,
  id: string,
  conflict: () => Error,
  kind: CircularKind = "notice",
): Promise<never> {
  await getRow(ctx, id, kind);
  throw conflict();
}

/** How far published city circulars went: copies, households reached and read (from the copies' rollups). */
export async function reachOf(db: Db, ids: string[]) {
  const map = new Map<string, { associations: number; households: number; read: number }>();
  if (ids.length === 0) return map;
  const rows = await db.all<{ id: string; associations: number; households: number; read: number }>(sql`
    SELECT city_circular_id AS id, count(*) AS associations, sum(targeted) AS households, sum(read) AS read
    FROM ${statsCircular} WHERE city_circular_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    GROUP BY city_circular_id`);
  for (const r of rows)
    map.set(r.id, { associations: r.associations, households: Number(r.households), read: Number(r.read) });
  return map;
}

function reachDto(
  status: CircularStatus,
  reach: { associations: number; households: number; read: number } | undefined,
) {
  if (status !== "published") return null;
  const r = reach ?? { associations: 0, households: 0, read: 0 };
  const suppressed = r.households < SUPPRESS_BELOW;
  return {
    associations: r.associations,
    suppressed,
    households: suppressed ? null : r.households,
    read: suppressed ? null : r.read,
    readRate: rate(r.read, r.households),
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
    ...circularTimes(row),
  };
}

export const attachmentUrl = (circularId: string, id: string) => `/api/city/circulars/${circularId}/attachments/${id}`;

/** The circular as the city's screens show it (no audit row: the verbs that answer it write their own). */
export async function cityCircularDetail(ctx: ServiceCtx, id: string) {
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
    ...easyFields(row.easyBody),
    attachments: files.map((f) => ({ ...f, circularId: row.id, url: attachmentUrl(row.id, f.id) })),
    ...askedOf(row),
  };
}

export async function getCityCircular({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const out = await cityCircularDetail(ctx, input.id);
  await audit(ctx, "city.circular.view", "city_circular", input.id);
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
    // City 安否確認 have their own list (city-circulars/safety.service.ts).
    .where(and(eq(cityCirculars.kind, "notice"), input.status ? eq(cityCirculars.status, input.status) : undefined))
    .orderBy(
      sql`${cityCirculars.status} = 'draft' DESC`,
      desc(sql`coalesce(${cityCirculars.publishedAt}, ${cityCirculars.updatedAt})`),
    )
    .limit(input.limit);
  const [names, reach] = await Promise.all([
    targetNames(
      ctx.db,
      rows.map((r) => r.c),
    ),
    reachOf(
      ctx.db,
      rows.map((r) => r.c.id),
    ),
  ]);
  await audit(ctx, "city.circular.list", "city_circular", null, { status: input.status ?? null });
  return rows.map((r) => ({
    ...summary(r.c, r.authorName),
    targetNames: names.get(r.c.id) ?? [],
    reach: reachDto(r.c.status, reach.get(r.c.id)),
  }));
}
