import type { Reply } from "../../chat/reply.ts";
import { builtinCatalogue, formatQuantity, type MetricDef, type Period } from "../../engine/index.ts";
import { type Lang, type Messages, messagesFor } from "../../i18n/index.ts";
import { metricDefinition } from "../../i18n/metric-definitions.ts";
import { schemeMessagesFor } from "../../i18n/scheme-messages.ts";
import { metricName, splitLine } from "../../present/scorecard-view.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import type { Queryable } from "../../store/database.ts";
import { scorecardsOfAgents } from "../../store/scorecard-repo.ts";
import type { CommandMessages } from "./command-messages.ts";
import { closeMetrics } from "./metric-matches.ts";
import { type RolePlanInWords, rolePlanOf } from "./role-plan.ts";
import type { SchemesOn } from "./scheme-cache.ts";

/**
 * `explain <metric> [period]`: what a metric measures and how (numerator ÷ denominator), which
 * way is better, what the caller's scheme asks of it, and the caller's own figure in the period
 * (this month so far unless asked), stretch by stretch when a promotion covers part of it.
 */
export async function explainReply(
  db: Queryable,
  schemesOn: SchemesOn,
  agent: AgentProfile,
  asked: string,
  period: Period,
  today: number,
  lang: Lang,
  c: CommandMessages,
): Promise<Reply> {
  const s = schemeMessagesFor(lang);
  // The scheme in force on the period's last day, or today while it runs.
  const plan = await rolePlanOf(schemesOn, agent, period, Math.min(today, period.last), s);
  // A scheme may define metrics of its own; its catalogue holds the built-in ones too.
  const catalogue = plan?.scheme.catalogue ?? builtinCatalogue;
  const metric = catalogue.find(asked.trim());
  if (!metric) {
    const close = closeMetrics(asked, catalogue).map((m) =>
      lang === "en" ? `${m.id} (${m.en})` : `${m.zh}（${m.id}）`,
    );
    const lines = [
      s.unknownMetric(asked),
      ...(close.length ? [s.didYouMean(close.join("、"))] : []),
      c.usage.line(c.usageOf.explain),
    ];
    return { blocks: [{ kind: "text", text: lines.join("\n") }], private: true };
  }
  const t = messagesFor(lang);
  const definition = metricDefinition(metric.id, lang);
  const aliases = otherNames(metric, lang);
  const about = [
    s.kind(s.dimension[metric.dimension], s.direction[metric.direction]),
    definition ? s.computed(definition.num, definition.den) : s.computed(s.aggregation[metric.aggregation]),
    ...(aliases.length ? [s.aliases(aliases.join(lang === "en" ? ", " : "、"))] : []),
  ];
  const name = metricName(metric, undefined, t);
  return {
    title: lang === "en" ? `${name} (${metric.id})` : `${name}（${metric.id}）`,
    blocks: [
      { kind: "text", text: about.join("\n") },
      { kind: "note", text: (await ownLines(db, agent, metric, plan, period.last >= today, t)).join("\n") },
    ],
    private: true,
  };
}

const CJK = /[\u3400-\u9fff]/;

/**
 * The metric's other names, as the exports and the documents write them. Chinese readers get the
 * Chinese ones only (询单转化率, not "conversion rate"); English readers the Chinese name too, the
 * one their shop's exports carry.
 */
function otherNames(metric: MetricDef, lang: Lang): string[] {
  const aliases = metric.aliases ?? [];
  if (lang === "en") return [metric.zh, ...aliases];
  return aliases.filter((a) => CJK.test(a) && a !== metric.zh);
}

/** The caller's item for the metric and their figure in the period, or why there is none. */
async function ownLines(
  db: Queryable,
  agent: AgentProfile,
  metric: MetricDef,
  plan: RolePlanInWords | undefined,
  soFar: boolean,
  t: Messages,
): Promise<string[]> {
  const s = schemeMessagesFor(t.lang);
  if (!plan) return [s.noScheme(agent.role)];
  const planned = plan.items.find((i) => i.metric.id === metric.id);
  if (!planned) return [s.notInScheme(plan.roleName)];
  const { kind, key } = plan.period;
  const [stored] = await scorecardsOfAgents(db, [agent.id], kind, key);
  const item = stored?.card.items.find((i) => i.metric === metric.id);
  const actual = item?.actual ?? null;
  const name = metricName(metric, item?.label, t);
  return [
    s.yourItem(plan.roleName, planned.target, planned.weight, planned.rule),
    item?.status === "not-combinable"
      ? t.notCombinable(name, item.needs ?? [])
      : item?.status === "awaiting-rating"
        ? stored?.card.watch
          ? t.ratedPerPeriod(stored.card.watch.assessment)
          : t.awaitingRating([name])
        : actual === null
          ? s.noActual(key, soFar)
          : s.actual(
              key,
              `${item?.approx !== undefined ? "≈" : ""}${formatQuantity(metric, actual, metric.aggregation === "change")}`,
              soFar,
            ),
    // What an estimate stands on: the count the team chose in place of the export's own.
    ...(item?.approx !== undefined ? [t.approximate(name, item.approx)] : []),
    // Across a promotion: each stretch against its own target, and how they combine.
    ...(item?.segments ? [splitLine({ metric, item }, t)] : []),
  ];
}
