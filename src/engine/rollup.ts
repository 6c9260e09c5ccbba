import { RollupError } from "./errors.ts";
import type { MetricCatalogue, MetricDef } from "./metrics.ts";
import { containsPeriod, type Period, type PeriodKind, parsePeriod, periodOfDay } from "./period.ts";
import type { AgentPeriod } from "./score.ts";
import type { MetricValue, MetricValues } from "./value.ts";

/**
 * Roll-ups sum numerators and denominators; they never average ratios (a finished one, which has
 * none, makes the combined figure not combinable: value.ts). Days roll up into ISO
 * weeks, months, quarters and years; months into quarters and years. A week that straddles two
 * months cannot be split, so months are built from days (or months), not from weeks.
 */

function addInto(into: MetricValues, from: MetricValues, catalogue: MetricCatalogue): void {
  for (const id in from) addOne(into, id, from[id]!, catalogue);
}

/** Adds one metric's figure: each metric sums on its own, so a subset of them can be summed alone. */
function addOne(into: MetricValues, id: string, v: MetricValue, catalogue: MetricCatalogue): void {
  const acc = into[id];
  if (acc === undefined) {
    into[id] = copy(v);
    return;
  }
  const metric = catalogue.get(id);
  const exactOnly = metric !== undefined && metric.aggregation !== "count" && metric.aggregation !== "amount";
  // A rate or mean without the count under it cannot be combined with another figure of it:
  // the item has no figure for the period, and only it (the rest of the card is scored).
  if (exactOnly && (acc.finished || v.finished)) {
    into[id] = notCombinable(acc, v);
    return;
  }
  acc.num += v.num;
  acc.den += v.den;
  if (v.approx !== undefined && acc.approx !== v.approx)
    acc.approx = acc.approx === undefined ? v.approx : [...new Set([acc.approx, v.approx])].join("、");
  if (v.base) {
    if (acc.base) {
      acc.base.num += v.base.num;
      acc.base.den += v.base.den;
    } else acc.base = { ...v.base };
  }
}

/** What two figures make when one is finished: nothing to score, and what each export lacked. */
function notCombinable(a: MetricValue, b: MetricValue): MetricValue {
  const needs = [...new Set([...(a.needs ?? []), ...(b.needs ?? [])])];
  return { num: 0, den: 0, finished: true, notCombinable: true, ...(needs.length ? { needs } : {}) };
}

function copy(v: MetricValue): MetricValue {
  const c = { ...v };
  if (v.base) c.base = { ...v.base };
  return c;
}

/** Sums several sets of figures into one (agent → team → shop, or day → month). */
export function sumValues(sets: readonly MetricValues[], catalogue: MetricCatalogue): MetricValues {
  const out: MetricValues = {};
  for (const set of sets) addInto(out, set, catalogue);
  return out;
}

/**
 * Rolls records up to a coarser period: each agent's records inside the same week, month …
 * become one record. With a Period, only records inside it are kept. A record that does not fit
 * inside one target period (a week into a month) is an error, not an approximation.
 * `change` figures (AOV uplift) without a stated base are compared with the agent's previous
 * period, when the records hold it.
 */
export function rollUpPeriods(
  records: readonly AgentPeriod[],
  target: PeriodKind | Period,
  catalogue: MetricCatalogue,
): AgentPeriod[] {
  const groups = new Map<string, RollupGroup>();
  const outerOf = targetPeriods(target);
  const bases = ChangeBases.of(target, catalogue);
  for (const record of records) {
    const inner = parsePeriod(record.period);
    bases?.add(record, inner);
    const outer = outerOf(inner);
    if (!outer) {
      if (typeof target !== "string" && (inner.last < target.first || inner.first > target.last)) continue;
      throw new RollupError(
        `${record.agent} ${record.period}: a ${inner.kind} does not fit inside one ${typeof target === "string" ? target : target.key}; roll up from days instead`,
      );
    }
    const key = `${record.agent}\u0000${record.role}\u0000${outer.key}`;
    const group = groups.get(key);
    if (!group) {
      // The figures of a group's first record, held as they are (not copied): most groups of a
      // day are one record, and nothing changes a figure in place but a sum (addOne), which
      // copies them first (unshare). Key order and values are the copies' own.
      groups.set(key, {
        period: outer,
        record: { ...record, period: outer.key, values: { ...record.values } },
        latest: record.period,
        shared: true,
      });
      continue;
    }
    if (group.shared) unshare(group);
    addInto(group.record.values, record.values, catalogue);
    if (record.period >= group.latest) {
      // Team, category and pay follow the agent's latest record in the period.
      group.latest = record.period;
      assignFacts(group.record, record);
    }
  }
  const rolled = [...groups.values()];
  if (bases) fillChangeBases(rolled, bases);
  return rolled.map((g) => g.record);
}

interface RollupGroup {
  period: Period;
  record: AgentPeriod;
  latest: string;
  /** The record's figures are its first record's own objects, until a second record is added. */
  shared: boolean;
}

function unshare(group: RollupGroup): void {
  const values = group.record.values;
  for (const id in values) values[id] = copy(values[id]!);
  group.shared = false;
}

/**
 * The target period of each record's period, or undefined where it does not fit in one. For a
 * kind, worked out once per distinct period (a month of days is 31 of them, not one per record).
 */
