// Demo data for a first look: one ward, one district, two associations with blocks and about 40 households (some
// on paper), a leader, a block leader and a city staff account, and circulars read and unread. Made through the
// same services the API uses, so it obeys the same rules.
import { count, eq, sql } from "drizzle-orm";
import type { AssociationCtx } from "../context";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { associations, members, receipts } from "../db/schema";
import { createAssociation, createStaffAccount } from "../features/admin/admin.service";
import { hashPassword } from "../features/auth/password";
import { createDraft, publishCircular } from "../features/circulars/circulars.service";
import { createBlock, createHousehold } from "../features/households/households.service";
import { createHouseholdInvite } from "../features/invites/invites.service";
import { newId } from "../lib/ids";
import { DAY, HOUR } from "../lib/time";

export const DEMO_PASSWORD = "kairan-demo-2026";
export const DEMO_ACCOUNTS = [
  { role: "leader", email: "kaicho@example.jp", name: "佐藤 一郎（会長）" },
  { role: "block_leader", email: "hancho@example.jp", name: "鈴木 花子（1班 班長）" },
  { role: "city", email: "city@example.jp", name: "仙台市 市民局 地域政策課" },
] as const;

const SURNAMES = [
  "佐藤",
  "鈴木",
  "高橋",
  "田中",
  "伊藤",
  "渡辺",
  "山本",
  "中村",
  "小林",
  "加藤",
  "吉田",
  "山田",
  "佐々木",
  "山口",
  "松本",
  "井上",
  "木村",
  "林",
  "斎藤",
  "清水",
  "山崎",
  "森",
  "阿部",
  "池田",
  "橋本",
  "石川",
  "遠藤",
  "菅原",
  "千葉",
  "及川",
  "大友",
  "今野",
  "庄司",
  "早坂",
  "武田",
  "熊谷",
  "丹野",
  "三浦",
  "菊地",
  "小野寺",
];

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(associations);
  return (row?.n ?? 0) === 0;
}

interface SeedDeps {
  db: Db;
  config: Config;
  now: Date;
  origin: string;
}

async function leaderMember(
  deps: SeedDeps,
  associationId: string,
  email: string,
  name: string,
  role: "leader" | "block_leader",
  blockId: string | null,
) {
  const id = newId();
  await deps.db.insert(members).values({
    id,
    associationId,
    displayName: name,
    role,
    blockId,
    email,
    passwordHash: await hashPassword(DEMO_PASSWORD, deps.config.passwordIterations),
    createdAt: deps.now,
  });
  return id;
}

function ctxFor(deps: SeedDeps, associationId: string, memberId: string, now: Date): AssociationCtx {
  return {
    db: deps.db,
    config: deps.config,
    now,
    associationId,
    actor: { memberId, sessionId: "seed", role: "leader", associationId, householdId: null, blockId: null },
  };
}

async function seedAssociation(
  deps: SeedDeps,
  spec: { name: string; blocks: string[]; households: number; inArea: number; surnameOffset: number },
) {
  const made = await createAssociation(deps, {
    ward: "青葉区",
    district: "宮城地区西部",
    name: spec.name,
    householdsInArea: spec.inArea,
    origin: deps.origin,
  });
  const associationId = made.associationId;
  // Consume the first-leader invite by hand: the demo leader exists already.
  const leaderId = await leaderMember(
    deps,
    associationId,
    `leader-${associationId}@example.invalid`,
    `${spec.name} 役員`,
    "leader",
    null,
  );
  const past = new Date(deps.now.getTime() - 40 * DAY);
  const setup = ctxFor(deps, associationId, leaderId, past);
  const blockIds: string[] = [];
  for (const name of spec.blocks) blockIds.push((await createBlock({ ctx: setup, input: { name } })).id);
  const householdIds: { id: string; blockId: string; paper: boolean }[] = [];
  for (let i = 0; i < spec.households; i++) {
    const blockId = blockIds[i % blockIds.length]!;
    // About one in five households stays on paper.
    const paper = i % 5 === 3;
    const label = SURNAMES[(i + spec.surnameOffset) % SURNAMES.length]!;
    const h = await createHousehold({ ctx: setup, input: { label, blockId, channel: paper ? "paper" : "app" } });
    householdIds.push({ id: h.id, blockId, paper });
  }
  return { associationId, leaderId, blockIds, householdIds };
}

