// The single source of truth for Kairan's data. Migrations in drizzle/ are generated from this file
// (`npm run db:generate`) and committed.
//
// Conventions:
// - ids are random, unguessable strings (lib/ids.ts); nothing sequential ever reaches a URL;
// - times are integer milliseconds since the epoch (UTC) and map to Date; they are shown in JST by the clients;
// - every row of association data carries association_id, so each query can be scoped by the session's association.
import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date());

export const ROLES = ["resident", "block_leader", "leader", "city", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const CHANNELS = ["app", "paper"] as const;
export type Channel = (typeof CHANNELS)[number];
export const PRIORITIES = ["normal", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const AUDIENCES = ["all", "blocks"] as const;
export type Audience = (typeof AUDIENCES)[number];
export const CIRCULAR_STATUSES = ["draft", "published", "withdrawn"] as const;
export type CircularStatus = (typeof CIRCULAR_STATUSES)[number];
/** Who wrote a circular: the association's leaders, or the city (one copy per targeted association). */
export const ORIGINS = ["association", "city"] as const;
export type Origin = (typeof ORIGINS)[number];
export const CITY_TARGET_SCOPES = ["city", "wards", "districts", "associations"] as const;
export type CityTargetScope = (typeof CITY_TARGET_SCOPES)[number];
export const STAT_LEVELS = ["city", "ward", "district", "association"] as const;
export type StatLevel = (typeof STAT_LEVELS)[number];
/** notice: a circular to read (and maybe answer); safety: a 安否確認 (features/safety), answered 無事 / 助けが必要. */
export const CIRCULAR_KINDS = ["notice", "safety"] as const;
export type CircularKind = (typeof CIRCULAR_KINDS)[number];
/** How an answer came: the household in the app, a paper slip entered by a 班長, a 班長's visit or phone call. */
export const ANSWER_CHANNELS = ["app", "paper", "visit", "phone"] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];

export const wards = sqliteTable("wards", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  createdAt: createdAt(),
});

export const districts = sqliteTable(
  "districts",
  {
    id: text("id").primaryKey(),
    wardId: text("ward_id")
      .notNull()
      .references(() => wards.id),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("districts_ward_name").on(t.wardId, t.name)],
);

export const associations = sqliteTable(
  "associations",
  {
    id: text("id").primaryKey(),
    districtId: text("district_id")
      .notNull()
      .references(() => districts.id),
    name: text("name").notNull(),
    /** All households living in the association's area, members or not: the denominator of coverage. */
    householdsInArea: integer("households_in_area").notNull().default(0),
    /** Raised by every roster import applied (features/roster): of two leaders importing at once, one wins. */
    rosterVersion: integer("roster_version").notNull().default(0),
    /** The first day of the association's 年度 (officers' term), "MM-DD" in JST: 1 April unless changed
     *  (features/handover/term.ts). */
    termStart: text("term_start").notNull().default("04-01"),
    createdAt: createdAt(),
  },
  (t) => [index("associations_district").on(t.districtId)],
);

export const blocks = sqliteTable(
  "blocks",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id")
      .notNull()
      .references(() => associations.id),
    name: text("name").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("blocks_association_name").on(t.associationId, t.name)],
);

