import { resolvePeriod } from "../bot/commands/period-asked.ts";
import { currentCards } from "../bot/score-period.ts";
import { terminalTable } from "../chat/console/terminal-table.ts";
import {
  DEFAULT_TIME_ZONE,
  dayInZone,
  dayKey,
  InvalidInput,
  type Period,
  parseDay,
  periodOfDay,
  type Rank,
  rankCards,
} from "../engine/index.ts";
import { messagesFor } from "../i18n/index.ts";
import { agentLabeller } from "../present/agent-label.ts";
import { coefficientTexts } from "../present/coefficient.ts";
import { awaitingRatingLines, metricName, ratedItemNames, scorecardView } from "../present/scorecard-view.ts";
import { type AgentProfile, agentProfiles } from "../store/agent-day-repo.ts";
import { rankInputs } from "../store/agent-records.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import type { StoredScorecard } from "../store/scorecard-repo.ts";
import { cliMessagesFor } from "./cli-messages.ts";
import { openContext } from "./context.ts";
import { langOption, type Output } from "./options.ts";
import { periodOption } from "./period-option.ts";
import { scorecardJson } from "./render-json.ts";
import { renderTable } from "./render-table.ts";

/**
 * `kpi score` without --input: scores a period from the database (saving the cards, as the
 * scheduled pull does) and prints the ranking, or one agent's whole scorecard with --agent.
 */

export interface ScoreDbOptions {
  date?: string;
  period?: string;
  agent?: string;
  format: "table" | "json";
  lang?: string;
  config?: string;
}

/**
 * --period as /kpi reads it (a word counted from today in the shop's time zone, or a period key),
 * yesterday by default: a day's figures arrive the next morning. --date counts the words from
 * that day instead of today, and alone names that day.
 */
export function periodOf(
  date: string | undefined,
  period: string | undefined,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): Period {
  let today = dayInZone(timeZone)(now.getTime());
  if (date !== undefined) {
    try {
      today = parseDay(date);
    } catch {
      throw new InvalidInput("--date", `"${date}" is not a day (YYYY-MM-DD)`);
    }
  }
  if (period !== undefined) return periodOption("--period", period, today);
  return date !== undefined ? periodOfDay(today, "day") : resolvePeriod({ word: "yesterday" }, today);
}

