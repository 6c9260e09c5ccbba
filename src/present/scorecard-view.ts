import {
  type BreakdownRow,
  breakdown,
  formatQuantity,
  type MetricCatalogue,
  type MetricDef,
  type NextGradeAdvice,
  ratedMetricsOf,
  type Scheme,
  type Scorecard,
} from "../engine/index.ts";
import type { Messages } from "../i18n/index.ts";
import { coefficientText } from "./coefficient.ts";

/**
 * A scorecard put into words and figures for people, in one language. The CLI table and the chat
 * renderers lay this out; none of them formats figures on its own.
 */
export interface ScorecardView {
  heading: string;
  seasons?: string;
  rows: { metric: string; target: string; actual: string; score: string; weight: string; weighted: string }[];
  summary: string;
  pay?: string;
  /** Items scored stretch by stretch where a season's targets cover part of the period. */
  splits?: string[];
  /** Set when a figure is marked * (not final yet). */
  pendingNote?: string;
  /** Set when an item's figure was corrected on appeal (marked †). */
  correctedNote?: string;
  /** Items that could not be combined over the period, or weighed by a stand-in count (≈): why. */
  itemNotes?: string[];
  advice?: string[];
}

export function metricName(metric: MetricDef, label: string | undefined, t: Pick<Messages, "lang">): string {
  return label ?? (t.lang === "en" ? metric.en : metric.zh);
}

function figure(metric: MetricDef, value: number): string {
  return formatQuantity(metric, value, metric.aggregation === "change");
}

function target(metric: MetricDef, value: number): string {
  return `${metric.direction === "up" ? "≥" : "≤"}${formatQuantity(metric, value)}`;
}

/**
 * An item scored stretch by stretch shows each stretch's target ("≤60 s / ≤30 s"), never a blend
 * no document sets; the split line under the card says which days had which.
 */
export function itemTarget(
  metric: MetricDef,
  item: Pick<BreakdownRow["item"], "target" | "segments">,
): string {
  const targets = [...new Set((item.segments ?? []).map((s) => s.target))];
  if (targets.length < 2) return target(metric, item.target);
  return targets.map((value) => target(metric, value)).join(" / ");
}

function number(x: number): string {
  return String(x);
}

