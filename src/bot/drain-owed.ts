import { type Period, parsePeriod } from "../engine/index.ts";
import type { CardRow } from "../store/card-text.ts";
import { withClaim } from "../store/claims.ts";
import type { Db } from "../store/database.ts";
import { type OwedPeriod, owedPeriod, owedPeriods, settleOwed } from "../store/owed-scoring-repo.ts";
import { cardRow, saveCardRows } from "../store/scorecard-repo.ts";
import { sharedInputs, spanGroups } from "./owed-groups.ts";
import { type ScoreOutcome, type ScoringInputs, scoredOfPeriod, storedInputs } from "./score-period.ts";

/**
 * Pays the scoring owed (owed_scoring): after every import, at the bot's start and on its
 * follow-up watch, and by `kpi db check --repair`. Safe to run anywhere at any time: a period
 * is scored from stored figures only, so scoring it again writes the same cards, and a period
 * owed again while it was being scored stays owed.
 */

export interface DrainOptions {
  actor: string;
  now: Date;
  /**
   * Wait for a period another process is scoring (then find it settled), rather than leave it
   * to that process: an import waits, so that what it reports is scored; the bot's watch does not.
   */
  wait: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A period a drain scored: how many cards, not the cards. An import of a month of a big shop
 * scores 370,000 cards; held to the end of the drain they were most of its memory and of its time
 * (the collector going over them again and again), and no caller reads them: they are stored.
 */
export type DrainedPeriod = Omit<ScoreOutcome, "cards">;

export interface DrainOutcome {
  scored: DrainedPeriod[];
  /** Left to the process scoring them now. */
  busy: string[];
  /** Periods whose scoring failed; they stay owed, and the next drain tries again. */
  failed: { periodKey: string; error: unknown }[];
}

export async function drainOwed(db: Db, options: DrainOptions): Promise<DrainOutcome> {
  const outcome: DrainOutcome = { scored: [], busy: [], failed: [] };
  const passed = new Set<string>();
  let done = 0;
  // Owed again while this drain ran (an import committing meanwhile): another round.
  for (;;) {
    const owed = (await owedPeriods(db)).filter((o) => !passed.has(o.periodKey));
    if (owed.length === 0) return outcome;
    const total = done + owed.length;
    // Periods close together share one load of their agent-days, made after the list was read.
    for (const group of spanGroups(owed, periodOf)) {
      const ahead = new CardsAhead(db, group, sharedInputs(db, group.map(periodOf)));
      for (const [i, listed] of group.entries()) {
        const { periodKey } = listed;
        try {
          const claim = await withClaim(db, `period:${periodKey}`, options.wait, () =>
            scoreOwed(db, listed, ahead, i, options),
          );
          if (!claim.claimed) outcome.busy.push(periodKey);
          else if (claim.value.scored) outcome.scored.push(claim.value.scored);
          // Settled, or still owed because figures came in while it was scored: either way, next.
          if (!claim.claimed || !claim.value.owedAgain) passed.add(periodKey);
        } catch (error) {
          outcome.failed.push({ periodKey, error });
          passed.add(periodKey);
        }
        options.onProgress?.(++done, total);
      }
    }
  }
}

const periodOf = (owed: OwedPeriod): Period => parsePeriod(owed.periodKey);

/** A period's cards as rows to write, each made as it was scored (the card itself not kept). */
type Cards = { cards: CardRow[]; unscored: ScoreOutcome["unscored"] };

const rowsOfPeriod = (db: Db, period: Period, inputs: ScoringInputs): Promise<Cards> =>
  scoredOfPeriod(db, period, inputs, cardRow);

type Settled = { ok: true; cards: Cards } | { ok: false; error: unknown };

/**
 * The group's cards, each period's worked out while the one before it is being saved: the server
 * writes one period's cards while this process scores the next. A period's cards are worked out
 * from the shared load before its claim is taken, and used only if it is owed as listed then.
 */
class CardsAhead {
  readonly #started = new Map<number, Promise<Settled>>();

  constructor(
    private readonly db: Db,
    private readonly group: readonly OwedPeriod[],
    private readonly inputs: ScoringInputs,
  ) {}

  /** Starts working out period `i`'s cards, if there is such a period and it has not started. */
  start(i: number): void {
    const listed = this.group[i];
    if (!listed || this.#started.has(i)) return;
    this.#started.set(
      i,
      rowsOfPeriod(this.db, periodOf(listed), this.inputs).then(
        (cards): Settled => ({ ok: true, cards }),
        (error: unknown): Settled => ({ ok: false, error }),
      ),
    );
  }

  async take(i: number): Promise<Cards> {
    this.start(i);
    const settled = await this.#started.get(i)!;
    this.#started.delete(i);
    if (!settled.ok) throw settled.error;
    return settled.cards;
  }
}

/**
 * Scores one owed period under its claim. The shared load was made after the list that gave
 * `listed`; a generation is never handed out twice for a period (owed_scoring_generation), so
 * when the row still holds the listed one, nothing owed the period since the list was read and
 * cards from the load are the ones its figures give now. Otherwise its days are read again, here.
 */
async function scoreOwed(
  db: Db,
  listed: OwedPeriod,
  ahead: CardsAhead,
  i: number,
  options: DrainOptions,
): Promise<{ scored?: DrainedPeriod; owedAgain: boolean }> {
  // Read under the claim: another drainer may have settled it since the list was read.
  const owed = await owedPeriod(db, listed.periodKey);
  if (!owed) return { owedAgain: false };
  const period = periodOf(listed);
  const { cards, unscored } =
    owed.generation === listed.generation
      ? await ahead.take(i)
      : await rowsOfPeriod(db, period, storedInputs(db));
  const saving = saveCardRows(db, period.kind, period.key, cards, options.actor, options.now);
  ahead.start(i + 1);
  const rescored = await saving;
  const settled = await settleOwed(db, listed.periodKey, owed.generation);
  return { scored: { period, cardCount: cards.length, unscored, rescored }, owedAgain: !settled };
}
