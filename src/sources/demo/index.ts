import { type Conversation, dayKey, InvalidInput, type MetricValues } from "../../engine/index.ts";
import type { Roster } from "../../roster.ts";
import type { AgentDayRecord, SourceBatch, SourceFact } from "../source.ts";
import { dayOfKey, isMonthEnd, isQuizDay } from "./calendar.ts";
import { demoConversations } from "./conversations.ts";
import { factsOf } from "./facts.ts";
import { absentDay, workedDay } from "./figures.ts";
import { type ConversationStyle, gamingStyleFrom } from "./gaming-styles.ts";
import { binomial, streamOf, uniform } from "./random.ts";
import { type DemoAgent, type DemoPeople, demoPeople } from "./roster.ts";
import { isWorkDay } from "./schedule.ts";
import { traineeTraits, traitsOf } from "./traits.ts";

/**
 * A whole shop's worth of believable figures for trying kpi-bot without a platform export:
 * pure and deterministic (the same options give the same output, byte for byte), no I/O.
 * Each day is a batch as an importer would receive it from a platform.
 */

export interface DemoOptions {
  /** The last day generated (included), YYYY-MM-DD. */
  endDay: string;
  /** How many days up to and including endDay; default 90. */
  days?: number;
  /** Another seed gives other figures for the same people; default 1. */
  seed?: number;
  /** How an agent (by id) talks through a day; `demoStyles` by default, honest else. */
  styleOf?: (agentId: string) => ConversationStyle | undefined;
  /**
   * Only the batches of the last `lastDays` days, the same as the whole run's last ones (each day
   * is drawn from its own random streams): the daily pull re-sends four days and need not draw
   * ninety to get them.
   */
  lastDays?: number;
}

/** The last days that get conversations: two weeks hold the whole week before the last day's. */
export const CONVERSATION_DAYS = 14;

/**
 * The demo's planted gamers (docs/gaming.md): honest until the last full week, then each games
 * one way, so the Monday gaming alerts name them and no one else. Their week is compared with
 * their own honest days before it, as every rule does.
 */
export function demoStyles(endDay: string): Readonly<Record<string, ConversationStyle>> {
  const from = dayKey(dayOfKey(endDay, "endDay") - 6);
  return {
    sun: gamingStyleFrom("split_answers", "blatant", from),
    song: gamingStyleFrom("review_guidance", "blatant", from),
    lin: gamingStyleFrom("first_reply_hold", "blatant", from),
  };
}

export type { ConversationPlan } from "./conversations.ts";
export type { ConversationStyle } from "./gaming-styles.ts";

export interface DemoShop {
  roster: Roster;
  /** One batch per day, oldest first, source "demo". */
  batches: SourceBatch[];
}

export { DEMO_SHOP, STRUGGLING } from "./roster.ts";

/** Days kept provisional at the end, as the platforms do: resolution's 72 h, conversion's 2-day window. */
const PENDING: [metric: string, days: number][] = [
  ["resolution_rate", 3],
  ["conversion_rate", 2],
];

export function generateDemoShop(options: DemoOptions): DemoShop {
  const last = dayOfKey(options.endDay, "endDay");
  const days = options.days ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw new InvalidInput("days", `${days} is not a number of days from 1 to 3660`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new InvalidInput("seed", `${seed} is not an integer`);
  const first = last - days + 1;
  const people = demoPeople((fraction) => dayKey(first + Math.floor((days - 1) * fraction)));
  const batches: SourceBatch[] = [];
  const planted = demoStyles(options.endDay);
  const from = options.lastDays === undefined ? first : Math.max(first, last - options.lastDays + 1);
  for (let day = from; day <= last; day++) {
    const records: AgentDayRecord[] = [];
    const facts: SourceFact[] = [];
    const conversations: Conversation[] = [];
    const styleOf = options.styleOf ?? ((id: string) => planted[id]);
    // Conversations only for the last weeks: the weekly 质检 samples the week before, and older
    // ones would only slow the load (docs/qa.md).
    const talks = day > last - CONVERSATION_DAYS ? conversations : undefined;
    for (const agent of people.agents)
      agentDay(agent, day, last, seed, { records, facts, conversations: talks }, styleOf(agent.entry.id));
    if (isMonthEnd(day)) records.push(...supervisorMonth(people, day, seed));
    batches.push({ source: "demo", records, facts, problems: [], ...(talks ? { conversations } : {}) });
  }
  return { roster: people.roster, batches };
}

function agentDay(
  agent: DemoAgent,
  day: number,
  last: number,
  seed: number,
  {
    records,
    facts,
    conversations,
  }: { records: AgentDayRecord[]; facts: SourceFact[]; conversations: Conversation[] | undefined },
  style: ConversationStyle | undefined,
): void {
  const since = agent.entry.traineeSince === undefined ? undefined : dayOfKey(agent.entry.traineeSince, "");
  if (since !== undefined && day < since) return;
  const work = isWorkDay(seed, agent.index, day);
  if (work === "off") return;
  const key = dayKey(day);
  const shop = agent.entry.accounts[0]!.shop;
  const record = (values: MetricValues, pending: string[]): AgentDayRecord => ({
    line: 0,
    shop,
    agent: agent.account,
    day: key,
    values,
    pending,
  });
  if (work === "absent") {
    records.push(record(absentDay(day), []));
    return;
  }
  const own = traitsOf(agent, seed);
  const traits = since === undefined ? own : traineeTraits(own, day - since);
  const figures = workedDay({ seed, index: agent.index, kind: agent.kind, day, traits });
  if (since !== undefined && isQuizDay(day)) {
    // The weekly quiz: passed more often as the weeks go by.
    const pass = streamOf(seed, agent.index, day, 0x9e1)() < Math.min(0.97, 0.72 + (day - since) / 150);
    figures.values.training_pass_rate = { num: pass ? 1 : 0, den: 1 };
  }
  const pending = PENDING.filter(([id, n]) => day > last - n && figures.values[id]).map(([id]) => id);
  records.push(record(figures.values, pending));
  const dayFacts = factsOf(
    { seed, index: agent.index, day, shop, agent: agent.account, shiftStart: traits.shiftStart },
    figures,
  );
  facts.push(...dayFacts);
  conversations?.push(
    ...demoConversations({
      seed,
      index: agent.index,
      day,
      shop,
      agent: agent.account,
      kind: agent.kind,
      traits,
      facts: dayFacts,
      ...(style ? { style } : {}),
    }),
  );
}

/**
 * A supervisor's own figures, entered by hand at each month's end: the team's monthly training
 * exam and the people who left. Everything else of theirs is the roll-up of the team.
 */
function supervisorMonth(people: DemoPeople, day: number, seed: number): AgentDayRecord[] {
  return people.supervisors.map(({ kind, account }, i) => {
    const rng = streamOf(seed, 1000 + i, day, 0x5e);
    const key = dayKey(day);
    const team = people.agents.filter(
      (a) => a.kind === kind && (a.entry.traineeSince === undefined || a.entry.traineeSince <= key),
    ).length;
    const passed = binomial(rng, team, uniform(rng, 0.93, 1));
    const leavers = rng() < 0.3 ? 1 : 0;
    return {
      line: 0,
      shop: people.roster.shops[0]!.id,
      agent: account,
      day: key,
      values: {
        training_pass_rate: { num: passed, den: team },
        attrition_rate: { num: leavers, den: team + leavers },
      },
      pending: [],
    };
  });
}