export async function scoreFromDatabase(options: ScoreDbOptions, out: Output): Promise<void> {
  const lang = langOption(options.lang);
  const t = messagesFor(lang);
  const m = cliMessagesFor(lang).ranking;
  const context = await openContext(options.config);
  try {
    const db = context.store.db;
    const period = periodOf(options.date, options.period, context.now());
    const outcome = { cards: await currentCards(db, period, { actor: "kpi score", now: context.now() }) };
    const schemes = await schemesInForce(db, dayKey(period.first));
    const profiles = new Map((await agentProfiles(db)).map((p) => [p.id, p]));
    let cards = outcome.cards;
    if (options.agent !== undefined) {
      const wanted = options.agent;
      cards = cards.filter((c) => c.card.agent === wanted || profiles.get(c.card.agent)?.name === wanted);
      if (cards.length === 0)
        throw new InvalidInput(
          "--agent",
          `no scorecard for "${wanted}" in ${period.key} (an agent id or name)`,
        );
    }
    if (cards.length === 0 && options.format === "table") {
      out.stdout(m.noFigures(period.key));
      return;
    }
    const schemeOf = (role: string) => schemes.get(role)!.scheme;
    if (options.format === "json") {
      out.stdout(
        JSON.stringify(
          cards.map((c) => ({
            ...(scorecardJson(schemeOf(c.card.role), c.card) as object),
            pending: c.pending,
            ...(c.corrected ? { corrected: c.corrected } : {}),
          })),
          null,
          2,
        ),
      );
      return;
    }
    if (options.agent !== undefined) {
      // Named as chat names them: the name, with the id when two agents share it.
      const label = agentLabeller(profiles.values(), lang);
      const nameOf = (id: string) => {
        const profile = profiles.get(id);
        return profile ? label(profile) : id;
      };
      out.stdout(
        cards
          .map((c) =>
            renderTable(
              scorecardView(
                schemeOf(c.card.role),
                c.card,
                t,
                c.advice,
                nameOf(c.card.agent),
                c.pending,
                c.corrected,
              ),
              t,
            ),
          )
          .join("\n\n"),
      );
      return;
    }
    const table = terminalTable(m.head, [
      "right",
      "left",
      "left",
      "left",
      "left",
      "right",
      "left",
      "right",
      "left",
    ]);
    const { ranked, ranks } = rankedCards(cards, profiles);
    const coefficients = coefficientTexts(ranked.map((c) => c.card.coefficient));
    const zh = lang !== "en";
    ranked.forEach((c, i) => {
      const profile = profiles.get(c.card.agent);
      const scheme = schemeOf(c.card.role);
      // Chinese readers get the roster's and the scheme's names, English ones the ids.
      const role = zh ? (scheme.roles.get(c.card.role)?.name ?? c.card.role) : c.card.role;
      const team = zh ? (profile?.teamName ?? c.card.team ?? "") : (c.card.team ?? "");
      const pending = c.pending.map((id) => {
        const metric = scheme.catalogue.get(id);
        return metric ? metricName(metric, undefined, t) : id;
      });
      table.push([
        ranks.get(c.card.agent)?.place ?? "–",
        c.card.agent,
        profile?.name ?? "",
        role,
        team,
        c.card.total ?? "–",
        c.card.grade ?? "–",
        coefficients[i] || "–",
        pending.join(zh ? "、" : ", "),
      ]);
    });
    const notes = [
      ...new Set(ranked.flatMap((c) => (c.card.watch ? [t.watched(c.card.watch.assessment)] : []))),
      // Why a row has no total, grade or place: too little of the weight has figures.
      ...ranked.flatMap(({ card }) =>
        card.belowCoverage
          ? [
              `${profiles.get(card.agent)?.name ?? card.agent}${zh ? "：" : ": "}${t.belowCoverage(
                String(card.coverage),
                String(card.belowCoverage.minCoverage),
              )}`,
            ]
          : [],
      ),
      // Why a row has no total yet: its supervisor-rated items are not rated.
      ...awaitingRatingLines(
        ranked.map(({ card }) => ({
          agent: profiles.get(card.agent)?.name ?? card.agent,
          items: ratedItemNames(card.awaitingRating ?? [], schemeOf(card.role).catalogue, t),
        })),
        t,
      ),
    ];
    out.stdout([m.summary(period.key, cards.length), table.toString(), ...notes].join("\n"));
  } finally {
    await context.close();
  }
}

/**
 * The ranking `kpi score` prints: places as every surface gives them (engine/rank.ts, within a
 * team and a role), each group's places in order, the unranked last.
 */
export function rankedCards(
  cards: readonly StoredScorecard[],
  profiles: ReadonlyMap<string, AgentProfile>,
): { ranked: StoredScorecard[]; ranks: Map<string, Rank> } {
  const ranks = rankCards(
    rankInputs(
      cards.map((c) => c.card),
      profiles,
    ),
  );
  const cohorts = [...new Set([...ranks.values()].map((r) => r.cohort))].sort();
  const ranked = [...cards].sort((a, b) => {
    const ra = ranks.get(a.card.agent);
    const rb = ranks.get(b.card.agent);
    if (!ra || !rb) return (ra ? -1 : 0) + (rb ? 1 : 0) || a.card.agent.localeCompare(b.card.agent);
    return cohorts.indexOf(ra.cohort) - cohorts.indexOf(rb.cohort) || ra.place - rb.place;
  });
  return { ranked, ranks };
}
