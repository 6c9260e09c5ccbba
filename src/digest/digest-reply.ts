import type { Reply, ReplyBlock } from "../chat/reply.ts";
import { dayKey, formatQuantity, type MetricDef, type Scorecard } from "../engine/index.ts";
import { type Lang, messagesFor } from "../i18n/index.ts";
import { coefficientTexts } from "../present/coefficient.ts";
import { awaitingRatingLines, itemTarget, metricName, ratedItemNames } from "../present/scorecard-view.ts";
import type { DigestKind } from "./digest-config.ts";
import type { DigestMessages } from "./digest-messages.ts";
import type { Revision } from "./revisions.ts";
import type { DigestAgent, DigestData } from "./team-digest-data.ts";
import type { TrendChart } from "./trend-chart.ts";

/**
 * A team digest in words and tables, for the team's channel: the headline figures, the team's
 * results against target, the leaderboard as the team's visibility setting allows, who needs
 * attention, open follow-ups, alerts and revisions; weekly and monthly ones with the trend chart.
 * Under a "top" or "anonymous" leaderboard, the channel sees no names beyond what the board shows.
 */

export interface DigestTeam {
  name: string;
  leaderboard: "full" | "top" | "anonymous";
  leaderboardTop: number;
  lang: Lang;
}

export interface DigestWording {
  d: DigestMessages;
  /** Metric names and the scorecard's formats in the team's language. */
  lang: Lang;
}

const quantity = (metric: MetricDef, value: number | null) =>
  value === null ? "—" : formatQuantity(metric, value);
const signedPoints = (delta: number) => `${delta >= 0 ? "+" : ""}${Math.round(delta * 10) / 10}`;
const targetText = (metric: MetricDef, target: number) =>
  `${metric.direction === "up" ? "≥" : "≤"}${formatQuantity(metric, target)}`;
const nameOf = (metric: MetricDef, label: string | undefined, lang: Lang) =>
  metricName(metric, label, { lang });

export function periodLabel(data: Pick<DigestData, "period">): string {
  const { period } = data;
  if (period.kind !== "week") return period.key;
  return `${period.key}（${dayKey(period.first).slice(5)}–${dayKey(period.last).slice(5)}）`;
}

export function digestReply(
  kind: DigestKind,
  team: DigestTeam,
  data: DigestData,
  revisions: readonly { revision: Revision; agentName: string }[],
  wording: DigestWording,
  chartPng?: Uint8Array,
): Reply {
  const { d } = wording;
  const blocks: ReplyBlock[] = [];
  const full = team.leaderboard === "full";
  if (data.agents.length === 0) {
    blocks.push({ kind: "text", text: d.noCards });
  } else {
    if (data.graded) {
      // Every card awaiting its rating: no average, no grades to count, so no headline.
      const top = headline(data, wording);
      if (top) blocks.push({ kind: "text", text: top });
      const results = resultsTable(data, wording);
      if (results) blocks.push({ kind: "note", text: d.resultsTitle }, results);
      blocks.push(...leaderboard(kind, team, data, d));
      const awaiting = awaitingRatingLines(
        data.agents.map((a) => ({
          agent: a.profile.name,
          items: ratedItemNames(a.card.awaitingRating ?? [], data.scheme?.catalogue, wording),
        })),
        messagesFor(wording.lang),
        full,
      );
      if (awaiting.length) blocks.push({ kind: "note", text: awaiting.join("\n") });
    } else {
      // A day or a week is watched, not graded [002]: the metrics of its rhythm, and who is short.
      blocks.push({ kind: "text", text: d.watchHeadline(kind) });
      const watch = watchTable(data, full, wording);
      if (watch) blocks.push({ kind: "note", text: d.watchTitle }, watch);
    }
    const notCombinable = notCombinableLines(data, wording.lang);
    if (notCombinable.length) blocks.push({ kind: "note", text: notCombinable.join("\n") });
    if (data.attention.length > 0) {
      const text = full
        ? data.attention.map((a) => attentionLine(a, wording)).join("\n")
        : d.attentionCount(data.attention.length);
      blocks.push({ kind: "note", text: d.attentionTitle }, { kind: "text", text });
    }
  }
  blocks.push({ kind: "text", text: followUpsText(data, d) });
  if (data.dsrFalling) {
    const f = data.dsrFalling;
    blocks.push({ kind: "text", text: d.dsrFalling(f.days, String(round2(f.from)), String(round2(f.to))) });
  }
  if (revisions.length > 0) {
    const lines = full
      ? revisions.map(({ revision, agentName }) => revisionLine(revision, agentName, data, wording))
      : [d.revisionCount(revisions.length)];
    blocks.push({ kind: "note", text: d.revisionsTitle }, { kind: "text", text: lines.join("\n") });
  }
  if (chartPng && data.trend) {
    const series = data.trend.metrics.map((m) => nameOf(m.metric, m.label, wording.lang));
    blocks.push({
      kind: "image",
      pngBase64: Buffer.from(chartPng).toString("base64"),
      alt: d.chartAlt(series.join("、"), periodLabel(data)),
    });
  }
  blocks.push({ kind: "note", text: d.footer });
  return { title: d.title(team.name, kind, periodLabel(data)), blocks };
}