function targetPeriods(target: PeriodKind | Period): (inner: Period) => Period | undefined {
  if (typeof target !== "string") return (inner) => (containsPeriod(target, inner) ? target : undefined);
  const outers = new Map<string, Period | undefined>();
  return (inner) => {
    if (outers.has(inner.key)) return outers.get(inner.key);
    const outer = periodOfDay(inner.first, target);
    const fits = containsPeriod(outer, inner) ? outer : undefined;
    outers.set(inner.key, fits);
    return fits;
  };
}

/** A record's facts (all but its figures and period) onto the rolled-up one: a spread per record was garbage. */
function assignFacts(into: AgentPeriod, from: AgentPeriod): void {
  const target = into as unknown as Record<string, unknown>;
  const source = from as unknown as Record<string, unknown>;
  for (const name of Object.keys(source))
    if (name !== "values" && name !== "period") target[name] = source[name];
}

/**
 * A change metric (AOV uplift) compares a period with the one before: its figure is the
 * underlying metric's (AOV = sales ÷ orders), its base the same agent's previous period. The
 * base is the change metrics' (and their underlying metrics') sums over the agent's records in
 * that period, in the records' order, as the previous period's roll-up would give them; each
 * metric sums on its own (addOne), so the rest of the figures are not summed at all.
 *
 * The sums are made in the roll-up's one pass over the records (ChangeBases.add): a record goes
 * into the sum of the period after the one that holds it, for its agent. Walking each agent's
 * records again per group took an eighth of a big shop's scoring.
 */
class ChangeBases {
  /** Each record's period → the key of the period whose previous period holds it (null: none). */
  readonly #following = new Map<string, string | null>();
  /** agent, role and the following period's key → the sums of the base metrics. */
  readonly #sums = new Map<string, MetricValues>();

  private constructor(
    private readonly target: PeriodKind | Period,
    readonly changes: readonly MetricDef[],
    private readonly ids: readonly string[],
    private readonly catalogue: MetricCatalogue,
  ) {}

  static of(target: PeriodKind | Period, catalogue: MetricCatalogue): ChangeBases | undefined {
    const changes = [...catalogue.all()].filter((m) => m.aggregation === "change");
    if (changes.length === 0) return undefined;
    const ids = [...new Set(changes.flatMap((m) => (m.of ? [m.id, m.of] : [m.id])))];
    return new ChangeBases(target, changes, ids, catalogue);
  }

  add(record: AgentPeriod, inner: Period): void {
    let has = false;
    for (const id of this.ids) if (record.values[id] !== undefined) has = true;
    if (!has) return;
    const following = this.followingOf(inner);
    if (following === null) return;
    const key = `${agentKey(record)}\u0000${following}`;
    let sums = this.#sums.get(key);
    if (!sums) {
      sums = {};
      this.#sums.set(key, sums);
    }
    for (const id of this.ids) {
      const v = record.values[id];
      if (v !== undefined) addOne(sums, id, v, this.catalogue);
    }
  }

  /** The agent's sums over the period before `period`, if any record fell in it. */
  before(record: AgentPeriod, period: Period): MetricValues | undefined {
    return this.#sums.get(`${agentKey(record)}\u0000${period.key}`);
  }

  /**
   * The period (of the target's kind) just after the one that holds `inner`, or null when no
   * one period holds it or, for a target period, when that is not the target: periods of a kind
   * tile the days, so that is the one period whose previous period holds `inner`.
   */
  private followingOf(inner: Period): string | null {
    const known = this.#following.get(inner.key);
    if (known !== undefined) return known;
    const kind = typeof this.target === "string" ? this.target : this.target.kind;
    const holder = periodOfDay(inner.first, kind);
    let following: string | null = null;
    if (containsPeriod(holder, inner)) {
      const next = periodOfDay(holder.last + 1, kind);
      if (typeof this.target === "string" || next.key === this.target.key) following = next.key;
    }
    this.#following.set(inner.key, following);
    return following;
  }
}

function fillChangeBases(
  rolled: readonly { period: Period; record: AgentPeriod }[],
  bases: ChangeBases,
): void {
  const sourceOf = (values: MetricValues, id: string, of: string | undefined) =>
    values[id] ?? (of ? values[of] : undefined);
  for (const group of rolled) {
    const values = group.record.values;
    const open = bases.changes.filter((m) => {
      const v = sourceOf(values, m.id, m.of);
      return v !== undefined && !v.finished && !v.base;
    });
    if (open.length === 0) continue;
    const prior = bases.before(group.record, group.period) ?? {};
    for (const metric of open) {
      const current = sourceOf(values, metric.id, metric.of)!;
      const base = sourceOf(prior, metric.id, metric.of);
      if (!base || base.finished) continue;
      values[metric.id] = { num: current.num, den: current.den, base: { num: base.num, den: base.den } };
    }
  }
}

const agentKey = (record: AgentPeriod) => `${record.agent}\u0000${record.role}`;

/** Groups agents' records by team (or shop) and period, summing their figures. */
export function rollUpGroups(
  records: readonly AgentPeriod[],
  by: "team" | "shop",
  catalogue: MetricCatalogue,
): { group: string; period: string; members: string[]; values: MetricValues }[] {
  const groups = new Map<
    string,
    { group: string; period: string; members: string[]; values: MetricValues }
  >();
  for (const record of records) {
    const name = record[by];
    if (name === undefined) continue;
    const key = `${name}\u0000${record.period}`;
    let group = groups.get(key);
    if (!group) {
      group = { group: name, period: record.period, members: [], values: {} };
      groups.set(key, group);
    }
    group.members.push(record.agent);
    addInto(group.values, record.values, catalogue);
  }
  return [...groups.values()];
}
