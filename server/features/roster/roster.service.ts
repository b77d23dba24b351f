// 「名簿を取り込む」: a leader's 名簿 file compared with the association's households (a preview that changes nothing),
// then applied as one audited batch; and the roster exported in the same format, so that the next 会長 receives a file
// they can open. Households are matched by block and name; one that changed block is found by its name alone when
// that name is unique on both sides. Households missing from the file are offered as 「転出」, never removed silently.
// The preview's token is the roster's version (associations.roster_version, raised by every change to blocks and
// households: households.service.ts rosterChanged, and by an import in its batch's guarded first statement): applying
// a preview to a roster that changed since is refused, and of two leaders applying at once one wins.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import writeXlsxFile from "write-excel-file/universal";
import type { AssociationCtx } from "../../context";
import { associations, blocks, households, type Channel } from "../../db/schema";
import { errors } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { auditIfChanged, happened } from "../audit/audit";
import { lateReceipts, signOutLeft } from "../households/households.service";
import { readRosterFile } from "./roster-file";
import { CHANNEL_LABELS, HEADERS, readRosterRows, type RosterRow, type RowError } from "./roster-rows";

interface Current {
  id: string;
  label: string;
  blockId: string;
  block: string;
  channel: Channel;
  note: string | null;
}

/** The association's blocks and the households still in it, and the token (its version) naming this state. */
async function currentRoster(ctx: AssociationCtx) {
  const [assoc] = await ctx.db
    .select({ version: associations.rosterVersion })
    .from(associations)
    .where(eq(associations.id, ctx.associationId));
  if (!assoc) throw errors.notFound("町内会", "association");
  const blockRows = await ctx.db
    .select({ id: blocks.id, name: blocks.name, sortOrder: blocks.sortOrder })
    .from(blocks)
    .where(eq(blocks.associationId, ctx.associationId))
    .orderBy(asc(blocks.sortOrder), asc(blocks.name));
  const blockName = new Map(blockRows.map((b) => [b.id, b.name]));
  const rows = await ctx.db
    .select({
      id: households.id,
      label: households.label,
      blockId: households.blockId,
      channel: households.channel,
      note: households.note,
    })
    .from(households)
    .where(and(eq(households.associationId, ctx.associationId), isNull(households.leftAt)))
    .orderBy(asc(households.id));
  const current: Current[] = rows.map((r) => ({ ...r, block: blockName.get(r.blockId) ?? "" }));
  return { version: assoc.version, blocks: blockRows, current, token: String(assoc.version) };
}

interface Plan {
  newBlocks: string[];
  add: RosterRow[];
  change: { row: RosterRow; household: Current }[];
  unchanged: number;
  missing: Current[];
}

/** What applying `rows` would do to `current`. */
function plan(rows: RosterRow[], current: Current[], blockNames: Set<string>): Plan {
  const key = (block: string, label: string) => `${block}\u0000${label}`;
  const byKey = new Map<string, Current[]>();
  for (const h of current) {
    const list = byKey.get(key(h.block, h.label));
    if (list) list.push(h);
    else byKey.set(key(h.block, h.label), [h]);
  }
  const matched = new Map<RosterRow, Current>();
  for (const row of rows) {
    const h = byKey.get(key(row.block, row.label))?.shift();
    if (h) matched.set(row, h);
  }
  // Moved to another block: the name alone, where it is unique among what is left on both sides.
  const taken = new Set(matched.values());
  const leftHouseholds = current.filter((h) => !taken.has(h));
  const leftRows = rows.filter((r) => !matched.has(r));
  const byName = <T>(xs: T[], label: (x: T) => string) => {
    const m = new Map<string, T[]>();
    for (const x of xs) {
      const list = m.get(label(x));
      if (list) list.push(x);
      else m.set(label(x), [x]);
    }
    return m;
  };
  const householdsNamed = byName(leftHouseholds, (h) => h.label);
  const rowsNamed = byName(leftRows, (r) => r.label);
  for (const row of leftRows) {
    const [h, ...more] = householdsNamed.get(row.label) ?? [];
    if (!h || more.length > 0 || rowsNamed.get(row.label)!.length !== 1) continue;
    matched.set(row, h);
    taken.add(h);
  }
  const change: Plan["change"] = [];
  let unchanged = 0;
  for (const [row, h] of matched) {
    if (row.block === h.block && row.channel === h.channel && (row.note ?? null) === (h.note ?? null)) unchanged++;
    else change.push({ row, household: h });
  }
  const add = rows.filter((r) => !matched.has(r));
  const newBlocks = [...new Set(rows.map((r) => r.block))].filter((b) => !blockNames.has(b));
  return { newBlocks, add, change, unchanged, missing: current.filter((h) => !taken.has(h)) };
}