export const households = sqliteTable(
  "households",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id")
      .notNull()
      .references(() => associations.id),
    blockId: text("block_id")
      .notNull()
      .references(() => blocks.id),
    /** What neighbours call the household, usually the family name: 「山田」. */
    label: text("label").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull().default("app"),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" })
      .notNull()
      .$defaultFn(() => new Date()),
    leftAt: integer("left_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    /** The latest acknowledgement of any circular (kept by a trigger, drizzle/0005): "active" households. */
    lastReadAt: integer("last_read_at", { mode: "timestamp_ms" }),
    /** Subscribed push devices of its members (kept by triggers on push_subscriptions): push opt-in. */
    pushDevices: integer("push_devices").notNull().default(0),
    /** The 名簿's 備考 column, kept for the leader (imported and exported with the roster). */
    note: text("note"),
  },
  (t) => [index("households_association_block").on(t.associationId, t.blockId)],
);

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    /** Empty for city staff and administrators, who belong to no association. */
    associationId: text("association_id").references(() => associations.id),
    /** The household a resident reads for; leaders may belong to one too. */
    householdId: text("household_id").references(() => households.id),
    /** The block a block leader looks after. */
    blockId: text("block_id").references(() => blocks.id),
    displayName: text("display_name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    /** Lower-cased; only staff who sign in with a password have one. */
    email: text("email").unique(),
    /** "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>" (features/auth/password.ts). */
    passwordHash: text("password_hash"),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    /** An outgoing officer (「前会長」, features/handover): read-only staff access until this instant, then none. */
    readOnlyUntil: integer("read_only_until", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("members_association").on(t.associationId),
    index("members_household").on(t.householdId),
    // The hourly end of outgoing officers' access (handover.service endOutgoingAccess) reads only the few members
    // with an end set, instead of every member of the city.
    index("members_read_only_until")
      .on(t.readOnlyUntil)
      .where(sql`${t.readOnlyUntil} IS NOT NULL`),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    /** SHA-256 of the token's secret part; the secret itself is never stored. */
    secretHash: blob("secret_hash", { mode: "buffer" }).$type<Uint8Array>().notNull(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    /** Copied from the member so that "end every session of this household" is one indexed delete. */
    householdId: text("household_id"),
    userAgent: text("user_agent").notNull().default(""),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("sessions_member").on(t.memberId),
    index("sessions_household").on(t.householdId),
    index("sessions_expires").on(t.expiresAt),
  ],
);

/** Staff passkeys (WebAuthn, features/passkeys): one row per credential; the id is the credential id (base64url). */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    /** The COSE public key, as the authenticator gave it at registration. */
    publicKey: blob("public_key", { mode: "buffer" }).$type<Uint8Array>().notNull(),
    /** The signature counter last seen; a sign-in must bring a larger one (unless the authenticator keeps none). */
    counter: integer("counter").notNull().default(0),
    /** JSON array of the transports the browser reported ("internal", "hybrid", "usb" ...). */
    transports: text("transports").notNull().default("[]"),
    /** What the member calls it (「この端末」, a browser and system by default). */
    name: text("name").notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("passkeys_member").on(t.memberId)],
);

export const PASSKEY_PURPOSES = ["registration", "authentication"] as const;
export type PasskeyPurpose = (typeof PASSKEY_PURPOSES)[number];

/**
 * WebAuthn challenges: used once (deleted by the batch that uses them), valid for a few minutes, for one purpose;
 * a registration's challenge also belongs to the member who asked for it.
 */
export const passkeyChallenges = sqliteTable(
  "passkey_challenges",
  {
    /** The challenge itself (base64url of 32 random bytes), as the client data will carry it. */
    id: text("id").primaryKey(),
    purpose: text("purpose", { enum: PASSKEY_PURPOSES }).notNull(),
    /** Registration: the member adding a passkey. Authentication: empty (who signs in is not known yet). */
    memberId: text("member_id").references(() => members.id),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("passkey_challenges_expires").on(t.expiresAt)],
);

export const INVITE_KINDS = ["household", "leader", "block_leader"] as const;
export type InviteKind = (typeof INVITE_KINDS)[number];

export const invites = sqliteTable(
  "invites",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id")
      .notNull()
      .references(() => associations.id),
    kind: text("kind", { enum: INVITE_KINDS }).notNull(),
    householdId: text("household_id").references(() => households.id),
    blockId: text("block_id").references(() => blocks.id),
    /** SHA-256 (hex) of the long token in the QR code, and of the normalised short code. */
    tokenHash: text("token_hash").notNull().unique(),
    codeHash: text("code_hash").notNull().unique(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    usedBy: text("used_by"),
  },
  (t) => [index("invites_household").on(t.householdId), index("invites_expires").on(t.expiresAt)],
);

export const HANDOVER_ROLES = ["leader", "block_leader"] as const;
export type HandoverRole = (typeof HANDOVER_ROLES)[number];
export const HANDOVER_STATUSES = ["pending", "completed", "cancelled"] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

