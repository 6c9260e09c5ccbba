/**
 * Precision and recall of the gaming detectors on generated logs: honest agents (each with their
 * own habits, src/sources/demo/talk-profile.ts) and planted gamers of every kind at three
 * strengths. Every agent has four honest weeks of past; honest agents are judged on the five
 * weeks after, gamers on their first two gaming weeks (the month-end inviter on the week holding
 * the month's last day). bench/gaming/run.ts prints the table docs/gaming.md records;
 * tests/bench/gaming.test.ts runs a smaller one.
 */
import type { Conversation } from "../../src/engine/conversation.ts";
import {
  type AgentDayTally,
  DEFAULT_GAMING_THRESHOLDS,
  figuresOfTallies,
  GAMING_KINDS,
  type GamingKind,
  type GamingThresholds,
  judgeAgentWeek,
  monthEndsIn,
  tallyConversations,
} from "../../src/engine/gaming/index.ts";
import { dayKey, parseDay, periodOfDay } from "../../src/engine/period.ts";
import type { ConversationStyle } from "../../src/sources/demo/agent-talk.ts";
import {
  ALERT_KIND_OF,
  gamingStyle,
  honestStyle,
  INTENSITIES,
  type Intensity,
  PLANTED_KINDS,
  type PlantedKind,
} from "../../src/sources/demo/gaming-styles.ts";
import { streamOf } from "../../src/sources/demo/random.ts";
import { hashOf } from "../../src/sources/demo/talk-profile.ts";

export interface BenchOptions {
  seed: number;
  honestAgents: number;
  gamersPerCell: number;
  /** The first Monday generated; the month end must fall in the first judged week. */
  firstMonday?: string;
  thresholds?: GamingThresholds;
}

const HISTORY_WEEKS = 4;
const HONEST_WEEKS = 5;
const GAMER_WEEKS = 2;
const SHOP = "bench-shop";

/** What each detector is expected to catch besides its own kind's gamers. */
const ALSO_CAUGHT: Partial<Record<GamingKind, PlantedKind[]>> = {
  figure_jump: ["split_answers", "invite_targeting"],
};

export interface JudgedWeek {
  agent: string;
  week: string;
  planted?: { kind: PlantedKind; intensity: Intensity };
  alerts: GamingKind[];
}

export interface DetectorRow {
  kind: GamingKind;
  planted: PlantedKind[];
  recall: Record<Intensity, { caught: number; of: number }>;
  truePositives: number;
  falseAlerts: number;
  honestWeeks: number;
}

function weeksFrom(firstMonday: string, count: number): string[] {
  const first = parseDay(firstMonday);
  return Array.from({ length: count }, (_, i) => periodOfDay(first + 7 * i, "week").key);
}

/** A worked day: about five and a half days a week, the same for the same agent and day. */
function works(seed: number, agent: string, day: number): boolean {
  return streamOf(seed, hashOf(agent), day, 0x3d)() > 1.5 / 7;
}

function agentTallies(
  seed: number,
  agent: string,
  firstDay: number,
  days: number,
  styleOn: (day: string) => ConversationStyle,
  thresholds: GamingThresholds,
): AgentDayTally[] {
  const conversations: Conversation[] = [];
  for (let d = firstDay; d < firstDay + days; d++) {
    if (!works(seed, agent, d)) continue;
    const day = dayKey(d);
    const random = streamOf(seed, hashOf(agent), d);
    conversations.push(...styleOn(day)({ shop: SHOP, agent, day, index: d - firstDay, random }));
  }
  return tallyConversations(conversations, thresholds);
}

function judge(tallies: AgentDayTally[], week: string, thresholds: GamingThresholds): GamingKind[] {
  return judgeAgentWeek({ week, tallies, figures: figuresOfTallies(tallies) }, thresholds).map((f) => f.kind);
}

export function runBench(options: BenchOptions): JudgedWeek[] {
  const thresholds = options.thresholds ?? DEFAULT_GAMING_THRESHOLDS;
  const firstMonday = options.firstMonday ?? "2026-08-31";
  const first = parseDay(firstMonday);
  const weeks = weeksFrom(firstMonday, HISTORY_WEEKS + HONEST_WEEKS);
  const judged: JudgedWeek[] = [];
  for (let a = 0; a < options.honestAgents; a++) {
    const agent = `honest-${a}`;
    const tallies = agentTallies(options.seed, agent, first, weeks.length * 7, () => honestStyle, thresholds);
    for (const week of weeks.slice(HISTORY_WEEKS))
      judged.push({ agent, week, alerts: judge(tallies, week, thresholds) });
  }
  const gamingFrom = dayKey(first + HISTORY_WEEKS * 7);
  for (const kind of PLANTED_KINDS)
    for (const intensity of INTENSITIES)
      for (let g = 0; g < options.gamersPerCell; g++) {
        const agent = `gamer-${kind}-${intensity}-${g}`;
        const gaming = gamingStyle(kind, intensity);
        // The month-end inviter games the whole month: its low weeks are the game.
        const styleOn = (day: string) =>
          kind === "invite_timing" || day >= gamingFrom ? gaming : honestStyle;
        const tallies = agentTallies(
          options.seed,
          agent,
          first,
          (HISTORY_WEEKS + GAMER_WEEKS) * 7,
          styleOn,
          thresholds,
        );
        for (const week of weeks.slice(HISTORY_WEEKS, HISTORY_WEEKS + GAMER_WEEKS))
          judged.push({
            agent,
            week,
            planted: { kind, intensity },
            alerts: judge(tallies, week, thresholds),
          });
      }
  return judged;
}

function targets(kind: GamingKind): PlantedKind[] {
  return [...PLANTED_KINDS.filter((p) => ALERT_KIND_OF[p] === kind), ...(ALSO_CAUGHT[kind] ?? [])];
}

/** Whether a planted week is one the detector could see (the month-end rule only sees month ends). */
function observable(kind: GamingKind, week: JudgedWeek): boolean {
  if (kind === "invite_timing" || week.planted?.kind === "invite_timing")
    return monthEndsIn(week.week).length > 0;
  return true;
}

export function tabulate(judged: readonly JudgedWeek[]): DetectorRow[] {
  const honest = judged.filter((w) => !w.planted);
  return GAMING_KINDS.map((kind) => {
    const planted = targets(kind);
    const recall = Object.fromEntries(
      INTENSITIES.map((i) => [i, { caught: 0, of: 0 }]),
    ) as DetectorRow["recall"];
    let truePositives = 0;
    for (const week of judged) {
      if (!week.planted || !planted.includes(week.planted.kind) || !observable(kind, week)) continue;
      const cell = recall[week.planted.intensity];
      cell.of++;
      if (week.alerts.includes(kind)) {
        cell.caught++;
        truePositives++;
      }
    }
    const falseAlerts = honest.filter((w) => w.alerts.includes(kind)).length;
    return { kind, planted, recall, truePositives, falseAlerts, honestWeeks: honest.length };
  });
}

/** Honest agent-weeks with any alert at all. */
export function honestWeeksAlerted(judged: readonly JudgedWeek[]): { alerted: number; of: number } {
  const honest = judged.filter((w) => !w.planted);
  return { alerted: honest.filter((w) => w.alerts.length > 0).length, of: honest.length };
}
