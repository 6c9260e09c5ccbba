import { eq } from "drizzle-orm";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Reply } from "../chat/reply.ts";
import { addToOutbox, anyKeyStartingWith, type OutgoingMessage } from "../delivery/outbox-repo.ts";
import { type Recipient, recipientKey, recipientsOf } from "../delivery/recipients.ts";
import type { Period } from "../engine/index.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import type { Db, Queryable } from "../store/database.ts";
import {
  recentSnapshots,
  reviseSnapshot,
  type Snapshot,
  saveSnapshot,
} from "../store/digest-snapshot-repo.ts";
import { shops, teams } from "../store/schema.ts";
import { scorecardsOfPeriods } from "../store/scorecard-repo.ts";
import type { ChartRenderer } from "./chart-renderer.ts";
import type { DigestConfig, DigestKind } from "./digest-config.ts";
import { digestMessagesFor } from "./digest-messages.ts";
import { PERIOD_KIND } from "./digest-period.ts";
import {
  type DigestTeam,
  type DigestWording,
  digestReply,
  supervisorTableReply,
  trendChartOf,
} from "./digest-reply.ts";
import { type Revision, revisionsOf, snapshotOf } from "./revisions.ts";
import { gatherDigest } from "./team-digest-data.ts";

/**
 * A team's digest for a period, composed and written to the outbox in one transaction with the
 * snapshot of what it shows: each recipient's message has the key
 * digest:<kind>:<team>:<period>:<recipient>, so a repeated run (another replica, a catch-up, a
 * restart) finds its messages there and publishes nothing, and revisions are reported once.
 */

/** A team as the configuration sets it up (config.ts); a team it does not name gets the defaults. */
export interface ConfiguredTeam extends DigestTeam {
  id: string;
  channels: TeamOfDigest["channels"];
}

/** What the digests read of the configuration. */
export interface DigestSettings {
  teams: readonly ConfiguredTeam[];
  digests: DigestConfig;
}

export interface DigestDeps {
  db: Db;
  config: DigestSettings;
  /** The bot's platforms in the configuration's order; ["console"] on the embedded default. */
  platforms: readonly ChatPlatform[];
  now: () => Date;
  /** Draws the weekly and monthly trend chart; without it digests go without the picture. */
  renderChart?: ChartRenderer;
}

export interface TeamOfDigest extends DigestTeam {
  id: string;
  timeZone: string;
  channels: { readonly [P in ChatPlatform]?: string | undefined };
}

export interface ComposedDigest {
  team: TeamOfDigest;
  kind: DigestKind;
  period: Period;
  channel: Reply;
  /** Monthly: the full per-agent table for each supervisor. */
  supervisorTable: Reply | undefined;
  supervisors: string[];
  snapshot: Snapshot;
  revisions: Revision[];
}

export type PublishOutcome =
  | { status: "queued"; messages: number; revisions: number }
  | { status: "already-published" }
  | { status: "no-recipients" };

/** A revision is reported if the digest it revises was published within this long. */
const REVISIONS_LOOK_BACK_MS = 40 * 24 * 3600_000;

/** Every team the bot knows (configured or the demo's), with its settings and shop zone. */
export async function digestTeams(
  db: Queryable,
  config: Pick<DigestSettings, "teams">,
): Promise<TeamOfDigest[]> {
  const rows = await db
    .select({ id: teams.id, name: teams.name, timeZone: shops.timeZone })
    .from(teams)
    .innerJoin(shops, eq(teams.shopId, shops.id))
    .orderBy(teams.id);
  return rows.map((row) => {
    const configured = config.teams.find((t) => t.id === row.id);
    return {
      id: row.id,
      name: configured?.name ?? row.name,
      timeZone: row.timeZone,
      leaderboard: configured?.leaderboard ?? "full",
      leaderboardTop: configured?.leaderboardTop ?? 3,
      lang: configured?.lang ?? "zh-CN",
      channels: configured?.channels ?? {},
    };
  });
}