export interface RosterPreview {
  token: string;
  errors: RowError[];
  newBlocks: string[];
  add: { line: number; block: string; label: string; channel: Channel; note: string | null }[];
  change: {
    line: number;
    householdId: string;
    label: string;
    before: { block: string; channel: Channel; note: string | null };
    after: { block: string; channel: Channel; note: string | null };
  }[];
  unchanged: number;
  missing: { householdId: string; block: string; label: string; channel: Channel }[];
}

/** The file's rows (and their errors), the roster as it is, and what applying the rows would do to it. */
async function prepare(ctx: AssociationCtx, bytes: Uint8Array) {
  const { rows, errors: rowErrors } = readRosterRows(await readRosterFile(bytes));
  const roster = await currentRoster(ctx);
  return { rowErrors, roster, plan: plan(rows, roster.current, new Set(roster.blocks.map((b) => b.name))) };
}

/** The preview: what the file would change. Changes nothing. */
export async function previewRoster({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { bytes: Uint8Array };
}): Promise<RosterPreview> {
  const { rowErrors, roster, plan: p } = await prepare(ctx, input.bytes);
  return {
    token: roster.token,
    errors: rowErrors,
    newBlocks: p.newBlocks,
    add: p.add.map(({ line, block, label, channel, note }) => ({ line, block, label, channel, note })),
    change: p.change.map(({ row, household: h }) => ({
      line: row.line,
      householdId: h.id,
      label: h.label,
      before: { block: h.block, channel: h.channel, note: h.note },
      after: { block: row.block, channel: row.channel, note: row.note },
    })),
    unchanged: p.unchanged,
    missing: p.missing.map((h) => ({ householdId: h.id, block: h.block, label: h.label, channel: h.channel })),
  };
}

/**
 * Applies the file as previewed with `token`, marking as 転出 the missing households listed in `leave`. Refused while
 * any row has an error, if the roster changed since the preview, or if another import won meanwhile (409).
 */
