import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PERIOD_WORDS } from "../src/bot/commands/command.ts";
import { parseCommand } from "../src/bot/commands/parse-command.ts";
import { resolvePeriod } from "../src/bot/commands/period-asked.ts";
import { parseConfig } from "../src/config.ts";
import { parseDay, scoreAgent } from "../src/engine/index.ts";
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

  it("lists every period word once, in one table, with what it means on its example day", () => {
    const section = /### Periods\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    const rows = section.split("\n").filter((line) => /^\| `[a-z]/.test(line));
    const quoted = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const cells = (row: string) => row.split("|").slice(1, -1);
    // The word and its other spellings, English and Chinese: PERIOD_WORDS, each once.
    const listed = rows.flatMap((row) => quoted(cells(row).slice(0, 2).join(" ")));
    expect(listed.toSorted()).toEqual(Object.values(PERIOD_WORDS).flat().toSorted());
    const tuesday = parseDay("2026-12-01");
    for (const row of rows) {
      const [word] = quoted(cells(row)[0]!);
      const [example] = quoted(cells(row)[3]!);
      const parsed = parseCommand(`me ${word}`);
      if (!parsed.ok || parsed.command.name !== "me")
        throw new Error(`README's "${word}" is not a period word`);
      expect(resolvePeriod(parsed.command.period, tuesday).key).toBe(example);
    }
    expect(readme.match(/### Periods/g)).toHaveLength(1);
  });

  it("names the test command that CI runs", () => {
    expect(readme).toContain("npm test");
    expect(readFileSync(join(import.meta.dirname, "../.ci/run"), "utf8")).toMatch(/npm ci[^\n]*\nnpm test/);
  });
});
