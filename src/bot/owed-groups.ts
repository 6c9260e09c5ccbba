import { dayKey, type Period, parseDay, previousPeriod } from "../engine/index.ts";
import {
  type AgentProfile,
  agentDaysBetween,
  agentProfiles,
  type StoredAgentDay,
} from "../store/agent-day-repo.ts";
import type { Db } from "../store/database.ts";
import type { ScoringInputs } from "./score-period.ts";

/**
 * The periods one drain owes, in groups that one load of agent-days serves: an import of a month
 * owes its 31 days, 5 weeks, fortnights and the month, and the month's load (with the month
 * before, for period-over-period metrics) holds every day and week of it. Loading each period's
 * days apart read the month's rows six times over.
 */

/** The most days one group's load spans: a month and the month before, with the weeks at its edges. */
const GROUP_SPAN_DAYS = 70;

/** The days a period's scoring reads: its own and the period before's. */
export function daysRead(period: Period): { from: number; to: number } {
  return { from: previousPeriod(period).first, to: period.last };
}

/**
 * Groups periods whose reads together span no more than GROUP_SPAN_DAYS, in order of the
 * first day they read; each group in the order given (scoring order) within it.
 */
export function spanGroups<T>(items: readonly T[], periodOf: (item: T) => Period): T[][] {
  const sorted = items
    .map((item, order) => ({ item, order, read: daysRead(periodOf(item)) }))
    .sort((a, b) => a.read.from - b.read.from || a.order - b.order);
  const groups: (typeof sorted)[] = [];
  let current: typeof sorted = [];
  let from = 0;
  let to = 0;
  for (const entry of sorted) {
    const wider = Math.max(to, entry.read.to);
    if (current.length > 0 && wider - from + 1 <= GROUP_SPAN_DAYS) {
      current.push(entry);
      to = wider;
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [entry];
    from = entry.read.from;
    to = entry.read.to;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group) => group.sort((a, b) => a.order - b.order).map((entry) => entry.item));
}

/**
 * One load of the agent-days the periods read and of the profiles, made on first use and shared
 * by the group's periods: each gets its span's days in agentDaysBetween's order (the load's order,
 * which is that order), so its cards are the ones a load of its own would give.
 */
export function sharedInputs(db: Db, periods: readonly Period[]): ScoringInputs {
  const reads = periods.map(daysRead);
  const from = Math.min(...reads.map((r) => r.from));
  const to = Math.max(...reads.map((r) => r.to));
  let loaded: Promise<LoadedDays> | undefined;
  let profiles: Promise<AgentProfile[]> | undefined;
  return {
    async agentDays(first, last) {
      const [a, b] = [parseDay(first), parseDay(last)];
      if (a < from || b > to) return agentDaysBetween(db, first, last);
      loaded ??= agentDaysBetween(db, dayKey(from), dayKey(to)).then(byDay);
      return (await loaded).between(a, b);
    },
    profiles() {
      profiles ??= agentProfiles(db);
      return profiles;
    },
  };
}

interface LoadedDays {
  between(first: number, last: number): StoredAgentDay[];
}

/** The load indexed by day: a period of one day picks its rows out of a month's without a scan. */
function byDay(days: StoredAgentDay[]): LoadedDays {
  const positions = new Map<string, number[]>();
  for (const [i, day] of days.entries()) {
    const list = positions.get(day.day);
    if (list) list.push(i);
    else positions.set(day.day, [i]);
  }
  return {
    between(first, last) {
      const picked: number[] = [];
      for (let n = first; n <= last; n++) for (const i of positions.get(dayKey(n)) ?? []) picked.push(i);
      // Back in the load's order (shop, agent, day), which the days of a span interleave.
      const order = Int32Array.from(picked).sort();
      const out = new Array<StoredAgentDay>(order.length);
      for (let j = 0; j < order.length; j++) out[j] = days[order[j]!]!;
      return out;
    },
  };
}
