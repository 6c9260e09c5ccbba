import { InvalidInput } from "./errors.ts";
import type { MetricCatalogue } from "./metrics.ts";
import { planRole } from "./plan.ts";
import type { SchemeDoc, SeasonDoc } from "./scheme-doc.ts";
import {
  type Issues,
  type ItemDefaults,
  readItem,
  readTarget,
  readWeight,
  unknownMetric,
} from "./scheme-items.ts";
import type { ItemSpec, RoleSpec, SeasonDate, SeasonSpec, TargetSpec } from "./scheme-types.ts";

/** Reading a scheme's seasons (Double 11, 618 …) and checking each against the roles it changes. */

function readDate(text: string, path: string, issues: Issues): SeasonDate | undefined {
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const recurring = /^(\d{2})-(\d{2})$/.exec(text);
  const [year, month, day] = full
    ? [Number(full[1]), Number(full[2]), Number(full[3])]
    : recurring
      ? [undefined, Number(recurring[1]), Number(recurring[2])]
      : [undefined, 0, 0];
  const probe = new Date(Date.UTC(year ?? 2000, month - 1, day));
  if ((!full && !recurring) || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    issues.add(path, `"${text}" is not a date: write 2026-11-11, or 11-11 for every year`);
    return undefined;
  }
  return year === undefined ? { month, day } : { year, month, day };
}

function key(d: SeasonDate): number {
  return (d.year ?? 0) * 10_000 + d.month * 100 + d.day;
}

export function readSeasons(
  doc: SchemeDoc,
  roles: ReadonlyMap<string, RoleSpec>,
  catalogue: MetricCatalogue,
  defaults: ItemDefaults,
  issues: Issues,
): SeasonSpec[] {
  const seasons: SeasonSpec[] = [];
  (doc.seasons ?? []).forEach((seasonDoc, i) => {
    const season = readSeason(seasonDoc, `seasons[${i}]`, roles, catalogue, defaults, issues);
    if (season) seasons.push(season);
  });
  return seasons;
}

function readSeason(
  doc: SeasonDoc,
  path: string,
  roles: ReadonlyMap<string, RoleSpec>,
  catalogue: MetricCatalogue,
  defaults: ItemDefaults,
  issues: Issues,
): SeasonSpec | undefined {
  const before = issues.list.length;
  if (doc.from === undefined || doc.to === undefined) {
    issues.add(
      path,
      doc.from === undefined && doc.to === undefined
        ? `season ${doc.name} gives no dates and the season calendar has no window named ${doc.name}: give from and to, or add it to the configuration's seasons`
        : `season ${doc.name}: give both from and to, or neither (to take its window from the season calendar)`,
    );
    return undefined;
  }
  const from = readDate(doc.from, `${path}.from`, issues);
  const to = readDate(doc.to, `${path}.to`, issues);
  if (from && to) {
    if ((from.year === undefined) !== (to.year === undefined)) {
      issues.add(path, `season ${doc.name}: from and to must both be full dates or both month-days`);
    } else if (from.year !== undefined && key(to) < key(from)) {
      issues.add(`${path}.to`, `season ${doc.name} ends (${doc.to}) before it starts (${doc.from})`);
    }
  }
  doc.roles?.forEach((role, k) => {
    if (!roles.has(role))
      issues.add(
        `${path}.roles[${k}]`,
        `unknown role "${role}"; the scheme has ${[...roles.keys()].join(", ")}`,
      );
  });
  const affected = [...roles.values()].filter((r) => !doc.roles || doc.roles.includes(r.id));

  const targets: Record<string, TargetSpec> = {};
  for (const [name, raw] of Object.entries(doc.targets ?? {})) {
    const metric = catalogue.find(name);
    if (!metric) {
      issues.add(`${path}.targets.${name}`, unknownMetric(name, catalogue));
      continue;
    }
    const target = readTarget(metric, raw, `${path}.targets.${name}`, issues);
    if (target) targets[metric.id] = target;
  }
  const weightsBp: Record<string, number> = {};
  for (const [name, raw] of Object.entries(doc.weights ?? {})) {
    const metric = catalogue.find(name);
    if (!metric) issues.add(`${path}.weights.${name}`, unknownMetric(name, catalogue));
    else if (!affected.some((r) => !r.dimensionsBp && r.items.some((i) => i.metric.id === metric.id))) {
      issues.add(
        `${path}.weights.${name}`,
        `no role of season ${doc.name} weights ${metric.id} item by item (use dimensions for roles weighted by dimension)`,
      );
    } else {
      const bp = readWeight(raw, `${path}.weights.${name}`, issues);
      if (bp !== undefined) weightsBp[metric.id] = bp;
    }
  }
  const dimensionsBp: Record<string, number> = {};
  for (const [dimension, raw] of Object.entries(doc.dimensions ?? {})) {
    if (!affected.some((r) => r.dimensionsBp && dimension in r.dimensionsBp)) {
      issues.add(
        `${path}.dimensions.${dimension}`,
        `no role of season ${doc.name} has a dimension ${dimension}`,
      );
      continue;
    }
    const bp = readWeight(raw, `${path}.dimensions.${dimension}`, issues);
    if (bp !== undefined) dimensionsBp[dimension] = bp;
  }
  const addItems: ItemSpec[] = [];
  doc.addItems?.forEach((itemDoc, k) => {
    const item = readItem(itemDoc, `${path}.addItems[${k}]`, catalogue, defaults, true, issues);
    if (item) addItems.push(item);
  });
  const removeItems: string[] = [];
  doc.removeItems?.forEach((name, k) => {
    const metric = catalogue.find(name);
    if (metric) removeItems.push(metric.id);
    else issues.add(`${path}.removeItems[${k}]`, unknownMetric(name, catalogue));
  });
  const known = new Set([
    ...affected.flatMap((r) => r.items.map((i) => i.metric.id)),
    ...addItems.map((i) => i.metric.id),
  ]);
  for (const id of Object.keys(targets)) {
    if (!known.has(id))
      issues.add(`${path}.targets.${id}`, `no role of season ${doc.name} has an item ${id}`);
  }
  if (issues.list.length > before || !from || !to) return undefined;

  const season: SeasonSpec = {
    name: doc.name,
    from,
    to,
    ...(doc.roles ? { roles: doc.roles } : {}),
    targets,
    weightsBp,
    dimensionsBp,
    addItems,
    removeItems,
    rescale: doc.rescale ?? true,
  };
  for (const role of affected) {
    try {
      planRole(role, [season]);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      issues.add(path, error.reason);
    }
  }
  return issues.list.length > before ? undefined : season;
}
