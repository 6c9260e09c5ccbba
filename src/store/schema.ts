import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { MetricValues } from "../engine/value.ts";
import { type CardDocument, cardOfText, cardText } from "./card-text.ts";
import { figuresOfText, figuresText } from "./figures-text.ts";

/**
 * The database: who is who, what each agent did each day, the scorecards computed from it, and
 * the record of every import and change. `npx drizzle-kit generate` turns edits here into a new
 * file in migrations/; the bot applies them at start-up.
 */

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const shops = pgTable("shops", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  platform: text("platform").notNull(),
  timeZone: text("time_zone").notNull().default("Asia/Shanghai"),
  category: text("category"),
  createdAt: createdAt(),
});

export const teams = pgTable("teams", {
  id: text("id").primaryKey(),
  shopId: text("shop_id")
    .notNull()
    .references(() => shops.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const agents = pgTable("agents", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  role: text("role").notNull(),
  teamId: text("team_id").references(() => teams.id),
  supervisorId: text("supervisor_id"),
  traineeSince: date("trainee_since", { mode: "string" }),
  /** Working hours in the shop's zone ({"start":"09:00","end":"18:00"}): nudges wait for them. */
  shift: jsonb("shift").$type<{ start: string; end: string }>(),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

/** How a shop's exports name an agent (客服昵称 / account). */
export const agentAccounts = pgTable(
  "agent_accounts",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    account: text("account").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.account] }), index("agent_accounts_agent").on(t.agentId)],
);

/** Slack / Feishu / DingTalk user ids of an agent. */
export const chatIdentities = pgTable(
  "chat_identities",
  {
    platform: text("platform").notNull(),
    userId: text("user_id").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    /** roster: from the configuration, replaced by each sync; link: approved in chat, kept by syncs. */
    origin: text("origin").notNull().default("roster"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId] }), index("chat_identities_agent").on(t.agentId)],
);

/**
 * `link <account>` from a chat user the roster does not name: pending until a supervisor of the
 * agent (or an admin) approves or rejects it.
 */
export const linkRequests = pgTable(
  "link_requests",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    platform: text("platform").notNull(),
    userId: text("user_id").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    /** pending | approved | rejected */
    status: text("status").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("link_requests_one_pending").on(t.platform, t.userId).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Inbound chat deliveries already handled, by the platform's own id (Slack event id or trigger,
 * Feishu event_id, DingTalk msgId): platforms re-deliver (Slack retries, Feishu re-pushes for
 * hours, DingTalk re-pushes un-acked callbacks) and each must act once. Old rows are pruned.
 */
export const inboundDeliveries = pgTable(
  "inbound_deliveries",
  {
    platform: text("platform").notNull(),
    deliveryId: text("delivery_id").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.deliveryId] }),
    index("inbound_deliveries_received").on(t.receivedAt),
  ],
);

export const importRuns = pgTable(
  "import_runs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    source: text("source").notNull(),
    fileName: text("file_name"),
    /** SHA-256 of the file's bytes (or of the fetched body): the same file twice is a no-op. */
    fileHash: text("file_hash").notNull(),
    shopId: text("shop_id").references(() => shops.id),
    /** The day the import was told (--date), when the file has no date column. */
    day: date("day", { mode: "string" }),
    /** done: stored; rejected: bad rows, nothing stored. */
    status: text("status").notNull(),
    recordCount: integer("record_count").notNull().default(0),
    problemCount: integer("problem_count").notNull().default(0),
    /** The first problems, for `kpi import` to show again. */
    problems: jsonb("problems").notNull().default(sql`'[]'::jsonb`),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("import_runs_done_once").on(t.source, t.fileHash).where(sql`${t.status} = 'done'`)],
);

/**
 * What one source said of one agent on one shop-local day: numerators and denominators by metric
 * id ({"reply_rate": {"num": 118, "den": 120}, …}, the engine's MetricValues). One row per
 * agent-day rather than per metric keeps a 300,000-row month import to 300,000 rows.
 */
