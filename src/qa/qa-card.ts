import type { Reply, ReplyAction, ReplyBlock } from "../chat/reply.ts";
import type { ConversationMessage } from "../engine/index.ts";
import type { Lang } from "../i18n/index.ts";
import { shopClock } from "../present/shop-clock.ts";
import type { QaReviewCase } from "../store/qa-repo.ts";
import type { QaCriterion } from "./qa-config.ts";
import { qaMessagesFor } from "./qa-messages.ts";
import type { QaResults } from "./qa-rubric.ts";

/**
 * The review card of one conversation: the facts the bot knows, the transcript (masked when
 * stored; long ones cut to their opening and their end), the rubric, and buttons for the common
 * verdicts. One card per conversation and message: each keeps its own buttons, and DingTalk takes
 * five per message (chat/button-room.ts), so several conversations in one message could not each
 * have theirs. Anything else is the `qa rate` command the card spells out.
 */

/** Lines shown before a long transcript is cut: its first and last ones. */
const HEAD_LINES = 8;
const TAIL_LINES = 3;
/** A line's text is cut past this; the whole block stays far below Slack's 3,000 characters. */
const LINE_CHARS = 120;

/** The one-click verdicts, as button ids (`qa:<preset>`); at most four, under DingTalk's five. */
export const QA_PRESETS = ["pass5", "pass4", "incomplete", "script"] as const;
export type QaPreset = (typeof QA_PRESETS)[number];

/** A preset's results on a rubric: every pass/fail criterion passed but the one it names. */
export function presetResults(preset: QaPreset, rubric: readonly QaCriterion[]): QaResults {
  const failed = preset === "incomplete" ? "complete" : preset === "script" ? "script" : undefined;
  const scale = preset === "pass5" ? 5 : preset === "pass4" ? 4 : 3;
  return Object.fromEntries(rubric.map((c) => [c.id, c.scale === "pass" ? c.id !== failed : scale]));
}

function presetFits(preset: QaPreset, rubric: readonly QaCriterion[]): boolean {
  if (preset === "incomplete") return rubric.some((c) => c.id === "complete");
  if (preset === "script") return rubric.some((c) => c.id === "script");
  return true;
}

export function transcriptLines(
  messages: readonly ConversationMessage[],
  lang: Lang,
  timeZone: string,
): string[] {
  const q = qaMessagesFor(lang);
  const lines = messages
    .filter((m) => m.event === "message" || m.event === "transfer")
    .map((m) => {
      const time = shopClock(m.at, timeZone).slice(-5);
      const text = m.text.length > LINE_CHARS ? `${m.text.slice(0, LINE_CHARS)}…` : m.text;
      return `${time} ${q.speaker[m.from]}：${text.replaceAll("\n", " ")}`;
    });
  if (lines.length <= HEAD_LINES + TAIL_LINES + 1) return lines;
  const hidden = lines.length - HEAD_LINES - TAIL_LINES;
  return [...lines.slice(0, HEAD_LINES), q.moreLines(hidden), ...lines.slice(-TAIL_LINES)];
}

export function rateExample(id: number, rubric: readonly QaCriterion[], lang: Lang): string {
  const q = qaMessagesFor(lang);
  const word = (c: QaCriterion) => (lang === "en" ? c.id : (c.aliases[0] ?? c.zh));
  const parts = rubric.map((c) => `${word(c)}=${c.scale === "pass" ? q.yes : "4"}`);
  return `/kpi qa rate ${id} ${parts.join(" ")}`;
}

export interface QaCardInput {
  review: QaReviewCase;
  agentName: string;
  rubric: readonly QaCriterion[];
  lang: Lang;
  timeZone: string;
}

export function qaCard({ review, agentName, rubric, lang, timeZone }: QaCardInput): Reply {
  const q = qaMessagesFor(lang);
  const facts = [
    review.review ? q.stratum[review.review.stratum as keyof typeof q.stratum] : undefined,
    review.firstWaitSeconds !== null ? q.facts.firstWait(review.firstWaitSeconds) : undefined,
    review.longestWaitSeconds !== null && review.longestWaitSeconds !== review.firstWaitSeconds
      ? q.facts.longestWait(review.longestWaitSeconds)
      : undefined,
    review.rating !== null ? q.facts.rating(review.rating) : q.facts.noRating,
    review.transferred ? q.facts.transferred : undefined,
    review.phraseHits.length > 0 ? q.facts.phraseHits(review.phraseHits) : undefined,
    review.badReview ? q.facts.badReview : undefined,
  ].filter((f): f is string => f !== undefined);
  const criteria = rubric
    .map((c) => `${lang === "en" ? c.en : c.zh}（${c.scale === "pass" ? `${q.yes}/${q.no}` : "1–5"}）`)
    .join(lang === "en" ? ", " : "、");
  const actions: ReplyAction[] = QA_PRESETS.filter((p) => presetFits(p, rubric)).map((preset) => ({
    id: `qa:${preset}`,
    label: q.buttons[preset === "pass5" ? "allPass" : preset === "pass4" ? "allPass4" : preset],
    value: String(review.id),
    ...(preset === "pass5" ? { style: "primary" as const } : {}),
  }));
  const blocks: ReplyBlock[] = [
    { kind: "text", text: facts.join(" · ") },
    { kind: "text", text: transcriptLines(review.messages, lang, timeZone).join("\n") },
    { kind: "note", text: q.rubricLine(criteria) },
    { kind: "note", text: q.commandHint(rateExample(review.id, rubric, lang)) },
  ];
  if (review.review)
    blocks.push({ kind: "note", text: q.due(shopClock(review.review.dueAt.getTime(), timeZone)) });
  blocks.push({ kind: "actions", actions });
  return { title: q.cardTitle(review.id, agentName, review.day), blocks };
}
