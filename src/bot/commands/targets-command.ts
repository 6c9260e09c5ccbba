import type { Reply } from "../../chat/reply.ts";
import type { GradeBand } from "../../engine/index.ts";
import { type Lang, messagesFor } from "../../i18n/index.ts";
import { schemeMessagesFor } from "../../i18n/scheme-messages.ts";
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
  const plan = await rolePlanOf(schemesOn, agent, today, s);
  if (!plan) return { blocks: [{ kind: "text", text: s.noScheme(agent.role) }], private: true };
  const t = messagesFor(lang);
  const notes = [
    s.grades(plan.scheme.grades.map(bandInWords).join(" · ")),
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

/** "B ≥90 ×1" — the bottom band has no floor. */
function bandInWords(band: GradeBand): string {
  const floor = Number.isFinite(band.min) ? ` ≥${band.min}` : "";
  return `${band.grade}${floor} ×${band.coefficient}`;
}
