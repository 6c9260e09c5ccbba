import { InvalidInput, type Issue } from "./errors.ts";
import type { MetricCatalogue, MetricDef } from "./metrics.ts";
import type { ItemDoc, TargetDoc } from "./scheme-doc.ts";
import {
  DEFAULT_RATING_SCALE,
  type ItemRule,
  type ItemSpec,
  type MissingRule,
  RATED_TARGET,
  type RatingLevel,
  type TargetSpec,
} from "./scheme-types.ts";
import { parseQuantity } from "./units.ts";

/** Reading items, targets and weights of a scheme document, collecting every problem found. */

export class Issues {
  readonly list: Issue[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

export interface ItemDefaults {
  itemCap: number;
  missing: MissingRule;
}

/** A weight written as 20, "20%" or "12.5%", in basis points; undefined (and an issue) if unreadable. */
export function readWeight(raw: string | number, path: string, issues: Issues): number | undefined {
  const text = typeof raw === "number" ? String(raw) : raw.trim();
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  if (!m) {
    issues.add(path, `"${raw}" is not a weight: write a percentage such as 20 or "20%"`);
    return undefined;
  }
  const bp = Number(m[1]) * 100;
  if (Math.abs(bp - Math.round(bp)) > 1e-6) {
    issues.add(path, `weights are written to 0.01%, not "${raw}"`);
    return undefined;
  }
  if (bp > 10_000) {
    issues.add(path, `a weight cannot exceed 100%, not "${raw}"`);
    return undefined;
  }
  return Math.round(bp);
}

function readQuantity(
  metric: MetricDef,
  raw: string | number,
  path: string,
  issues: Issues,
): number | undefined {
  try {
    return parseQuantity(metric, raw);
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    issues.add(path, `${error.reason} (target of ${metric.id}, in ${unitHint(metric)})`);
    return undefined;
  }
}

function unitHint(metric: MetricDef): string {
  const hints = { percent: "%", permille: "‰", seconds: "seconds", hours: "hours", yuan: "yuan" };
  return hints[metric.unit as keyof typeof hints] ?? metric.unit;
}

export function readTarget(
  metric: MetricDef,
  doc: TargetDoc,
  path: string,
  issues: Issues,
): TargetSpec | undefined {
  if (typeof doc === "number" || typeof doc === "string") {
    const value = readQuantity(metric, doc, path, issues);
    return value === undefined ? undefined : { default: value };
  }
  const before = issues.list.length;
  const value = readQuantity(metric, doc.default, `${path}.default`, issues);
  const readMap = (map: Record<string, string | number> | undefined, key: string) => {
    if (!map) return undefined;
    const out: Record<string, number> = {};
    for (const [name, raw] of Object.entries(map)) {
      const v = readQuantity(metric, raw, `${path}.${key}.${name}`, issues);
      if (v !== undefined) out[name] = v;
    }
    return out;
  };
  const category = readMap(doc.category, "category");
  const team = readMap(doc.team, "team");
  if (value === undefined || issues.list.length > before) return undefined;
  return { default: value, ...(category ? { category } : {}), ...(team ? { team } : {}) };
}

/** Suggests the nearest metric id for a typo ("convrsion_rate" → conversion_rate). */
export function unknownMetric(name: string, catalogue: MetricCatalogue): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const def of catalogue.all()) {
    const d = editDistance(name.toLowerCase(), def.id);
    if (d < bestDistance) {
      best = def.id;
      bestDistance = d;
    }
  }
  return `unknown metric "${name}"${best ? `; did you mean ${best}?` : ""}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** One item of a role or of a season's addItems. `weightMode` says whether it must carry a weight. */
export function readItem(
  doc: ItemDoc,
  path: string,
  catalogue: MetricCatalogue,
  defaults: ItemDefaults,
  weightMode: boolean,
  issues: Issues,
): ItemSpec | undefined {
  const metric = catalogue.find(doc.metric);
  if (!metric) {
    issues.add(`${path}.metric`, unknownMetric(doc.metric, catalogue));
    return undefined;
  }
  const before = issues.list.length;
  const rated = doc.rule === "rated";
  let target: TargetSpec | undefined;
  if (rated) {
    if (doc.target !== undefined)
      issues.add(`${path}.target`, "a rated item has no target: the supervisor's level is its score");
    target = { default: RATED_TARGET };
  } else if (doc.target === undefined) issues.add(`${path}.target`, "the item needs a target");
  else target = readTarget(metric, doc.target, `${path}.target`, issues);
  let weightBp: number | undefined;
  if (weightMode) {
    if (doc.weight === undefined) issues.add(`${path}.weight`, "the item needs a weight");
    else weightBp = readWeight(doc.weight, `${path}.weight`, issues);
    if (doc.share !== undefined) {
      issues.add(`${path}.share`, "share only applies when the role splits its weight by dimensions");
    }
  } else if (doc.weight !== undefined) {
    issues.add(
      `${path}.weight`,
      "the role splits its weight by dimensions: give the item a share, not a weight",
    );
  }
  const rule = readRule(doc, path, issues);
  const cap = doc.cap ?? defaults.itemCap;
  if (cap < 100)
    issues.add(`${path}.cap`, `an item cap must be at least 100 (meeting the target scores 100), not ${cap}`);
  if (issues.list.length > before || !target || !rule) return undefined;
  return {
    metric,
    ...(doc.label ? { label: doc.label } : {}),
    target,
    ...(weightBp !== undefined ? { weightBp } : {}),
    share: doc.share ?? 1,
    dimension: doc.dimension ?? metric.dimension,
    rule,
    cap,
    missing: doc.missing ?? defaults.missing,
  };
}

function readRule(doc: ItemDoc, path: string, issues: Issues): ItemRule | undefined {
  const kind = doc.rule ?? "proportional";
  if (doc.scale !== undefined && kind !== "rated") {
    issues.add(`${path}.scale`, `a scale only applies to rule: rated, not ${kind}`);
    return undefined;
  }
  if (kind === "rated") {
    if (doc.pointsPerUnit !== undefined) {
      issues.add(`${path}.pointsPerUnit`, "pointsPerUnit only applies to rule: deduct, not rated");
      return undefined;
    }
    return readScale(doc, path, issues);
  }
  if (kind === "deduct") {
    if (doc.pointsPerUnit === undefined) {
      issues.add(
        `${path}.pointsPerUnit`,
        "a deduct rule needs pointsPerUnit (points lost per unit off target)",
      );
      return undefined;
    }
    return { kind, pointsPerUnit: doc.pointsPerUnit };
  }
  if (doc.pointsPerUnit !== undefined) {
    issues.add(`${path}.pointsPerUnit`, `pointsPerUnit only applies to rule: deduct, not ${kind}`);
    return undefined;
  }
  return { kind };
}

/** A rated item's scale: levels unique (in either language), as written or the default. */
function readScale(doc: ItemDoc, path: string, issues: Issues): ItemRule | undefined {
  if (!doc.scale) return { kind: "rated", scale: DEFAULT_RATING_SCALE };
  const seen = new Set<string>();
  const scale: RatingLevel[] = [];
  let ok = true;
  doc.scale.forEach((level, i) => {
    for (const word of [level.level, level.en].filter((w): w is string => w !== undefined)) {
      const key = word.toLowerCase();
      if (seen.has(key)) {
        issues.add(`${path}.scale[${i}]`, `the level "${word}" is named twice`);
        ok = false;
      }
      seen.add(key);
    }
    scale.push({ level: level.level, ...(level.en ? { en: level.en } : {}), score: level.score });
  });
  return ok ? { kind: "rated", scale } : undefined;
}
