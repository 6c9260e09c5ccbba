import { BUTTONS_PER_MESSAGE, buttonRowBlocks, LIST_BLOCKS_PER_MESSAGE } from "../chat/button-room.ts";
import type { ChatPlatform } from "../chat/caller.ts";
import type { Reply, ReplyBlock } from "../chat/reply.ts";
import type { Lang } from "../i18n/index.ts";
import type { RatingTask } from "./rating-due.ts";
import { ratingMessagesFor } from "./rating-messages.ts";

/**
 * The rating card: one message to a supervisor listing each agent × rated item still to rate,
 * each with a button per level while the platform has room (DingTalk: five buttons a message,
 * so one item; Slack and Feishu: as many rows as their block limits leave, button-room.ts), and
 * the command that does the same for every item. A button's value names the agent, item and period it rates (on DingTalk,
 * whose buttons type their value into the chat, it is the `rate` command itself).
 */

/** Agents listed; the rest are counted and `/kpi rate` shows them. */
const AGENTS_LISTED = 30;

export const RATE_ACTION = "rate";

export function ratingButtonValue(task: Pick<RatingTask, "agent" | "metric" | "period">): string {
  return `${task.agent.id}|${task.metric.id}|${task.period.key}`;
}

/** The command a DingTalk button types: ids, so it reads the same in any team language. */
export function ratingCommand(task: Pick<RatingTask, "agent" | "metric">, level: { level: string }): string {
  return `rate ${task.agent.id} ${task.metric.id} ${level.level}`;
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
  const agents = [...byAgent.values()];
  // Buttons while the platform has room (its blocks and buttons); once one item does not fit,
  // the rest are lines of text in one block, so a row of buttons always follows its agent's line.
  let buttonsLeft = BUTTONS_PER_MESSAGE[platform];
  let blocksLeft = LIST_BLOCKS_PER_MESSAGE[platform];
  let full = false;
  const plainLines: string[] = [];
  let withoutButtons = 0;
  for (const list of agents.slice(0, AGENTS_LISTED)) {
    const line = m.agentLine(
      list[0]!.agent.name,
      list.map((t) => itemName(t, lang)),
    );
    const rows: ReplyBlock[] = [];
    for (const task of list) {
      const cost = buttonRowBlocks(platform, task.scale.length) + (rows.length === 0 ? 1 : 0);
      if (full || task.scale.length > buttonsLeft || cost > blocksLeft) {
        full = true;
        withoutButtons += 1;
        continue;
      }
      rows.push(levelButtons(task, lang, platform));
      buttonsLeft -= task.scale.length;
      blocksLeft -= cost;
    }
    if (rows.length > 0) blocks.push({ kind: "text", text: line }, ...rows);
    else plainLines.push(line);
  }
  if (plainLines.length > 0) blocks.push({ kind: "text", text: plainLines.join("\n") });
  if (withoutButtons > 0) blocks.push({ kind: "note", text: m.withoutButtons(withoutButtons) });
  if (agents.length > AGENTS_LISTED)
    blocks.push({ kind: "note", text: m.moreAgents(agents.length - AGENTS_LISTED) });
  return { title, blocks };
}

function levelButtons(task: RatingTask, lang: Lang, platform: ChatPlatform): ReplyBlock {
  return {
    kind: "actions",
    actions: task.scale.map((level, i) => ({
      id: `${RATE_ACTION}:${i}`,
      label: `${itemName(task, lang)} ${levelName(level, lang)}`,
      // DingTalk's buttons send their value into the chat as typed (dingtalk/markdown.ts).
      value: platform === "dingtalk" ? ratingCommand(task, level) : ratingButtonValue(task),
      ...(i === 0 ? { style: "primary" as const } : {}),
    })),
  };
}
