import { type AdvisedScorecard, schemeSet, scoreRecordsWithAdvice } from "../../src/engine/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";
import { agentPeriod, workedExample } from "../helpers.ts";

/**
 * Three kinds of month card by the presales scheme, as the tests of stored cards use them: seed
 * 002's worked example (zhang), a thinner month with too little weight for a grade (不足以评级, li),
 * and a new hire on probation (xin, of team `xinTeam`).
 */
export async function threeMonthCards(xinTeam = "t1"): Promise<AdvisedScorecard[]> {
  const set = schemeSet([await loadScheme("presales")]);
  return scoreRecordsWithAdvice(set, [
    agentPeriod(workedExample, { agent: "zhang", period: "2026-11", team: "t1" }),
    agentPeriod(
      { conversion_rate: workedExample.conversion_rate! },
      { agent: "li", period: "2026-11", team: "t1" },
    ),
    agentPeriod(workedExample, {
      agent: "xin",
      period: "2026-11",
      team: xinTeam,
      traineeSince: "2026-11-02",
    }),
  ]);
}