const CIRCULARS = [
  {
    title: "資源回収日のお知らせ（12月）",
    body: "12月の資源回収は 12月6日(土) 午前8時30分までに、集会所前に出してください。\n\n・新聞、雑誌、段ボールはひもで十字にしばってください。\n・びん、缶は中を軽くすすいでください。\n\n分別の詳しい説明は仙台市のページにあります。\nhttps://www.city.sendai.jp/",
    daysAgo: 20,
    priority: "normal" as const,
    readShare: 0.95,
  },
  {
    title: "秋の一斉清掃 ご協力のお礼",
    body: "11月の一斉清掃には、たくさんの方にご参加いただきました。ありがとうございました。\n集めたごみは 45袋 でした。",
    daysAgo: 12,
    priority: "normal" as const,
    readShare: 0.8,
  },
  {
    title: "年末の夜間防犯パトロールのお願い",
    body: "12月20日(土)から28日(日)まで、夜8時から各班2名ずつで見回りをします。\n参加できる方は、班長までお知らせください。",
    daysAgo: 3,
    priority: "normal" as const,
    readShare: 0.5,
  },
  {
    title: "【至急】断水のお知らせ",
    body: "水道管の工事のため、明日 午前9時から正午まで断水します。\n飲み水や生活用水を前もってご用意ください。\n\n問い合わせ: 仙台市水道局 022-748-2211",
    daysAgo: 0.2,
    priority: "urgent" as const,
    readShare: 0.2,
  },
];

export async function seedDemo(deps: SeedDeps) {
  const a = await seedAssociation(deps, {
    name: "作並町内会",
    blocks: ["1班", "2班", "3班"],
    households: 24,
    inArea: 30,
    surnameOffset: 0,
  });
  const b = await seedAssociation(deps, {
    name: "新川町内会",
    blocks: ["1班", "2班"],
    households: 16,
    inArea: 20,
    surnameOffset: 24,
  });

  // The demo sign-ins belong to 作並町内会.
  const [leader, blockLeader, city] = DEMO_ACCOUNTS;
  const leaderId = await leaderMember(deps, a.associationId, leader.email, leader.name, "leader", null);
  await leaderMember(deps, a.associationId, blockLeader.email, blockLeader.name, "block_leader", a.blockIds[0]!);
  await createStaffAccount(deps, { role: "city", email: city.email, displayName: city.name, password: DEMO_PASSWORD });

  for (const assoc of [a, b]) {
    const author = assoc === a ? leaderId : assoc.leaderId;
    // One resident member per app household, who did the reading.
    const readers = new Map<string, string>();
    for (const h of assoc.householdIds.filter((x) => !x.paper)) {
      const id = newId();
      await deps.db.insert(members).values({
        id,
        associationId: assoc.associationId,
        householdId: h.id,
        displayName: "ご家族",
        role: "resident",
        createdAt: deps.now,
      });
      readers.set(h.id, id);
    }
    for (const spec of CIRCULARS) {
      const at = new Date(deps.now.getTime() - spec.daysAgo * DAY);
      const ctx = ctxFor(deps, assoc.associationId, author, at);
      const draft = await createDraft({
        ctx,
        input: {
          title: spec.title,
          body: spec.body,
          priority: spec.priority,
          audience: "all",
          blockIds: [],
          dueAt: new Date(at.getTime() + 10 * DAY),
        },
      });
      await publishCircular({ ctx, input: { id: draft.id } });
      // A deterministic share of households has read it, some on paper, at realistic delays.
      const order = assoc.householdIds.length;
      const reads = Math.round(order * spec.readShare);
      for (const [i, h] of assoc.householdIds.slice(0, reads).entries()) {
        const delay = Math.min((i + 1) * 2.5 * HOUR, spec.daysAgo * DAY * 0.9);
        await deps.db
          .update(receipts)
          .set({
            readAt: new Date(at.getTime() + delay),
            readBy: h.paper ? author : (readers.get(h.id) ?? null),
            channel: h.paper ? "paper" : "app",
          })
          .where(sql`${receipts.circularId} = ${draft.id} AND ${receipts.householdId} = ${h.id}`);
      }
    }
  }
  await createDraft({
    ctx: ctxFor(deps, a.associationId, leaderId, deps.now),
    input: {
      title: "新年会のご案内（下書き）",
      body: "1月12日(月・祝) 正午から集会所で新年会を開きます。\n会費は お一人 1,000円 です。",
      priority: "normal",
      audience: "all",
      blockIds: [],
      dueAt: null,
    },
  });

  // An invite for one household of 作並町内会 that still has unread notices, so the resident side can be tried at once.
  const firstAppHousehold = a.householdIds.filter((h) => !h.paper).at(-1)!;
  const demoInvite = await createHouseholdInvite({
    ctx: ctxFor(deps, a.associationId, leaderId, deps.now),
    input: { householdId: firstAppHousehold.id, origin: deps.origin },
  });
  const [assoc] = await deps.db
    .select({ name: associations.name })
    .from(associations)
    .where(eq(associations.id, a.associationId));
  return { associationName: assoc?.name ?? "", accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD, invite: demoInvite };
}