/**
 * An agent-day's figures, as JSON text (figures-text.ts). SQL never looks inside them, and the
 * server's jsonb input (every number converted to numeric) cost three times the rest of a row's
 * insert: a month of a 10,000-agent shop is 310,000 documents (docs/benchmarks.md, "Imports").
 * `values::jsonb` still opens one up in an ad-hoc query.
 */
const figures = customType<{ data: MetricValues; driverData: string }>({
  dataType: () => "text",
  toDriver: figuresText,
  fromDriver: figuresOfText,
});

/**
 * One row per agent, day and source. The agent is a foreign key; the shop (implied by the agent's
 * account) and the import run (written in the same transaction, never deleted) are not: their
 * checks, a lookup per row each, cost more than the rest of the row in a bulk import.
 */
export const agentDays = pgTable(
  "agent_days",
  {
    shopId: text("shop_id").notNull(),
    // Not a foreign key (migration 0015): an import takes the agent from the accounts it has just
    // resolved or created, and nothing deletes an agent (one who leaves is marked inactive). The
    // key's check was half of the server's work in a big import's COPY (2.3 s → 1.25 s a month).
    agentId: text("agent_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    /** chitu, jd, generic, chatlog, http, demo: a corrected file replaces its own source's rows. */
    source: text("source").notNull(),
    values: figures("values").notNull(),
    /** Metrics not final yet (Chitu's 延迟统计): a later import fills them in. */
    pending: jsonb("pending").$type<string[]>().notNull(),
    importRunId: integer("import_run_id").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  // Day first: every reader asks for a range of days (scoring a period, checking what an import
  // replaces), so the key serves them and no second index has to be kept up on each insert.
  (t) => [
    primaryKey({ name: "agent_days_key", columns: [t.day, t.shopId, t.agentId, t.source] }),
    // `/kpi me` reads one agent's days of a period (for the coaching line): without this, every
    // command scanned the whole shop's days of the period.
    index("agent_days_agent").on(t.agentId, t.day),
  ],
);

/** The raw facts behind the numbers: long waits, phrase hits, low ratings, bad reviews. */
export const facts = pgTable(
  "facts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id),
    agentId: text("agent_id").references(() => agents.id),
    day: date("day", { mode: "string" }).notNull(),
    kind: text("kind").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    ref: text("ref").notNull(),
    /** kind, ref and agent: the same fact from a re-import is the same row. */
    factKey: text("fact_key").notNull(),
    detail: jsonb("detail").notNull(),
    importRunId: integer("import_run_id").references(() => importRuns.id),
  },
  (t) => [
    uniqueIndex("facts_once").on(t.shopId, t.factKey),
    index("facts_agent_day").on(t.agentId, t.day),
    // Scoring's bad-review recovery counts a period's bad reviews of every agent: PostgreSQL
    // would rather scan all facts than descend facts_agent_day once per agent.
    index("facts_bad_review_day").on(t.day, t.agentId).where(sql`${t.kind} = 'bad_review'`),
  ],
);

/** A role's scheme as it was in force from a day on: a past month is re-scored with its own. */
export const schemeVersions = pgTable(
  "scheme_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    role: text("role").notNull(),
    schemeId: text("scheme_id").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    document: jsonb("document").notNull(),
    /** SHA-256 of the document: loading an unchanged config adds no version. */
    digest: text("digest").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("scheme_versions_role_from").on(t.role, t.effectiveFrom)],
);

/**
 * A scorecard as JSON text (card-text.ts), as agent-days keep their figures: a 3,000-agent shop's
 * import writes 110,000 cards, and the server's jsonb input (every number converted to numeric)
 * cost twice the rest of their insert. `card::jsonb` opens one up in SQL.
 */
const cardDocument = customType<{ data: CardDocument; driverData: string }>({
  dataType: () => "text",
  toDriver: cardText,
  fromDriver: cardOfText,
});

