import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HEADER, msg } from "../engine/chatlog/helpers.ts";
import { embeddedEnv, runKpi } from "../support/kpi-process.ts";

/**
 * A shop's phrase rules set 话术规范率 (script_compliance), which the trainee scheme pays on: the
 * figure `kpi import` stores must follow the configuration's chatlog section, as `kpi metrics` does.
 */

const dir = mkdtempSync(join(tmpdir(), "kpi-import-rules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

write(
  "kpi.config.yaml",
  [
    "shops: [{ id: shop-a, name: 店A, platform: other }]",
    "teams: [{ id: a-team, shop: shop-a, name: 新人组 }]",
    'agents: [{ id: zhang, name: 小张, role: trainee, team: a-team, accounts: [{ shop: shop-a, account: "小张" }] }]',
    "chatlog: { phrases: ./rules/phrases.txt }",
  ].join("\n"),
);
// The suggested phrases on (没办法), and a phrase of the shop's own, by its name in the log.
mkdirSync(join(dir, "rules"));
write("rules/phrases.txt", "@documents\n@suggested\n[店A]\n这个真没有\n");
const documentsOnly = write("documents-only.txt", "@documents\n");

// Three sessions of 小张, each answered once: a clean reply, 没办法, and the shop's own phrase.
const log = write(
  "messages.csv",
  `${[
    HEADER,
    msg("2026-11-11 10:00:00", "s1", "c1", "小张", "customer", "message", "", "在吗"),
    msg("2026-11-11 10:00:20", "s1", "c1", "小张", "agent", "message", "", "在的亲，请问有什么可以帮您"),
    msg("2026-11-11 11:00:00", "s2", "c2", "小张", "customer", "message", "", "能便宜点吗"),
    msg("2026-11-11 11:00:20", "s2", "c2", "小张", "agent", "message", "", "这个价格我也没办法"),
    msg("2026-11-11 12:00:00", "s3", "c3", "小张", "customer", "message", "", "有赠品吗"),
    msg("2026-11-11 12:00:20", "s3", "c3", "小张", "agent", "message", "", "这个真没有"),
  ].join("\n")}\n`,
);

const kpi = (...args: string[]) => runKpi(args, { cwd: dir, env: embeddedEnv() });

async function storedCompliance(): Promise<number | null | undefined> {
  const card = await kpi("score", "--date", "2026-11-11", "--agent", "zhang", "--format", "json");
  expect(card.stderr).toBe("");
  const [zhang] = JSON.parse(card.stdout) as { items: { metric: string; actual: number | null }[] }[];
  return zhang?.items.find((i) => i.metric === "script_compliance")?.actual;
}

describe("kpi import of a chat log, with the configuration's phrase rules", () => {
  it("stores the 话术规范率 of the shop's rules, the figure kpi metrics shows", async () => {
    // Run from elsewhere: the phrase file is found relative to the configuration, not the cwd.
    const config = join(dir, "kpi.config.yaml");
    const imported = await runKpi(["import", log, "--source", "chatlog", "--config", config], {
      cwd: join(dir, "rules"),
      env: embeddedEnv(),
    });
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(/chat log, 1 agent-days imported/);
    // 没办法 (suggested) and 这个真没有 (店A's own) each spoil a reply: 1 of 3 compliant.
    expect(await storedCompliance()).toBeCloseTo(100 / 3, 6);

    const metrics = await kpi("metrics", "--messages", log, "--format", "json");
    expect(metrics.stderr).toBe("");
    const [day] = JSON.parse(metrics.stdout).agentDays;
    expect(day.values.script_compliance).toEqual({ num: 1, den: 3 });
  }, 60_000);

  it("takes --phrases over the configuration for one import: a correction back to 100%", async () => {
    const imported = await kpi("import", log, "--source", "chatlog", "--phrases", documentsOnly);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(/1 agent-days imported \(import #\d+\), 1 replaced/);
    expect(await storedCompliance()).toBe(100);
  }, 60_000);

  it("refuses chat-log flags on a platform export, and names a missing phrase file", async () => {
    const onExport = await kpi("import", log, "--source", "generic", "--profile", "jd");
    expect(onExport.code).toBe(2);
    expect(onExport.stderr).toContain("--profile: applies to a chat log only (--source chatlog)");
    const missing = await kpi("import", log, "--source", "chatlog", "--phrases", join(dir, "nope.txt"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--phrases: file ".*nope\.txt" does not exist/);
  }, 60_000);
});
