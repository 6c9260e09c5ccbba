import type { Reply } from "../../chat/reply.ts";
import {
  adviseNextGrade,
  dayKey,
  type Period,
  periodOfDay,
  previousPeriod,
  rollUpPeriods,
  type Scheme,
} from "../../engine/index.ts";
import type { Messages } from "../../i18n/index.ts";
import { scorecardView } from "../../present/scorecard-view.ts";
import { type AgentProfile, agentDaysOfAgent } from "../../store/agent-day-repo.ts";
import { recordOf } from "../../store/agent-records.ts";
import type { Queryable } from "../../store/database.ts";
import { standingOf } from "../../store/scorecard-repo.ts";
import type { CommandMessages } from "./command-messages.ts";
import type { SchemesOn } from "./scheme-cache.ts";

/**
 * One agent's stored scorecard for a period, as `me` and `agent` show it: the item rows, the
 * grade, the rank among the team's agents of the same role, the change against the previous
 * period, and the engine's line on what would lift the grade. `label` names the agent as every
 * surface does (present/agent-label.ts).
 */
export async function scorecardReply(
  db: Queryable,
  schemesOn: SchemesOn,
  agent: AgentProfile,
  period: Period,
  text: { t: Messages; c: CommandMessages },
  label: string = agent.name,
): Promise<Reply> {
  const previous = previousPeriod(period);
  const [standing, schemes] = await Promise.all([
    standingOf(db, agent, period.kind, period.key, previous.key),
    schemesOn(dayKey(period.first)),
  ]);
  const own = standing.own;
  const scheme = schemes.get(agent.role)?.scheme;
  if (!own || !scheme) return { blocks: [{ kind: "text", text: text.c.noCard(label, period.key) }] };
  const card = own.card;
  // Worked out when the card was scored; cards stored before that have it rolled up here.
  const advice =
    scheme.roles.get(card.role)?.scope === "team"
      ? undefined
      : (own.advice ?? (await coaching(db, agent, period, scheme, card)));
  const view = scorecardView(scheme, card, text.t, advice, label, own.pending, own.corrected);
  const lines = [view.summary];
  const rank = standing.rank;
  if (rank && rank.of > 1) lines.push(text.c.rank(rank.place, rank.of));
  const last = standing.previousTotal;
  if (last != null && card.total !== null) {
    const delta = Math.round((card.total - last) * 10) / 10;
    lines.push(text.t.change(delta, previous.kind, previous.key));
  }
  if (card.watch) lines.push(await soFar(db, agent, periodOfDay(period.first, card.watch.assessment), text));
  if (view.seasons) lines.push(view.seasons);
  if (view.pay) lines.push(view.pay);
  const notes = [
    ...(view.splits ?? []),
    ...(view.pendingNote ? [view.pendingNote] : []),
    ...(view.correctedNote ? [view.correctedNote] : []),
    ...(view.itemNotes ?? []),
  ];
  const t = text.t.columns;
  return {
    title: view.heading,
    blocks: [
      {
        kind: "table",
        head: [t.metric, t.target, t.actual, t.score, t.weight, t.weighted],
        rows: view.rows.map((r) => [r.metric, r.target, r.actual, r.score, r.weight, r.weighted]),
        numeric: [false, true, true, true, true, true],
      },
      { kind: "text", text: lines.join("\n") },
      ...(notes.length ? [{ kind: "note" as const, text: notes.join("\n") }] : []),
      ...(view.advice?.length ? [{ kind: "note" as const, text: view.advice.join("\n") }] : []),
    ],
  };
}

/** The engine's advice needs the figures behind the card: the agent's days of the period (and the one before, for period-over-period metrics). */
async function coaching(
  db: Queryable,
  agent: AgentProfile,
  period: Period,
  scheme: Scheme,
  card: Parameters<typeof adviseNextGrade>[2],
) {
  const from = dayKey(previousPeriod(period).first);
  const days = await agentDaysOfAgent(db, agent.id, from, dayKey(period.last));
  const records = days.map((d) => recordOf(agent, d.day, d.values));
  const [input] = rollUpPeriods(records, period, scheme.catalogue).filter((r) => r.agent === agent.id);
  return input ? adviseNextGrade(scheme, input, card) : undefined;
}

/** A watched day or week ends with the period the agent is graded by, so far: its total, grade and place. */
async function soFar(
  db: Queryable,
  agent: AgentProfile,
  graded: Period,
  text: { t: Messages; c: CommandMessages },
): Promise<string> {
  const standing = await standingOf(db, agent, graded.kind, graded.key, previousPeriod(graded).key);
  const card = standing.own?.card;
  if (!card || card.total === null) return text.c.soFarUngraded(graded.key);
  return text.c.soFar(
    graded.key,
    String(card.total),
    card.grade ?? "",
    standing.rank?.place,
    standing.rank?.of,
  );
}
