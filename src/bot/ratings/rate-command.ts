import type { Reply } from "../../chat/reply.ts";
import { DEFAULT_TIME_ZONE, dayInZone, findLevel } from "../../engine/index.ts";
import type { Lang } from "../../i18n/index.ts";
import { itemName, levelName, ratingCardReply } from "../../ratings/rating-card.ts";
import { type RatingTask, ratingTasks } from "../../ratings/rating-due.ts";
import { ratingMessagesFor } from "../../ratings/rating-messages.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import { giveRating } from "../../store/rating-repo.ts";
import type { ClickHandler, CommandDeps } from "../commands/command-deps.ts";
import { commandMessagesFor } from "../commands/command-messages.ts";
import { actorOf, placeCaller } from "../commands/place-caller.ts";
import { schemesOnOf } from "../commands/scheme-cache.ts";
import type { Roster, Viewer } from "../commands/viewer.ts";

/**
 * `/kpi rate <agent> <item> <level> [note]` (评分 小张 团队协作 优秀) and the rating card's
 * buttons: a supervisor rates their own agents (an admin anyone) on the rated items of the period
 * just closed. `/kpi rate` alone answers with the rating card of what is still to rate.
 * A wrong agent, item or level is told the valid ones.
 */

type AgentViewer = Extract<Viewer, { kind: "agent" }>;

const mayRate = (viewer: AgentViewer, agent: AgentProfile) =>
  viewer.admin || agent.supervisorId === viewer.agent.id;

function todayOf(deps: CommandDeps, viewer: AgentViewer): number {
  return dayInZone(viewer.agent.timeZone ?? DEFAULT_TIME_ZONE)(deps.now().getTime());
}

export async function rateReply(
  deps: CommandDeps,
  viewer: AgentViewer,
  roster: Roster,
  words: readonly string[],
  lang: Lang,
): Promise<Reply> {
  const m = ratingMessagesFor(lang);
  const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });
  const schemesOn = schemesOnOf(deps);
  const today = todayOf(deps, viewer);
  const mine = [...roster.byId.values()].filter((a) => a.active && mayRate(viewer, a));
  if (words.length === 0) {
    const tasks = await ratingTasks(deps.db, schemesOn, mine, today);
    const period = tasks[0]?.period.key ?? "";
    return {
      ...ratingCardReply(
        m.cardTitle(viewer.agent.teamName ?? "", period),
        tasks,
        lang,
        viewer.caller.platform,
      ),
      private: true,
    };
  }
  const [agentWord, itemWord, levelWord, ...note] = words as [string, ...string[]];
  const agent =
    roster.byId.get(agentWord) ?? [...roster.byId.values()].find((a) => a.name === agentWord && a.active);
  if (!agent)
    return answer(
      `${m.unknownAgent(
        agentWord,
        mine.map((a) => a.name),
      )}\n${m.usage}`,
    );
  if (!mayRate(viewer, agent)) return answer(m.forbidden(agent.name));
  const tasks = await ratingTasks(deps.db, schemesOn, [agent], today);
  if (tasks.length === 0) return answer(m.noRatedItems(agent.name, "—"));
  const names = tasks.map((t) => itemName(t, lang));
  if (itemWord === undefined) return answer(`${m.unknownItem("", agent.name, names)}\n${m.usage}`);
  const task = findTask(tasks, itemWord);
  if (!task) return answer(`${m.unknownItem(itemWord, agent.name, names)}\n${m.usage}`);
  const levels = task.scale.map((l) => levelName(l, lang));
  if (levelWord === undefined) return answer(`${m.missingLevel(levels)}\n${m.usage}`);
  const level = findLevel(task.scale, levelWord);
  if (!level) return answer(m.badLevel(levelWord, levels));
  return rateTask(deps, viewer, task, level, note.length ? note.join(" ") : undefined, lang);
}

/** The item by metric id, Chinese or English name, or the scheme's label, case aside. */
function findTask(tasks: readonly RatingTask[], word: string): RatingTask | undefined {
  const key = word.toLowerCase().replaceAll("_", " ");
  return tasks.find((t) =>
    [t.metric.id, t.metric.zh, t.metric.en, t.label].some(
      (n) => n?.toLowerCase().replaceAll("_", " ") === key,
    ),
  );
}

async function rateTask(
  deps: CommandDeps,
  viewer: AgentViewer,
  task: RatingTask,
  level: { level: string; en?: string; score: number },
  note: string | undefined,
  lang: Lang,
): Promise<Reply> {
  const m = ratingMessagesFor(lang);
  const score = Math.min(level.score, task.cap);
  const { previous } = await giveRating(
    deps.db,
    {
      agentId: task.agent.id,
      metric: task.metric.id,
      period: task.period,
      level: level.level,
      score,
      ratedBy: viewer.agent.id,
      ...(note ? { note } : {}),
    },
    actorOf(viewer.caller),
    deps.now(),
  );
  let text = m.rated(task.agent.name, itemName(task, lang), levelName(level, lang), score, task.period.key);
  if (previous && previous.level !== level.level) text += m.rerated(previous.level);
  const schemesOn = schemesOnOf(deps);
  const supervised = [...(await placeCaller(deps, viewer.caller)).roster.byId.values()].filter(
    (a) =>
      a.active && mayRate(viewer, a) && (viewer.admin ? a.supervisorId === task.agent.supervisorId : true),
  );
  const left = (await ratingTasks(deps.db, schemesOn, supervised, todayOf(deps, viewer))).filter(
    (t) => !t.rated,
  );
  text += `\n${left.length > 0 ? m.left(left.length) : m.allRated}`;
  return { blocks: [{ kind: "text", text }], private: true };
}

/** A level button of the rating card: action `rate:<level index>`, value `agent|metric|period`. */
export const rateClick: ClickHandler = async (deps, click) => {
  const index = Number(click.actionId.split(":")[1]);
  const [agentId, metric, periodKey] = click.value.split("|");
  const { roster, viewer, lang } = await placeCaller(deps, click.caller);
  if (viewer.kind !== "agent")
    return { blocks: [{ kind: "text", text: commandMessagesFor(lang).unlinked }], private: true };
  const m = ratingMessagesFor(lang);
  const agent = agentId === undefined ? undefined : roster.byId.get(agentId);
  if (!agent) return { blocks: [{ kind: "text", text: m.nothingToRate }], private: true };
  if (!mayRate(viewer, agent))
    return { blocks: [{ kind: "text", text: m.forbidden(agent.name) }], private: true };
  const schemesOn = schemesOnOf(deps);
  const tasks = await ratingTasks(deps.db, schemesOn, [agent], todayOf(deps, viewer));
  // A card from an earlier period: the button no longer rates anything (the command still may).
  const task = tasks.find((t) => t.metric.id === metric && t.period.key === periodKey);
  const level = task?.scale[index];
  if (!task || !level) return { blocks: [{ kind: "text", text: m.nothingToRate }], private: true };
  return rateTask(deps, viewer, task, level, undefined, lang);
};
