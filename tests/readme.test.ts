import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { scoreAgent } from "../src/engine/index.ts";
import { parseSchemeText } from "../src/schemes/index.ts";

const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");

describe("the README stays true", () => {
  it("shows a scheme that validates and scores", () => {
    const yaml = /```yaml\n(id:[\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const scheme = parseSchemeText(yaml!, "README.md");
    expect([...scheme.roles.keys()]).toEqual(["presales", "senior"]);
    const card = scoreAgent(scheme, { agent: "a", role: "presales", period: "2026-11-05", values: {} });
    expect(card.seasons).toEqual(["双11"]);
    expect(card.items.map((i) => i.metric)).toContain("payment_reminder_rate");
  });

  it("shows a digests, nudges and escalations configuration that loads", () => {
    const yaml = /```yaml\n(shops:[\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const config = parseConfig(yaml!, "README.md");
    expect(config.teams[0]?.channels.slack).toBe("C0123ABCD");
    expect(config.agents[0]?.shift).toEqual({ start: "09:00", end: "18:00" });
    expect(config.escalations.followUpOverdue).toHaveLength(2);
    expect(config.nudges.quietHours).toEqual({ from: "21:00", to: "08:30" });
  });

  it("names the test command that CI runs", () => {
    expect(readme).toContain("npm test");
    expect(readFileSync(join(import.meta.dirname, "../.ci/run"), "utf8")).toMatch(/npm ci[^\n]*\nnpm test/);
  });
});