/**
 * 引き継ぎ (features/handover): a staff role passed to a successor through a one-time invite. When the successor
 * joins, the row is completed in the same batch and the outgoing officer (if any) keeps read-only access until
 * `read_only_until` (members.read_only_until).
 */
export const handovers = sqliteTable(
  "handovers",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id")
      .notNull()
      .references(() => associations.id),
    /** Not a foreign key: an unused invite is deleted a year after it ends (deleteExpiredInvites). */
    inviteId: text("invite_id").notNull().unique(),
    role: text("role", { enum: HANDOVER_ROLES }).notNull(),
    blockId: text("block_id").references(() => blocks.id),
    /** The officer stepping down; empty when the role is new or vacant. */
    outgoingMemberId: text("outgoing_member_id").references(() => members.id),
    successorMemberId: text("successor_member_id"),
    /** The first instant of the term (年度) the successor serves. */
    termStart: integer("term_start", { mode: "timestamp_ms" }).notNull(),
    status: text("status", { enum: HANDOVER_STATUSES }).notNull().default("pending"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    cancelledAt: integer("cancelled_at", { mode: "timestamp_ms" }),
    /** Set on completion: when the outgoing officer's read-only access ends. */
    readOnlyUntil: integer("read_only_until", { mode: "timestamp_ms" }),
  },
  (t) => [index("handovers_association_status").on(t.associationId, t.status)],
);

export const circulars = sqliteTable(
  "circulars",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id")
      .notNull()
      .references(() => associations.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** The やさしい日本語 version of the body (features/easy-japanese), written by the leader; null: none. */
    easyBody: text("easy_body"),
    /** ふりがな (features/furigana, docs/adr/0016): the ruby of title, body and easy_body, computed when published
     *  (JSON { title, body, easyBody }: [start, end, reading][] each); null: published without ふりがな. */
    furigana: text("furigana"),
    /** A draft's reading corrections by the leader (JSON { word: reading }), applied when it is published. */
    furiganaFixes: text("furigana_fixes"),
    priority: text("priority", { enum: PRIORITIES }).notNull().default("normal"),
    audience: text("audience", { enum: AUDIENCES }).notNull().default("all"),
    status: text("status", { enum: CIRCULAR_STATUSES }).notNull().default("draft"),
    authorId: text("author_id")
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
    dueAt: integer("due_at", { mode: "timestamp_ms" }),
    withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
    origin: text("origin", { enum: ORIGINS }).notNull().default("association"),
    /** For origin "city": the city circular this is the association's copy of. */
    cityCircularId: text("city_circular_id"),
    /** For origin "city": a short note the association's leader adds on top (「班長さんから一言」). */
    leaderNote: text("leader_note"),
    /** The last 「未確認の世帯に再通知」 by a leader: at most one an hour. */
    lastRemindedAt: integer("last_reminded_at", { mode: "timestamp_ms" }),
    /** When the automatic reminder of the due date (9:00 JST) was queued; it is sent once. */
    autoRemindedAt: integer("auto_reminded_at", { mode: "timestamp_ms" }),
    /** The questions households answer (features/answers/questions.ts), a JSON array; frozen once published. */
    questions: text("questions").notNull().default("[]"),
    /** 無記名: leaders and the city see tallies and who answered, never which household answered what. */
    anonymous: integer("anonymous", { mode: "boolean" }).notNull().default(false),
    /** "safety": a 安否確認 (features/safety); its answers are 無事 / 助けが必要, it never counts in the city's
     *  circular figures, and it is closed (closed_at, due_at set to the same time) rather than withdrawn. */
    kind: text("kind", { enum: CIRCULAR_KINDS }).notNull().default("notice"),
    /** 訓練: a practice run, marked on every screen, notification and report, and kept out of real figures. */
    drill: integer("drill", { mode: "boolean" }).notNull().default(false),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("circulars_association_status").on(t.associationId, t.status, t.publishedAt),
    index("circulars_association_kind").on(t.associationId, t.kind, t.closedAt),
    index("circulars_city").on(t.cityCircularId),
  ],
);

/** The chosen blocks of a circular whose audience is "blocks". */
export const circularBlocks = sqliteTable(
  "circular_blocks",
  {
    circularId: text("circular_id")
      .notNull()
      .references(() => circulars.id),
    blockId: text("block_id")
      .notNull()
      .references(() => blocks.id),
  },
  (t) => [primaryKey({ columns: [t.circularId, t.blockId] })],
);

