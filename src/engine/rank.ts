import type { Scorecard } from "./score.ts";

/**
 * Who is ranked with whom, decided once for every surface (`/kpi me`, `top`, `team`, digests,
 * `kpi score`): agents of the same team and the same role, since different roles are assessed
 * differently (不要一刀切 [002]); new hires on probation apart from the rest of their role; a
 * supervisor, scored on the team's roll-up, against no one; only graded cards (a watched day, or a card with too little of the weight measured, has no place).
 * Equal totals share a place (1, 2, 2, 4).
 */

export interface Rank {
  place: number;
  /** How many are ranked in the agent's group. */
  of: number;
  /** The group: team, role, and whether on probation. */
  cohort: string;
}

/** What ranking reads of a card: whose it is, their team and role, probation, and the total. */
export type RankInput = Pick<Scorecard, "agent" | "role" | "total"> & {
  team?: string | undefined;
  probation?: boolean | undefined;
  teamLead?: boolean | undefined;
};

export function cohortOf(card: Omit<RankInput, "agent" | "total">): string {
  return `${card.team ?? ""}\u0000${card.role}${card.probation ? "\u0000probation" : ""}`;
}

export const isRanked = (card: Pick<RankInput, "total" | "teamLead">): boolean =>
  card.total !== null && !card.teamLead;

/** Places by agent id, within each card's cohort. */
export function rankCards(cards: readonly RankInput[]): Map<string, Rank> {
  const cohorts = new Map<string, RankInput[]>();
  for (const card of cards) {
    if (!isRanked(card)) continue;
    const key = cohortOf(card);
    const list = cohorts.get(key);
    if (list) list.push(card);
    else cohorts.set(key, [card]);
  }
  const ranks = new Map<string, Rank>();
  for (const [cohort, members] of cohorts) {
    const sorted = [...members].sort((a, b) => b.total! - a.total!);
    sorted.forEach((card, i) => {
      const place =
        i > 0 && card.total === sorted[i - 1]!.total ? ranks.get(sorted[i - 1]!.agent)!.place : i + 1;
      ranks.set(card.agent, { place, of: sorted.length, cohort });
    });
  }
  return ranks;
}
