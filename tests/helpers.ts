import { type AgentPeriod, finishedValue, type MetricValues, type Scheme } from "../src/engine/index.ts";
import { parseSchemeText } from "../src/schemes/index.ts";

/** A scheme from YAML text written in the test. */
export function schemeFrom(yaml: string): Scheme {
  return parseSchemeText(yaml, "test.yaml");
}

/** Finished figures in engine units: { conversion_rate: 0.18, first_response_time: 25 }. */
export function figures(values: Record<string, number>): MetricValues {
  return Object.fromEntries(Object.entries(values).map(([id, v]) => [id, finishedValue(v)]));
}

export function agentPeriod(values: MetricValues, extra: Partial<AgentPeriod> = {}): AgentPeriod {
  return { agent: "小张", role: "presales", period: "2026-02", values, ...extra };
}

/** 小张's month in the worked example of seed 002. */
export const workedExample = figures({
  conversion_rate: 0.18,
  aov_uplift: 0.03,
  cross_sell_rate: 0.22,
  first_response_time: 25,
  receptions: 180,
  csat_rate: 0.93,
  resolution_rate: 0.82,
  attendance_rate: 1,
  training_participation: 1,
});