export const attachments = sqliteTable(
  "attachments",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id")
      .notNull()
      .references(() => associations.id),
    circularId: text("circular_id")
      .notNull()
      .references(() => circulars.id),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    /** Where the bytes live in the BlobStore. */
    blobKey: text("blob_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_circular").on(t.circularId)],
);

/**
 * One row per targeted household, created with the circular's publication. Unread = read_at IS NULL.
 * block_id is the household's block at publication, so the board shows the audience as it was sent.
 */
export const receipts = sqliteTable(
  "receipts",
  {
    circularId: text("circular_id")
      .notNull()
      .references(() => circulars.id),
    householdId: text("household_id")
      .notNull()
      .references(() => households.id),
    associationId: text("association_id").notNull(),
    blockId: text("block_id").notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
    readBy: text("read_by"),
    channel: text("channel", { enum: CHANNELS }),
    createdAt: createdAt(),
  },
  (t) => [
    // "counts for this circular" walks the primary key prefix (circular_id, ...)
    primaryKey({ columns: [t.circularId, t.householdId] }),
    // "unread for this household": household_id = ? AND read_at IS NULL
    index("receipts_household_read").on(t.householdId, t.readAt),
    index("receipts_circular_read").on(t.circularId, t.readAt),
  ],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id"),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    /** JSON with what changed; never passwords, tokens or codes. */
    detail: text("detail").notNull().default("{}"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("audit_association_at").on(t.associationId, t.at)],
);

/** Failed password and short-code attempts, kept in the database so the limit holds across processes. */
export const authFailures = sqliteTable(
  "auth_failures",
  {
    id: text("id").primaryKey(),
    /** "account:<email>", "ip:<address>" or "code-ip:<address>". */
    key: text("key").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("auth_failures_key_at").on(t.key, t.at)],
);

/**
 * The server's VAPID key pair (RFC 8292), generated on first use when VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY are
 * not configured. One row, id "current". Keys are base64url: the uncompressed P-256 point and the scalar d.
 */
export const pushVapidKeys = sqliteTable("push_vapid_keys", {
  id: text("id").primaryKey(),
  publicKey: text("public_key").notNull(),
  privateKey: text("private_key").notNull(),
  createdAt: createdAt(),
});

export const PUSH_MODES = ["all", "urgent", "off"] as const;
export type PushMode = (typeof PUSH_MODES)[number];

/** One browser's push subscription (one device of a member). The endpoint identifies it: subscribing again updates. */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    associationId: text("association_id")
      .notNull()
      .references(() => associations.id),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    /** The member's household at subscription time: whom a circular's push reaches. Null for staff without one. */
    householdId: text("household_id").references(() => households.id),
    endpoint: text("endpoint").notNull().unique(),
    /** base64url, the browser's ECDH P-256 public key (65 octets). */
    p256dh: text("p256dh").notNull(),
    /** base64url, the 16-octet auth secret. */
    auth: text("auth").notNull(),
    /** A short label the member recognises ("iPad", "Android"), never the full User-Agent. */
    userAgentLabel: text("user_agent_label").notNull().default(""),
    createdAt: createdAt(),
    lastSuccessAt: integer("last_success_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("push_subscriptions_household").on(t.householdId), index("push_subscriptions_member").on(t.memberId)],
);