/** The trend as the chart renderer takes it; undefined when there is none. */
export function trendChartOf(
  team: DigestTeam,
  data: DigestData,
  wording: DigestWording,
): TrendChart | undefined {
  const trend = data.trend;
  if (!trend) return undefined;
  return {
    title: wording.d.chartTitle(team.name, periodLabel(data)),
    labels: trend.days.map((day) => day.slice(5)),
    series: trend.metrics.map((m) => ({
      label: nameOf(m.metric, m.label, wording.lang),
      values: m.values,
      unit: m.metric.unit === "percent" ? ("percent" as const) : ("seconds" as const),
    })),
  };
}

function headline(data: DigestData, { d, lang }: DigestWording): string {
  const lines: string[] = [];
  if (data.average !== null) {
    const delta =
      data.averageBefore === null ? undefined : Math.round((data.average - data.averageBefore) * 10) / 10;
    const change = delta === undefined ? undefined : messagesFor(lang).change(delta, data.period.kind);
    lines.push(d.average(String(data.average), change));
  }
  const counts = new Map<string, number>();
  for (const a of data.agents)
    if (a.card.grade) counts.set(a.card.grade, (counts.get(a.card.grade) ?? 0) + 1);
  const order = data.scheme?.grades.map((g) => g.grade) ?? [...counts.keys()].sort();
  const graded = order.filter((g) => counts.has(g)).map((g) => [g, counts.get(g)!] as const);
  if (graded.length > 0) lines.push(d.grades(graded));
  return lines.join("\n");
}

/**
 * Items the period could not combine (rates that came without their counts), on the team's card
 * or any agent's: one line per metric with the columns that would fix it, said once per digest.
 */
function notCombinableLines(data: DigestData, lang: Lang): string[] {
  const scheme = data.scheme;
  if (!scheme) return [];
  const needs = new Map<string, { label?: string; needs: Set<string> }>();
  for (const card of [...(data.team ? [data.team] : []), ...data.agents.map((a) => a.card)])
    for (const item of card.items) {
      if (item.status !== "not-combinable") continue;
      const seen = needs.get(item.metric) ?? {
        ...(item.label ? { label: item.label } : {}),
        needs: new Set(),
      };
      for (const header of item.needs ?? []) seen.needs.add(header);
      needs.set(item.metric, seen);
    }
  const t = messagesFor(lang);
  return [...needs].flatMap(([id, { label, needs: headers }]) => {
    const metric = scheme.catalogue.get(id);
    return metric ? [t.notCombinable(nameOf(metric, label, lang), [...headers])] : [];
  });
}

function resultsTable(data: DigestData, { d, lang }: DigestWording): ReplyBlock | undefined {
  const { team, teamBefore, scheme } = data;
  if (!team || !scheme) return undefined;
  const before = new Map(teamBefore?.items.map((i) => [i.metric, i.actual]) ?? []);
  const rows = team.items.flatMap((item) => {
    const metric = scheme.catalogue.get(item.metric);
    if (metric && item.status === "not-combinable") {
      const status = messagesFor(lang).status["not-combinable"];
      return [[nameOf(metric, item.label, lang), itemTarget(metric, item), status, ""]];
    }
    if (!metric || item.actual === null) return [];
    const previous = before.get(item.metric) ?? null;
    const change = previous === null ? "" : changeText(metric, item.actual - previous, d);
    return [
      [nameOf(metric, item.label, lang), itemTarget(metric, item), quantity(metric, item.actual), change],
    ];
  });
  if (rows.length === 0) return undefined;
  const c = d.resultColumns;
  return {
    kind: "table",
    head: [c.metric, c.target, c.actual, c.change],
    rows,
    numeric: [false, true, true, true],
  };
}