/** 20 → "20.0", 9.6 → "9.6", 10.67 → "10.67", as the worked example writes weighted scores. */
function oneDecimalAtLeast(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

function row(
  { metric, item }: BreakdownRow,
  t: Messages,
  pending: boolean,
  card: Scorecard,
  ratedIds: ReadonlySet<string>,
  corrected = false,
): ScorecardView["rows"][number] {
  const awaiting = item.status === "awaiting-rating";
  const rated = awaiting || ratedIds.has(item.metric);
  const missing =
    item.status === "scored"
      ? undefined
      : awaiting && card.watch
        ? t.ratedPerPeriod(card.watch.assessment)
        : t.status[item.status];
  return {
    metric: metricName(metric, item.label, t),
    // A rated item has no target of its own: the supervisor's level is its score.
    target: rated ? "—" : itemTarget(metric, item),
    actual:
      item.actual === null
        ? pending
          ? `${t.pendingFigure}*`
          : (missing ?? "")
        : `${item.approx !== undefined ? "≈" : ""}${figure(metric, item.actual)}${pending ? "*" : ""}${corrected ? "†" : ""}`,
    score: item.score === null ? "—" : number(item.score),
    // Re-weighted items (missing ones left out) carry long fractions: 22.2%, not 22.2222%.
    weight: `${number(Math.round(item.weight * 10) / 10)}%`,
    weighted: item.weighted === null ? "—" : oneDecimalAtLeast(item.weighted),
  };
}

/** `agentName`: how the card's agent is named (agent-label.ts); the card's agent id by default. */
export function scorecardView(
  scheme: Scheme,
  card: Scorecard,
  t: Messages,
  advice?: NextGradeAdvice,
  agentName: string = card.agent,
  /** Metrics not final yet (延迟统计, resolution's 72 h): marked * on every surface alike. */
  pending: readonly string[] = [],
  /** Metrics corrected on appeal: marked † with a note, on every surface alike. */
  corrected: readonly string[] = [],
): ScorecardView {
  const role = scheme.roles.get(card.role)?.name ?? card.role;
  const grade = card.grade
    ? `${card.grade}${card.gradeLabel ? (t.lang === "en" ? "" : `（${card.gradeLabel}）`) : ""}`
    : "";
  const rated = new Set(ratedMetricsOf(scheme, card.role));
  const lines = breakdown(scheme, card);
  const view: ScorecardView = {
    heading: t.heading(agentName, role, card.period, scheme.id),
    rows: lines.map((r) =>
      row(r, t, pending.includes(r.item.metric), card, rated, corrected.includes(r.item.metric)),
    ),
    summary:
      card.total === null
        ? ungraded(scheme, card, t)
        : t.summary(String(card.total), grade, coefficientText(card.coefficient!)),
  };
  if (card.seasons.length)
    view.seasons = t.seasons(
      card.seasonDays?.map((d) => t.seasonDays(d.season, d.first.slice(5), d.last.slice(5))) ?? card.seasons,
    );
  const splits = lines.flatMap((r) => (r.item.segments ? [splitLine(r, t)] : []));
  if (splits.length) view.splits = splits;
  if (card.items.some((i) => pending.includes(i.metric))) view.pendingNote = t.pendingNote;
  const fixed = lines.filter((r) => corrected.includes(r.item.metric));
  if (fixed.length)
    view.correctedNote = t.correctedOnAppeal(
      fixed.map((r) => metricName(r.metric, r.item.label, t)).join(t.lang === "en" ? ", " : "、"),
    );
  const itemNotes = itemNotesOf(scheme, card, t);
  if (itemNotes.length) view.itemNotes = itemNotes;
  const pay = card.pay;
  const yuan = (x: number | undefined) =>
    `¥${(x ?? 0).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (pay?.total !== undefined) {
    view.pay = t.pay(yuan(pay.total), yuan(pay.base), yuan(pay.performance), yuan(pay.bonus));
  } else if (pay) {
    const extra = pay.extras.reduce((a, e) => a + e.amount, 0);
    view.pay = t.payFactors(
      pay.baseFactor.toFixed(2),
      coefficientText(pay.performanceFactor),
      pay.bonusFactor.toFixed(2),
      extra > 0 ? yuan(extra) : "",
    );
  }
  if (advice) view.advice = adviceLines(scheme, advice, t);
  return view;
}

/** The items not combinable over the period, and those weighed by a stand-in count: one line each. */
export function itemNotesOf(scheme: Scheme, card: Scorecard, t: Messages): string[] {
  return breakdown(scheme, card).flatMap(({ metric, item }) => {
    const name = metricName(metric, item.label, t);
    if (item.status === "not-combinable") return [t.notCombinable(name, item.needs ?? [])];
    if (item.approx !== undefined) return [t.approximate(name, item.approx)];
    return [];
  });
}

/** Why a card has no total: a watched period, too few figures, or nothing scored at all. */
function ungraded(scheme: Scheme, card: Scorecard, t: Messages): string {
  if (card.watch) return t.watched(card.watch.assessment);
  if (card.awaitingRating) return t.awaitingRating(awaitingNames(scheme, card, t));
  if (card.belowCoverage)
    return t.belowCoverage(number(card.coverage), number(card.belowCoverage.minCoverage));
  return t.unscorable;
}

/** The names of the items a card awaits the supervisor's rating of. */
export function awaitingNames(scheme: Scheme, card: Scorecard, t: Messages): string[] {
  return card.items.flatMap((i) => {
    if (i.status !== "awaiting-rating") return [];
    const metric = scheme.catalogue.get(i.metric);
    return [metric ? metricName(metric, i.label, t) : i.metric];
  });
}

/** Rated items' names by metric id, as the scheme (or the built-in catalogue) names them. */
export function ratedItemNames(
  ids: readonly string[],
  catalogue: MetricCatalogue | undefined,
  t: Pick<Messages, "lang">,
): string[] {
  return ids.map((id) => {
    const metric = catalogue?.get(id);
    return metric ? metricName(metric, undefined, t) : id;
  });
}

/**
 * Whose cards wait for the supervisor's rating, in the same words on every surface (`kpi score`,
 * `/kpi team` and `top`, digests): one line per set of items, "等待主管评分（团队协作、学习成长）：
 * 小张、小李；…", or only how many when the board does not name people (`named` false).
 */
export function awaitingRatingLines(
  waiting: readonly { agent: string; items: readonly string[] }[],
  t: Messages,
  named = true,
): string[] {
  const byItems = new Map<string, { items: readonly string[]; agents: string[] }>();
  for (const w of waiting) {
    if (w.items.length === 0) continue;
    const key = w.items.join("\u0000");
    const entry = byItems.get(key) ?? { items: w.items, agents: [] };
    entry.agents.push(w.agent);
    byItems.set(key, entry);
  }
  return [...byItems.values()].map(({ items, agents }) =>
    named ? t.awaitingRatingOf(agents, items) : t.awaitingRatingCount(agents.length, items),
  );
}

/** "首次响应时间分段计分：11-01–11-11（双11）目标 ≤60 s …；按量加权得 86.25 分" (card and `explain`). */
export function splitLine({ metric, item }: BreakdownRow, t: Messages): string {
  const parts = item.segments!.map((s) =>
    t.splitPart(
      `${s.first.slice(5)}–${s.last.slice(5)}`,
      s.seasons.join(t.lang === "en" ? ", " : "、"),
      target(metric, s.target),
      s.actual === null ? t.status["no-data"] : figure(metric, s.actual),
      s.score === null ? "—" : number(Math.round(s.score * 100) / 100),
      number(s.volume),
    ),
  );
  return t.split(metricName(metric, item.label, t), parts, item.score === null ? "—" : number(item.score));
}

export function adviceLines(scheme: Scheme, advice: NextGradeAdvice, t: Messages): string[] {
  if (!advice.next) return advice.grade ? [t.topGrade(advice.grade)] : [];
  const words = (lift: NextGradeAdvice["lifts"][number]) => {
    const metric = scheme.catalogue.get(lift.metric)!;
    return `${metricName(metric, lift.label, t)} ${figure(metric, lift.from)}→${figure(metric, lift.to)}`;
  };
  if (advice.together) return [t.together(advice.together.map(words), advice.grade, advice.next.grade)];
  if (advice.outOfReach) return [t.outOfReach(advice.next.grade, String(advice.gap))];
  if (advice.lifts.length === 0) return [t.noSingleLift(advice.next.grade, String(advice.gap))];
  return advice.lifts.map((lift) => {
    const metric = scheme.catalogue.get(lift.metric)!;
    return t.lift(
      metricName(metric, lift.label, t),
      figure(metric, lift.from),
      figure(metric, lift.to),
      advice.grade,
      advice.next!.grade,
    );
  });
}