export async function composeDigest(
  deps: DigestDeps,
  team: TeamOfDigest,
  kind: DigestKind,
  period: Period,
): Promise<ComposedDigest> {
  const { db, config } = deps;
  const now = deps.now();
  const members = await agentProfiles(db, team.id);
  const data = await gatherDigest(db, {
    members,
    period,
    now,
    attentionGrade: config.digests.attentionGrade,
    dsrFallingDays: config.digests.dsrFallingDays,
    withTrend: kind !== "daily" && config.digests.chart && deps.renderChart !== undefined,
    watchMetrics: kind === "daily" ? config.digests.watch.daily : config.digests.watch.weekly,
  });
  const wording: DigestWording = { d: digestMessagesFor(team.lang), lang: team.lang };
  const revisions = await revisionsSince(
    db,
    team.id,
    members.map((m) => m.id),
    period,
    now,
  );
  const names = new Map(members.map((m) => [m.id, m.name]));
  const chart = trendChartOf(team, data, wording);
  const png = chart && deps.renderChart ? await deps.renderChart(chart) : undefined;
  const channel = digestReply(
    kind,
    team,
    data,
    revisions.map((revision) => ({ revision, agentName: names.get(revision.agentId) ?? revision.agentId })),
    wording,
    png,
  );
  return {
    team,
    kind,
    period,
    channel,
    supervisorTable:
      kind === "monthly" && data.agents.length > 0 ? supervisorTableReply(team, data, wording) : undefined,
    supervisors: data.supervisors,
    snapshot: snapshotOf(data.agents.map((a) => a.card)),
    revisions,
  };
}

/** The published cards of the team's recent digests that today's cards revise. */
async function revisionsSince(
  db: Queryable,
  teamId: string,
  memberIds: readonly string[],
  period: Period,
  now: Date,
): Promise<Revision[]> {
  const snapshots = (
    await recentSnapshots(db, teamId, new Date(now.getTime() - REVISIONS_LOOK_BACK_MS))
  ).filter((s) => !(s.periodKind === period.kind && s.periodKey === period.key));
  if (snapshots.length === 0) return [];
  const current = await scorecardsOfPeriods(
    db,
    memberIds,
    snapshots.map((s) => ({ kind: s.periodKind, key: s.periodKey })),
  );
  return snapshots.flatMap((s) =>
    revisionsOf(
      s.cards,
      current.filter((c) => c.kind === s.periodKind && c.key === s.periodKey).map((c) => c.stored.card),
      { kind: s.periodKind, key: s.periodKey },
      new Map(
        current
          .filter((c) => c.kind === s.periodKind && c.key === s.periodKey && c.stored.corrected)
          .map((c) => [c.stored.card.agent, c.stored.corrected!]),
      ),
    ),
  );
}

/** Where the team's digest goes: its channel on each of the bot's platforms (the console: one per team). */
export function teamChannels(team: TeamOfDigest, platforms: readonly ChatPlatform[]): Recipient[] {
  if (platforms.includes("console")) return [{ platform: "console", to: { kind: "channel", id: team.id } }];
  return platforms.flatMap((platform) => {
    const id = team.channels[platform];
    return id ? [{ platform, to: { kind: "channel" as const, id } }] : [];
  });
}

const digestKeyPrefix = (
  what: "digest" | "digest-table" | string,
  kind: DigestKind,
  teamId: string,
  period: Period,
) => `${what}:${kind}:${teamId}:${period.key}:`;

/**
 * Whether the team's digest of the period is in the outbox already (queued or sent): then
 * publishDigest would compose it only to find nothing to add, unless a recipient was added since.
 */
export function digestPublished(
  db: Queryable,
  team: TeamOfDigest,
  kind: DigestKind,
  period: Period,
): Promise<boolean> {
  return anyKeyStartingWith(db, [
    digestKeyPrefix("digest", kind, team.id, period),
    digestKeyPrefix("digest-table", kind, team.id, period),
  ]);
}

export async function publishDigest(
  deps: DigestDeps,
  team: TeamOfDigest,
  kind: DigestKind,
  period: Period,
): Promise<PublishOutcome> {
  const composed = await composeDigest(deps, team, kind, period);
  const channels = teamChannels(team, deps.platforms);
  const supervisors = composed.supervisorTable
    ? [...(await recipientsOf(deps.db, deps.platforms, composed.supervisors)).values()]
    : [];
  if (channels.length === 0 && supervisors.length === 0) return { status: "no-recipients" };
  const key = (what: "digest" | "digest-table", r: Recipient) =>
    `${digestKeyPrefix(what, kind, team.id, period)}${recipientKey(r)}`;
  const messages: OutgoingMessage[] = [
    ...channels.map((r) => ({ key: key("digest", r), ...r, reply: composed.channel })),
    ...supervisors.map((r) => ({ key: key("digest-table", r), ...r, reply: composed.supervisorTable! })),
  ];
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const added = await addToOutbox(tx, messages, now);
    if (added.length === 0) return { status: "already-published" } as const;
    await saveSnapshot(tx, team.id, { kind: PERIOD_KIND[kind], key: period.key }, composed.snapshot, now);
    for (const revision of composed.revisions) {
      await reviseSnapshot(
        tx,
        team.id,
        { kind: revision.periodKind, key: revision.periodKey },
        { [revision.agentId]: revision.after },
      );
    }
    return { status: "queued", messages: added.length, revisions: composed.revisions.length } as const;
  });
}