/**
 * One card per agent and period. Neither the agent nor the scheme version is a foreign key: a
 * scoring takes both from rows it has just read (the roster, the versions in force), and neither
 * table ever loses a row (an agent who leaves the roster is marked inactive: roster-repo.ts). The
 * two checks, a lookup per card each, were a third of the time PGlite took to write the cards
 * (100,000 of them: 8.1–9.7 s with, 6.0 s without), and a month's import of a big shop writes
 * 370,000.
 */
export const scorecards = pgTable(
  "scorecards",
  {
    agentId: text("agent_id").notNull(),
    /** day | week | month | quarter */
    periodKind: text("period_kind").notNull(),
    /** 2026-11-22, 2026-W47, 2026-11, 2026-Q4 */
    periodKey: text("period_key").notNull(),
    schemeVersionId: integer("scheme_version_id").notNull(),
    /** Null when nothing could be scored (no figures for any item). */
    total: doublePrecision("total"),
    grade: text("grade"),
    coefficient: doublePrecision("coefficient"),
    /** The whole scorecard (items, pay, pending metrics) as the engine produced it. */
    card: cardDocument("card").notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
  },
  // Period first: a period's cards are read together (digests, ranks, `kpi score`) and an
  // import's first save of a period looks for any; an agent's cards are read by period too.
  (t) => [primaryKey({ columns: [t.periodKind, t.periodKey, t.agentId] })],
);

/**
 * What was done about a bad review (a `bad_review` fact): due 24 h after the review. Open
 * follow-ups are the bad-review facts without a row here; `done` and the nudge buttons add it.
 */
export const followUps = pgTable(
  "follow_ups",
  {
    factId: integer("fact_id")
      .primaryKey()
      .references(() => facts.id),
    /** A bad review's: contacted | recovered | unreachable; a low rating's: reviewed */
    outcome: text("outcome").notNull(),
    note: text("note"),
    /** The agent id of who recorded it. */
    doneBy: text("done_by").notNull(),
    doneAt: timestamp("done_at", { withTimezone: true }).notNull(),
  },
  // The follow-up watch asks every five minutes what was recorded since it last looked.
  (t) => [index("follow_ups_done").on(t.doneAt)],
);

/** Who changed what: corrected imports, re-scores, roster edits, approvals. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    subject: text("subject").notNull(),
    detail: jsonb("detail").notNull(),
  },
  (t) => [index("audit_log_subject").on(t.subject)],
);

/**
 * One row per scheduled fire, claimed by the replica that runs it and never released, so a
 * replica whose timer fires late cannot run the same slot again.
 */
export const jobSlots = pgTable(
  "job_slots",
  {
    job: text("job").notNull(),
    slot: timestamp("slot", { withTimezone: true }).notNull(),
    claimedBy: text("claimed_by").notNull(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** running | done | failed */
    status: text("status").notNull(),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] })],
);

/**
 * Where owed generations come from: one sequence, so a period owed, settled and owed again never
 * gets a generation it had before, and a generation read once names one state of its figures.
 */
export const owedGenerations = pgSequence("owed_scoring_generation");

/**
 * Scoring owed: a period whose stored figures changed and whose scorecards are not yet scored
 * from them. A row is written in the same transaction as the figures that make it owed (an
 * import, a recovered bad review), so a crash between storing and scoring leaves the debt
 * recorded; whoever drains it (the import itself, the bot at start and every few minutes, `kpi db
 * check --repair`, any replica) scores the period and deletes the row, unless it was owed again
 * meanwhile: `generation` moves on every time it is owed, and the row goes only if it did not.
 */