/** What a member wants pushed: every circular, urgent ones only, or nothing. No row means "all". */
export const pushPreferences = sqliteTable("push_preferences", {
  memberId: text("member_id")
    .primaryKey()
    .references(() => members.id),
  associationId: text("association_id")
    .notNull()
    .references(() => associations.id),
  mode: text("mode", { enum: PUSH_MODES }).notNull().default("all"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** answer_reminder: 「未回答の世帯に再通知」, to households that have not answered a circular's questions;
 *  safety: a 安否確認 (urgent, through quiet hours); watch: a 見守り notice to a watcher (circular_id is the household);
 *  rotation: 「班長になりました」 to a new block leader (features/rotation; circular_id is the block). */
export const PUSH_KINDS = ["circular", "reminder", "answer_reminder", "safety", "watch", "rotation"] as const;
export type PushKind = (typeof PUSH_KINDS)[number];
/** pending: waiting or being sent; sent: the push service took it (201); failed: refused, gone or gave up;
 *  skipped: no longer worth sending (read meanwhile, circular withdrawn, device unsubscribed). */
export const OUTBOX_STATUSES = ["pending", "sent", "failed", "skipped"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * One push to deliver to one subscription, written in the same batch as what caused it (a publication's receipts,
 * a reminder). A sender drains the pending rows whose next_attempt_at has come. Rows are kept slim (an integer
 * key, no payload): a whole-city urgent circular writes one row per subscribed device, and the payload is built
 * at sending time from the circular and the association.
 */
export const pushOutbox = sqliteTable(
  "push_outbox",
  {
    id: integer("id").primaryKey(),
    associationId: text("association_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    householdId: text("household_id"),
    circularId: text("circular_id").notNull(),
    kind: text("kind", { enum: PUSH_KINDS }).notNull(),
    /** Urgent circulars go first, with Urgency: high and TTL 24 h; normal ones TTL 72 h. */
    urgent: integer("urgent", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    /** Attempts started; a claimed row's next_attempt_at is its lease, so a crashed sender's rows come back. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    /** The push service's last HTTP status (0: no answer). */
    lastStatus: integer("last_status"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("push_outbox_due").on(t.status, t.urgent, t.nextAttemptAt),
    index("push_outbox_circular").on(t.circularId, t.status),
  ],
);

/**
 * A circular the city sends down: written once by city staff, published as one circulars row (origin "city") per
 * targeted association, so feeds, receipts, reminders and pushes work unchanged.
 */
export const cityCirculars = sqliteTable("city_circulars", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  /** The やさしい日本語 version of the body; copied into each association's copy. */
  easyBody: text("easy_body"),
  /** As on circulars: computed when published and copied into each association's copy; the draft's corrections. */
  furigana: text("furigana"),
  furiganaFixes: text("furigana_fixes"),
  priority: text("priority", { enum: PRIORITIES }).notNull().default("normal"),
  /** "city", or the chosen wards / districts / associations (target_ids, a JSON array). */
  targetScope: text("target_scope", { enum: CITY_TARGET_SCOPES }).notNull().default("city"),
  targetIds: text("target_ids").notNull().default("[]"),
  status: text("status", { enum: CIRCULAR_STATUSES }).notNull().default("draft"),
  authorId: text("author_id")
    .notNull()
    .references(() => members.id),
  createdAt: createdAt(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  publishedAt: integer("published_at", { mode: "timestamp_ms" }),
  dueAt: integer("due_at", { mode: "timestamp_ms" }),
  withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
  /** As on circulars; copied to every association's copy when published, so question ids are the same in all. */
  questions: text("questions").notNull().default("[]"),
  anonymous: integer("anonymous", { mode: "boolean" }).notNull().default(false),
  /** As on circulars: a city-wide 安否確認 (and whether it is a 訓練), closed for every copy at once. */
  kind: text("kind", { enum: CIRCULAR_KINDS }).notNull().default("notice"),
  drill: integer("drill", { mode: "boolean" }).notNull().default(false),
  closedAt: integer("closed_at", { mode: "timestamp_ms" }),
});

/** A city circular's files; copied (same blob) to each association's copy when it is published. */
export const cityAttachments = sqliteTable(
  "city_attachments",
  {
    id: text("id").primaryKey(),
    cityCircularId: text("city_circular_id")
      .notNull()
      .references(() => cityCirculars.id),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    blobKey: text("blob_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("city_attachments_circular").on(t.cityCircularId)],
);

// ---------- rollups for the city's dashboard (docs/adr/0005) ----------
// Kept by triggers and by statements in the batches that publish and withdraw (features/stats/rollup.ts);
// rebuildStats() recomputes them from the raw rows. level: city (scope_id ''), ward, district, association.

export const statsHouseholds = sqliteTable(
  "stats_households",
  {
    level: text("level", { enum: STAT_LEVELS }).notNull(),
    scopeId: text("scope_id").notNull(),
    inArea: integer("in_area").notNull().default(0),
    members: integer("members").notNull().default(0),
    app: integer("app").notNull().default(0),
    paper: integer("paper").notNull().default(0),
    push: integer("push").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.level, t.scopeId] })],
);

export const statsActive = sqliteTable(
  "stats_active",
  {
    level: text("level", { enum: STAT_LEVELS }).notNull(),
    scopeId: text("scope_id").notNull(),
    /** JST day number: (ms + 9 h) / 1 day. */
    day: integer("day").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.level, t.scopeId, t.day] })],
);

/** Read-delay histogram buckets b0…b31 (docs/adr/0005). */
export const DELAY_BUCKETS = 32;
const buckets = () =>
  Object.fromEntries(
    Array.from({ length: DELAY_BUCKETS }, (_, k) => [`b${k}`, integer(`b${k}`).notNull().default(0)]),
  ) as Record<`b${number}`, ReturnType<typeof integer>>;

export const statsWeek = sqliteTable(
  "stats_week",
  {
    level: text("level", { enum: STAT_LEVELS }).notNull(),
    scopeId: text("scope_id").notNull(),
    /** JST week number, weeks starting on Monday: (ms + 9 h + 3 days) / 7 days. */
    week: integer("week").notNull(),
    circulars: integer("circulars").notNull().default(0),
    targeted: integer("targeted").notNull().default(0),
    dueTargeted: integer("due_targeted").notNull().default(0),
    readByDue: integer("read_by_due").notNull().default(0),
    ...buckets(),
  },
  (t) => [primaryKey({ columns: [t.level, t.scopeId, t.week] })],
);

export const statsCircular = sqliteTable(
  "stats_circular",
  {
    circularId: text("circular_id").primaryKey(),
    associationId: text("association_id").notNull(),
    cityCircularId: text("city_circular_id"),
    targeted: integer("targeted").notNull().default(0),
    read: integer("read").notNull().default(0),
    read24h: integer("read_24h").notNull().default(0),
    read72h: integer("read_72h").notNull().default(0),
    dueTargeted: integer("due_targeted").notNull().default(0),
    readByDue: integer("read_by_due").notNull().default(0),
  },
  (t) => [index("stats_circular_city").on(t.cityCircularId)],
);

/**
 * A work table for changes of read state (server/features/receipts/read-batch.ts): inside one batch it holds the
 * receipts that batch reads (app acknowledgements, a paper record) or unreads (a paper record undone), so the
 * receipts UPDATE and the rollups' set-wise statements work on the same rows; the batch empties it before it
 * commits. Empty at rest.
 */
export const readBatch = sqliteTable(
  "read_batch",
  {
    circularId: text("circular_id").notNull(),
    householdId: text("household_id").notNull(),
    associationId: text("association_id").notNull(),
    /** When it was read: the new read for a read, the one being undone for an undo. */
    readAt: integer("read_at").notNull(),
    readBy: text("read_by"),
    /** read_at − the receipt's created_at, in ms. */
    delay: integer("delay").notNull(),
    /** The read-delay bucket (docs/adr/0005) and the JST week of the circular's publication. */
    bucket: integer("bucket").notNull(),
    week: integer("week").notNull(),
    /** 1 when the circular has a due date and this read is by it. */
    byDue: integer("by_due").notNull(),
    /** 1 when the circular is published: only those count in the rollups (a withdrawn one left them). */
    counted: integer("counted").notNull(),
  },
  // No key and no index: each receipt is staged once, and every statement reads the table whole (a few hundred rows
  // at most), joining the big tables by their keys; an index here would only be written and emptied.
);

// ---------- answers to a circular's questions (features/answers, docs/adr/0006) ----------

/**
 * One household's answer to a circular's questions: one row per household (any member answers for it), replaced
 * when changed. `value` is the answer as the API returns it; `items` its contributions to the tallies, one
 * {q, c, n} per (question, choice) counted (features/answers/questions.ts), so the tallies move set-wise in SQL.
 */
export const answers = sqliteTable(
  "answers",
  {
    circularId: text("circular_id")
      .notNull()
      .references(() => circulars.id),
    householdId: text("household_id")
      .notNull()
      .references(() => households.id),
    associationId: text("association_id").notNull(),
    /** The receipt's block (the household's block when the circular was published). */
    blockId: text("block_id").notNull(),
    value: text("value").notNull(),
    items: text("items").notNull(),
    channel: text("channel", { enum: ANSWER_CHANNELS }).notNull(),
    /** The member who answered (a block leader for a paper answer). */
    answeredBy: text("answered_by").notNull(),
    /** When the answer was made (for a queued offline answer: when it was tapped); the later answer wins. */
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.circularId, t.householdId] })],
);

