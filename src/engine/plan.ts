import { InvalidInput } from "./errors.ts";
import type { ItemSpec, RoleSpec, SeasonSpec, TargetSpec } from "./scheme-types.ts";

/**
 * A role's items as they stand for one period: seasons applied, every weight a whole number of
 * basis points, the weights adding up to exactly 100%.
 */

export const FULL_WEIGHT = 10_000;

export interface PlanItem {
  readonly spec: ItemSpec;
  readonly target: TargetSpec;
  readonly weightBp: number;
}

export interface RolePlan {
  readonly role: RoleSpec;
  /** The seasons whose rules the plan follows (on some of its days, for a segmented plan). */
  readonly seasons: readonly string[];
  readonly items: readonly PlanItem[];
  /**
   * Set when the period crosses a season's edge: each stretch's own plan. The items are the union
   * of theirs, each weighed by the days it is weighed on (segments.ts).
   */
  readonly segments?: readonly PlannedSegment[];
}

/** One stretch of a period and the plan of its days. */
export interface PlannedSegment {
  readonly first: number;
  readonly last: number;
  readonly plan: RolePlan;
  /** The plan's item of the same metric as each item of the whole period's plan, if it has one. */
  readonly items: readonly (PlanItem | undefined)[];
}

/**
 * Splits `total` in proportion to `parts` into whole numbers that add up to `total` exactly
 * (largest remainder; ties go to the earlier part).
 */
export function apportion(total: number, parts: readonly number[]): number[] {
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum <= 0) return parts.map(() => 0);
  const exact = parts.map((p) => (total * p) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

interface Draft {
  spec: ItemSpec;
  target: TargetSpec;
  weightBp: number;
  /** Added by a season with a weight of its own, outside the role's dimension split. */
  added?: boolean;
}

function splitDimension(items: Draft[], dimension: string, weightBp: number): Draft[] {
  const members = items.filter((i) => !i.added && i.spec.dimension === dimension);
  const weights = apportion(
    weightBp,
    members.map((m) => m.spec.share),
  );
  members.forEach((m, k) => {
    m.weightBp = weights[k]!;
  });
  return members;
}

function basePlan(role: RoleSpec): Draft[] {
  const items = role.items.map((spec) => ({ spec, target: spec.target, weightBp: spec.weightBp ?? 0 }));
  if (role.dimensionsBp) {
    for (const [dimension, weight] of Object.entries(role.dimensionsBp))
      splitDimension(items, dimension, weight);
  }
  return items;
}

function applySeason(role: RoleSpec, items: Draft[], season: SeasonSpec): Draft[] {
  const fixed = new Set<Draft>();
  const removed = items.filter((i) => season.removeItems.includes(i.spec.metric.id));
  let next = items.filter((i) => !removed.includes(i));
  if (role.dimensionsBp) {
    // A removed item's weight stays in its dimension, shared by the items left there.
    for (const dimension of new Set(removed.map((r) => r.spec.dimension))) {
      const weight = [...removed, ...next]
        .filter((i) => !i.added && i.spec.dimension === dimension)
        .reduce((a, i) => a + i.weightBp, 0);
      splitDimension(next, dimension, weight);
    }
  }
  for (const item of next) {
    const target = season.targets[item.spec.metric.id];
    if (target) item.target = target;
  }
  for (const [dimension, weight] of Object.entries(season.dimensionsBp)) {
    for (const member of splitDimension(next, dimension, weight)) fixed.add(member);
  }
  for (const item of next) {
    const weight = season.weightsBp[item.spec.metric.id];
    if (weight !== undefined) {
      item.weightBp = weight;
      fixed.add(item);
    }
  }
  for (const spec of season.addItems) {
    const added = { spec, target: spec.target, weightBp: spec.weightBp ?? 0, added: true };
    next = next.filter((i) => i.spec.metric.id !== spec.metric.id);
    next.push(added);
    fixed.add(added);
  }
  rebalance(role, season, next, fixed);
  return next;
}

function rebalance(role: RoleSpec, season: SeasonSpec, items: Draft[], fixed: Set<Draft>): void {
  const total = items.reduce((a, i) => a + i.weightBp, 0);
  if (total === FULL_WEIGHT) return;
  const fixedSum = [...fixed].reduce((a, i) => a + i.weightBp, 0);
  const free = items.filter((i) => !fixed.has(i));
  const freeSum = free.reduce((a, i) => a + i.weightBp, 0);
  if (!season.rescale || fixedSum > FULL_WEIGHT || (freeSum === 0 && fixedSum !== FULL_WEIGHT)) {
    throw new InvalidInput(
      `roles.${role.id}`,
      `with season ${season.name} the weights of role ${role.id} add up to ${percent(total)}, not 100%` +
        (season.rescale ? "" : " (rescale is off)"),
    );
  }
  const scaled = apportion(
    FULL_WEIGHT - fixedSum,
    free.map((i) => i.weightBp),
  );
  free.forEach((item, k) => {
    item.weightBp = scaled[k]!;
  });
}

function percent(bp: number): string {
  return `${bp / 100}%`;
}

/** The role's plan with the given seasons applied in order. Throws InvalidInput if weights cannot add up. */
export function planRole(role: RoleSpec, seasons: readonly SeasonSpec[]): RolePlan {
  let items = basePlan(role);
  for (const season of seasons) items = applySeason(role, items, season);
  return { role, seasons: seasons.map((s) => s.name), items };
}

/** The target that applies to an agent: the team's if set, else the shop category's, else the default. */
export function targetFor(
  target: TargetSpec,
  team: string | undefined,
  category: string | undefined,
): number {
  return (
    (team !== undefined ? target.team?.[team] : undefined) ??
    (category !== undefined ? target.category?.[category] : undefined) ??
    target.default
  );
}