export const owedScoring = pgTable("owed_scoring", {
  /** 2026-11-22, 2026-W47, 2026-11-09~2026-11-22, 2026-11 */
  periodKey: text("period_key").primaryKey(),
  /** day | week | fortnight | month: drained in this order, a digest reads days first. */
  periodKind: text("period_kind").notNull(),
  generation: integer("generation").notNull().default(sql`nextval('owed_scoring_generation')`),
  /** When it was first owed (kept while it is owed again). */
  owedSince: timestamp("owed_since", { withTimezone: true }).notNull(),
  /** What owed it last: import:<run id>, follow-up:<fact id>, demo, repair. */
  reason: text("reason").notNull(),
});

/**
 * The configuration last brought into the database (bot/sync-config.ts), as a SHA-256 of the file
 * and the schemes it names: a command started with the same ones skips the sync. One row (id 1),
 * replaced by the next different configuration, so going back to an earlier file syncs again.
 */
export const configSync = pgTable("config_sync", {
  id: integer("id").primaryKey(),
  fingerprint: text("fingerprint").notNull(),
  syncedAt: timestamp("synced_at", { withTimezone: true }).notNull(),
});

/**
 * Every message the bot sends on its own (digests, nudges, escalations, alerts), written here
 * before it is sent. The key says what the message is about (kind, recipient, period or fact):
 * a second message with a key already here is not queued, so nothing goes out twice.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    key: text("key").notNull(),
    platform: text("platform").notNull(),
    /** The adapter's Destination: a channel or a user. */
    destination: jsonb("destination").notNull(),
    /** The Reply to render on the platform. */
    reply: jsonb("reply").notNull(),
    /** queued | sending | sent | dead */
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    /** Not sent before this (quiet hours, a retry's back-off, Retry-After). */
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    /** The send slot reserved under the platform's limits (pacing.ts), when it was too far ahead to wait for. */
    slotAt: timestamp("slot_at", { withTimezone: true }),
    /** When the current attempt began: a `sending` row older than the lease was abandoned by a crash. */
    attemptedAt: timestamp("attempted_at", { withTimezone: true }),
    /** The job queued to send it; null until queued (a sweep queues rows a crash left without one). */
    jobId: text("job_id"),
    lastError: text("last_error"),
    /** The platform's handle of the sent message (to update it later). */
    sentRef: text("sent_ref"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("outbox_key").on(t.key),
    index("outbox_unqueued").on(t.createdAt).where(sql`${t.status} = 'queued' AND ${t.jobId} IS NULL`),
  ],
);

/**
 * The next free send time of each rate-limit scope (a Slack channel, a Feishu app or chat, a
 * DingTalk robot), shared by every replica: a send reserves the scope's next slot in one UPDATE.
 */
export const sendPacing = pgTable("send_pacing", {
  scope: text("scope").primaryKey(),
  nextAt: timestamp("next_at", { withTimezone: true }).notNull(),
});

/**
 * Slack's direct-message channel of each user (conversations.open is limited to about 50 calls a
 * minute, so 5,000 first-time DMs would take 100 minutes without it), kept across restarts.
 */
export const chatDmChannels = pgTable(
  "chat_dm_channels",
  {
    platform: text("platform").notNull(),
    userId: text("user_id").notNull(),
    channelId: text("channel_id").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId] })],
);

/**
 * What a published digest showed of each agent (total, grade, item actuals): a later re-score
 * that changes it is reported once by the team's next digest ("revised: 小张 B→A"), after which
 * the snapshot holds the revised figures.
 */
export const digestSnapshots = pgTable(
  "digest_snapshots",
  {
    teamId: text("team_id").notNull(),
    periodKind: text("period_kind").notNull(),
    periodKey: text("period_key").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull(),
    /** agent id → { total, grade, actuals: { metric: value } } */
    cards: jsonb("cards").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.periodKind, t.periodKey] }),
    index("digest_snapshots_published").on(t.teamId, t.publishedAt),
  ],
);

/**
 * Each thing the bot told someone about (a low rating, a bad review, a slow day, an escalation
 * step), with the outbox message that carried it: several nudges for one agent go out as one
 * message, and nothing is told twice.
 */