export async function applyRoster({
  ctx,
  input,
}: {
  ctx: AssociationCtx;
  input: { bytes: Uint8Array; token: string; leave: string[] };
}) {
  const { rowErrors, roster, plan: p } = await prepare(ctx, input.bytes);
  if (rowErrors.length > 0)
    throw errors.validation(
      `ファイルに直すところが${rowErrors.length}件あります。直してからもう一度取り込んでください。`,
      `The file has ${rowErrors.length} error(s); fix them and import again.`,
    );
  if (input.token !== roster.token) throw changedMeanwhile();
  const missing = new Set(p.missing.map((h) => h.id));
  const leave = [...new Set(input.leave)];
  if (leave.some((id) => !missing.has(id)))
    throw errors.validation(
      "転出にできるのは、ファイルにない世帯だけです。もう一度確認してください。",
      "Only households missing from the file can be marked as moved out.",
    );
  const result = {
    added: p.add.length,
    changed: p.change.length,
    left: leave.length,
    newBlocks: p.newBlocks.length,
    addedAppHouseholdIds: [] as string[],
  };
  if (p.add.length + p.change.length + leave.length === 0) return result;

  // Ids decided here, so that the households can name their new blocks and the answer the new households.
  const maxSort = roster.blocks.reduce((m, b) => Math.max(m, b.sortOrder), 0);
  const newBlocks = p.newBlocks.map((name, i) => ({ id: newId(), name, sort: maxSort + i + 1 }));
  const blockId = new Map([
    ...roster.blocks.map((b) => [b.name, b.id] as const),
    ...newBlocks.map((b) => [b.name, b.id] as const),
  ]);
  const added = p.add.map((r) => ({
    id: newId(),
    blockId: blockId.get(r.block)!,
    label: r.label,
    channel: r.channel,
    note: r.note,
  }));
  const changed = p.change.map(({ row, household }) => ({
    id: household.id,
    blockId: blockId.get(row.block)!,
    channel: row.channel,
    note: row.note,
  }));
  const now = ctx.now.getTime();
  const addedIds = JSON.stringify(added.map((h) => h.id));
  const leaveIds = JSON.stringify(leave);
  const bumped = ctx.db.run(sql`
    UPDATE ${associations} SET roster_version = roster_version + 1
    WHERE id = ${ctx.associationId} AND roster_version = ${roster.version}`);
  const audit = auditIfChanged(ctx, "roster.import", "association", ctx.associationId, {
    added: result.added,
    changed: result.changed,
    left: result.left,
    newBlocks: p.newBlocks,
  });
  const { won } = audit;
  const [first] = await ctx.db.batch([
    bumped,
    audit.insert,
    ctx.db.run(sql`
      INSERT INTO ${blocks} (id, association_id, name, sort_order, created_at)
      SELECT json_extract(j.value, '$.id'), ${ctx.associationId}, json_extract(j.value, '$.name'),
        json_extract(j.value, '$.sort'), ${now}
      FROM json_each(${JSON.stringify(newBlocks)}) j WHERE ${won}`),
    ctx.db.run(sql`
      INSERT INTO ${households} (id, association_id, block_id, label, channel, note, joined_at, created_at)
      SELECT json_extract(j.value, '$.id'), ${ctx.associationId}, json_extract(j.value, '$.blockId'),
        json_extract(j.value, '$.label'), json_extract(j.value, '$.channel'), json_extract(j.value, '$.note'), ${now}, ${now}
      FROM json_each(${JSON.stringify(added)}) j WHERE ${won}`),
    ...lateReceipts(ctx, sql`SELECT value FROM json_each(${addedIds})`, won),
    ctx.db.run(sql`
      UPDATE ${households} SET block_id = json_extract(j.value, '$.blockId'), channel = json_extract(j.value, '$.channel'),
        note = json_extract(j.value, '$.note')
      FROM json_each(${JSON.stringify(changed)}) j
      WHERE ${households.id} = json_extract(j.value, '$.id') AND ${households.associationId} = ${ctx.associationId} AND ${won}`),
    // 転出, as when a leader marks one household (households.service).
    ctx.db.run(sql`
      UPDATE ${households} SET left_at = ${now}
      WHERE association_id = ${ctx.associationId} AND left_at IS NULL AND id IN (SELECT value FROM json_each(${leaveIds}))
        AND ${won}`),
    ...signOutLeft(ctx, sql`SELECT value FROM json_each(${leaveIds})`, won),
  ]);
  if (!happened(first)) throw changedMeanwhile();
  result.addedAppHouseholdIds = added.filter((h) => h.channel === "app").map((h) => h.id);
  return result;
}

const changedMeanwhile = () =>
  errors.conflict(
    "確認のあとで名簿が変わりました（ほかの方が取り込んだか、世帯を直しました）。もう一度ファイルを読み込んで確認してください。",
    "The roster changed after the preview (another import or an edit). Load the file again and check the preview.",
  );

/** The roster as rows of the import's own format (header first), by block order and name. */
export async function rosterRows({ ctx }: { ctx: AssociationCtx }): Promise<string[][]> {
  const roster = await currentRoster(ctx);
  const order = new Map(roster.blocks.map((b, i) => [b.id, i]));
  const sorted = [...roster.current].sort(
    (a, b) => (order.get(a.blockId) ?? 0) - (order.get(b.blockId) ?? 0) || a.label.localeCompare(b.label, "ja"),
  );
  return [[...HEADERS], ...sorted.map((h) => [h.block, h.label, CHANNEL_LABELS[h.channel], h.note ?? ""])];
}

/** The roster as an .xlsx workbook (one sheet 「名簿」). */
export async function rosterXlsx({ ctx }: { ctx: AssociationCtx }): Promise<Uint8Array<ArrayBuffer>> {
  const rows = await rosterRows({ ctx });
  const blob = await writeXlsxFile(
    rows.map((r) => r.map((value) => ({ value, type: String }))),
    { sheet: "名簿", columns: [{ width: 10 }, { width: 20 }, { width: 10 }, { width: 30 }] },
  ).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}
