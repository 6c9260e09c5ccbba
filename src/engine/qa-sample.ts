import type { ConversationFacts } from "./conversation-facts.ts";

/**
 * The weekly 质检 sample: per agent, a few conversations from each stratum (low ratings, bad
 * reviews, long waits, transfers, phrase hits) and random ones, none twice, a short stratum's
 * places filled from the random ones. "Random" is the order of a sample key, a hash of shop and
 * session: the same week gives the same sample, and a stratum's k smallest keys are a uniform
 * sample of it. Keeping only each day's k smallest per stratum (a bottom-k sketch) is enough for
 * the week: the week's k smallest are among its days' (docs/qa.md, "What is kept").
 */

export const QA_STRATA = [
  "low_rating",
  "bad_review",
  "long_wait",
  "transfer",
  "phrase_hit",
  "random",
] as const;
export type QaStratum = (typeof QA_STRATA)[number];

/** The most a stratum may ask for per agent and week: what the store keeps per agent-day. */
export const QA_KEEP_PER_STRATUM = 10;

/** A long wait: the 5 minutes of the long_wait fact and the nudges' default. */
export const QA_LONG_WAIT_SECONDS = 300;

export interface QaCandidate {
  id: number;
  sampleKey: string;
  strata: readonly QaStratum[];
}

export function strataOf(
  facts: Pick<ConversationFacts, "rating" | "transferred" | "phraseHits" | "longestWaitSeconds">,
  badReview: boolean,
): QaStratum[] {
  const strata: QaStratum[] = [];
  if (facts.rating !== null && facts.rating <= 3) strata.push("low_rating");
  if (badReview) strata.push("bad_review");
  if ((facts.longestWaitSeconds ?? 0) > QA_LONG_WAIT_SECONDS) strata.push("long_wait");
  if (facts.transferred) strata.push("transfer");
  if (facts.phraseHits.length > 0) strata.push("phrase_hit");
  strata.push("random");
  return strata;
}

const byKey = <T extends { sampleKey: string }>(a: T, b: T) =>
  a.sampleKey < b.sampleKey ? -1 : a.sampleKey > b.sampleKey ? 1 : 0;

/** Those of one agent-day worth keeping: the union of each stratum's `keep` smallest keys. */
export function keptOfAgentDay<T extends { sampleKey: string; strata: readonly QaStratum[] }>(
  conversations: readonly T[],
  keep: number = QA_KEEP_PER_STRATUM,
): T[] {
  const kept = new Set<T>();
  const sorted = [...conversations].sort(byKey);
  for (const stratum of QA_STRATA) {
    let n = 0;
    for (const c of sorted) {
      if (n >= keep) break;
      if (!c.strata.includes(stratum)) continue;
      kept.add(c);
      n++;
    }
  }
  return sorted.filter((c) => kept.has(c));
}

/**
 * One agent's sample: each stratum in QA_STRATA's order takes its size from its own members not
 * yet picked, smallest key first; then random ones fill up to `total`.
 */
export function pickQaSample<T extends QaCandidate>(
  candidates: readonly T[],
  sizes: Readonly<Partial<Record<QaStratum, number>>>,
  total: number,
): { picked: T; stratum: QaStratum }[] {
  const sorted = [...candidates].sort(byKey);
  const picked: { picked: T; stratum: QaStratum }[] = [];
  const taken = new Set<number>();
  const take = (stratum: QaStratum, count: number) => {
    for (const c of sorted) {
      if (count <= 0 || picked.length >= total) return;
      if (taken.has(c.id) || !c.strata.includes(stratum)) continue;
      taken.add(c.id);
      picked.push({ picked: c, stratum });
      count--;
    }
  };
  for (const stratum of QA_STRATA) if (stratum !== "random") take(stratum, sizes[stratum] ?? 0);
  take("random", total - picked.length);
  return picked;
}