export const notices = pgTable(
  "notices",
  {
    /** What it is about: "low_rating:123", "bad_review:45:reminder", "slow:zhang:2026-11-22" … */
    subject: text("subject").primaryKey(),
    /** The agent it concerns. */
    agentId: text("agent_id").notNull(),
    /** nudge | reminder | escalation */
    kind: text("kind").notNull(),
    outboxKey: text("outbox_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("notices_agent").on(t.agentId, t.createdAt)],
);

/**
 * Appeals (申诉): an agent questions an item of their card for a period (`metric`, `periodKind`,
 * `periodKey`) or a fact (`factId`: a long wait, a phrase hit, a low rating, a bad review). One
 * open appeal per subject (`subject`: "item:<metric>:<period>" or "fact:<id>"). The agent's
 * supervisor (else an admin) accepts it, with a corrected value (`correctedNum`/`correctedDen`,
 * in engine units) or an exclusion of the fact (`exclude`), or rejects it with a reason.
 * Accepted corrections are applied at scoring (bot/appeal-corrections.ts). docs/appeals.md.
 */
export const appeals = pgTable(
  "appeals",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    subject: text("subject").notNull(),
    /** The item's metric, or the metric a fact's exclusion changes (long_wait_count …). */
    metric: text("metric").notNull(),
    periodKind: text("period_kind"),
    periodKey: text("period_key"),
    factId: integer("fact_id").references(() => facts.id),
    /** The fact's shop-local day (what its exclusion touches). */
    factDay: date("fact_day", { mode: "string" }),
    reason: text("reason").notNull(),
    /** The figure as the card showed it when raised (engine units), for the card and the audit. */
    before: doublePrecision("before"),
    /** open | accepted | rejected */
    status: text("status").notNull(),
    /** The agent id of who raised it (the agent, or their supervisor for them). */
    raisedBy: text("raised_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionReason: text("decision_reason"),
    correctedNum: doublePrecision("corrected_num"),
    correctedDen: doublePrecision("corrected_den"),
    exclude: boolean("exclude").notNull().default(false),
    /** When the decider was reminded, and the admins told, of an appeal left open. */
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("appeals_one_open").on(t.subject).where(sql`${t.status} = 'open'`),
    index("appeals_agent").on(t.agentId, t.status),
    index("appeals_open").on(t.status, t.createdAt),
  ],
);

// ── Gaming alerts (docs/gaming.md) ─────────────────────────────────────────────────────────────
// Nothing in scoring reads these tables: an alert goes to the supervisor, never into pay.

/**
 * An agent-day's gaming tallies of one kind (src/engine/gaming/day-tally.ts): counts that add up
 * over days, and a few examples (sessions, lines, waits) as evidence. A batch's conversations
 * replace the rows of the agent-days they cover.
 */
export const gamingSignals = pgTable(
  "gaming_signals",
  {
    shopId: text("shop_id").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    day: date("day", { mode: "string" }).notNull(),
    kind: text("kind").notNull(),
    evidence: jsonb("evidence").notNull(),
    /** How many of the agent-day's conversations the tally read. */
    conversations: integer("conversations").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: "gaming_signals_key", columns: [t.day, t.agentId, t.kind, t.shopId] })],
);

/** A gaming alert: at most one per agent, ISO week and kind; open until a supervisor marks it fine. */
export const gamingAlerts = pgTable(
  "gaming_alerts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    /** ISO week, 2026-W47. */
    week: text("week").notNull(),
    kind: text("kind").notNull(),
    /** The finding: rule, numbers and examples (src/engine/gaming/week-rules.ts GamingFinding). */
    evidence: jsonb("evidence").notNull(),
    /** open | fine */
    status: text("status").notNull().default("open"),
    markedBy: text("marked_by"),
    markedAt: timestamp("marked_at", { withTimezone: true }),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("gaming_alerts_once").on(t.agentId, t.week, t.kind),
    index("gaming_alerts_status").on(t.status),
  ],
);

