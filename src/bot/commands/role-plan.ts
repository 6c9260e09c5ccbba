import {
  dayKey,
  formatQuantity,
  type ItemRule,
  type MetricDef,
  type Period,
  planFor,
  type Scheme,
  targetFor,
} from "../../engine/index.ts";
import type { SchemeMessages } from "../../i18n/scheme-messages.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import type { SchemesOn } from "./scheme-cache.ts";

/**
 * An agent's role as the scheme in force on `asOf` scores it in `period` (this month for
 * `targets`, the period asked for `explain`): each item's target (the team's or the shop
 * category's when the scheme sets one), weight and scoring rule, in words.
 */

export interface PlannedItem {
  metric: MetricDef;
  label?: string;
  target: string;
  weight: string;
  rule: string;
}

export interface RolePlanInWords {
  scheme: Scheme;
  roleName: string;
  period: Period;
  teamScope: boolean;
  seasons: readonly string[];
  items: PlannedItem[];
}

export async function rolePlanOf(
  schemesOn: SchemesOn,
  agent: AgentProfile,
  period: Period,
  asOf: number,
  s: SchemeMessages,
): Promise<RolePlanInWords | undefined> {
  const scheme = (await schemesOn(dayKey(asOf))).get(agent.role)?.scheme;
  const role = scheme?.roles.get(agent.role);
  if (!scheme || !role) return undefined;
  const plan = planFor(scheme, agent.role, period.key);
  const items = plan.items.map(({ spec, target, weightBp }) => {
    const value = targetFor(target, agent.teamId ?? undefined, agent.category ?? undefined);
    const sign = spec.metric.direction === "up" ? "≥" : "≤";
    return {
      metric: spec.metric,
      ...(spec.label ? { label: spec.label } : {}),
      // A rated item has no target: the supervisor's level is its score (as on the card).
      target: spec.rule.kind === "rated" ? "—" : `${sign}${formatQuantity(spec.metric, value)}`,
      weight: `${weightBp / 100}%`,
      rule: ruleInWords(spec.rule, spec.cap, spec.metric, s),
    };
  });
  return {
    scheme,
    roleName: role.name,
    period,
    teamScope: role.scope === "team",
    seasons: plan.seasons,
    items,
  };
}

function ruleInWords(rule: ItemRule, cap: number, metric: MetricDef, s: SchemeMessages): string {
  switch (rule.kind) {
    case "proportional":
      return s.rule.proportional(cap);
    case "pass-fail":
      return s.rule.passFail;
    case "deduct":
      return s.rule.deduct(rule.pointsPerUnit, metric.unit, metric.direction);
    case "rated":
      return s.rule.rated(rule.scale.map((l) => `${l.level} ${Math.min(l.score, cap)}`).join(" / "));
  }
}
