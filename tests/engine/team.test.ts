import { describe, expect, it } from "vitest";
import {
  type AgentPeriod,
  adviseNextGrade,
  InvalidInput,
  schemeSet,
  scoreRecords,
  scoreRecordsWithAdvice,
} from "../../src/engine/index.ts";
import { loadScheme } from "../../src/schemes/index.ts";

const agent = (name: string, conversion: [number, number], frt: [number, number]): AgentPeriod => ({
  agent: name,
  role: "presales",
  period: "2026-11",
  team: "一组",
  values: {
    conversion_rate: { num: conversion[0], den: conversion[1] },
    first_response_time: { num: frt[0], den: frt[1] },
  },
});

describe("supervisors are scored from their team's roll-up plus manual items", () => {
  it("uses the team's summed figures and the supervisor's own training and attrition", async () => {
    const set = schemeSet([await loadScheme("presales"), await loadScheme("supervisor")]);
    const lead: AgentPeriod = {
      agent: "王主管",
      role: "supervisor",
      period: "2026-11",
      team: "一组",
      values: { training_pass_rate: { num: 19, den: 20 }, attrition_rate: { num: 1, den: 10 } },
    };
    const cards = scoreRecords(set, [
      agent("a", [3, 10], [300, 10]),
      agent("b", [30, 200], [5000, 200]),
      lead,
    ]);
    const supervisor = cards.find((c) => c.role === "supervisor")!;
    const item = (id: string) => supervisor.items.find((i) => i.metric === id)!;
    expect(item("conversion_rate").actual).toBe(33 / 210);
    expect(item("first_response_time").actual).toBe(5300 / 210);
    expect(item("training_pass_rate")).toMatchObject({ actual: 0.95, score: 100 });
    expect(item("attrition_rate")).toMatchObject({ actual: 0.1, score: 50 });
    expect(item("csat_rate").status).toBe("missing");
    expect(cards.filter((c) => c.role === "presales")).toHaveLength(2);
  });

  it("gives the same cards with advice for each agent and none for the supervisor scored on the team", async () => {
    const set = schemeSet([await loadScheme("presales"), await loadScheme("supervisor")]);
    // Enough of the weight has figures for a grade (minCoverage, 70%).
    const graded = (record: AgentPeriod): AgentPeriod => ({
      ...record,
      values: {
        ...record.values,
        receptions: { num: 2000, den: 10 },
        csat_rate: { num: 90, den: 100 },
        resolution_rate: { num: 85, den: 100 },
        attendance_rate: { num: 49, den: 50 },
      },
    });
    const records = [
      graded(agent("a", [3, 10], [300, 10])),
      graded(agent("b", [30, 200], [5000, 200])),
      { agent: "王主管", role: "supervisor", period: "2026-11", team: "一组", values: {} },
    ];
    const advised = scoreRecordsWithAdvice(set, records);
    expect(advised.map((a) => a.card)).toEqual(scoreRecords(set, records));
    const scheme = await loadScheme("presales");
    expect(advised[0]!.advice).toEqual(adviseNextGrade(scheme, records[0]!, advised[0]!.card));
    expect(advised[1]!.advice?.grade).toBe(advised[1]!.card.grade);
    expect(advised[2]!.advice).toBeUndefined();
  });

  it("refuses a supervisor without a team or a team without agents", async () => {
    const set = schemeSet([await loadScheme("presales"), await loadScheme("supervisor")]);
    const lead: AgentPeriod = { agent: "王主管", role: "supervisor", period: "2026-11", values: {} };
    expect(() => scoreRecords(set, [lead])).toThrow(/give the record a team/);
    expect(() => scoreRecords(set, [{ ...lead, team: "二组" }])).toThrow(InvalidInput);
  });

  it("refuses two schemes that define the same role", async () => {
    const schemes = [await loadScheme("presales"), await loadScheme("seed-example")];
    expect(() => schemeSet(schemes)).toThrow(/role presales is defined by both presales and seed-example/);
  });
});
