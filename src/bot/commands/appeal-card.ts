import type { Reply, ReplyBlock } from "../../chat/reply.ts";
import { formatQuantity, type MetricDef } from "../../engine/index.ts";
import { followUpMessagesFor } from "../../follow-ups/follow-up-messages.ts";
import type { Lang } from "../../i18n/index.ts";
import { messagesFor } from "../../i18n/index.ts";
import { itemTarget, metricName } from "../../present/scorecard-view.ts";
import { shopClock } from "../../present/shop-clock.ts";
import type { StoredAgentDay } from "../../store/agent-day-repo.ts";
import type { AppealableFact, AppealRow } from "../../store/appeal-repo.ts";
import type { StoredScorecard } from "../../store/scorecard-repo.ts";
import { type AppealMessages, appealMessagesFor } from "./appeal-messages.ts";

/**
 * The appeal as its decider gets it: what is appealed and why, the evidence (the item's figure,
 * target, score, numerator/denominator and the days behind it; or the fact's detail), how to
 * decide by command, and the buttons. Short enough for every platform (tests/bot/appeals:
 * within the Slack, Feishu and DingTalk fakes' limits): at most DAYS_SHOWN days, cut texts.
 */

const DAYS_SHOWN = 10;
const TEXT_SHOWN = 120;

export type AppealEvidence =
  | { kind: "item"; metric: MetricDef; card: StoredScorecard | undefined; days: StoredAgentDay[] }
  | { kind: "fact"; fact: AppealableFact; outcome: string | null };

/** The text cut to `max` characters, an ellipsis last. */
export const cut = (text: string, max = TEXT_SHOWN) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** What an appeal is about, in words: "首次响应时间 2026-11" or "#12 超时未回复 2026-11-20". */
export function appealWhat(
  appeal: AppealRow,
  metric: MetricDef | undefined,
  lang: Lang,
  kind?: string,
): string {
  const a = appealMessagesFor(lang);
  if (appeal.factId !== null)
    return a.factWhat(appeal.factId, a.factKind[kind ?? ""] ?? kind ?? "", appeal.factDay ?? "");
  const name = metric ? metricName(metric, undefined, messagesFor(lang)) : appeal.metric;
  return a.itemWhat(name, appeal.periodKey ?? "");
}

export function appealCard(
  appeal: AppealRow,
  agentName: string,
  evidence: AppealEvidence,
  lang: Lang,
  reminder?: string,
): Reply {
  const a = appealMessagesFor(lang);
  const metric = evidence.kind === "item" ? evidence.metric : undefined;
  const what = appealWhat(appeal, metric, lang, evidence.kind === "fact" ? evidence.fact.kind : undefined);
  const rows = evidence.kind === "item" ? itemRows(evidence, a, lang) : factRows(evidence, a, lang);
  const blocks: ReplyBlock[] = [
    ...(reminder ? [{ kind: "text" as const, text: reminder }] : []),
    { kind: "text", text: a.reasonLine(cut(appeal.reason, 300)) },
    { kind: "table", head: [...a.evidenceHead], rows },
    { kind: "note", text: a.howToDecide(appeal.id, appeal.factId !== null) },
    {
      kind: "actions",
      actions: [
        {
          id: "appeal:accept",
          label: appeal.factId !== null ? a.excludeButton : a.acceptButton,
          value: String(appeal.id),
          style: "primary",
        },
        { id: "appeal:reject", label: a.rejectButton, value: String(appeal.id), style: "danger" },
      ],
    },
  ];
  return { title: a.cardTitle(appeal.id, agentName, what), blocks };
}

function itemRows(
  evidence: Extract<AppealEvidence, { kind: "item" }>,
  a: AppealMessages,
  lang: Lang,
): string[][] {
  const { metric, card, days } = evidence;
  const item = card?.card.items.find((i) => i.metric === metric.id);
  const q = (x: number | null | undefined) =>
    x === null || x === undefined ? "—" : formatQuantity(metric, x);
  const rows: string[][] = [];
  if (item) {
    rows.push([a.evidence.actual, q(item.actual)]);
    rows.push([a.evidence.target, itemTarget(metric, item)]);
    rows.push([a.evidence.score, item.score === null ? "—" : String(item.score)]);
  }
  const figures = days.flatMap((d) => {
    const v = d.values[metric.id];
    return v ? [{ day: d.day, v }] : [];
  });
  const num = figures.reduce((s, f) => s + f.v.num, 0);
  const den = figures.reduce((s, f) => s + f.v.den, 0);
  if (figures.length > 0 && !figures.some((f) => f.v.finished))
    rows.push([a.evidence.fraction, `${round(num)}/${round(den)}`]);
  const shown = figures.slice(0, DAYS_SHOWN).map((f) => `${f.day.slice(5)} ${dayFigure(metric, f.v)}`);
  if (figures.length > DAYS_SHOWN) shown.push(a.evidence.moreDays(figures.length - DAYS_SHOWN));
  if (shown.length > 0) rows.push([a.evidence.days, shown.join(lang === "en" ? ", " : "，")]);
  return rows;
}

function dayFigure(metric: MetricDef, v: { num: number; den: number; finished?: boolean }): string {
  if (v.finished || metric.aggregation === "amount") return formatQuantity(metric, v.num / (v.den || 1));
  if (metric.aggregation === "count") return formatQuantity(metric, v.num);
  return `${round(v.num)}/${round(v.den)}`;
}

const round = (x: number) => String(Math.round(x * 100) / 100);

function factRows(
  evidence: Extract<AppealEvidence, { kind: "fact" }>,
  a: AppealMessages,
  lang: Lang,
): string[][] {
  const { fact } = evidence;
  const outcomes = followUpMessagesFor(lang).outcome as Record<string, string>;
  const outcome = evidence.outcome === null ? null : (outcomes[evidence.outcome] ?? evidence.outcome);
  const d = fact.detail;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? cut(v) : undefined);
  const rows: [string, string | undefined][] = [
    [a.evidence.at, shopClock(fact.at.getTime(), fact.timeZone)],
    [a.evidence.session, text(d.session)],
    [a.evidence.order, text(d.order)],
    [a.evidence.wait, typeof d.waitSeconds === "number" ? `${Math.round(d.waitSeconds)}s` : undefined],
    [a.evidence.phrase, text(d.phrase)],
    [a.evidence.sentence, text(d.sentence)],
    [a.evidence.rating, typeof d.score === "number" ? String(d.score) : undefined],
    [a.evidence.review, text(d.text)],
    [a.evidence.recovered, outcome ?? undefined],
  ];
  return rows.flatMap(([k, v]) => (v === undefined ? [] : [[k, v]]));
}
