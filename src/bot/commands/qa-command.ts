import type { Reply } from "../../chat/reply.ts";
import { DEFAULT_TIME_ZONE } from "../../engine/index.ts";
import type { Lang } from "../../i18n/index.ts";
import { shopClock } from "../../present/shop-clock.ts";
import { presetResults, QA_PRESETS, type QaPreset } from "../../qa/qa-card.ts";
import { DEFAULT_RUBRIC, type QaCriterion } from "../../qa/qa-config.ts";
import { type QaMessages, qaMessagesFor } from "../../qa/qa-messages.ts";
import { rateConversation, readRatingWords } from "../../qa/qa-rate.ts";
import type { QaResults } from "../../qa/qa-rubric.ts";
import type { Db } from "../../store/database.ts";
import { openReviews, recentRatingsOf } from "../../store/qa-repo.ts";
import { drainOwed } from "../drain-owed.ts";
import type { Command } from "./command.ts";
import type { ClickHandler, CommandDeps } from "./command-deps.ts";
import { commandMessagesFor } from "./command-messages.ts";
import { actorOf, placeCaller } from "./place-caller.ts";
import type { Roster, Viewer } from "./viewer.ts";

/**
 * `qa` (a reviewer's conversations waiting, else the asker's latest results), `qa rate <id> …`
 * and the review cards' buttons (`qa:<preset>`, value the conversation id).
 */

type AgentViewer = Extract<Viewer, { kind: "agent" }>;

const answer = (text: string): Reply => ({ blocks: [{ kind: "text", text }], private: true });

const rubricOf = (deps: CommandDeps): readonly QaCriterion[] => deps.qaRubric ?? DEFAULT_RUBRIC;

export async function qaReply(
  deps: CommandDeps,
  viewer: AgentViewer,
  roster: Roster,
  command: Extract<Command, { name: "qa" }>,
  lang: Lang,
): Promise<Reply> {
  const q = qaMessagesFor(lang);
  const rubric = rubricOf(deps);
  if (command.action === "list") return listReply(deps, viewer, roster, q, rubric, lang);
  const id = /^#?(\d{1,9})$/.exec(command.id)?.[1];
  if (id === undefined) return answer(`${q.unknownId(command.id)}\n${q.rateUsage}`);
  const words = readRatingWords(command.words, rubric);
  if (!words.ok) {
    const name = (c: QaCriterion) => (lang === "en" ? c.en : c.zh);
    const problem =
      words.problem === "bad-criterion"
        ? q.badCriterion(words.word, rubric.map(name).join(lang === "en" ? ", " : "、"))
        : words.problem === "bad-value"
          ? q.badValue(name(words.criterion), words.value, words.criterion.scale)
          : q.missingCriteria(words.criteria.map(name).join(lang === "en" ? ", " : "、"));
    return answer(`${problem}\n${q.rateUsage}`);
  }
  return rate(deps, viewer, roster, Number(id), words, lang);
}

async function rate(
  deps: CommandDeps,
  viewer: AgentViewer,
  roster: Roster,
  id: number,
  rating: { results: QaResults; note?: string },
  lang: Lang,
): Promise<Reply> {
  const q = qaMessagesFor(lang);
  const rater = { agentId: viewer.agent.id, admin: viewer.admin, actor: actorOf(viewer.caller) };
  const outcome = await rateConversation(deps.db, id, rater, rating, rubricOf(deps), deps.now());
  // The cards re-scored now, not at the bot's next watch: `me` right after shows the rating.
  // Commands are always given the database itself (chat-runtime.ts, cli/chat.ts), never a transaction.
  if (outcome.status === "rated")
    await drainOwed(deps.db as Db, { actor: `qa:${id}`, now: deps.now(), wait: false });
  switch (outcome.status) {
    case "unknown":
      return answer(q.unknownId(String(id)));
    case "own":
      return answer(q.ownConversation);
    case "forbidden":
      return answer(q.forbidden(id));
    case "rated": {
      const agent = roster.byId.get(outcome.review.agentId)?.name ?? outcome.review.agentId;
      const score = outcome.score === null ? "—" : String(Math.round(outcome.score * 10) / 10);
      return answer(outcome.rerated ? q.rerated(id, agent, score) : q.rated(id, agent, score));
    }
  }
}

async function listReply(
  deps: CommandDeps,
  viewer: AgentViewer,
  roster: Roster,
  q: QaMessages,
  rubric: readonly QaCriterion[],
  lang: Lang,
): Promise<Reply> {
  const zone = viewer.agent.timeZone ?? DEFAULT_TIME_ZONE;
  const open = await openReviews(deps.db, viewer.agent.id);
  if (open.length > 0) {
    const rows = open
      .slice(0, 30)
      .map((r) => [
        `#${r.id}`,
        roster.byId.get(r.agentId)?.name ?? r.agentId,
        r.day,
        shopClock(r.dueAt.getTime(), zone),
      ]);
    return {
      title: q.listTitle(open.length),
      blocks: [
        { kind: "table", head: [q.columns.id, q.columns.agent, q.columns.day, q.columns.due], rows },
        { kind: "note", text: q.rateUsage },
      ],
      private: true,
    };
  }
  const mine = await recentRatingsOf(deps.db, viewer.agent.id);
  if (mine.length === 0) return answer(`${q.none}\n${q.noResults}`);
  const verdict = (results: QaResults) =>
    rubric
      .filter((c) => results[c.id] !== undefined)
      .map((c) => {
        const v = results[c.id]!;
        return `${lang === "en" ? c.en : c.zh} ${typeof v === "boolean" ? (v ? q.yes : q.no) : v}`;
      })
      .join(lang === "en" ? ", " : "，");
  return {
    title: q.myResultsTitle,
    blocks: [
      {
        kind: "table",
        head: [q.columns.id, q.columns.day, q.columns.results, q.columns.note],
        rows: mine.map((r) => [`#${r.id}`, r.day, verdict(r.results), r.note ?? ""]),
      },
    ],
    private: true,
  };
}

/** A review card's button: `qa:<preset>`, value the conversation id. */
export const qaClick: ClickHandler = async (deps, click) => {
  const preset = click.actionId.split(":")[1] as QaPreset;
  if (!QA_PRESETS.includes(preset)) return undefined;
  const { roster, viewer, lang } = await placeCaller(deps, click.caller);
  if (viewer.kind !== "agent") return answer(commandMessagesFor(lang).unlinked);
  const id = /^\d{1,9}$/.test(click.value) ? Number(click.value) : Number.NaN;
  if (Number.isNaN(id)) return answer(qaMessagesFor(lang).unknownId(click.value));
  return rate(deps, viewer, roster, id, { results: presetResults(preset, rubricOf(deps)) }, lang);
};
