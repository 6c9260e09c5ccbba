import { type NextGradeAdvice, type Scheme, type Scorecard, toDisplay } from "../engine/index.ts";

/**
 * The JSON output of `kpi score`: figures in the units people read (18 for 18%, seconds, yuan),
 * each item saying its unit, so that the numbers match the table.
 */
const unitLabel = {
  percent: "%",
  permille: "‰",
  seconds: "s",
  hours: "h",
  yuan: "¥",
  count: "count",
  points: "points",
};

export function scorecardJson(scheme: Scheme, card: Scorecard, advice?: NextGradeAdvice): unknown {
  const metric = (id: string) => scheme.catalogue.get(id)!;
  const shown = (id: string, x: number | null) => (x === null ? null : toDisplay(metric(id), x));
  return {
    agent: card.agent,
    role: card.role,
    period: card.period,
    ...(card.team !== undefined ? { team: card.team } : {}),
    ...(card.category !== undefined ? { category: card.category } : {}),
    scheme: card.scheme,
    seasons: card.seasons,
    total: card.total,
    grade: card.grade,
    coefficient: card.coefficient,
    ...(card.pay ? { pay: card.pay } : {}),
    items: card.items.map((item) => ({
      metric: item.metric,
      name: item.label ?? metric(item.metric).zh,
      unit: unitLabel[metric(item.metric).unit],
      target: shown(item.metric, item.target),
      actual: shown(item.metric, item.actual),
      score: item.score,
      weight: item.weight,
      weighted: item.weighted,
      status: item.status,
      ...(item.needs ? { needs: item.needs } : {}),
      ...(item.approx !== undefined ? { approx: item.approx } : {}),
    })),
    ...(advice
      ? {
          nextGrade: advice.next && {
            grade: advice.next.grade,
            gap: advice.gap,
            lifts: advice.lifts.map((l) => ({
              metric: l.metric,
              from: shown(l.metric, l.from),
              to: shown(l.metric, l.to),
            })),
          },
        }
      : {}),
  };
}