/**
 * The tallies of a circular's answers, kept by the answer batches: per block and for the whole circular (block_id
 * ''), per question and choice: households that chose it and the sum of their amounts (人数 for 出欠, the number for a
 * number question). question_id '*' with choice '*' counts households that answered; choice '*' of a question counts
 * households that answered that question.
 */
export const answerTallies = sqliteTable(
  "answer_tallies",
  {
    circularId: text("circular_id").notNull(),
    blockId: text("block_id").notNull(),
    questionId: text("question_id").notNull(),
    choice: text("choice").notNull(),
    households: integer("households").notNull().default(0),
    amount: integer("amount").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.circularId, t.blockId, t.questionId, t.choice] })],
);

/** A work table for the answer batches (features/answers/answer-batch.ts), like read_batch. Empty at rest. */
export const answerBatch = sqliteTable("answer_batch", {
  circularId: text("circular_id").notNull(),
  householdId: text("household_id").notNull(),
  associationId: text("association_id").notNull(),
  blockId: text("block_id").notNull(),
  value: text("value").notNull(),
  items: text("items").notNull(),
  channel: text("channel").notNull(),
  answeredBy: text("answered_by").notNull(),
  answeredAt: integer("answered_at").notNull(),
});

// ---------- 安否確認 and 見守り (features/safety, features/watch) ----------