function leaderboard(kind: DigestKind, team: DigestTeam, data: DigestData, d: DigestMessages): ReplyBlock[] {
  const cohorts = [...new Set(data.agents.flatMap((a) => (a.cohort === null ? [] : [a.cohort])))];
  const blocks = cohorts.flatMap((cohort) =>
    cohortBoard(
      kind,
      team,
      data.agents.filter((a) => a.cohort === cohort),
      cohorts.length > 1 ? cohortName(data, data.agents.find((a) => a.cohort === cohort)!, d) : undefined,
      d,
    ),
  );
  if (data.agents.some((a) => a.place !== null && a.pending.length > 0))
    blocks.push({ kind: "note", text: d.pendingNote });
  return blocks;
}

/** "售前客服" or "新人客服（试用期）": the group a board ranks, when a team has several. */
function cohortName(data: DigestData, agent: DigestAgent, d: DigestMessages): string {
  const role = data.scheme?.roles.get(agent.card.role)?.name ?? agent.card.role;
  return agent.card.probation ? d.probation(role) : role;
}

/** One group's board: those ranked with each other (the engine's rankCards). */
function cohortBoard(
  kind: DigestKind,
  team: DigestTeam,
  ranked: readonly DigestAgent[],
  group: string | undefined,
  d: DigestMessages,
): ReplyBlock[] {
  const shown = team.leaderboard === "top" ? ranked.filter((a) => a.place! <= team.leaderboardTop) : ranked;
  const c = d.boardColumns;
  const named = team.leaderboard !== "anonymous";
  const monthly = kind === "monthly";
  const coefficients = coefficientTexts(shown.map((a) => a.card.coefficient));
  const head = [
    c.place,
    ...(named ? [c.agent] : []),
    c.total,
    c.grade,
    ...(monthly ? [c.coefficient] : []),
    c.change,
  ];
  const rows = shown.map((a, i) => [
    String(a.place),
    ...(named ? [`${a.profile.name}${a.pending.length > 0 ? "*" : ""}`] : []),
    `${a.card.total}${!named && a.pending.length > 0 ? "*" : ""}`,
    a.card.grade ?? "",
    ...(monthly ? [coefficients[i]!] : []),
    a.previousTotal === null ? "" : signedPoints(a.card.total! - a.previousTotal),
  ]);
  const title = d.boardTitle(shown.length, ranked.length);
  return [
    { kind: "note", text: group ? `${title} · ${group}` : title },
    { kind: "table", head, rows, numeric: head.map((h) => h !== c.agent && h !== c.grade) },
  ];
}

/** The watched metrics: target, the team's figure, and who is short (names only on a full board). */
function watchTable(data: DigestData, named: boolean, { d, lang }: DigestWording): ReplyBlock | undefined {
  if (data.watch.length === 0) return undefined;
  const c = d.watchColumns;
  const rows = data.watch.map((row) => {
    const short = row.offTarget.map(
      (o) =>
        `${o.agent.profile.name} ${quantity(row.metric, o.actual)}${o.agent.pending.includes(row.metric.id) ? "*" : ""}`,
    );
    return [
      nameOf(row.metric, row.label, lang),
      targetText(row.metric, row.target),
      quantity(row.metric, row.actual),
      short.length === 0
        ? d.allOnTarget
        : named
          ? short.join(lang === "en" ? ", " : "、")
          : d.offTargetCount(short.length),
    ];
  });
  return {
    kind: "table",
    head: [c.metric, c.target, c.team, c.offTarget],
    rows,
    numeric: [false, true, true, false],
  };
}

function attentionLine(entry: DigestData["attention"][number], { d, lang }: DigestWording): string {
  const reasons = entry.items
    .map((i) =>
      d.attentionReason(
        nameOf(i.metric, i.label, lang),
        quantity(i.metric, i.actual),
        targetText(i.metric, i.target),
      ),
    )
    .join(lang === "en" ? "; " : "；");
  return d.attentionLine(entry.agent.profile.name, entry.agent.card.grade ?? "", reasons);
}

function followUpsText(data: DigestData, d: DigestMessages): string {
  const f = data.followUps;
  if (f.open === 0) return d.noFollowUps;
  const lines = [d.followUps(f.open, f.overdue)];
  const zone = data.agents[0]?.profile.timeZone ?? "Asia/Shanghai";
  const at = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  if (f.soonest.length > 0)
    lines.push(
      d.soonest(f.soonest.map((s) => `${s.agent} ${at.format(s.dueAt).replace(",", "")}`).join("、")),
    );
  return lines.join("\n");
}

