import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_TEXT, parseConfig } from "../../src/config.ts";
import { InvalidDocument } from "../../src/engine/index.ts";

const example = readFileSync(join(import.meta.dirname, "../../kpi.config.example.yaml"), "utf8");

function problems(text: string): string[] {
  try {
    parseConfig(text, "test.yaml");
    return [];
  } catch (error) {
    if (!(error instanceof InvalidDocument)) throw error;
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe("the configuration file", () => {
  it("reads the documented example", () => {
    const config = parseConfig(example, "kpi.config.example.yaml");
    expect(config.shops.map((s) => s.id)).toEqual(["flagship", "jd-store"]);
    expect(config.agents.find((a) => a.id === "zhang")?.accounts).toHaveLength(2);
    expect(config.schemes.presales?.[1]).toEqual({
      scheme: "./schemes/presales-2026-double11.yaml",
      from: "2026-11-01",
    });
    expect(config.sources.find((s) => s.id === "stats-service")).toMatchObject({
      kind: "http",
      headersFromEnv: { Authorization: "KPI_STATS_TOKEN" },
      lagDays: 1,
    });
    expect(config.schedules[0]).toMatchObject({
      cron: "0 9 * * *",
      timeZone: "Asia/Shanghai",
      catchUpDays: 7,
    });
  });

  it("defaults to the demo pulled at 09:00 Shanghai time", () => {
    const config = parseConfig(DEFAULT_CONFIG_TEXT, "built-in");
    expect(config.sources).toEqual([{ id: "demo", kind: "demo", days: 90, seed: 1, lagDays: 1 }]);
    expect(config.unknownAgents).toBe("reject");
  });

  it("names the path and reason of every mistake", () => {
    const text = `
shops: [{ id: s1, name: 店, platform: tmall, timeZone: Mars/Olympus }]
teams: [{ id: t1, shop: s2, name: 组 }]
agents: [{ id: a1, name: 甲, role: presales, team: t1, supervisor: nobody }]
sources: [{ id: x, kind: http, shop: s1, url: "not a url", headersFromEnv: { Authorization: "Bearer abc" } }]
`;
    expect(problems(text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^shops\.0\.platform: /),
        "shops.0.timeZone: is not an IANA time zone such as Asia/Shanghai",
        expect.stringMatching(/^sources\.0\.url: /),
        expect.stringMatching(/^sources\.0\.headersFromEnv\.Authorization: /),
      ]),
    );
  });

  it("checks references between sections", () => {
    const text = `
shops: [{ id: s1, name: 店, platform: taobao }]
teams: [{ id: t1, shop: s2, name: 组 }]
agents:
  - { id: a1, name: 甲, role: presales, team: t9, supervisor: nobody, accounts: [{ shop: s3, account: x }] }
  - { id: a2, name: 乙, role: presales, team: t1, accounts: [{ shop: s1, account: 乙 }] }
  - { id: a3, name: 丙, role: presales, team: t1, accounts: [{ shop: s1, account: 乙 }] }
sources: [{ id: f, kind: chitu, shop: s1, path: a.csv }]
schedules: [{ id: d, cron: "0 9 * * *", sources: [f, g] }]
`;
    expect(problems(text)).toEqual([
      "teams[0].shop: no shop s2 in shops",
      "agents[0].team: no team t9 in teams",
      "agents[0].supervisor: no agent nobody in agents",
      "agents[0].accounts[0].shop: no shop s3 in shops",
      "agents[2].accounts[0]: 乙 in shop s1 is already a2's account",
      "schedules[0].sources[1]: no source g in sources",
    ]);
  });
});
