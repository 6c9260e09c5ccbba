import type { Reply } from "../../chat/reply.ts";
import type { Period } from "../../engine/index.ts";
import type { Lang } from "../../i18n/index.ts";
import { appealMessagesFor } from "./appeal-messages.ts";

/**
 * `me`'s card of a period that has ended and may still be appealed gets an "申诉 / Appeal"
 * button (appeal-clicks.ts answers with the command to send). A card with nothing to appeal yet
 * (the period still running) or no more (past the deadline) has none.
 */
export function withAppealButton(
  reply: Reply,
  period: Period,
  today: number,
  deadlineDays: number,
  lang: Lang,
): Reply {
  const card = reply.blocks.some((b) => b.kind === "table");
  if (!card || period.last >= today || today > period.last + deadlineDays) return reply;
  return {
    ...reply,
    blocks: [
      ...reply.blocks,
      {
        kind: "actions",
        actions: [
          { id: "appeal:start", label: appealMessagesFor(lang).appealButton, value: `item:${period.key}` },
        ],
      },
    ],
  };
}
