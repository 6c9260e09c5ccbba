import { yesterdayIn } from "../bot/load-demo.ts";
import { scorePeriod } from "../bot/score-period.ts";
import { terminalTable } from "../chat/console/terminal-table.ts";
import {
  DEFAULT_TIME_ZONE,
  dayKey,
  InvalidInput,
  type Period,
  type PeriodKind,
  parseDay,
  parsePeriod,
  periodOfDay,
} from "../engine/index.ts";
import { messagesFor } from "../i18n/index.ts";
import { scorecardView } from "../present/scorecard-view.ts";
import { agentProfiles } from "../store/agent-day-repo.ts";
import { schemesInForce } from "../store/scheme-repo.ts";
import { openContext } from "./context.ts";
import { langOption, type Output } from "./options.ts";
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

const KINDS: PeriodKind[] = ["day", "week", "month", "quarter"];

/** --period day|week|month|quarter around --date (default yesterday), or a period key itself. */
export function periodOf(date: string | undefined, period: string | undefined, now: Date): Period {
  if (period !== undefined && !(KINDS as string[]).includes(period)) {
    try {
      return parsePeriod(period);
    } catch (error) {
      if (error instanceof InvalidInput)
        throw new InvalidInput(
          "--period",
          `use day, week, month, quarter, or a period such as 2026-11; ${error.reason}`,
        );
      throw error;
    }
  }
  let day: number;
  try {
    day = parseDay(date ?? yesterdayIn(DEFAULT_TIME_ZONE, now));
  } catch {
    throw new InvalidInput("--date", `"${date}" is not a day (YYYY-MM-DD)`);
  }
  return periodOfDay(day, (period ?? "day") as PeriodKind);
}

export async function scoreFromDatabase(options: ScoreDbOptions, out: Output): Promise<void> {
  const t = messagesFor(langOption(options.lang));
  const context = await openContext(options.config);
  try {
    const db = context.store.db;
    const period = periodOf(options.date, options.period, context.now());
    const outcome = await scorePeriod(db, period, { actor: "kpi score", now: context.now() });
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
      out.stdout(
        `no figures in the database for ${period.key}: import some (kpi import, kpi pull) or load the demo (kpi demo)`,
      );
      return;
    }
    const schemeOf = (role: string) => schemes.get(role)!.scheme;
    if (options.format === "json") {
      out.stdout(
        JSON.stringify(
          cards.map((c) => ({
            ...(scorecardJson(schemeOf(c.card.role), c.card) as object),
            pending: c.pending,
          })),
          null,
          2,
        ),
      );
      return;
    }
    if (options.agent !== undefined) {
      out.stdout(
        cards.map((c) => renderTable(scorecardView(schemeOf(c.card.role), c.card, t), t)).join("\n\n"),
      );
      return;
    }
    const table = terminalTable(
      ["#", "agent", "name", "role", "team", "total", "grade", "coef.", "pending"],
      ["right", "left", "left", "left", "left", "right", "left", "right", "left"],
    );
    const ranked = [...cards].sort((a, b) => (b.card.total ?? -1) - (a.card.total ?? -1));
    ranked.forEach((c, i) => {
      const profile = profiles.get(c.card.agent);
      table.push([
        i + 1,
        c.card.agent,
        profile?.name ?? "",
        c.card.role,
        c.card.team ?? "",
        c.card.total ?? "–",
        c.card.grade ?? "–",
        c.card.coefficient ?? "–",
        c.pending.join(", "),
      ]);
    });
    out.stdout(`${period.key}: ${cards.length} scorecards\n${table.toString()}`);
  } finally {
    await context.close();
  }
}