/**
 * Supervisor-rated items (docs/rules.md "Supervisor-rated items"): one rating per agent, rated
 * metric and assessed period. A re-rating replaces the row; the audit log keeps old → new.
 */
export const periodRatings = pgTable(
  "period_ratings",
  {
    agentId: text("agent_id").notNull(),
    metric: text("metric").notNull(),
    periodKind: text("period_kind").notNull(),
    periodKey: text("period_key").notNull(),
    /** The level picked (优秀), and the item score it gave under the scale then in force. */
    level: text("level").notNull(),
    score: doublePrecision("score").notNull(),
    /** The agent id of who rated (the supervisor, or an admin's chat id). */
    ratedBy: text("rated_by").notNull(),
    ratedAt: timestamp("rated_at", { withTimezone: true }).notNull(),
    note: text("note"),
  },
  (t) => [
    primaryKey({ columns: [t.agentId, t.metric, t.periodKey] }),
    index("period_ratings_period").on(t.periodKey),
  ],
);

/**
 * Conversations kept for quality review (质检), customer data masked (engine/customer-mask.ts).
 * Not every conversation: per agent-day, each stratum's few with the smallest sample keys
 * (engine/qa-sample.ts), which is all the weekly sample can pick from. A re-import of the same
 * session (shop and session) replaces the row in place, so a review of it stays attached.
 */
export const qaConversations = pgTable(
  "qa_conversations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    shopId: text("shop_id").notNull(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id),
    day: date("day", { mode: "string" }).notNull(),
    session: text("session").notNull(),
    /** Masked. */
    customer: text("customer").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }).notNull(),
    firstWaitSeconds: integer("first_wait_seconds"),
    longestWaitSeconds: integer("longest_wait_seconds"),
    rating: integer("rating"),
    transferred: boolean("transferred").notNull(),
    phraseHits: jsonb("phrase_hits").$type<string[]>().notNull(),
    badReview: boolean("bad_review").notNull(),
    /** The strata it belongs to (low_rating, long_wait …, random). */
    strata: jsonb("strata").$type<string[]>().notNull(),
    /** The messages as JSON text, customer data masked; SQL never looks inside. */
    transcript: text("transcript").notNull(),
    /** SHA-256 of shop and session, hex: the sample's order (a uniform, repeatable "random"). */
    sampleKey: text("sample_key").notNull(),
    importRunId: integer("import_run_id"),
  },
  (t) => [
    uniqueIndex("qa_conversations_session").on(t.shopId, t.session),
    index("qa_conversations_agent_day").on(t.agentId, t.day),
  ],
);

/** A conversation picked for review: who reviews it, for which week's batch, by when. */
export const qaReviews = pgTable(
  "qa_reviews",
  {
    conversationId: integer("conversation_id")
      .primaryKey()
      .references(() => qaConversations.id),
    agentId: text("agent_id").notNull(),
    reviewerId: text("reviewer_id").notNull(),
    /** The ISO week sampled, 2026-W49. */
    week: text("week").notNull(),
    /** The stratum it was picked for. */
    stratum: text("stratum").notNull(),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("qa_reviews_reviewer").on(t.reviewerId, t.week), index("qa_reviews_agent").on(t.agentId)],
);

/** A reviewer's rating of a conversation; a re-rating replaces it (both audited, `qa.rated`). */
export const qaRatings = pgTable("qa_ratings", {
  conversationId: integer("conversation_id")
    .primaryKey()
    .references(() => qaConversations.id),
  reviewerId: text("reviewer_id").notNull(),
  /** Criterion id → true/false (pass/fail) or 1–5. */
  results: jsonb("results").$type<Record<string, boolean | number>>().notNull(),
  /** The conversation's 0–100 QA score under the rubric it was rated with (qa/qa-rubric.ts). */
  score: doublePrecision("score"),
  note: text("note"),
  ratedAt: timestamp("rated_at", { withTimezone: true }).notNull(),
});
