import { BUTTONS_PER_MESSAGE } from "../chat/button-room.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Reply, ReplyBlock } from "../chat/reply.ts";
import type { Lang } from "../i18n/index.ts";
import type { RatingTask } from "./rating-due.ts";
import { ratingMessagesFor } from "./rating-messages.ts";

/**
 * The rating card: one message to a supervisor listing each agent × rated item still to rate,
 * each with a button per level while the platform has room (DingTalk: five buttons a message,
 * so one item; Slack and Feishu: every item up to BUTTON_ROWS), and the command that does the
 * same for every item. A button's value names the agent, item and period it rates.
 */

/** Rows of level buttons: 24 rows and 12 agent lines stay far inside Slack's 50 blocks. */
const BUTTON_ROWS = 24;
/** Agents listed; the rest are counted and `/kpi rate` shows them. */
const AGENTS_LISTED = 30;

export const RATE_ACTION = "rate";

export function ratingButtonValue(task: Pick<RatingTask, "agent" | "metric" | "period">): string {
  return `${task.agent.id}|${task.metric.id}|${task.period.key}`;
}

export function itemName(task: Pick<RatingTask, "metric" | "label">, lang: Lang): string {
  return task.label ?? (lang === "en" ? task.metric.en : task.metric.zh);
}

export function levelName(level: { level: string; en?: string }, lang: Lang): string {
  return lang === "en" ? (level.en ?? level.level) : level.level;
}

export function ratingCardReply(
  title: string,
  tasks: readonly RatingTask[],
  lang: Lang,
  platform: ChatPlatform,
): Reply {
  const m = ratingMessagesFor(lang);
  const open = tasks.filter((t) => !t.rated);
  if (open.length === 0) return { title, blocks: [{ kind: "text", text: m.nothingToRate }] };
  const first = open[0]!;
  const levels = first.scale.map((l) => `${levelName(l, lang)} ${Math.min(l.score, first.cap)}`).join(" / ");
  const example = `rate ${first.agent.name} ${itemName(first, lang)} ${levelName(first.scale[0]!, lang)}`;
  const blocks: ReplyBlock[] = [
    { kind: "text", text: m.intro(levels) },
    { kind: "note", text: m.howToType(example) },
  ];
  const byAgent = new Map<string, RatingTask[]>();
  for (const task of open) byAgent.set(task.agent.id, [...(byAgent.get(task.agent.id) ?? []), task]);
  let buttons = BUTTONS_PER_MESSAGE[platform];
  let rows = 0;
  let withoutButtons = 0;
  const agents = [...byAgent.values()];
  for (const list of agents.slice(0, AGENTS_LISTED)) {
    blocks.push({
      kind: "text",
      text: m.agentLine(
        list[0]!.agent.name,
        list.map((t) => itemName(t, lang)),
      ),
    });
    for (const task of list) {
      if (task.scale.length > buttons || rows >= BUTTON_ROWS) {
        withoutButtons += 1;
        continue;
      }
      blocks.push({
        kind: "actions",
        actions: task.scale.map((level, i) => ({
          id: `${RATE_ACTION}:${i}`,
          label: `${itemName(task, lang)} ${levelName(level, lang)}`,
          value: ratingButtonValue(task),
          ...(i === 0 ? { style: "primary" as const } : {}),
        })),
      });
      buttons -= task.scale.length;
      rows += 1;
    }
  }
  if (withoutButtons > 0) blocks.push({ kind: "note", text: m.withoutButtons(withoutButtons) });
  if (agents.length > AGENTS_LISTED)
    blocks.push({ kind: "note", text: m.moreAgents(agents.length - AGENTS_LISTED) });
  return { title, blocks };
}
