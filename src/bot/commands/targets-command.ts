import type { Reply } from "../../chat/reply.ts";
import { periodOfDay, type Scheme } from "../../engine/index.ts";
import { type Lang, messagesFor } from "../../i18n/index.ts";
import { type SchemeMessages, schemeMessagesFor } from "../../i18n/scheme-messages.ts";
import { coefficientText, coefficientTexts } from "../../present/coefficient.ts";
import { metricName } from "../../present/scorecard-view.ts";
import type { AgentProfile } from "../../store/agent-day-repo.ts";
import { rolePlanOf } from "./role-plan.ts";
import type { SchemesOn } from "./scheme-cache.ts";

/** `targets`: the caller's role's items this month (target, weight, how each is scored) and the grade bands. */
export async function targetsReply(
  schemesOn: SchemesOn,
  agent: AgentProfile,
  today: number,
  lang: Lang,
): Promise<Reply> {
  const s = schemeMessagesFor(lang);
  const plan = await rolePlanOf(schemesOn, agent, periodOfDay(today, "month"), today, s);
  if (!plan) return { blocks: [{ kind: "text", text: s.noScheme(agent.role) }], private: true };
  const t = messagesFor(lang);
  const notes = [
    ...gradesInWords(plan.scheme, s),
    ...(plan.seasons.length ? [s.seasons(plan.seasons.join("、"))] : []),
    ...(plan.teamScope ? [s.teamScope] : []),
  ];
  return {
    title: s.targetsTitle(plan.roleName, plan.scheme.name),
    blocks: [
      {
        kind: "table",
        head: [s.columns.metric, s.columns.target, s.columns.weight, s.columns.rule],
        rows: plan.items.map((i) => [metricName(i.metric, i.label, t), i.target, i.weight, i.rule]),
        numeric: [false, true, true, false],
      },
      { kind: "note", text: notes.join("\n") },
    ],
    private: true,
  };
}

/**
 * The grade bands as the documents write them: "B（良好）≥90 分，系数 1.0", the bottom band
 * "below" the one above it; with a linear coefficient (total ÷ 100) the bands carry none.
 */
function gradesInWords(scheme: Scheme, s: SchemeMessages): string[] {
  const rule = scheme.coefficient;
  const banded = rule.mode === "bands";
  const coefficients = coefficientTexts(scheme.grades.map((b) => b.coefficient));
  const bands = scheme.grades.map((band, i) =>
    s.band(
      band.grade,
      band.label,
      Number.isFinite(band.min) ? band.min : undefined,
      scheme.grades[i - 1]?.min ?? 0,
      banded ? coefficients[i] : undefined,
    ),
  );
  const lines = [s.grades(bands.join(s.bandSeparator))];
  if (rule.mode === "linear") {
    const text = (x: number | undefined) => (x === undefined ? undefined : coefficientText(x));
    lines.push(s.linearCoefficient(text(rule.min), text(rule.max)));
  }
  return lines;
}