export const SAFETY_STATES = ["safe", "help", "absent"] as const;
/** safe: 無事; help: 助けが必要; absent: 不在 (a 班長's visit found nobody: the household stays unanswered). */
export type SafetyState = (typeof SAFETY_STATES)[number];

/**
 * Every safety answer and visit record, in order: the household's own answers (written by the answer batch, set-wise
 * from answer_batch) and a 班長's 「訪問して確認」. The answers table keeps the latest answer; this keeps them all
 * (the report's answers over time, and who said what when two raced).
 */
export const safetyEvents = sqliteTable(
  "safety_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    circularId: text("circular_id").notNull(),
    associationId: text("association_id").notNull(),
    householdId: text("household_id").notNull(),
    blockId: text("block_id").notNull(),
    state: text("state", { enum: SAFETY_STATES }).notNull(),
    /** The answer as stored in answers.value (JSON), '{}' for 不在. */
    value: text("value").notNull().default("{}"),
    channel: text("channel", { enum: ANSWER_CHANNELS }).notNull(),
    recordedBy: text("recorded_by").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("safety_events_circular").on(t.circularId, t.householdId, t.at)],
);

export const SUPPORT_NEEDS = ["walking", "sight", "hearing", "medical", "other"] as const;
export type SupportNeed = (typeof SUPPORT_NEEDS)[number];
export const CONSENTS = ["app", "paper"] as const;

/**
 * 要支援: a household that asked (with consent, in the app or on a paper form the leader recorded) to be helped in a
 * disaster. Seen only by the leader, the household's block leader and the supporters it named; every view is
 * audited; withdrawing consent deletes the row (and its supporters).
 */
