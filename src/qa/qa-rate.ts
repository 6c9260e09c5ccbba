import { recordAudit } from "../store/audit-repo.ts";
import type { Queryable } from "../store/database.ts";
import { owePeriodsOfDays } from "../store/owed-scoring-repo.ts";
import { type QaReviewCase, reviewCases, saveRating } from "../store/qa-repo.ts";
import type { QaCriterion } from "./qa-config.ts";
import { conversationScore, type QaResults } from "./qa-rubric.ts";

/**
 * A reviewer's rating of a conversation: only its assigned reviewer or an admin may give it, and
 * never the agent whose conversation it is. A re-rating replaces the rating. Both are audited
 * (`qa.rated`), and the periods of the conversation's day owe a re-score in the same transaction.
 */

export type RatingWords =
  | { ok: true; results: QaResults; note?: string }
  | { ok: false; problem: "bad-criterion"; word: string }
  | { ok: false; problem: "bad-value"; criterion: QaCriterion; value: string }
  | { ok: false; problem: "missing"; criteria: QaCriterion[] };

const YES = new Set(["是", "yes", "y", "pass", "ok", "合格", "通过", "true", "1"]);
const NO = new Set(["否", "no", "n", "fail", "不合格", "未通过", "false", "0"]);

const norm = (w: string) => w.normalize("NFKC").toLowerCase();

/** `完整回复=否 话术规范=是 态度=4 回复漏了尺码问题`: criteria first, anything after them the note. */
export function readRatingWords(words: readonly string[], rubric: readonly QaCriterion[]): RatingWords {
  const byName = new Map<string, QaCriterion>();
  for (const c of rubric) for (const name of [c.id, c.zh, c.en, ...c.aliases]) byName.set(norm(name), c);
  const results: QaResults = {};
  let i = 0;
  for (; i < words.length; i++) {
    const match = /^([^=＝:：]+)[=＝:：](.*)$/.exec(words[i]!);
    if (!match) break;
    const criterion = byName.get(norm(match[1]!));
    if (!criterion) return { ok: false, problem: "bad-criterion", word: match[1]! };
    const value = norm(match[2]!);
    if (criterion.scale === "pass") {
      if (YES.has(value)) results[criterion.id] = true;
      else if (NO.has(value)) results[criterion.id] = false;
      else return { ok: false, problem: "bad-value", criterion, value: match[2]! };
    } else {
      if (!/^[1-5]$/.test(value)) return { ok: false, problem: "bad-value", criterion, value: match[2]! };
      results[criterion.id] = Number(value);
    }
  }
  const missing = rubric.filter((c) => results[c.id] === undefined);
  if (missing.length > 0) return { ok: false, problem: "missing", criteria: missing };
  const note = words.slice(i).join(" ").trim();
  return { ok: true, results, ...(note ? { note } : {}) };
}

export interface Rater {
  agentId: string;
  admin: boolean;
  /** For the audit: "slack:U123", "console:wang-fang". */
  actor: string;
}

export type RatingOutcome =
  | { status: "unknown" }
  | { status: "forbidden"; review: QaReviewCase }
  | { status: "own"; review: QaReviewCase }
  | { status: "rated"; review: QaReviewCase; rerated: boolean; score: number | null };

export async function rateConversation(
  db: Queryable,
  id: number,
  rater: Rater,
  rating: { results: QaResults; note?: string },
  rubric: readonly QaCriterion[],
  now: Date,
): Promise<RatingOutcome> {
  return db.transaction(async (tx) => {
    const [review] = await reviewCases(tx, [id]);
    if (!review) return { status: "unknown" as const };
    if (review.agentId === rater.agentId) return { status: "own" as const, review };
    const assigned = review.review?.reviewerId === rater.agentId;
    if (!assigned && !rater.admin) return { status: "forbidden" as const, review };
    const score = conversationScore(rubric, rating.results);
    const before = await saveRating(tx, {
      conversationId: id,
      reviewerId: rater.agentId,
      results: rating.results,
      score,
      note: rating.note ?? null,
      ratedAt: now,
    });
    await recordAudit(tx, {
      at: now,
      actor: rater.actor,
      action: "qa.rated",
      subject: `qa:${id}`,
      detail: {
        agent: review.agentId,
        day: review.day,
        results: rating.results,
        score,
        note: rating.note ?? null,
        ...(before
          ? { replaced: { results: before.results, score: before.score, by: before.reviewerId } }
          : {}),
      },
    });
    // The cards of the conversation's day, week, fortnight and month read the rating.
    await owePeriodsOfDays(tx, [review.day], `qa:${id}`, now);
    return { status: "rated" as const, review, rerated: before !== null, score };
  });
}
