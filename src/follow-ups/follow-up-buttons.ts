import type { ReplyBlock } from "../chat/reply.ts";
import type { FollowUpMessages } from "./follow-up-messages.ts";
import { BAD_REVIEW_OUTCOMES } from "./follow-up-outcomes.ts";

/**
 * Contacted / recovered / unreachable for one bad review; the click records it as `done` would
 * (bot/commands/follow-up-done.ts handles the `followup:` actions).
 */
export function badReviewButtons(factId: number, f: FollowUpMessages): ReplyBlock {
  return {
    kind: "actions",
    actions: BAD_REVIEW_OUTCOMES.map((outcome) => ({
      id: `followup:${outcome}`,
      label: f.outcome[outcome],
      value: String(factId),
      ...(outcome === "recovered" ? { style: "primary" as const } : {}),
    })),
  };
}
