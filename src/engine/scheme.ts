import { InvalidDocument } from "./errors.ts";
import { builtinCatalogue, type MetricCatalogue, type MetricDef } from "./metrics.ts";
import { FULL_WEIGHT } from "./plan.ts";
import { formatPath, type RoleDoc, type SchemeDoc, schemeDoc } from "./scheme-doc.ts";
import { Issues, type ItemDefaults, readItem, readWeight, unknownMetric } from "./scheme-items.ts";
import { readSeasons } from "./scheme-seasons.ts";
import {
  type CoefficientRule,
  DEFAULT_GRADES,
  DEFAULT_MIN_COVERAGE_BP,
  type GradeBand,
  type ItemSpec,
  type PaySplit,
  type RoleSpec,
  type Scheme,
} from "./scheme-types.ts";
import { DEFAULT_SEASON_CALENDAR, type SeasonCalendar, withSeasonWindows } from "./season-calendar.ts";

export * from "./scheme-types.ts";

/**
 * Validates a scheme document (already parsed from YAML or JSON) and returns the scheme, or
 * throws InvalidDocument listing every problem with its path, e.g.
 * `roles.presales.items[2].weight: weights of role presales add up to 95%, not 100%`.
 */
export function buildScheme(
  input: unknown,
  fallbackId = "scheme",
  calendar: SeasonCalendar = DEFAULT_SEASON_CALENDAR,
): Scheme {
  const parsed = schemeDoc.safeParse(withSeasonWindows(input, calendar));
  if (!parsed.success) {
    throw new InvalidDocument(
      "scheme",
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  const doc = parsed.data;
  const issues = new Issues();
  const catalogue = readCatalogue(doc, issues);
  const itemCap = doc.itemCap ?? 120;
  if (itemCap < 100)
    issues.add(
      "itemCap",
      `the item cap must be at least 100 (meeting the target scores 100), not ${itemCap}`,
    );
  const defaults: ItemDefaults = { itemCap, missing: doc.missingData ?? "renormalise" };
  const roles = new Map<string, RoleSpec>();
  if (Object.keys(doc.roles).length === 0) issues.add("roles", "a scheme needs at least one role");
  for (const [id, roleDoc] of Object.entries(doc.roles)) {
    const role = readRole(id, roleDoc, catalogue, defaults, issues);
    if (role) roles.set(id, role);
  }
  const minCoverageBp =
    doc.minCoverage === undefined
      ? DEFAULT_MIN_COVERAGE_BP
      : readWeight(doc.minCoverage, "minCoverage", issues);
  const grades = readGrades(doc, issues);
  const pay = readPay(doc, catalogue, roles, issues);
  const seasons = readSeasons(doc, roles, catalogue, defaults, issues);
  if (issues.list.length > 0) throw new InvalidDocument(`scheme ${doc.id ?? fallbackId}`, issues.list);
  return {
    id: doc.id ?? fallbackId,
    name: doc.name,
    ...(doc.description ? { description: doc.description } : {}),
    itemCap,
    rounding: { itemScore: doc.rounding?.itemScore ?? 2, total: doc.rounding?.total ?? 2 },
    missing: defaults.missing,
    minCoverageBp: minCoverageBp ?? DEFAULT_MIN_COVERAGE_BP,
    assessment: doc.assessment ?? "month",
    ...(doc.probation ? { probation: doc.probation } : {}),
    grades,
    coefficient: readCoefficient(doc),
    ...(pay ? { pay } : {}),
    catalogue,
    roles,
    seasons,
  };
}

function readCatalogue(doc: SchemeDoc, issues: Issues): MetricCatalogue {
  const custom: MetricDef[] = [];
  doc.metrics?.forEach((m, i) => {
    if (builtinCatalogue.get(m.id) || custom.some((c) => c.id === m.id)) {
      issues.add(`metrics[${i}].id`, `metric ${m.id} is already defined`);
      return;
    }
    const { perDay, aliases, ...rest } = m;
    custom.push({ ...rest, ...(perDay ? { perDay } : {}), ...(aliases ? { aliases } : {}) });
  });
  return custom.length ? builtinCatalogue.extend(custom) : builtinCatalogue;
}

function readRole(
  id: string,
  doc: RoleDoc,
  catalogue: MetricCatalogue,
  defaults: ItemDefaults,
  issues: Issues,
): RoleSpec | undefined {
  const path = `roles.${id}`;
  const before = issues.list.length;
  const weightMode = doc.dimensions === undefined;
  const items: ItemSpec[] = [];
  const positions: number[] = [];
  doc.items.forEach((itemDoc, i) => {
    const item = readItem(itemDoc, `${path}.items[${i}]`, catalogue, defaults, weightMode, issues);
    if (!item) return;
    if (items.some((seen) => seen.metric.id === item.metric.id)) {
      issues.add(`${path}.items[${i}].metric`, `${item.metric.id} appears twice in role ${id}`);
    }
    items.push(item);
    positions.push(i);
  });
  let dimensionsBp: Record<string, number> | undefined;
  if (doc.dimensions) dimensionsBp = readDimensions(id, doc, items, positions, issues);
  else checkItemWeights(id, doc, items, issues);
  if (issues.list.length > before) return undefined;
  return {
    id,
    name: doc.name ?? id,
    scope: doc.scope ?? "agent",
    ...(dimensionsBp ? { dimensionsBp } : {}),
    items,
  };
}

function checkItemWeights(id: string, doc: RoleDoc, items: ItemSpec[], issues: Issues): void {
  if (items.length !== doc.items.length) return; // an item already failed; its weight is unknown
  const sum = items.reduce((a, i) => a + (i.weightBp ?? 0), 0);
  if (sum !== FULL_WEIGHT) {
    issues.add(
      `roles.${id}.items[${items.length - 1}].weight`,
      `weights of role ${id} add up to ${sum / 100}%, not 100%`,
    );
  }
}

function readDimensions(
  id: string,
  doc: RoleDoc,
  items: ItemSpec[],
  positions: number[],
  issues: Issues,
): Record<string, number> {
  const path = `roles.${id}.dimensions`;
  const out: Record<string, number> = {};
  for (const [dimension, raw] of Object.entries(doc.dimensions ?? {})) {
    const bp = readWeight(raw, `${path}.${dimension}`, issues);
    if (bp === undefined) continue;
    out[dimension] = bp;
    const complete = items.length === doc.items.length; // else a failed item may be the one missing
    if (complete && bp > 0 && !items.some((i) => i.dimension === dimension)) {
      issues.add(`${path}.${dimension}`, `dimension ${dimension} has weight ${bp / 100}% but no item`);
    }
  }
  const sum = Object.values(out).reduce((a, b) => a + b, 0);
  if (sum !== FULL_WEIGHT)
    issues.add(path, `dimension weights of role ${id} add up to ${sum / 100}%, not 100%`);
  items.forEach((item, k) => {
    if (!(item.dimension in out)) {
      issues.add(
        `roles.${id}.items[${positions[k]}]`,
        `${item.metric.id} belongs to dimension ${item.dimension}, which has no weight in ${path}`,
      );
    }
  });
  return out;
}

function readGrades(doc: SchemeDoc, issues: Issues): readonly GradeBand[] {
  if (!doc.grades) return DEFAULT_GRADES;
  const bands: GradeBand[] = [];
  const names = new Set<string>();
  let floor = 0;
  doc.grades.forEach((g, i) => {
    if (names.has(g.grade)) issues.add(`grades[${i}].grade`, `grade ${g.grade} is listed twice`);
    names.add(g.grade);
    if (g.min === undefined) floor++;
    bands.push({
      grade: g.grade,
      min: g.min ?? Number.NEGATIVE_INFINITY,
      coefficient: g.coefficient,
      ...(g.label ? { label: g.label } : {}),
    });
  });
  if (floor !== 1)
    issues.add("grades", "exactly one grade (the lowest) must have no min, so every total gets a grade");
  bands.sort((a, b) => b.min - a.min);
  for (let i = 1; i < bands.length; i++) {
    if (bands[i]!.min === bands[i - 1]!.min && Number.isFinite(bands[i]!.min)) {
      issues.add(
        "grades",
        `grades ${bands[i - 1]!.grade} and ${bands[i]!.grade} start at the same total ${bands[i]!.min}`,
      );
    }
    if (bands[i]!.coefficient > bands[i - 1]!.coefficient) {
      issues.add(
        "grades",
        `grade ${bands[i]!.grade} pays more (${bands[i]!.coefficient}) than the better grade ${bands[i - 1]!.grade}`,
      );
    }
  }
  return bands;
}

function readCoefficient(doc: SchemeDoc): CoefficientRule {
  const c = doc.coefficient;
  if (c === undefined || c === "bands") return { mode: "bands" };
  return {
    mode: "linear",
    ...(c.min !== undefined ? { min: c.min } : {}),
    ...(c.max !== undefined ? { max: c.max } : {}),
  };
}

function readPay(
  doc: SchemeDoc,
  catalogue: MetricCatalogue,
  roles: ReadonlyMap<string, RoleSpec>,
  issues: Issues,
): PaySplit | undefined {
  if (!doc.pay) return undefined;
  const baseBp = readWeight(doc.pay.base, "pay.base", issues) ?? 0;
  const performanceBp = readWeight(doc.pay.performance, "pay.performance", issues) ?? 0;
  const bonusBp = readWeight(doc.pay.bonus, "pay.bonus", issues) ?? 0;
  const sum = baseBp + performanceBp + bonusBp;
  if (sum !== FULL_WEIGHT) issues.add("pay", `the pay split adds up to ${sum / 100}%, not 100%`);
  // A figure pays only through an item with a target: name one no role scores and it pays nothing.
  const scored = new Set([...roles.values()].flatMap((r) => r.items.map((i) => i.metric.id)));
  const itemMetric = (name: string, path: string) => {
    const metric = catalogue.find(name);
    if (!metric) issues.add(path, unknownMetric(name, catalogue));
    else if (!scored.has(metric.id))
      issues.add(path, `${metric.id} is not an item of any role: pay follows items with a target`);
    else return metric.id;
    return undefined;
  };
  const bonusMetrics: string[] = [];
  doc.pay.bonusMetrics?.forEach((name, i) => {
    const id = itemMetric(name, `pay.bonusMetrics[${i}]`);
    if (id) bonusMetrics.push(id);
  });
  const extraRewards: PaySplit["extraRewards"][number][] = [];
  doc.pay.extraRewards?.forEach((rule, i) => {
    const id = itemMetric(rule.metric, `pay.extraRewards[${i}].metric`);
    const overBp = readWeight(rule.over, `pay.extraRewards[${i}].over`, issues);
    if (id && overBp !== undefined)
      extraRewards.push({ metric: id, over: overBp / FULL_WEIGHT, amount: rule.amount });
  });
  const baseFollows = catalogue.find(doc.pay.baseFollows ?? "attendance_rate")?.id;
  if (!baseFollows) issues.add("pay.baseFollows", unknownMetric(doc.pay.baseFollows ?? "", catalogue));
  return {
    baseBp,
    performanceBp,
    bonusBp,
    baseFollows: baseFollows ?? "attendance_rate",
    bonusMetrics,
    extraRewards,
  };
}