function revisionLine(
  revision: Revision,
  agentName: string,
  data: DigestData,
  { d, lang }: DigestWording,
): string {
  const { before, after } = revision;
  const totals = `${before.total ?? "—"}→${after.total ?? "—"}`;
  const change = before.grade !== after.grade ? `${before.grade ?? "—"}→${after.grade ?? "—"}` : totals;
  const metrics = revision.metrics
    .flatMap((m) => {
      const metric = data.scheme?.catalogue.get(m.metric);
      return metric
        ? [
            `${nameOf(metric, undefined, lang)}${m.appealed ? ` ${d.appealed}` : ""} ${quantity(metric, m.before)}→${quantity(metric, m.after)}`,
          ]
        : [];
    })
    .join(lang === "en" ? ", " : "，");
  return d.revision(agentName, revision.periodKey, change, metrics);
}

/** The monthly table a supervisor gets by direct message: every agent, with pay. */
export function supervisorTableReply(team: DigestTeam, data: DigestData, { d, lang }: DigestWording): Reply {
  const c = d.supervisorColumns;
  // The pay split [002] where the scheme has one: each part's factor, 超额奖励, the sum with a salary.
  const split = data.agents.some((a) => a.card.pay);
  const paid = data.agents.some((a) => a.card.pay?.total !== undefined);
  const yuan = (x: number) =>
    `¥${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const factor = (x: number | undefined) => (x === undefined ? "" : (Math.round(x * 100) / 100).toFixed(2));
  const coefficients = coefficientTexts(data.agents.map((a) => a.card.coefficient));
  const rows = data.agents.map((a: DigestAgent, i) => {
    const pay = a.card.pay;
    const extra = pay ? pay.extras.reduce((sum, e) => sum + e.amount, 0) : 0;
    return [
      `${a.profile.name}${a.pending.length > 0 ? "*" : ""}`,
      a.card.total === null ? "—" : String(a.card.total),
      a.card.grade ?? "",
      coefficients[i]!,
      ...(split
        ? [factor(pay?.baseFactor), factor(pay?.bonusFactor), pay && extra > 0 ? yuan(extra) : ""]
        : []),
      ...(paid ? [pay?.total !== undefined ? yuan(pay.total) : ""] : []),
      weakest(a.card, data, lang),
    ];
  });
  const head = [
    c.agent,
    c.total,
    c.grade,
    c.coefficient,
    ...(split ? [c.baseFactor, c.bonusFactor, c.extra] : []),
    ...(paid ? [c.pay] : []),
    c.weakest,
  ];
  const blocks: ReplyBlock[] = [
    {
      kind: "table",
      head,
      rows,
      numeric: head.map((h) => h !== c.agent && h !== c.grade && h !== c.weakest),
    },
  ];
  if (split) blocks.push({ kind: "note", text: d.paySplitNote });
  if (data.agents.some((a) => a.pending.length > 0)) blocks.push({ kind: "note", text: d.pendingNote });
  const awaiting = awaitingRatingLines(
    data.agents.map((a) => ({
      agent: a.profile.name,
      items: ratedItemNames(a.card.awaitingRating ?? [], data.scheme?.catalogue, { lang }),
    })),
    messagesFor(lang),
  );
  if (awaiting.length) blocks.push({ kind: "note", text: awaiting.join("\n") });
  return { title: d.supervisorTitle(team.name, data.period.key), blocks };
}

function weakest(card: Scorecard, data: DigestData, lang: Lang): string {
  const item = card.items.filter((i) => i.score !== null).sort((a, b) => a.score! - b.score!)[0];
  const metric = item && data.scheme?.catalogue.get(item.metric);
  if (!item || !metric) return "";
  return `${nameOf(metric, item.label, lang)} ${quantity(metric, item.actual)}`;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A rate's change is in percentage points ("+3.6 个百分点", "+3.6pp"), not a percent of itself. */
function changeText(metric: MetricDef, delta: number, d: DigestMessages): string {
  if (metric.unit !== "percent") return formatQuantity(metric, delta, true);
  const points = Math.round(delta * 1000) / 10;
  return d.points(`${points > 0 ? "+" : ""}${points === 0 ? 0 : points}`);
}