export const supportNeeds = sqliteTable("support_needs", {
  householdId: text("household_id")
    .primaryKey()
    .references(() => households.id),
  associationId: text("association_id").notNull(),
  /** JSON array of SUPPORT_NEEDS. */
  needs: text("needs").notNull().default("[]"),
  note: text("note").notNull().default(""),
  consent: text("consent", { enum: CONSENTS }).notNull(),
  consentedAt: integer("consented_at", { mode: "timestamp_ms" }).notNull(),
  recordedBy: text("recorded_by").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** The members of the association a 要支援 household named as its supporters. */
export const supportSupporters = sqliteTable(
  "support_supporters",
  {
    householdId: text("household_id").notNull(),
    memberId: text("member_id").notNull(),
    associationId: text("association_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.householdId, t.memberId] }), index("support_supporters_member").on(t.memberId)],
);

/**
 * 見守り: a household that asked to be watched. Its watcher (a named member, or the household's block leader when
 * null) is told when it has acknowledged nothing for `days` while circulars reached it. Never seen by the city.
 */
export const watches = sqliteTable(
  "watches",
  {
    householdId: text("household_id")
      .primaryKey()
      .references(() => households.id),
    associationId: text("association_id").notNull(),
    watcherId: text("watcher_id"),
    days: integer("days").notNull().default(7),
    requestedBy: text("requested_by").notNull(),
    createdAt: createdAt(),
    /** When the watcher was last told the household had gone quiet; null while it reads. */
    alertedAt: integer("alerted_at", { mode: "timestamp_ms" }),
    /** The last 「様子を確認しました」. */
    checkedAt: integer("checked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("watches_association").on(t.associationId)],
);

/** 「様子を確認しました」 records (a visit or a call), kept for the watcher's and leader's history. */
export const watchChecks = sqliteTable(
  "watch_checks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    householdId: text("household_id").notNull(),
    associationId: text("association_id").notNull(),
    checkedBy: text("checked_by").notNull(),
    channel: text("channel", { enum: ["visit", "phone"] }).notNull(),
    note: text("note").notNull().default(""),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("watch_checks_household").on(t.householdId, t.at)],
);

// ---------- 班長 rotation (輪番, features/rotation) ----------

/**
 * A household's place in its block's rotation: its position and whether the leader marked it 免除 (exempt). A
 * household of the block without a row comes after those with one (by label). Keyed by the household: a household
 * that moves to another block keeps its row, which counts only while block_id is still its block.
 */
export const rotationOrder = sqliteTable(
  "rotation_order",
  {
    householdId: text("household_id")
      .primaryKey()
      .references(() => households.id),
    associationId: text("association_id").notNull(),
    blockId: text("block_id").notNull(),
    position: integer("position").notNull(),
    exempt: integer("exempt", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("rotation_order_block").on(t.blockId, t.position)],
);

/**
 * A block that has a rotation (the leader saved its order). `version` is the guard of every rotation (a press of
 * 「次の班長へ」 names the version it saw; the term job the one it read): two presses rotate once. rotated_at (or,
 * before the first rotation, created_at) tells the term job whether the block has rotated this term.
 */
export const blockRotations = sqliteTable("block_rotations", {
  blockId: text("block_id")
    .primaryKey()
    .references(() => blocks.id),
  associationId: text("association_id").notNull(),
  version: integer("version").notNull().default(0),
  /** The household whose turn it is: the 班長's, or one without a member yet, awaiting its invite (awaiting). */
  currentHouseholdId: text("current_household_id"),
  /** The turn's household has no member yet: the block has no 班長 until someone of it joins. */
  awaiting: integer("awaiting", { mode: "boolean" }).notNull().default(false),
  /** The member made 班長 by the latest rotation, and when they first saw 「班長になりました」 (null: not yet). */
  leaderMemberId: text("leader_member_id"),
  guideSeenAt: integer("guide_seen_at", { mode: "timestamp_ms" }),
  rotatedAt: integer("rotated_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});

export const schema = {
  wards,
  districts,
  associations,
  blocks,
  households,
  members,
  sessions,
  passkeys,
  passkeyChallenges,
  invites,
  handovers,
  circulars,
  circularBlocks,
  attachments,
  receipts,
  auditLog,
  authFailures,
  pushVapidKeys,
  pushSubscriptions,
  pushPreferences,
  pushOutbox,
  cityCirculars,
  cityAttachments,
  statsHouseholds,
  statsActive,
  statsWeek,
  statsCircular,
  readBatch,
  answers,
  answerTallies,
  answerBatch,
  safetyEvents,
  supportNeeds,
  supportSupporters,
  watches,
  watchChecks,
  rotationOrder,
  blockRotations,
};
