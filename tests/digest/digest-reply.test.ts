import { describe, expect, it } from "vitest";
import { renderConsole } from "../../src/chat/console/render.ts";
import { digestMessagesFor } from "../../src/digest/digest-messages.ts";
import { digestReply, supervisorTableReply } from "../../src/digest/digest-reply.ts";
import type { DigestAgent, DigestData } from "../../src/digest/team-digest-data.ts";
import { finishedValue, parsePeriod, previousPeriod, scoreAgent } from "../../src/engine/index.ts";
import type { Lang } from "../../src/i18n/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { workedExample } from "../helpers.ts";
import { agentProfile } from "../support/agent-profile.ts";

/**
 * A monthly digest of the worked example's team, put into words: November's conversion 18.8%
 * against October's 18%, 小张 at 94.6 (B) and 小李 at 90.6 (B) a month after 96.
 */
async function novemberDigest() {
  const scheme = await loadScheme("seed-example");
  const period = parsePeriod("2026-11");
  const card = (agent: string, values: typeof workedExample, key = period.key) =>
    scoreAgent(scheme, { agent, role: "presales", period: key, values });
  const lower = { ...workedExample, conversion_rate: finishedValue(0.12) };
  const agents: DigestAgent[] = [
    {
      profile: agentProfile("zhang", "小张"),
      card: card("zhang", workedExample),
      previousTotal: 94.6,
      place: 1,
      cohort: "t1",
      pending: [],
    },
    {
      profile: agentProfile("li", "小李"),
      card: card("li", lower),
      previousTotal: 96,
      place: 2,
      cohort: "t1",
      pending: [],
    },
  ];
  const data: DigestData = {
    period,
    previous: previousPeriod(period),
    scheme,
    team: card("t1", { ...workedExample, conversion_rate: finishedValue(0.188) }),
    teamBefore: card("t1", workedExample, "2026-10"),
    supervisors: ["boss"],
    graded: true,
    agents,
    watch: [],
    average: 92.6,
    averageBefore: 95.3,
    attention: [],
    followUps: { open: 0, overdue: 0, soonest: [] },
    dsrFalling: undefined,
    trend: undefined,
  };
  const team = (lang: Lang) => ({ name: "售前一组", leaderboard: "full" as const, leaderboardTop: 3, lang });
  const wording = (lang: Lang) => ({ d: digestMessagesFor(lang), lang });
  return {
    text: (lang: Lang) => renderConsole(digestReply("monthly", team(lang), data, [], wording(lang))),
    table: (lang: Lang) => renderConsole(supervisorTableReply(team(lang), data, wording(lang))),
  };
}

describe("a digest's words", () => {
  it("gives a rate's change in percentage points: 个百分点 in Chinese, pp in English", async () => {
    const digest = await novemberDigest();
    expect(digest.text("zh-CN")).toMatch(/咨询转化率\s+│\s+≥15% │\s+18\.8% │\s+\+0\.8 个百分点 │/);
    expect(digest.text("zh-CN")).not.toContain("pp");
    expect(digest.text("en")).toMatch(/conversion rate\s+│\s+≥15% │\s+18\.8% │\s+\+0\.8pp │/);
  });

  it("says the team average's change as a 主管 would, and counts grades without ×", async () => {
    const digest = await novemberDigest();
    expect(digest.text("zh-CN")).toContain("团队平均分 92.6，较上月下降 2.7 分");
    expect(digest.text("zh-CN")).toContain("等级分布：B 2 人");
    expect(digest.text("en")).toContain("Team average 92.6 (down 2.7 points on the month before)");
    expect(digest.text("en")).toContain("Grades: 2 B");
    expect(digest.text("zh-CN")).not.toContain("×");
  });

  it("writes coefficients as the documents do, 1.0, under 绩效系数", async () => {
    const digest = await novemberDigest();
    expect(digest.text("zh-CN")).toMatch(/名次 │ 客服 │\s+总分 │ 等级 │ 绩效系数 │/);
    expect(digest.text("zh-CN")).toMatch(/│\s+1 │ 小张 │\s+94\.6 │ B\s+│\s+1\.0 │/);
    expect(digest.table("zh-CN")).toContain("售前一组 · 2026-11 全员绩效考核表（仅发给主管）");
    expect(digest.table("zh-CN")).toMatch(/小李 │\s+90\.6 │ B\s+│\s+1\.0 │/);
  });
});
